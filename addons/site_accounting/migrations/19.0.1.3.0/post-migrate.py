"""The Turkish balance sheet (noupdate data) gets the results of earlier years not yet
closed in its total of liabilities and equity, as the Polish and Ukrainian ones."""

from odoo import SUPERUSER_ID, api

TOTAL = "short_liabilities + long_liabilities + equity + earlier_results + result"


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    total = env.ref("site_accounting.mis_tr_bs_liabilities", raise_if_not_found=False)
    if total:
        total.expression = TOTAL
