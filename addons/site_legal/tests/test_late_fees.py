from datetime import date

from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestLateFees(LegalCase):
    """Turkish fees: 5 % a month, 1000 a day is 1.6667. A debt due 31 January handed over
    on 28 February: February's 28 days stay with the original charge (46.67); from
    1 March the case's debt bears them, or not."""

    def fees_up_to(self, day):
        return self.env["site.late.fee.run"]._run(self.site, day)

    def fees_on(self, lines):
        posted = self.env["site.late.fee.line"]._posted_on_lines(lines)
        return float(sum(posted.values()))

    def hand_over(self, **values):
        debt = self.charge(self.u1, 1000, date(2026, 1, 31))
        other = self.charge(self.u2, 1000, date(2026, 1, 31))
        case = self.open_case(debt, date(2026, 2, 28), **values)
        self.fees_up_to(date(2026, 3, 30))
        return debt, other, case

    def test_continued_as_the_site_says(self):
        self.site.site_late_fee_freeze_legal = False
        debt, other, case = self.hand_over()
        self.assertFalse(case.late_fees_frozen)
        self.assertEqual(self.fees_on(debt), 46.67)
        self.assertEqual(self.fees_on(self.debts(case)), 50.0, "1 to 30 March")
        self.assertEqual(self.fees_on(other), 96.67, "the same 58 days without a case")

    def test_frozen_as_the_site_says(self):
        self.site.site_late_fee_freeze_legal = True
        debt, other, case = self.hand_over()
        self.assertTrue(case.late_fees_frozen)
        self.assertEqual(self.fees_on(debt), 46.67)
        self.assertEqual(self.fees_on(self.debts(case)), 0.0)
        self.assertEqual(self.fees_on(other), 96.67, "other debts still bear fees")

    def test_the_case_overrides_the_site(self):
        self.site.site_late_fee_freeze_legal = True
        _debt, _other, continued = self.hand_over(late_fee_policy="continued")
        self.assertFalse(continued.late_fees_frozen)
        self.assertEqual(self.fees_on(self.debts(continued)), 50.0)
        self.site.site_late_fee_freeze_legal = False
        later = self.charge(self.u3, 1000, date(2026, 1, 31))
        frozen = self.open_case(later, date(2026, 2, 28), late_fee_policy="frozen")
        self.fees_up_to(date(2026, 4, 15))
        self.assertTrue(frozen.late_fees_frozen)
        self.assertEqual(self.fees_on(self.debts(frozen)), 0.0)

    def test_collections_moved_to_a_case_bear_no_fee(self):
        self.site.site_late_fee_freeze_legal = False
        case = self.open_case(self.charge(self.u1, 1000, date(2026, 1, 31)), date(2026, 2, 28))
        self.pay(self.u1, 1000, date(2026, 3, 10))
        run = self.fees_up_to(date(2026, 3, 30))
        # the case's debt: 1 to 10 March, nothing on the lines that moved the payment
        self.assertEqual(self.fees_on(self.debts(case)), 16.67)
        transfer_lines = (
            self.env["account.move"].search([("site_legal_kind", "=", "transfer")]).line_ids
        )
        charged = {int(debt_id) for fee in run.line_ids for debt_id in fee.debt_amounts}
        self.assertFalse(charged & set(transfer_lines.ids))
