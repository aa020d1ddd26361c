from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BooksCase


@tagged("post_install", "-at_install")
class TestStaffAdvances(BooksCase):
    """Work advances paid from the Turkish site's cash box and settled with receipts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = cls.env["account.journal"].search(
            [("company_id", "=", cls.site.id), ("type", "=", "cash")], limit=1
        )
        cls.staff = cls.env["res.partner"].create({"name": "Ramazan Kurt"})
        cls.garden = cls.account("770")
        cls.repairs = cls.account("740")

    @classmethod
    def account(cls, code, site=None):
        site = site or cls.site
        return (
            cls.env["account.account"]
            .with_company(site)
            .search([("company_ids", "in", site.ids), ("code", "=", code.ljust(6, "0"))], limit=1)
        )

    def advance(self, amount, receipts):
        advance = self.env["site.staff.advance"].create(
            {
                "company_id": self.site.id,
                "partner_id": self.staff.id,
                "purpose": "Bahçe malzemeleri",
                "date": date(2026, 1, 5),
                "journal_id": self.cash.id,
                "amount": amount,
                "expense_ids": [
                    (0, 0, {"name": name, "account_id": account.id, "amount": value})
                    for name, account, value in receipts
                ],
            }
        )
        advance.action_pay()
        return advance

    def test_advance_spent_in_part(self):
        advance = self.advance(
            2000, [("Fiş 1", self.garden, 1350.0), ("Fiş 2", self.repairs, 400.0)]
        )
        self.assertEqual(self.balance(self.account("195"), self.staff), 2000.0)
        self.assertEqual(self.balance(self.cash.default_account_id), -2000.0)
        advance.action_settle(date(2026, 1, 12))
        self.assertEqual(advance.state, "settled")
        self.assertEqual(self.balance(self.account("195"), self.staff), 0.0)
        self.assertEqual(self.balance(self.garden), 1350.0)
        self.assertEqual(self.balance(self.repairs), 400.0)
        self.assertEqual(self.balance(self.cash.default_account_id), -1750.0, "250 came back")
        cash_lines = advance.move_ids.statement_line_id
        self.assertEqual(sorted(cash_lines.mapped("amount")), [-2000.0, 250.0])
        self.assertTrue(all(cash_lines.mapped("is_reconciled")))

    def test_advance_overspent_is_owed_to_staff(self):
        advance = self.advance(500, [("Fiş 1", self.garden, 620.0)])
        advance.action_settle(date(2026, 1, 12))
        self.assertEqual(self.balance(self.account("195"), self.staff), 0.0)
        self.assertEqual(self.balance(self.account("335"), self.staff), -120.0)
        self.assertEqual(len(advance.move_ids.statement_line_id), 1, "nothing came back")

    def test_refusals(self):
        advance = self.advance(500, [])
        with self.assertRaisesRegex(UserError, "already paid"):
            advance.action_pay()
        with self.assertRaisesRegex(UserError, "at least one expense receipt"):
            advance.action_settle()

    def test_two_sites_users(self):
        advance = self.advance(300, [("Fiş 1", self.garden, 300.0)])
        as_b = self.env["site.staff.advance"].with_env(self.as_user(self.accountant_b))
        self.assertFalse(as_b.search([]))
        with self.assertRaises(AccessError):
            as_b.browse(advance.id).read(["amount"])
        receipts_b = self.env["site.staff.advance.expense"].with_env(as_b.env)
        self.assertFalse(receipts_b.search([]))
        as_a = self.env["site.staff.advance"].with_env(self.as_user(self.accountant_a))
        as_a.browse(advance.id).action_settle(date(2026, 1, 12))
        self.assertEqual(advance.state, "settled")
        board_a = self.env["site.staff.advance"].with_env(self.as_user(self.board_a))
        self.assertEqual(board_a.search([]).ids, advance.ids)
        with self.assertRaises(AccessError):
            board_a.create(
                {
                    "company_id": self.site.id,
                    "partner_id": self.staff.id,
                    "purpose": "x",
                    "journal_id": self.cash.id,
                    "amount": 1,
                }
            )
