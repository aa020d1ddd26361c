import io
from datetime import date

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.site_dues.tests.xlsx import xlsx_report

from .common import END, MonthCase


@tagged("post_install", "-at_install")
class TestBooks(MonthCase):
    """OCA's reports and the receipts-and-payments view agree with the ledger."""

    def test_trial_balance_balances_and_equals_the_ledger(self):
        self.run_month()
        wizard = self.env["trial.balance.report.wizard"].create(
            {
                "company_id": self.site.id,
                "date_from": date(2026, 1, 1),
                "date_to": END,
                "target_move": "posted",
                "hide_account_at_0": True,
            }
        )
        values = self.env["report.account_financial_report.trial_balance"]._get_report_values(
            wizard, wizard._prepare_report_data()
        )
        accounts = [row for row in values["trial_balance"] if row["type"] == "account_type"]
        self.assertTrue(accounts)
        debit = sum(row["debit"] for row in accounts)
        credit = sum(row["credit"] for row in accounts)
        self.assertAlmostEqual(debit, credit)
        month = self.ledger([("date", ">=", date(2026, 1, 1)), ("date", "<=", END)])
        self.assertAlmostEqual(debit, sum(month.mapped("debit")))
        self.assertAlmostEqual(credit, sum(month.mapped("credit")))
        for row in accounts:
            lines = month.filtered(lambda line, row=row: line.account_id.id == row["id"])
            self.assertAlmostEqual(row["debit"], sum(lines.mapped("debit")), msg=row.get("code"))
            self.assertAlmostEqual(row["credit"], sum(lines.mapped("credit")), msg=row.get("code"))

    def test_open_items_are_the_units_open_charges(self):
        self.run_month()
        wizard = self.env["open.items.report.wizard"].create(
            {
                "company_id": self.site.id,
                "date_at": END,
                "target_move": "posted",
                "account_ids": self.env["account.account"]
                .search(
                    [
                        ("company_ids", "in", self.site.ids),
                        ("account_type", "=", "asset_receivable"),
                    ]
                )
                .ids,
            }
        )
        values = self.env["report.account_financial_report.open_items"]._get_report_values(
            wizard, wizard._prepare_report_data()
        )
        receivable = self.ledger(
            [("account_id.account_type", "=", "asset_receivable"), ("reconciled", "=", False)]
        )
        residual = sum(
            amounts["residual"]
            for account_id, amounts in values["total_amount"].items()
            if self.env["account.account"].browse(account_id).account_type == "asset_receivable"
        )
        self.assertAlmostEqual(residual, sum(receivable.mapped("amount_residual")))
        # A-3's last 250 came in cash; A-1's 250 paid ahead is an open credit.
        self.assertAlmostEqual(residual, -250.0)

    def test_receipts_and_payments(self):
        self.run_month()
        flows = self.env["site.cash.report"].search([("company_id", "=", self.site.id)])
        dues = self.charge_type_of(self.site, "DUES")
        money_in = sum(flows.mapped("amount_in"))
        money_out = sum(flows.mapped("amount_out"))
        self.assertAlmostEqual(money_in, 1250 + 1000 + 750 + 500 + 250)
        self.assertAlmostEqual(money_out, 25 + 300)
        by_dues = flows.filtered(lambda flow: flow.charge_type_id == dues)
        self.assertAlmostEqual(sum(by_dues.mapped("amount_in")), 3000.0, msg="the dues settled")
        advance = flows.filtered(
            lambda flow: (
                not flow.charge_type_id and flow.account_id.account_type == "asset_receivable"
            )
        )
        self.assertAlmostEqual(sum(advance.mapped("amount")), 250.0, msg="A-1 paid 250 ahead")
        spent = flows.filtered(lambda flow: flow.account_id == self.expense_account)
        self.assertAlmostEqual(sum(spent.mapped("amount_out")), 300.0)

        month = self.env["site.cash.balance"].search(
            [("company_id", "=", self.site.id), ("month", "=", date(2026, 1, 1))]
        )
        cash_and_bank = self.ledger(
            [("account_id.account_type", "=", "asset_cash"), ("date", "<=", END)]
        )
        self.assertEqual(len(month), 1)
        self.assertAlmostEqual(month.opening, 0.0)
        self.assertAlmostEqual(month.closing, sum(cash_and_bank.mapped("balance")))
        self.assertAlmostEqual(month.closing, money_in - money_out)
        self.assertAlmostEqual(month.amount_in - month.amount_out, money_in - money_out)

    def test_board_sees_own_site_only(self):
        self.run_month()
        for user, site, other in (
            (self.board_a, self.site, self.site_b),
            (self.board_b, self.site_b, self.site),
        ):
            env = self.as_user(user)
            for model in ("site.cash.report", "site.cash.balance"):
                rows = env[model].search([])
                self.assertFalse(rows.filtered(lambda row, other=other: row.company_id == other))
                if site == self.site:
                    self.assertTrue(rows, model)
                # Even asked for by id, the other site's rows stay hidden.
                others = self.env[model].search([("company_id", "=", other.id)])
                self.assertFalse(env[model].search([("id", "in", others.ids)]))

    def test_receipts_and_payments_xlsx(self):
        self.run_month()
        report = self.env.ref("site_accounting.action_report_site_cash_report_xlsx")
        # In the list's Print menu.
        self.assertEqual(report.binding_model_id.model, "site.cash.report")
        flows = self.env["site.cash.report"].search([("company_id", "=", self.site.id)])
        _name, content = xlsx_report(self.as_user(self.board_a), report.report_name, flows)
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["Summary", "Entries"])
        summary = {
            row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True) if row[0]
        }
        dues = self.charge_type_of(self.site, "DUES")
        self.assertEqual(summary[dues.name], 3000.0)
        self.assertEqual(summary["Advances (not allocated yet)"], 250.0)
        self.assertEqual(summary["Total Money In"], 3750.0)
        self.assertEqual(summary["Total Money Out"], 325.0)
        self.assertEqual(summary["Net"], 3750.0 - 325.0)
        entries = list(workbook["Entries"].iter_rows(values_only=True))
        self.assertEqual(len(entries), len(flows) + 1)
        self.assertEqual(sum(row[8] for row in entries[1:]), 3750.0)
        # Another site's board member cannot print site A's rows.
        with self.assertRaises(AccessError):
            xlsx_report(self.as_user(self.board_b), report.report_name, flows)
