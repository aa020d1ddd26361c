"""Collections settle a case's debts first.

A case's debts sit on the site's receivable account for legal follow-up; payments
and the unit's other credits sit on its usual receivable account, and Odoo matches
lines of one account only. ``plan`` says which case debt each open credit of a unit
and partner settles: the credits in the order given (oldest first), each spread over
the debts still open in the site's order (``site_dues``' allocation engine). The
caller then moves those amounts across the two accounts and matches them.
"""

from odoo.addons.site_dues.engine import payments


def plan(credits, debts, order="oldest_first"):
    """[(credit key, debt key, amount)] for ``credits`` [(key, positive amount)] and
    ``debts`` [payments.OpenItem]; what a credit has left after every debt is settled
    stays with it (it goes on to settle the unit's other charges)."""
    open_amounts = {item.key: item.residual for item in debts}
    settled = []
    for credit_key, amount in credits:
        if amount <= 0:
            raise ValueError(f"Credit {credit_key!r} must be positive; got {amount}.")
        items = [item._replace(residual=open_amounts[item.key]) for item in debts]
        items = [item for item in items if item.residual > 0]
        if not items:
            break
        paid, _left = payments.allocate(amount, items, order)
        for debt_key, part in paid:
            open_amounts[debt_key] -= part
            settled.append((credit_key, debt_key, part))
    return settled
