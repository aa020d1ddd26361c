"""Budget vs actual: what a budget, a project or a row of the report planned, what was
spent, and the variance between them.

The variance is planned less actual (positive: money left, negative: overspent). The
three amounts are rounded half up to the currency's digits here, once, for every place
that shows them: the budget and project forms, the budget vs actual rows and the
XLSX export.
"""

from collections import namedtuple

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

Amounts = namedtuple("Amounts", "planned actual variance")


def amounts(planned, actual, digits=2):
    """``Amounts`` (Decimals) of a planned and an actual sum; the variance is planned
    less actual, computed before rounding so that it never carries two roundings."""
    planned, actual = to_decimal(planned), to_decimal(actual)
    return Amounts(
        round_half_up(planned, digits),
        round_half_up(actual, digits),
        round_half_up(planned - actual, digits),
    )
