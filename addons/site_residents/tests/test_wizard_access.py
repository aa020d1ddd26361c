from datetime import date

from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tests import tagged

from .common import SiteCase, site_user


@tagged("post_install", "-at_install")
class TestWizardAccess(SiteCase):
    """A wizard and its lines are read and changed by the user who opened it, in their sites."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relate(cls.ali)

        cls.manager_a = site_user(
            cls.env, "manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_a2 = site_user(
            cls.env, "manager_a2", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = site_user(
            cls.env, "manager_b", "site_residents.group_site_manager", cls.other_site
        )
        cls.admin_a = site_user(cls.env, "admin_a", "site_residents.group_site_admin", cls.site)
        cls.admin_b = site_user(
            cls.env, "admin_b", "site_residents.group_site_admin", cls.other_site
        )

    def assert_hidden_and_locked(self, records, users, values):
        for user in users:
            mine = records.with_user(user)
            with self.subTest(model=records._name, user=user.login):
                self.assertFalse(mine.search([("id", "in", records.ids)]))
                with self.assertRaises(AccessError):
                    mine.read(list(values))
                with self.assertRaises(AccessError):
                    mine.write(values)

    def test_change_wizard_and_lines_stay_with_their_creator(self):
        wizard = (
            self.env["site.unit.change.wizard"]
            .with_user(self.manager_a)
            .create(
                {
                    "unit_id": self.unit.id,
                    "change_type": "sale",
                    "date": date(2025, 1, 1),
                    "line_ids": [Command.create({"partner_id": self.ayse.id, "share": 100})],
                }
            )
        )
        self.assertEqual(wizard.line_ids.partner_id, self.ayse)
        others = (self.manager_b, self.manager_a2)
        self.assert_hidden_and_locked(wizard, others, {"persons": 4})
        self.assert_hidden_and_locked(wizard.line_ids, others, {"share": 50})

    def test_setup_wizard_stays_with_its_creator(self):
        wizard = (
            self.env["site.setup.wizard"]
            .with_user(self.admin_a)
            .create({"name": "Papatya Sitesi", "country_id": self.env.ref("base.tr").id})
        )
        self.assertEqual(wizard.name, "Papatya Sitesi")
        self.assert_hidden_and_locked(wizard, (self.admin_b,), {"name": "Hijacked"})

    def test_wizard_of_a_unit_of_another_site_is_refused(self):
        with self.assertRaises(AccessError):
            self.env["site.unit.change.wizard"].with_user(self.manager_b).create(
                {"unit_id": self.unit.id, "change_type": "move_out", "date": date(2025, 1, 1)}
            )
