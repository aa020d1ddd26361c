from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestWriteOff(LegalCase):
    def test_write_off_posts_the_open_debts(self):
        lines = self.charge(self.u1, 1000, date(2026, 1, 10)) | self.charge(
            self.u1, 150, date(2026, 2, 10), self.heat
        )
        case = self.open_case(lines)
        self.pay(self.u1, 400, date(2026, 3, 5))
        wizard = self.env["site.legal.writeoff.wizard"].create(
            {"case_id": case.id, "date": date(2026, 9, 30), "note": "Debtor insolvent"}
        )
        account = self.site.site_legal_writeoff_account_id
        self.assertEqual(wizard.account_id, account)
        self.assertEqual(account.with_company(self.site).code[:3], "654", "provision expenses")
        wizard.action_confirm()
        move = case.move_ids.filtered(lambda m: m.site_legal_kind == "writeoff")
        self.assertEqual((move.state, move.date), ("posted", date(2026, 9, 30)))
        expense = move.line_ids.filtered(lambda line: line.account_id == account)
        self.assertEqual(sum(expense.mapped("balance")), 750.0)
        self.assertEqual(
            sorted((line.site_charge_type_id.code, line.balance) for line in expense),
            [("DUES", 600.0), ("HEAT", 150.0)],
        )
        self.assertEqual(
            expense.mapped("analytic_distribution"),
            [{str(case.analytic_account_id.id): 100.0}] * 2,
        )
        self.assertFalse(self.debts(case).filtered(lambda line: not line.reconciled))
        self.assertEqual(
            (case.balance, case.written_off_amount, case.collected_amount, case.recovery_rate),
            (0.0, 750.0, 400.0, 34.78),
        )
        self.assertEqual(case.stage, "written_off")
        self.assertEqual(case.stage_log_ids.sorted("id")[-1].note, "Debtor insolvent")
        with self.assertRaisesRegex(UserError, "is closed"):
            case._write_off(date(2026, 10, 1), account)
        self.u1.invalidate_recordset(["balance"])
        self.assertEqual(self.u1.balance, 0.0)
