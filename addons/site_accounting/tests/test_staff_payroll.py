from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
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
        cls.salary_advances = cls.code("196")

    @classmethod
    def code(cls, code):
        return (
            cls.env["account.account"]
            .with_company(cls.site)
            .search([("company_ids", "in", cls.site.ids), ("code", "=", code.ljust(6, "0"))])
        )

    def payroll(self, lines, day=date(2026, 1, 31), name="Ocak 2026"):
        return self.env["site.staff.payroll"].create(
            {
                "company_id": self.site.id,
                "name": name,
                "date": day,
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

    def salary_advance(self, amount, day, journal=None, pay=True):
        advance = self.env["site.staff.advance"].create(
            {
                "company_id": self.site.id,
                "kind": "salary",
                "partner_id": self.caretaker.id,
                "purpose": "Maaş avansı",
                "date": day,
                "journal_id": (journal or self.cash).id,
                "amount": amount,
            }
        )
        if pay:
            advance.action_pay()
        return advance

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

    def test_salary_advance_deducted_from_the_payroll(self):
        advance = self.salary_advance(3000.0, date(2026, 1, 5))
        self.assertEqual(self.balance(self.salary_advances, self.caretaker), 3000.0)
        self.assertEqual(self.balance(self.cash.default_account_id), -3000.0)
        board_member = self.owners[0]
        payroll = self.payroll(
            [(self.caretaker, "salary", 25000.0), (board_member, "board_allowance", 3000.0)]
        )
        caretaker_line, board_line = payroll.line_ids
        # The draft already shows what posting deducts.
        self.assertEqual(
            (caretaker_line.amount, caretaker_line.amount_deducted, caretaker_line.amount_net),
            (25000.0, 3000.0, 22000.0),
        )
        self.assertEqual((board_line.amount_deducted, board_line.amount_net), (0.0, 3000.0))
        payroll.action_post()
        self.assertEqual(self.balance(self.expense), 28000.0, "the gross is the expense")
        self.assertEqual(self.owed_to(self.caretaker), 22000.0)
        self.assertEqual(self.owed_to(board_member), 3000.0)
        self.assertEqual(self.balance(self.salary_advances, self.caretaker), 0.0)
        credit = payroll.move_id.line_ids.filtered(
            lambda line: line.account_id == self.salary_advances
        )
        self.assertEqual((credit.credit, credit.partner_id), (3000.0, self.caretaker))
        self.assertEqual(
            (advance.state, advance.amount_deducted, advance.amount_open), ("deducted", 3000.0, 0)
        )
        self.assertEqual(advance.deduction_ids.payroll_line_id, caretaker_line)
        self.assertEqual(caretaker_line.amount_deducted, 3000.0)
        self.assertEqual(
            (payroll.amount_total, payroll.amount_deducted, payroll.amount_net),
            (28000.0, 3000.0, 25000.0),
        )
        # Never deducted twice: the next payroll finds nothing open.
        bonus = self.payroll([(self.caretaker, "salary", 1000.0)], name="Ocak ikramiye")
        self.assertEqual(bonus.line_ids.amount_deducted, 0.0)
        bonus.action_post()
        self.assertFalse(bonus.line_ids.deduction_ids)
        self.assertEqual(advance.amount_deducted, 3000.0)

    def test_advance_left_open_with_its_remainder(self):
        older = self.salary_advance(20000.0, date(2026, 1, 5))
        newer = self.salary_advance(10000.0, date(2026, 1, 20), journal=self.bank)
        later = self.salary_advance(500.0, date(2026, 2, 3))
        january = self.payroll([(self.caretaker, "salary", 25000.0)])
        january.action_post()
        self.assertEqual((older.state, older.amount_open), ("deducted", 0.0))
        self.assertEqual((newer.state, newer.amount_open), ("paid", 5000.0), "oldest first")
        self.assertEqual(
            (later.state, later.amount_open), ("paid", 500.0), "paid after the payroll"
        )
        self.assertEqual(january.line_ids.amount_net, 0.0)
        self.assertFalse(
            january.move_id.line_ids.filtered(lambda line: line.account_id == self.owed),
            "the advances took all of it: nothing owed",
        )
        self.assertEqual(self.balance(self.salary_advances, self.caretaker), 5500.0)

        february = self.payroll(
            [(self.caretaker, "salary", 25000.0)], day=date(2026, 2, 28), name="Şubat 2026"
        )
        february.action_post()
        self.assertEqual(february.line_ids.amount_deducted, 5500.0)
        self.assertEqual((newer.state, later.state), ("deducted", "deducted"))
        self.assertEqual(self.owed_to(self.caretaker), 19500.0)
        self.assertEqual(self.balance(self.salary_advances, self.caretaker), 0.0)
        with self.assertRaisesRegex(ValidationError, "more than the advance"):
            self.env["site.staff.advance.deduction"].create(
                {"advance_id": newer.id, "payroll_line_id": february.line_ids.id, "amount": 1.0}
            )
            self.env.flush_all()

    def test_cancelled_payroll_reopens_its_advances(self):
        advance = self.salary_advance(3000.0, date(2026, 1, 5))
        payroll = self.payroll([(self.caretaker, "salary", 25000.0)])
        payroll.action_post()
        with self.assertRaisesRegex(UserError, "cancel it"):
            payroll.unlink()
        payroll.action_cancel()
        self.assertEqual(payroll.state, "cancelled")
        self.assertEqual(payroll.reversal_move_id.reversed_entry_id, payroll.move_id)
        self.assertEqual(payroll.reversal_move_id.state, "posted")
        self.assertEqual((advance.state, advance.amount_open), ("paid", 3000.0))
        self.assertFalse(advance.deduction_ids)
        self.assertEqual(self.balance(self.salary_advances, self.caretaker), 3000.0)
        self.assertEqual(self.owed_to(self.caretaker), 0.0)
        self.assertEqual(self.balance(self.expense), 0.0)
        with self.assertRaisesRegex(UserError, "only a posted payroll"):
            payroll.action_cancel()
        again = self.payroll([(self.caretaker, "salary", 25000.0)], name="Ocak 2026 (düzeltme)")
        again.action_post()
        self.assertEqual(again.line_ids.amount_deducted, 3000.0)
        self.assertEqual(advance.state, "deducted")

    def test_no_open_salary_advance_deducts_nothing(self):
        draft = self.salary_advance(700.0, date(2026, 1, 5), pay=False)
        work = self.env["site.staff.advance"].create(
            {
                "company_id": self.site.id,
                "partner_id": self.caretaker.id,
                "purpose": "Bahçe malzemeleri",
                "date": date(2026, 1, 5),
                "journal_id": self.cash.id,
                "amount": 400.0,
            }
        )
        work.action_pay()
        payroll = self.payroll([(self.caretaker, "salary", 25000.0)])
        payroll.action_post()
        self.assertEqual(payroll.line_ids.amount_deducted, 0.0)
        self.assertEqual(self.owed_to(self.caretaker), 25000.0)
        self.assertFalse(
            payroll.move_id.line_ids.filtered(lambda line: line.account_id == self.salary_advances)
        )
        self.assertEqual((draft.state, work.state), ("draft", "paid"))
        with self.assertRaisesRegex(UserError, "is a salary advance"):
            self.salary_advance(100.0, date(2026, 1, 6)).action_settle()
        with self.assertRaisesRegex(ValidationError, "not a salary advance"):
            self.env["site.staff.advance.deduction"].create(
                {"advance_id": work.id, "payroll_line_id": payroll.line_ids.id, "amount": 1.0}
            )

    def test_two_sites_users_salary_advances(self):
        advance = self.salary_advance(1000.0, date(2026, 1, 5))
        payroll = self.payroll([(self.caretaker, "salary", 5000.0)])
        env_a = self.as_user(self.accountant_a)
        env_b = self.as_user(self.accountant_b)
        self.env["site.staff.payroll"].with_env(env_a).browse(payroll.id).action_post()
        self.assertEqual(advance.state, "deducted")
        deduction = advance.deduction_ids
        Deduction = self.env["site.staff.advance.deduction"]
        self.assertFalse(Deduction.with_env(env_b).search([]))
        self.assertFalse(self.env["site.staff.advance"].with_env(env_b).search([]))
        with self.assertRaises(AccessError):
            Deduction.with_env(env_b).browse(deduction.id).read(["amount"])
        board_a = Deduction.with_env(self.as_user(self.board_a))
        self.assertEqual(board_a.search([]), deduction)
        with self.assertRaises(AccessError):
            board_a.browse(deduction.id).unlink()
        # Site B's payroll of the same person leaves site A's advances alone.
        open_again = self.salary_advance(800.0, date(2026, 1, 6))
        payroll_b = (
            self.env["site.staff.payroll"]
            .with_env(env_b)
            .create(
                {
                    "company_id": self.site_b.id,
                    "name": "Ocak 2026",
                    "date": date(2026, 1, 31),
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "partner_id": self.caretaker.id,
                                "account_id": self.code_of(self.site_b, "770").id,
                                "amount": 2000.0,
                            },
                        )
                    ],
                }
            )
        )
        payroll_b.action_post()
        self.assertEqual(payroll_b.line_ids.amount_deducted, 0.0)
        self.assertEqual(open_again.amount_open, 800.0)

    @classmethod
    def code_of(cls, site, code):
        return (
            cls.env["account.account"]
            .with_company(site)
            .search([("company_ids", "in", site.ids), ("code", "=", code.ljust(6, "0"))])
        )


@tagged("post_install", "-at_install")
class TestStaffPayrollOtherCharts(BooksCase):
    """Salary advances and salaries of a Polish and a Ukrainian site, on their charts'
    accounts, and the bank fee account their setup gives them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_pl = cls.new_site("WM Płacowa 3 (test)", "base.pl", "pl", "base.PLN", [])[0]
        cls.site_ua = cls.new_site("ОСББ Зарплатний (тест)", "base.ua", "ua_psbo", "base.UAH", [])[
            0
        ]
        cls.staff = cls.env["res.partner"].create({"name": "Jan Dozorca"})

    def account(self, site, code):
        return (
            self.env["account.account"]
            .with_company(site)
            .search([("company_ids", "in", site.ids), ("code", "=", code)], limit=1)
        )

    def check_site(self, site, advance_code, owed_code):
        advance = self.env["site.staff.advance"].create(
            {
                "company_id": site.id,
                "kind": "salary",
                "partner_id": self.staff.id,
                "purpose": "Zaliczka / аванс",
                "date": date(2026, 1, 10),
                "journal_id": self.bank_journal(site).id,
                "amount": 1000.0,
            }
        )
        advance.action_pay()
        advance_account = self.account(site, advance_code)
        owed_account = self.account(site, owed_code)
        self.assertEqual(self.balance(advance_account, self.staff), 1000.0)
        expense = self.env["account.account"].search(
            [("company_ids", "in", site.ids), ("account_type", "=", "expense")], limit=1
        )
        payroll = self.env["site.staff.payroll"].create(
            {
                "company_id": site.id,
                "name": "2026-01",
                "date": date(2026, 1, 31),
                "line_ids": [
                    (
                        0,
                        0,
                        {"partner_id": self.staff.id, "account_id": expense.id, "amount": 5000.0},
                    )
                ],
            }
        )
        payroll.action_post()
        self.assertEqual(self.balance(advance_account, self.staff), 0.0)
        self.assertEqual(self.balance(owed_account, self.staff), -4000.0)
        self.assertEqual(advance.state, "deducted")

    def test_polish_site(self):
        self.check_site(self.site_pl, "23.000.900", "23.000.100")
        fee = self.site_pl.site_bank_fee_account_id
        self.assertEqual(fee.with_company(self.site_pl).code, "40.030.500")
        work = self.env["site.staff.advance"].create(
            {
                "company_id": self.site_pl.id,
                "partner_id": self.staff.id,
                "purpose": "Materiały",
                "journal_id": self.bank_journal(self.site_pl).id,
                "amount": 100.0,
            }
        )
        with self.assertRaisesRegex(UserError, "work advances are kept on the Turkish"):
            work.action_pay()
        self.assertFalse(work.move_ids, "refused before any money moves")

    def test_ukrainian_site(self):
        self.check_site(self.site_ua, "377300", "661000")
        fee = self.site_ua.site_bank_fee_account_id
        self.assertEqual(fee.with_company(self.site_ua).code, "920000")
