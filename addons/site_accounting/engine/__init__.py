"""Plain-Python rules of site_accounting: no Odoo import anywhere in this package.

``instruments``: the life of cheques and promissory notes received and given, and the
entry (as account roles) each step posts. ``payouts``: which online payments a
provider's payout pays out, and its fee. Money is ``decimal.Decimal`` rounded half up
through ``odoo.addons.site_residents.engine.money``.
"""
