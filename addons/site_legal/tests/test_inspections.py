from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestInspection(LegalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.write({"site_legal_penalty_leak": 1500, "site_legal_penalty_illegal": 5000})
        cls.penalty_type = cls.site.site_legal_penalty_charge_type_id
        cls.engineer_a = cls.site_user(
            "legal_inspector_a", "site_residents.group_site_engineer", cls.site
        )
        cls.engineer_b = cls.site_user(
            "legal_inspector_b", "site_residents.group_site_engineer", cls.site_b
        )

    def inspection(self, result, unit=None):
        return self.as_user(self.engineer_a)["site.legal.inspection"].create(
            {
                "company_id": self.site.id,
                "unit_id": (unit or self.u2).id,
                "date": date(2026, 4, 15),
                "result": result,
                "findings": "<p>Bypass before the meter.</p>",
            }
        )

    def penalty_lines(self, unit):
        return self.env["account.move.line"].search(
            [
                ("site_unit_id", "=", unit.id),
                ("site_charge_type_id", "=", self.penalty_type.id),
                ("parent_state", "=", "posted"),
            ]
        )

    def test_penalty_by_tariff_posted_once_with_follow_up(self):
        inspection = self.inspection("illegal")
        self.assertEqual(inspection.penalty_amount, 5000)
        self.assertEqual(inspection.partner_id, self.berk)
        self.assertEqual(inspection.follow_up_date, date(2026, 4, 29))
        photo = self.as_user(self.engineer_a)["ir.attachment"].create(
            {
                "name": "bypass.jpg",
                "raw": b"jpeg",
                "res_model": inspection._name,
                "res_id": inspection.id,
            }
        )
        inspection.photo_ids = photo
        inspection.action_confirm()
        line = self.penalty_lines(self.u2)
        self.assertEqual(len(line), 1)
        self.assertAlmostEqual(line.balance, 5000.0)
        self.assertEqual(line.partner_id, self.berk)
        self.assertEqual(inspection.fee_move_id, line.move_id)
        self.assertEqual(inspection.state, "done")
        activity = inspection.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.engineer_a)
        self.assertEqual(activity.date_deadline, date(2026, 4, 29))
        inspection.action_confirm()
        self.assertEqual(self.penalty_lines(self.u2), line, "confirmed twice, charged once")
        self.assertEqual(len(inspection.activity_ids), 1)
        with self.assertRaises(UserError):
            inspection.action_cancel()

    def test_leak_and_no_finding(self):
        leak = self.inspection("leak", self.u3)
        self.assertEqual(leak.penalty_amount, 1500)
        clean = self.inspection("none", self.u1)
        self.assertFalse(clean.penalty_amount)
        (leak | clean).action_confirm()
        self.assertAlmostEqual(self.penalty_lines(self.u3).balance, 1500.0)
        self.assertFalse(self.penalty_lines(self.u1))
        self.assertFalse(clean.activity_ids)
        self.assertFalse(clean.fee_move_id)

    def test_two_sites_users(self):
        inspection = self.inspection("leak")
        env_b = self.as_user(self.engineer_b)
        self.assertFalse(env_b["site.legal.inspection"].search([]))
        with self.assertRaises(AccessError):
            env_b["site.legal.inspection"].browse(inspection.id).read(["findings"])
        with self.assertRaises(AccessError):
            env_b["site.legal.inspection"].create(
                {"company_id": self.site.id, "unit_id": self.u1.id}
            )
        self.assertEqual(
            self.as_user(self.engineer_a)["site.legal.inspection"].search([]), inspection
        )
