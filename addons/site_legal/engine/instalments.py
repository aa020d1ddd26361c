"""A settlement with instalments: the case's open debt split into dated parts.

``schedule`` splits the amount into ``count`` instalments (the split of the suite:
the parts add up to the amount to the cent, the cents left over going to the first
instalments), due on the same day of every ``months_apart``-th month from the first
due date. ``assign`` then cuts the open debts, in the order given, into those
instalments, so that each part of an instalment keeps the debt it comes from (its
partner, unit and charge type).
"""

from collections import namedtuple

from odoo.addons.site_residents.engine.dates import day_of_month
from odoo.addons.site_residents.engine.money import round_half_up, split

Instalment = namedtuple("Instalment", "number due_date amount")


def add_months(day, months, due_day=None):
    """Day ``due_day`` (``day``'s by default) of the month ``months`` after ``day``'s,
    kept within that month (the 31st of a short month is its last day)."""
    index = day.year * 12 + day.month - 1 + months
    month = day.replace(year=index // 12, month=index % 12 + 1, day=1)
    return day_of_month(month, due_day or day.day)


def schedule(total, count, first_due, digits=2, months_apart=1):
    """[Instalment]: ``total`` in ``count`` parts, the first due on ``first_due``."""
    if count < 1:
        raise ValueError(f"A settlement has at least one instalment; got {count}.")
    if months_apart < 1:
        raise ValueError(f"Instalments are at least a month apart; got {months_apart}.")
    total = round_half_up(total, digits)
    if total <= 0:
        raise ValueError(f"There is nothing to settle: the open amount is {total}.")
    parts = split(total, dict.fromkeys(range(1, count + 1), 1), digits)
    if parts[count] <= 0:
        raise ValueError(f"{total} cannot be split into {count} instalments of at least a cent.")
    return [
        Instalment(number, add_months(first_due, (number - 1) * months_apart), parts[number])
        for number in range(1, count + 1)
    ]


def assign(debts, amounts):
    """Cut ``debts`` into instalments: [(instalment number, debt key, amount)].

    ``debts``: (key, open amount) in the order they are to be paid; ``amounts``:
    {instalment number: amount}, in order. The debts and the instalments must add up
    to the same total. The first instalment takes the first debts; a debt that does
    not fit whole is continued in the next instalment.
    """
    debts = [(key, amount) for key, amount in debts if amount]
    total_debts = sum((amount for _key, amount in debts), 0)
    total_instalments = sum(amounts.values(), 0)
    if total_debts != total_instalments:
        raise ValueError(
            f"The instalments ({total_instalments}) must add up to the debts ({total_debts})."
        )
    pieces = []
    queue = iter(debts)
    key, left = next(queue, (None, 0))
    for number, amount in amounts.items():
        while amount > 0:
            part = min(amount, left)
            pieces.append((number, key, part))
            amount -= part
            left -= part
            if not left:
                key, left = next(queue, (None, 0))
    return pieces


def is_missed(due_date, open_amount, today):
    """An instalment is missed when its due date has passed and something is still open."""
    return due_date < today and open_amount > 0
