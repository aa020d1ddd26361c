from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BooksCase


@tagged("post_install", "-at_install")
class TestProviderPayouts(BooksCase):
    """Residents of the Turkish site pay online through iyzico; iyzico later pays the
    site's bank their total less its fee, in one transaction."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["payment.provider"].search(
            [("company_id", "=", cls.site.id), ("code", "=", "iyzico")], limit=1
        )
        cls.provider.write({"journal_id": cls.bank.id, "site_payout_label": "IYZICO"})
        cls.method_line = cls.env["account.payment.method.line"].search(
            [("payment_provider_id", "=", cls.provider.id)], limit=1
        )
        cls.payments = cls.env["account.payment"]
        for unit, owner, day in zip(cls.units, cls.owners, (11, 12, 25), strict=True):
            cls.payments |= cls.online_payment(unit, owner, 1000.0, date(2026, 1, day))
        cls.fee_account = cls.site._site_bank_fee_account()

    @classmethod
    def online_payment(cls, unit, owner, amount, day):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": owner.id,
                "site_unit_id": unit.id,
                "amount": amount,
                "date": day,
                "journal_id": cls.bank.id,
                "payment_method_line_id": cls.method_line.id,
                "memo": f"iyzico {unit.code}",
            }
        )
        payment.action_post()
        return payment

    def payout_line(self, amount, label="IYZICO ODEME 4711", day=date(2026, 1, 28)):
        return self.env["account.bank.statement.line"].create(
            {"journal_id": self.bank.id, "date": day, "amount": amount, "payment_ref": label}
        )

    def outstanding(self, payments):
        return payments.move_id.line_ids.filtered(
            lambda line: line.account_id == line.payment_id.outstanding_account_id
        )

    def open_payout(self, st_line, user):
        action = st_line.with_env(self.as_user(user)).action_site_provider_payout()
        return (
            self.env["site.provider.payout"].with_env(self.as_user(user)).browse(action["res_id"])
        )

    def test_payout_of_two_payments_reconciles_them_and_books_the_fee(self):
        self.assertTrue(self.method_line.payment_account_id, "outstanding receipts account")
        # 653 Komisyon Giderleri, set with the site's setup.
        self.assertEqual(self.site.site_bank_fee_account_id, self.fee_account)
        self.assertEqual(self.fee_account.with_company(self.site).code, "653000")
        st_line = self.payout_line(1940.0)
        self.assertEqual(st_line.site_payout_provider_id, self.provider)
        payout = self.open_payout(st_line, self.accountant_a)
        # The oldest payments until the payout is reached: the third one waits.
        self.assertEqual(payout.payment_ids, self.payments[:2])
        self.assertEqual(
            (payout.gross_amount, payout.fee_amount, payout.net_amount), (2000.0, 60.0, 1940.0)
        )
        payout.action_confirm()
        self.assertEqual(payout.state, "done")
        self.assertTrue(st_line.is_reconciled)
        self.assertTrue(all(self.outstanding(self.payments[:2]).mapped("reconciled")))
        self.assertFalse(self.outstanding(self.payments[2]).reconciled)
        fee = st_line.move_id.line_ids.filtered(lambda line: line.account_id == self.fee_account)
        self.assertEqual((fee.debit, fee.credit), (60.0, 0.0))
        self.assertEqual(set(self.payments[:2].mapped("state")), {"paid"})
        # The bank received the net: 1940 on the bank account.
        liquidity = st_line.move_id.line_ids.filtered(
            lambda line: line.account_id == self.bank.default_account_id
        )
        self.assertEqual(liquidity.debit, 1940.0)

    def test_payout_matched_twice_refused(self):
        st_line = self.payout_line(1940.0)
        payout = self.open_payout(st_line, self.accountant_a)
        payout.action_confirm()
        # The same transaction opens the same payout, which refuses a second match.
        self.assertEqual(self.open_payout(st_line, self.accountant_a), payout)
        with self.assertRaisesRegex(UserError, "already reconciled"):
            payout.action_confirm()
        # Another transaction cannot pay out the same payments again.
        again = self.payout_line(970.0, label="IYZICO ODEME 4712")
        second = self.open_payout(again, self.accountant_a)
        self.assertEqual(second.payment_ids, self.payments[2])
        second.payment_ids = self.payments[0]
        with self.assertRaisesRegex(UserError, self.payments[0].name):
            second.action_confirm()
        self.assertFalse(again.is_reconciled)

    def test_payout_above_the_payments_refused_with_the_figures(self):
        st_line = self.payout_line(2500.0)
        payout = self.open_payout(st_line, self.accountant_a)
        payout.payment_ids = self.payments[:2]
        currency = self.site.currency_id
        with self.assertRaises(UserError) as error:
            payout.action_confirm()
        message = str(error.exception)
        self.assertIn(currency.format(2500.0), message)
        self.assertIn(currency.format(2000.0), message)
        self.assertIn("IYZICO ODEME 4711", message)
        # Nothing booked.
        self.assertEqual(payout.state, "draft")
        self.assertFalse(st_line.is_reconciled)
        self.assertFalse(any(self.outstanding(self.payments).mapped("reconciled")))

    def test_payouts_of_another_site_hidden(self):
        st_line = self.payout_line(1940.0)
        payout = self.open_payout(st_line, self.accountant_a)
        Payout = self.env["site.provider.payout"]
        self.assertFalse(Payout.with_env(self.as_user(self.accountant_b)).search([]))
        self.assertEqual(Payout.with_env(self.as_user(self.accountant_a)).search([]), payout)
        with self.assertRaises(AccessError):
            payout.with_env(self.as_user(self.accountant_b)).action_confirm()
        with self.assertRaises(AccessError):
            st_line.with_env(self.as_user(self.accountant_b)).action_site_provider_payout()
        self.assertEqual(payout.state, "draft")
