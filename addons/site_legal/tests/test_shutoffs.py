from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestShutoff(LegalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.site_legal_reopening_fee = 750
        cls.reopen_type = cls.site.site_legal_reopening_charge_type_id
        cls.manager_a = cls.site_user(
            "legal_shutoff_manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = cls.site_user(
            "legal_shutoff_manager_b", "site_residents.group_site_manager", cls.site_b
        )

    def shutoff(self, unit=None, **values):
        return self.as_user(self.manager_a)["site.legal.shutoff"].create(
            {
                "company_id": self.site.id,
                "unit_id": (unit or self.u1).id,
                "notice_date": date(2026, 5, 1),
                **values,
            }
        )

    def fee_lines(self, unit):
        return self.env["account.move.line"].search(
            [
                ("site_unit_id", "=", unit.id),
                ("site_charge_type_id", "=", self.reopen_type.id),
                ("parent_state", "=", "posted"),
            ]
        )

    def test_states_need_their_facts(self):
        shutoff = self.shutoff()
        self.assertEqual(shutoff.partner_id, self.ali, "the owner by default")
        self.assertEqual(shutoff.state, "notice")
        with self.assertRaisesRegex(UserError, "Shut-off Date and Ordered By"):
            shutoff.action_order()
        with self.assertRaises(UserError):
            shutoff.action_reopen()  # not shut off yet
        shutoff.write({"order_date": date(2026, 5, 10), "ordered_by_id": self.manager_a.id})
        shutoff.action_order()
        with self.assertRaisesRegex(UserError, "Seal Number"):
            shutoff.action_shut_off()
        shutoff.seal_number = "MH-1"
        shutoff.action_shut_off()
        self.assertEqual(shutoff.state, "shut_off")
        self.assertFalse(self.fee_lines(self.u1))

    def test_reopening_charges_the_fee_once(self):
        self.assertTrue(self.reopen_type, "the site's setup gives the charge type")
        shutoff = self.shutoff(
            order_date=date(2026, 5, 10), ordered_by_id=self.manager_a.id, seal_number="MH-2"
        )
        shutoff.action_order()
        shutoff.action_shut_off()
        shutoff.reopen_date = date(2026, 5, 20)
        shutoff.action_reopen()
        self.assertEqual(shutoff.state, "reopened")
        line = self.fee_lines(self.u1)
        self.assertEqual(len(line), 1)
        self.assertAlmostEqual(line.balance, 750.0)
        self.assertEqual(line.partner_id, self.ali)
        self.assertEqual(line.date_maturity, date(2026, 5, 20))
        self.assertEqual(shutoff.fee_move_id, line.move_id)
        # reopened again (a double click, a retry): nothing more is charged
        shutoff.action_reopen()
        shutoff.invalidate_recordset()
        shutoff.action_reopen()
        self.assertEqual(self.fee_lines(self.u1), line)
        with self.assertRaises(UserError):
            shutoff.action_cancel()

    def test_missing_charge_type_is_named(self):
        self.site.site_legal_reopening_charge_type_id = False
        shutoff = self.shutoff(
            order_date=date(2026, 5, 10), ordered_by_id=self.manager_a.id, seal_number="MH-3"
        )
        shutoff.action_order()
        shutoff.action_shut_off()
        with self.assertRaisesRegex(UserError, "Reopening Fee Charge Type"):
            shutoff.action_reopen()
        self.assertFalse(shutoff.fee_move_id)

    def test_two_sites_users(self):
        shutoff = self.shutoff()
        env_b = self.as_user(self.manager_b)
        self.assertFalse(env_b["site.legal.shutoff"].search([]))
        with self.assertRaises(AccessError):
            env_b["site.legal.shutoff"].browse(shutoff.id).read(["seal_number"])
        with self.assertRaises(AccessError):
            env_b["site.legal.shutoff"].browse(shutoff.id).write({"seal_number": "X"})
        with self.assertRaises(AccessError):
            env_b["site.legal.shutoff"].create({"company_id": self.site.id, "unit_id": self.u2.id})
        own = env_b["site.legal.shutoff"].create(
            {"company_id": self.site_b.id, "unit_id": self.unit_b.id}
        )
        self.assertEqual(own.partner_id, self.owner_b)
        self.assertEqual(self.as_user(self.manager_a)["site.legal.shutoff"].search([]), shutoff)
