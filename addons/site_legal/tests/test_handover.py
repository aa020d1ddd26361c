from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestHandover(LegalCase):
    def test_reclassification_keeps_each_debts_details(self):
        january = self.charge(self.u1, 1000, date(2026, 1, 10))
        february = self.charge(self.u1, 1000, date(2026, 2, 10))
        heat = self.charge(self.u1, 150, date(2026, 2, 10), self.heat)
        march = self.charge(self.u1, 1000, date(2026, 3, 10))
        self.pay(self.u1, 400, date(2026, 1, 20))  # January is 600 open
        self.assertEqual(january.amount_residual, 600)
        case = self.open_case(january | february | heat, date(2026, 3, 1))

        [move] = case.move_ids
        self.assertEqual((move.state, move.site_legal_kind), ("posted", "handover"))
        self.assertEqual(move.journal_id, self.site.site_legal_journal_id)
        self.assertAlmostEqual(sum(move.line_ids.mapped("balance")), 0.0)
        self.assertTrue(all(line.reconciled for line in january | february | heat))
        self.assertEqual(march.amount_residual, 1000, "a debt not handed over stays")

        debts = self.debts(case).sorted("id")
        self.assertEqual(debts, move.line_ids.filtered("site_legal_case_id").sorted("id"))
        self.assertEqual(debts.account_id, self.legal_account)
        self.assertEqual(
            (self.legal_account.account_type, self.legal_account.reconcile),
            ("asset_receivable", True),
        )
        self.assertEqual(
            self.legal_account.with_company(self.site).code[:3],
            "128",
            "the Turkish doubtful receivables",
        )
        for original, debt in zip(january | february | heat, debts):
            self.assertEqual(
                (debt.partner_id, debt.site_unit_id, debt.site_charge_type_id, debt.site_period),
                (
                    original.partner_id,
                    original.site_unit_id,
                    original.site_charge_type_id,
                    original.site_period,
                ),
            )
            self.assertEqual(debt.site_legal_origin_due, original.date_maturity)
            self.assertEqual(debt.date_maturity, date(2026, 3, 1))
        self.assertEqual(debts.mapped("balance"), [600.0, 1000.0, 150.0])
        # each original closed by a line of its own account, partner, unit and charge type
        offsets = move.line_ids - debts
        for original in january | february | heat:
            offset = original.matched_credit_ids.credit_move_id & offsets
            self.assertEqual(
                (
                    offset.account_id,
                    offset.partner_id,
                    offset.site_unit_id,
                    offset.site_charge_type_id,
                ),
                (
                    original.account_id,
                    original.partner_id,
                    original.site_unit_id,
                    original.site_charge_type_id,
                ),
            )
        self.assertEqual(case.state, "posted")
        self.assertEqual(case.partner_ids, self.ali)
        self.assertEqual(
            (case.handed_over_amount, case.balance, case.collected_amount, case.recovery_rate),
            (1750.0, 1750.0, 0.0, 0.0),
        )

    def test_debtor_list_statement_and_balance_unchanged_in_total(self):
        lines = self.charge(self.u1, 1000, date(2026, 1, 10)) | self.charge(
            self.u1, 500, date(2026, 2, 10), self.heat
        )
        self.charge(self.u2, 700, date(2026, 1, 10))
        Debtors = self.env["site.debtor.report"]
        as_of = date(2026, 3, 31)

        def figures():
            rows = Debtors._debtor_rows(self.site, as_of)
            self.u1.invalidate_recordset(["balance"])
            statement = self.env["site.statement.wizard"].create(
                {
                    "company_id": self.site.id,
                    "unit_id": self.u1.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": as_of,
                    "group_by_charge_type": True,
                }
            )
            data = statement._statement_data()
            return (
                round(sum(row["total"] for row in rows), 2),
                round(sum(row["total"] for row in rows if row["unit"] == self.u1), 2),
                self.u1.balance,
                data["closing"],
                {section["title"]: section["closing"] for section in data["sections"]},
            )

        before = figures()
        self.open_case(lines, date(2026, 3, 1))
        after = figures()
        self.assertEqual(after[:4], before[:4])
        self.assertEqual(before[:3], (2200.0, 1500.0, 1500.0))
        # The debts handed over leave their charge types' sections for their own one.
        self.assertEqual(before[4], {"Dues": 1000.0, "Heating": 500.0})
        self.assertEqual(after[4], {"Dues": 0.0, "Heating": 0.0, "In Legal Follow-up": 1500.0})

    def test_only_open_debts_of_the_unit_not_in_a_case(self):
        mine = self.charge(self.u1, 1000, date(2026, 1, 10))
        other_unit = self.charge(self.u2, 1000, date(2026, 1, 10))
        case = self.env["site.legal.case"].create(
            {"company_id": self.site.id, "unit_id": self.u1.id, "date_open": date(2026, 3, 1)}
        )
        with self.assertRaisesRegex(UserError, "only open debts of unit A-1"):
            case._hand_over(mine | other_unit, date(2026, 3, 1))
        self.assertEqual(case.state, "draft")
        case._hand_over(mine, date(2026, 3, 1))
        with self.assertRaisesRegex(UserError, "not yet in a legal case"):
            case._hand_over(self.debts(case), date(2026, 3, 2))
        with self.assertRaisesRegex(UserError, "Debts: choose"):
            case._hand_over(self.env["account.move.line"], date(2026, 3, 2))

    def test_wizard_opens_a_case_with_the_overdue_debts(self):
        january = self.charge(self.u1, 1000, date(2026, 1, 10))
        self.charge(self.u1, 1000, date(2026, 4, 10))  # not due on the day
        wizard = Form(
            self.env["site.legal.handover.wizard"].with_context(
                default_unit_id=self.u1.id, default_company_id=self.site.id
            )
        )
        wizard.date = date(2026, 3, 1)
        wizard.lawyer_user_id = self.lawyer_user_a
        wizard.file_number = "2026/101 E."
        self.assertEqual(wizard.lawyer_partner_id, self.lawyer_a)
        record = wizard.save()
        self.assertEqual(record.line_ids, january)
        action = record.action_hand_over()
        case = self.env["site.legal.case"].browse(action["res_id"])
        self.assertEqual(
            (case.file_number, case.lawyer_partner_id, case.handed_over_amount),
            ("2026/101 E.", self.lawyer_a, 1000.0),
        )
        self.assertEqual(self.u1.legal_case_count, 1)

    def test_more_debts_added_later(self):
        case = self.open_case(self.charge(self.u1, 1000, date(2026, 1, 10)))
        later = self.charge(self.u1, 300, date(2026, 3, 10))
        case._hand_over(later, date(2026, 4, 1))
        self.assertEqual(len(case.move_ids), 2)
        self.assertEqual((case.handed_over_amount, case.balance), (1300.0, 1300.0))

    def test_cancel_reverses_the_hand_over(self):
        january = self.charge(self.u1, 1000, date(2026, 1, 10))
        case = self.open_case(january)
        case.action_cancel()
        self.assertEqual(case.state, "cancelled")
        self.assertEqual(case.reversal_move_ids.reversed_entry_id, case.move_ids)
        self.assertEqual(january.amount_residual, 1000, "the debt is back on its account")
        self.assertFalse(january.reconciled)
        self.assertEqual((case.handed_over_amount, case.balance), (0.0, 0.0))
        # collected money forbids cancelling
        case = self.open_case(january)
        self.pay(self.u1, 100, date(2026, 3, 5))
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            case.action_cancel()

    def test_stage_history(self):
        case = self.open_case(self.charge(self.u1, 1000, date(2026, 1, 10)))
        self.assertEqual(
            [(log.stage, log.date) for log in case.stage_log_ids], [("notice", date(2026, 3, 1))]
        )
        wizard = self.env["site.legal.stage.wizard"].create(
            {
                "case_id": case.id,
                "stage": "payment_order",
                "date": date(2026, 3, 15),
                "note": "Served on the debtor",
            }
        )
        wizard.action_confirm()
        case.write({"stage": "objection"})
        logs = case.stage_log_ids.sorted("id")
        self.assertEqual(
            [(log.stage, log.note or "", log.user_id) for log in logs],
            [
                ("notice", "", self.env.user),
                ("payment_order", "Served on the debtor", self.env.user),
                ("objection", "", self.env.user),
            ],
        )
        self.assertEqual(logs[1].date, date(2026, 3, 15))
        self.assertEqual(case.stage, "objection")
        with self.assertRaisesRegex(UserError, "still has 1,000.00|still has 1000.0"):
            case.action_close()
