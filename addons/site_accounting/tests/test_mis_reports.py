from datetime import date

from odoo.tests import tagged

from odoo.addons.mis_builder.models.accounting_none import AccountingNone

from .common import END, MonthCase


def amount(value):
    return 0.0 if value is AccountingNone else value


@tagged("post_install", "-at_install")
class TestMisReports(MonthCase):
    """The uniform chart's balance sheet balances and its result is the income
    statement's."""

    def evaluate(self, xmlid):
        report = self.env.ref(xmlid)
        aep = report._prepare_aep(self.site)
        values = report.evaluate(aep, date_from=date(2026, 1, 1), date_to=END)
        return {name: amount(value) for name, value in values.items()}

    def test_balance_sheet_balances(self):
        self.run_month()
        sheet = self.evaluate("site_accounting.mis_report_tr_balance_sheet")
        self.assertGreater(sheet["assets"], 0.0)
        self.assertAlmostEqual(sheet["assets"], sheet["liabilities"])
        # The same from the ledger: the cash and bank accounts are among the assets.
        self.assertAlmostEqual(
            sheet["current_assets"] + sheet["fixed_assets"], sheet["assets"], places=2
        )
        income = self.evaluate("site_accounting.mis_report_tr_income_statement")
        self.assertAlmostEqual(income["result"], sheet["result"])
        # Dues charged (3000) less the garden expense (300) paid from the cash box.
        self.assertAlmostEqual(income["revenue"], 3000.0)
        self.assertAlmostEqual(income["result"], 2700.0)
