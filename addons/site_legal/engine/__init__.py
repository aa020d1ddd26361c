"""Plain-Python rules of site_legal: no Odoo import anywhere in this package.

``instalments``: a settlement's schedule (the open debt split into dated parts) and
which debt each part re-dates; ``transfers``: which debts of a case a unit's open
credits settle, in the site's order; ``lawyer_accounts``: the legs of each operation on
a lawyer's account and running balances; ``recovery``: a case's handed-over, collected
and open amounts and the recovery rate, alone and summed by stage, lawyer or site.
Money is ``decimal.Decimal`` throughout, rounded half up and split through
``odoo.addons.site_residents.engine.money``.
"""
