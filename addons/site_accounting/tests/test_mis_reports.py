from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.mis_builder.models.accounting_none import AccountingNone

from .common import END, BooksCase, MonthCase


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

    def test_balance_sheet_balances_across_fiscal_years(self):
        """December 2025's income, not closed, is in January 2026's equity as the
        result of earlier years; the sheet balances in both years."""
        income_account = self.env["account.account"].search(
            [("company_ids", "in", self.site.ids), ("account_type", "=", "income")], limit=1
        )
        december = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.cash.id,
                "date": date(2025, 12, 15),
                "ref": "Hall rent 2025",
                "line_ids": [
                    Command.create({"account_id": self.cash.default_account_id.id, "debit": 400.0}),
                    Command.create({"account_id": income_account.id, "credit": 400.0}),
                ],
            }
        )
        december.action_post()
        self.run_month()
        report = self.env.ref("site_accounting.mis_report_tr_balance_sheet")
        aep = report._prepare_aep(self.site)
        for date_from, date_to, earlier, result in (
            (date(2025, 12, 1), date(2025, 12, 31), 0.0, 400.0),
            (date(2026, 1, 1), END, 400.0, 2700.0),
        ):
            values = report.evaluate(aep, date_from=date_from, date_to=date_to)
            sheet = {name: amount(value) for name, value in values.items()}
            self.assertAlmostEqual(sheet["assets"], sheet["liabilities"], places=2)
            self.assertAlmostEqual(sheet["earlier_results"], earlier, places=2)
            self.assertAlmostEqual(sheet["result"], result, places=2)


@tagged("post_install", "-at_install")
class TestMisReportsPolishUkrainian(TransactionCase):
    """The Polish and Ukrainian templates on the demo sites, whose dues are charged from
    September: November gets a bank receipt, an expense paid by bank and a supplier's
    bill. Both balance sheets balance at the start and the end of the month, and the
    month's result is the change in equity."""

    START = date(2026, 10, 31)
    PERIOD = (date(2026, 11, 1), date(2026, 11, 30))

    def post_month(self, site, codes):
        """Post November's movements; ``codes``: receivable, expense and payable account
        codes of the site's chart. Returns the month's dues charged (the revenue)."""
        env = self.env(context=dict(self.env.context, allowed_company_ids=site.ids))
        Account = env["account.account"].with_company(site)

        def account(code):
            found = Account.search([("code", "=", code), ("company_ids", "in", site.ids)])
            self.assertEqual(len(found), 1, f"account {code} on {site.name}")
            return found

        receivable, expense, payable = (account(code) for code in codes)
        bank = env["account.journal"].search(
            [("company_id", "=", site.id), ("type", "=", "bank")], limit=1
        )
        partner = env["res.partner"].create({"name": "Supplier"})

        def line(acc, amount, partner_id=False):
            debit, credit = max(amount, 0.0), max(-amount, 0.0)
            return Command.create(
                {"account_id": acc.id, "debit": debit, "credit": credit, "partner_id": partner_id}
            )

        cash = bank.default_account_id
        moves = env["account.move"].create(
            [
                {
                    "journal_id": bank.id,
                    "date": date(2026, 11, 15),
                    "line_ids": [line(cash, 500.0), line(receivable, -500.0)],
                },
                {
                    "journal_id": bank.id,
                    "date": date(2026, 11, 20),
                    "line_ids": [line(expense, 300.0), line(cash, -300.0)],
                },
                {
                    "journal_id": bank.id,
                    "date": date(2026, 11, 25),
                    "line_ids": [line(expense, 200.0), line(payable, -200.0, partner.id)],
                },
            ]
        )
        moves.action_post()
        income = env["account.move.line"].search(
            [
                ("company_id", "=", site.id),
                ("parent_state", "=", "posted"),
                ("date", ">=", self.PERIOD[0]),
                ("date", "<=", self.PERIOD[1]),
                ("account_id.account_type", "in", ("income", "income_other")),
            ]
        )
        return -sum(income.mapped("balance"))

    def evaluate(self, xmlid, site, date_from, date_to):
        report = self.env.ref(xmlid)
        values = report.evaluate(report._prepare_aep(site), date_from=date_from, date_to=date_to)
        return {name: amount(value) for name, value in values.items()}

    def check_chart(self, site, prefix, codes):
        revenue = self.post_month(site, codes)
        self.assertGreater(revenue, 0.0)
        sheet = f"site_accounting.mis_report_{prefix}_balance_sheet"
        before = self.evaluate(sheet, site, date(2026, 1, 1), self.START)
        after = self.evaluate(sheet, site, *self.PERIOD)
        for values in (before, after):
            self.assertGreater(values["assets"], 0.0)
            self.assertAlmostEqual(values["assets"], values["liabilities"], places=2)
        income = self.evaluate(
            f"site_accounting.mis_report_{prefix}_income_statement", site, *self.PERIOD
        )
        self.assertAlmostEqual(income["revenue"], revenue, places=2)
        self.assertAlmostEqual(income["result"], revenue - 500.0, places=2)
        equity_change = (after["equity"] + after["result"]) - (before["equity"] + before["result"])
        self.assertAlmostEqual(income["result"], equity_change, places=2)
        # The bank got 500 and paid 300; the supplier is owed 200; the unit's debt fell.
        self.assertAlmostEqual(after["cash"] - before["cash"], 200.0, places=2)
        self.assertAlmostEqual(after["payables"] - before["payables"], 200.0, places=2)
        self.assertAlmostEqual(
            after["receivables"] - before["receivables"], revenue - 500.0, places=2
        )

    def render(self, xmlid, site):
        """The report as the accountant sees it: an instance of the site for November,
        its lines expanded by account."""
        report = self.env.ref(xmlid)
        instance = self.env["mis.report.instance"].create(
            {
                "name": report.name,
                "report_id": report.id,
                "company_id": site.id,
                "period_ids": [
                    Command.create(
                        {
                            "name": "November",
                            "mode": "fix",
                            "manual_date_from": self.PERIOD[0],
                            "manual_date_to": self.PERIOD[1],
                        }
                    )
                ],
            }
        )
        return instance.compute()["body"]

    def check_rendering(self, site, prefix, expense_code):
        for kind in ("balance_sheet", "income_statement"):
            xmlid = f"site_accounting.mis_report_{prefix}_{kind}"
            body = self.render(xmlid, site)
            # The KPIs and, under the expanded ones, an account per line.
            self.assertGreater(len(body), len(self.env.ref(xmlid).kpi_ids))
        labels = [row["label"] for row in body]
        self.assertTrue(any(expense_code in label for label in labels), labels)

    def test_polish_chart(self):
        site = self.env.ref("site_residents.site_company_pl")
        self.check_chart(site, "pl", ("20.000.100", "40.020.700", "21.000.100"))
        self.check_rendering(site, "pl", "40.020.700")

    def test_ukrainian_chart(self):
        site = self.env.ref("site_residents.site_company_ua")
        self.check_chart(site, "ua", ("361000", "920000", "631000"))
        self.check_rendering(site, "ua", "920000")


@tagged("post_install", "-at_install")
class TestMisInstances(BooksCase):
    """Each site's balance sheet and income statement are ready after its setup."""

    def instances(self, site):
        return self.env["mis.report.instance"].search([("company_id", "=", site.id)])

    def test_setup_makes_the_reports_once(self):
        instances = self.instances(self.site)
        self.assertEqual(
            instances.report_id,
            self.env.ref("site_accounting.mis_report_tr_balance_sheet")
            | self.env.ref("site_accounting.mis_report_tr_income_statement"),
        )
        self.site._site_dues_setup()
        self.assertEqual(self.instances(self.site), instances)
        income = instances.filtered(lambda instance: len(instance.period_ids) == 2)
        self.assertEqual(income.period_ids.mapped("type"), ["m", "m"])
        # Each site its own; the second site's accountant reads only theirs.
        accountant_b = self.as_user(self.accountant_b)
        self.assertFalse(
            accountant_b["mis.report.instance"].search([("company_id", "=", self.site.id)])
        )
        self.assertEqual(len(accountant_b["mis.report.instance"].search([])), 2)
