"""Which debtors get a formal notice: their overdue debts on a day, netted with their
open credits, above a minimum amount and/or a minimum age."""

from collections import defaultdict, namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up

# One debtor (a unit and a partner) picked for a notice: ``amount`` overdue net of open
# credits, ``oldest_due`` the due date of the oldest unpaid debt, ``days_overdue`` its
# age, ``items`` [(charge type key, due date, amount)] sorted by due date.
Debtor = namedtuple("Debtor", "key amount oldest_due days_overdue items")


def select_debtors(lines, as_of, min_amount=Decimal(0), min_days=0):
    """The debtors of ``lines`` due a notice on ``as_of``.

    ``lines``: (key, charge type key, due date, open amount): debts are positive,
    open credits (payments not matched yet) negative. Only debts due before ``as_of``
    count; a debtor needs an overdue amount net of credits above zero and at least
    ``min_amount``, and an oldest unpaid debt at least ``min_days`` overdue.
    """
    debts, credits = defaultdict(list), defaultdict(Decimal)
    for key, charge_type, due, amount in lines:
        amount = Decimal(amount)
        if amount < 0:
            credits[key] += amount
        elif amount and due < as_of:
            debts[key].append((charge_type, due, amount))
    debtors = []
    for key, items in debts.items():
        items.sort(key=lambda item: item[1])
        amount = round_half_up(sum(item[2] for item in items) + credits[key], 2)
        oldest_due = items[0][1]
        days_overdue = (as_of - oldest_due).days
        if amount <= 0 or amount < Decimal(min_amount) or days_overdue < min_days:
            continue
        debtors.append(Debtor(key, amount, oldest_due, days_overdue, items))
    return sorted(debtors, key=lambda debtor: debtor.key)


def by_charge_type(items):
    """{charge type key: total} of a debtor's items, in the order they first fall due."""
    totals = {}
    for charge_type, _due, amount in items:
        totals[charge_type] = totals.get(charge_type, Decimal(0)) + amount
    return totals
