from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BooksCase


@tagged("post_install", "-at_install")
class TestStaffPayroll(BooksCase):
    """Salaries and board allowances owed on 335 and paid from the cash box."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = cls.env["account.journal"].search(
            [("company_id", "=", cls.site.id), ("type", "=", "cash")], limit=1
        )
        cls.caretaker = cls.env["res.partner"].create({"name": "Ramazan Kurt"})
        cls.expense = cls.code("770")
        cls.owed = cls.code("335")

    @classmethod
    def code(cls, code):
        return (
            cls.env["account.account"]
            .with_company(cls.site)
            .search([("company_ids", "in", cls.site.ids), ("code", "=", code.ljust(6, "0"))])
        )

    def payroll(self, lines):
        return self.env["site.staff.payroll"].create(
            {
                "company_id": self.site.id,
                "name": "Ocak 2026",
                "date": date(2026, 1, 31),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "partner_id": partner.id,
                            "kind": kind,
                            "account_id": self.expense.id,
                            "amount": amount,
                        },
                    )
                    for partner, kind, amount in lines
                ],
            }
        )

    def owed_to(self, partner):
        lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.owed.id),
                ("partner_id", "=", partner.id),
                ("parent_state", "=", "posted"),
            ]
        )
        return round(-sum(lines.mapped("balance")), 2)

    def test_salaries_owed_then_paid_from_the_cash_box(self):
        board_member = self.owners[0]
        payroll = self.payroll(
            [
                (self.caretaker, "salary", 25000.0),
                (self.caretaker, "salary", 1500.0),
                (board_member, "board_allowance", 3000.0),
            ]
        )
        payroll.action_post()
        self.assertEqual(payroll.state, "posted")
        self.assertEqual(self.owed_to(self.caretaker), 26500.0)
        self.assertEqual(self.owed_to(board_member), 3000.0)
        self.assertEqual(
            len(payroll.move_id.line_ids.filtered(lambda line: line.account_id == self.owed)), 2
        )
        self.assertEqual(sum(payroll.move_id.line_ids.filtered("debit").mapped("debit")), 29500.0)

        pay = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.cash.id,
                "date": date(2026, 2, 5),
                "payment_ref": "Ocak maaşı",
                "partner_id": self.caretaker.id,
                "amount": -26500.0,
                "site_counterpart_account_id": self.owed.id,
            }
        )
        pay.action_site_book()
        self.assertEqual(self.owed_to(self.caretaker), 0.0)
        flows = self.env["site.cash.report"].search([("move_id", "=", pay.move_id.id)])
        self.assertEqual((flows.account_id, flows.amount_out), (self.owed, 26500.0))

        with self.assertRaisesRegex(UserError, "already posted"):
            payroll.action_post()

    def test_refusals(self):
        with self.assertRaisesRegex(UserError, "at least one line"):
            self.payroll([]).action_post()
        with self.assertRaisesRegex(UserError, "Line 1: the amount must be positive"):
            self.payroll([(self.caretaker, "salary", 0.0)]).action_post()

    def test_two_sites_users(self):
        payroll = self.payroll([(self.caretaker, "salary", 100.0)])
        as_b = self.env["site.staff.payroll"].with_env(self.as_user(self.accountant_b))
        self.assertFalse(as_b.search([]))
        self.assertFalse(self.env["site.staff.payroll.line"].with_env(as_b.env).search([]))
        with self.assertRaises(AccessError):
            as_b.browse(payroll.id).read(["name"])
        as_a = self.env["site.staff.payroll"].with_env(self.as_user(self.accountant_a))
        as_a.browse(payroll.id).action_post()
        self.assertEqual(payroll.state, "posted")
        board_a = self.env["site.staff.payroll"].with_env(self.as_user(self.board_a))
        self.assertEqual(board_a.search([]).ids, payroll.ids)
        with self.assertRaises(AccessError):
            board_a.browse(payroll.id).write({"name": "x"})
