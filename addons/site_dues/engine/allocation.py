"""Amounts per unit that are not a split: a set amount per unit (or unit type).

Splitting by weights is ``odoo.addons.site_residents.engine.money.split``.
"""

from odoo.addons.site_residents.engine.money import round_half_up


def fixed(amounts_by_key, digits=2):
    """A set amount per key (e.g. per unit type), each rounded half up to ``digits``."""
    return {key: round_half_up(amount, digits) for key, amount in amounts_by_key.items()}
