"""Plain-Python rules of site_accounting: no Odoo import anywhere in this package.

``instruments``: the life of cheques and promissory notes received and given, and the
entry (as account roles) each step posts. ``payouts``: which online payments a
provider's payout pays out, and its fee. ``advances``: work advances settled with
receipts, and the staff accounts by chart. ``payroll``: salaries and allowances, and the
salary advances they deduct. Money is ``decimal.Decimal`` rounded half up
through ``odoo.addons.site_residents.engine.money``.
"""
