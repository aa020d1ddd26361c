"""What a case recovered: amounts handed over and collected, and the recovery rate.

A case's debt is what was handed over plus the costs charged on to the debtor; what
is neither open nor written off was collected (moving debts into instalments changes
neither). The recovery rate is collected / debt; summed over cases it is weighted by
their debts (total collected / total debt), never an average of rates.
"""

from collections import namedtuple
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

AMOUNTS = ("handed_over", "charged_on", "open", "written_off", "collected")
Figures = namedtuple("Figures", (*AMOUNTS, "rate"))
ZERO = Decimal(0)


def rate(collected, debt):
    """collected / debt in percent, rounded to two decimals; 0 without a debt."""
    debt = to_decimal(debt)
    if not debt:
        return round_half_up(ZERO, 2)
    return round_half_up(to_decimal(collected) * 100 / debt, 2)


def figures(handed_over, charged_on, open_amount, written_off):
    """A case's Figures from its amounts (``open_amount``: what its debts still owe)."""
    handed_over, charged_on = to_decimal(handed_over), to_decimal(charged_on)
    open_amount, written_off = to_decimal(open_amount), to_decimal(written_off)
    debt = handed_over + charged_on
    collected = debt - open_amount - written_off
    return Figures(
        handed_over, charged_on, open_amount, written_off, collected, rate(collected, debt)
    )


def summary(cases):
    """{group: Figures} for (group, Figures) pairs, groups in the order they first
    appear, each rate computed on the group's sums."""
    sums = {}
    for group, case in cases:
        row = sums.setdefault(group, dict.fromkeys(AMOUNTS, ZERO))
        for name in AMOUNTS:
            row[name] += getattr(case, name)
    return {
        group: Figures(**row, rate=rate(row["collected"], row["handed_over"] + row["charged_on"]))
        for group, row in sums.items()
    }
