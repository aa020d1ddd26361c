from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import BooksCase


@tagged("post_install", "-at_install")
class TestCashBox(BooksCase):
    """Cash taken and paid out at the Turkish site's office, in its cash journal."""

    def test_cash_box_closing_equals_receipts_and_payments(self):
        cash = self.env["account.journal"].search(
            [("company_id", "=", self.site.id), ("type", "=", "cash")], limit=1
        )
        expense = self.env["account.account"].search(
            [("company_ids", "in", self.site.ids), ("account_type", "=", "expense")], limit=1
        )
        supplier = self.env["res.partner"].create({"name": "Temizlik Ltd."})
        payable = supplier.with_company(self.site).property_account_payable_id
        lines = self.env["account.bank.statement.line"].create(
            [
                {
                    "journal_id": cash.id,
                    "date": date(2026, 1, 12),
                    "payment_ref": f"Aidat {self.u1.payment_reference}",
                    "amount": 1000.0,
                },
                {
                    "journal_id": cash.id,
                    "date": date(2026, 1, 14),
                    # A number like a unit's reference does not make it the unit's.
                    "payment_ref": f"Bahçe bakımı fatura {self.u2.payment_reference}",
                    "amount": -300.0,
                    "site_counterpart_account_id": expense.id,
                },
                {
                    "journal_id": cash.id,
                    "date": date(2026, 1, 20),
                    "payment_ref": "Temizlik faturası",
                    "partner_id": supplier.id,
                    "amount": -100.0,
                    "site_counterpart_account_id": payable.id,
                },
            ]
        )
        lines.action_site_book()
        self.assertTrue(all(lines.mapped("is_reconciled")))
        self.assertEqual(lines[0].site_unit_id, self.u1)
        dues = self.env["account.move.line"].search(
            [("site_unit_id", "=", self.u1.id), ("site_charge_type_id", "!=", False)]
        )
        self.assertTrue(dues.reconciled, "the cash receipt settles the unit's dues")
        self.assertEqual(lines[1].move_id.line_ids.filtered("debit").account_id, expense)
        self.assertFalse(lines[1].site_unit_id)
        self.assertEqual(lines[2].move_id.line_ids.filtered("debit").partner_id, supplier)

        cash_balance = sum(
            self.env["account.move.line"]
            .search(
                [("account_id", "=", cash.default_account_id.id), ("parent_state", "=", "posted")]
            )
            .mapped("balance")
        )
        self.assertEqual(cash_balance, 600.0)
        flows = self.env["site.cash.report"].search(
            [("company_id", "=", self.site.id), ("journal_id", "=", cash.id)]
        )
        self.assertEqual(sum(flows.mapped("amount_in")), 1000.0)
        self.assertEqual(sum(flows.mapped("amount_out")), 400.0)
        self.assertEqual(sum(flows.mapped("amount")), cash_balance)
        self.assertEqual(
            sum(flows.filtered(lambda flow: flow.account_id == expense).mapped("amount_out")), 300.0
        )
        month = self.env["site.cash.balance"].search(
            [("company_id", "=", self.site.id), ("month", "=", date(2026, 1, 1))]
        )
        self.assertEqual(month.closing, cash_balance, "no bank movement this month")

    def test_counterpart_on_a_payable_needs_the_partner(self):
        cash = self.env["account.journal"].search(
            [("company_id", "=", self.site.id), ("type", "=", "cash")], limit=1
        )
        payable = self.env["account.account"].search(
            [("company_ids", "in", self.site.ids), ("account_type", "=", "liability_payable")],
            limit=1,
        )
        line = self.env["account.bank.statement.line"].create(
            {
                "journal_id": cash.id,
                "date": date(2026, 1, 20),
                "payment_ref": "Fatura",
                "amount": -50.0,
                "site_counterpart_account_id": payable.id,
            }
        )
        with self.assertRaisesRegex(UserError, "choose the partner"):
            line.action_site_book()
