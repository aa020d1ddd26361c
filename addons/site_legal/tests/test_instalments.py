from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestInstalments(LegalCase):
    def settle(self, case, count=3, first_due=date(2026, 4, 30), day=date(2026, 3, 20)):
        wizard = self.env["site.legal.settlement.wizard"].create(
            {"case_id": case.id, "count": count, "first_due": first_due, "date": day}
        )
        before = case.instalment_ids
        wizard.action_confirm()
        return (case.instalment_ids - before).sorted("number")

    def open_2150(self):
        lines = (
            self.charge(self.u1, 1000, date(2026, 1, 10))
            | self.charge(self.u1, 1000, date(2026, 2, 10))
            | self.charge(self.u1, 150, date(2026, 2, 10), self.heat)
        )
        return self.open_case(lines)

    def test_schedule_split_into_dated_debts(self):
        case = self.open_2150()
        old_debts = self.debts(case)
        preview = self.env["site.legal.settlement.wizard"].create(
            {"case_id": case.id, "count": 3, "first_due": date(2026, 4, 30)}
        )
        self.assertIn("716.67", preview.preview)
        self.assertIn("716.66", preview.preview)
        instalments = self.settle(case)
        self.assertEqual(instalments.mapped("amount"), [716.67, 716.67, 716.66])
        self.assertEqual(
            instalments.mapped("due_date"),
            [date(2026, 4, 30), date(2026, 5, 30), date(2026, 6, 30)],
        )
        self.assertTrue(all(line.reconciled for line in old_debts), "re-dated, not paid")
        self.assertEqual(case.stage, "settlement")
        self.assertEqual(
            (case.handed_over_amount, case.balance, case.collected_amount), (2150.0, 2150.0, 0.0)
        )
        for instalment in instalments:
            self.assertEqual(sum(instalment.line_ids.mapped("balance")), instalment.amount)
            self.assertEqual(
                set(instalment.line_ids.mapped("date_maturity")), {instalment.due_date}
            )
            self.assertEqual(instalment.line_ids.account_id, self.legal_account)
            self.assertEqual(instalment.amount_open, instalment.amount)
        # the second instalment finishes January's dues and starts February's; the third
        # ends with the heating, each part with its charge type and original due date
        second = instalments[1].line_ids.sorted("id")
        self.assertEqual(
            [
                (line.site_charge_type_id.code, line.balance, line.site_legal_origin_due)
                for line in second
            ],
            [("DUES", 283.33, date(2026, 1, 10)), ("DUES", 433.34, date(2026, 2, 10))],
        )
        self.assertEqual(
            instalments[2].line_ids.mapped("site_charge_type_id.code"), ["DUES", "HEAT"]
        )

    def test_a_missed_instalment_is_flagged_once(self):
        case = self.open_2150()
        first, second, _third = self.settle(case)
        self.pay(self.u1, 716.67, date(2026, 4, 28))
        self.assertEqual((first.amount_open, first.state), (0.0, "paid"))
        Case = self.env["site.legal.case"]
        with freeze_time("2026-05-30"):
            second.invalidate_recordset(["is_missed", "state"])
            self.assertFalse(second.is_missed, "due today")
            self.assertFalse(Case.search([("has_missed_instalment", "=", True)]))
        with freeze_time("2026-05-31"):
            second.invalidate_recordset(["is_missed", "state"])
            case.invalidate_recordset(["has_missed_instalment"])
            self.assertTrue(second.is_missed)
            self.assertEqual(second.state, "missed")
            self.assertFalse(first.is_missed)
            self.assertTrue(case.has_missed_instalment)
            self.assertEqual(Case.search([("has_missed_instalment", "=", True)]), case)
            self.assertNotIn(case, Case.search([("has_missed_instalment", "=", False)]))
            flagged = self.env["site.legal.instalment"]._cron_flag_missed()
            self.assertEqual(flagged, second)
            self.assertEqual(len(case.activity_ids), 1)
            self.assertIn("instalment 2", case.activity_ids.summary.lower())
            self.assertFalse(self.env["site.legal.instalment"]._cron_flag_missed(), "once")

    def test_a_new_schedule_replaces_the_open_instalments(self):
        case = self.open_2150()
        first, *_rest = self.settle(case)
        self.pay(self.u1, 716.67, date(2026, 4, 28))
        new = self.settle(case, count=2, first_due=date(2026, 6, 15), day=date(2026, 5, 2))
        self.assertEqual(new.mapped("amount"), [716.67, 716.66])
        old = case.instalment_ids - new
        self.assertEqual(old.filtered("replaced"), old - first)
        self.assertEqual(first.state, "paid")
        self.assertEqual(case.instalment_count, 3, "the paid one and the new schedule")
        self.assertEqual(case.balance, 1433.33)

    def test_bad_schedules_are_refused(self):
        case = self.open_2150()
        with self.assertRaisesRegex(UserError, "at least one instalment"):
            case._settle_in_instalments(0, date(2026, 4, 30), date(2026, 3, 20))
        self.assertFalse(case.instalment_ids, "all or nothing")
