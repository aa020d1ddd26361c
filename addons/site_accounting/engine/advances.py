"""Work advances to staff (iş avansı, 195) and their settlement with expense receipts.

Paying an advance books the money out of the cash box or bank on 195 (the staff
member's advance). Settling it books each receipt on its expense account against 195;
what the receipts leave of the advance comes back to the cash box (on 195), and what
they spend beyond it is owed to the staff member (335 Personele Borçlar).
"""

from collections import namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

ADVANCE_CODE = "195"
STAFF_PAYABLE_CODE = "335"

# Roles of the settlement's lines; an expense line carries the index of its receipt.
EXPENSE = "expense"
ADVANCE = "advance"
STAFF_PAYABLE = "staff_payable"

Line = namedtuple("Line", "role receipt debit credit")
Settlement = namedtuple("Settlement", "lines returned")


class AdvanceError(ValueError):
    """An advance or a settlement the rules refuse; the message says why."""


def settlement(advance, receipts):
    """The settlement entry of an ``advance`` with ``receipts`` (their amounts, in
    order), and the cash the staff member returns (zero when none)."""
    advance = round_half_up(to_decimal(advance))
    amounts = [round_half_up(to_decimal(amount)) for amount in receipts]
    if advance <= 0:
        raise AdvanceError(f"The advance must be positive, not {advance}.")
    if not amounts:
        raise AdvanceError("An advance is settled with at least one expense receipt.")
    for index, amount in enumerate(amounts, start=1):
        if amount <= 0:
            raise AdvanceError(f"Receipt {index}: the amount must be positive, not {amount}.")
    spent = sum(amounts, Decimal(0))
    lines = [Line(EXPENSE, index, amount, Decimal(0)) for index, amount in enumerate(amounts)]
    lines.append(Line(ADVANCE, None, Decimal(0), min(spent, advance)))
    if spent > advance:
        lines.append(Line(STAFF_PAYABLE, None, Decimal(0), spent - advance))
    return Settlement(lines, max(advance - spent, Decimal(0)))
