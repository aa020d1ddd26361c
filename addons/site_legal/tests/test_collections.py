from datetime import date

from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestCollections(LegalCase):
    def test_a_payment_settles_the_case_debts_first(self):
        older = self.charge(self.u1, 1000, date(2026, 1, 10))  # not handed over, older
        handed = self.charge(self.u1, 800, date(2026, 2, 10)) | self.charge(
            self.u1, 150, date(2026, 2, 10), self.heat
        )
        case = self.open_case(handed, date(2026, 3, 1))
        receipt = self.pay(self.u1, 1200, date(2026, 3, 5))
        # the site's order is oldest first, yet the case's debts come before January
        self.assertEqual(self.debts(case).mapped("amount_residual"), [0.0, 0.0])
        self.assertEqual(older.amount_residual, 750.0)
        self.assertEqual(receipt.account_id, older.account_id, "never paid into the legal account")
        self.assertTrue(receipt.reconciled)
        self.assertEqual(
            (case.collected_amount, case.balance, case.recovery_rate), (950.0, 0.0, 100.0)
        )
        self.assertEqual(case.stage, "collected")
        self.assertEqual(case.stage_log_ids.sorted("id")[-1].stage, "collected")
        # the moved amounts keep the charge types they paid, dated on the payment's day
        transfers = self.env["account.move"].search(
            [("site_legal_kind", "=", "transfer"), ("company_id", "=", self.site.id)]
        )
        self.assertEqual(transfers.date, date(2026, 3, 5))
        self.assertEqual(transfers.site_legal_case_id, case)
        moved = transfers.line_ids.filtered(lambda line: line.account_id == self.legal_account)
        self.assertEqual(
            sorted((line.site_charge_type_id.code, line.balance) for line in moved),
            [("DUES", -800.0), ("HEAT", -150.0)],
        )
        # collections by charge type: the receipt counts once, for what it paid
        rows = self.env["site.debtor.report"]._collection_rows(
            self.site, date(2026, 3, 1), date(2026, 3, 31)
        )
        self.assertEqual(
            sorted((row["charge_type"].code or "", row["amount"]) for row in rows),
            [("DUES", 1050.0), ("HEAT", 150.0)],
        )
        case.action_close()
        self.assertEqual(case.stage, "closed")

    def test_a_partial_payment_in_the_sites_order_and_the_rest_later(self):
        fee_type = self.charge_type("LATEFEE")
        dues = self.charge(self.u1, 500, date(2026, 1, 10))
        fee = self.charge(self.u1, 20, date(2026, 1, 31), fee_type)
        self.site.site_payment_order = "fees_first"
        case = self.open_case(dues | fee)
        self.pay(self.u1, 100, date(2026, 3, 5))
        debts = self.debts(case).sorted("id")
        self.assertEqual(debts.mapped("amount_residual"), [420.0, 0.0], "the fee first")
        self.assertEqual((case.collected_amount, case.stage), (100.0, "notice"))

    def test_an_open_credit_moves_to_the_case_when_it_opens(self):
        credit = self.pay(self.u1, 300, date(2026, 1, 5))
        self.assertEqual(credit.amount_residual, -300.0)
        january = self.charge(self.u1, 1000, date(2026, 1, 10))
        self.assertEqual(january.amount_residual, 700.0)
        case = self.open_case(january)
        self.assertEqual((case.handed_over_amount, case.balance), (700.0, 700.0))
        self.pay(self.u1, 200, date(2026, 3, 5))
        self.assertEqual(case.balance, 500.0)

    def test_other_units_and_partners_are_not_touched(self):
        case = self.open_case(self.charge(self.u1, 1000, date(2026, 1, 10)))
        self.charge(self.u2, 500, date(2026, 1, 10))
        credit = self.pay(self.u2, 800, date(2026, 3, 5))
        self.assertEqual(case.balance, 1000.0)
        self.assertEqual(credit.amount_residual, -300.0)
