from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SiteCase, site_user


@tagged("post_install", "-at_install")
class TestAccess(SiteCase):
    """A user of site A reads nothing of site B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relate(cls.ali)
        cls.building_b = cls.env["site.building"].create(
            {"name": "Budynek 1", "code": "B1", "company_id": cls.other_site.id}
        )
        cls.unit_b = cls.env["site.unit"].create(
            {"code": "M1", "company_id": cls.other_site.id, "building_id": cls.building_b.id}
        )
        cls.relate(cls.ayse, unit=cls.unit_b)
        cls.env["site.unit.persons"].create(
            {"unit_id": cls.unit_b.id, "date": date(2024, 1, 1), "persons": 2}
        )
        cls.manager_a = new_test_user(
            cls.env,
            "manager_a",
            groups="site_residents.group_site_manager",
            company_id=cls.site.id,
            company_ids=[cls.site.id],
        )
        cls.board_a = new_test_user(
            cls.env,
            "board_a",
            groups="site_residents.group_site_board",
            company_id=cls.site.id,
            company_ids=[cls.site.id],
        )

    def test_site_a_user_sees_only_site_a(self):
        for user in (self.manager_a, self.board_a):
            env = self.env(user=user)
            with self.subTest(user=user.login):
                self.assertEqual(env["site.unit"].search([]), self.unit.with_env(env))
                self.assertEqual(env["site.building"].search([]).company_id.ids, [self.site.id])
                relations = env["site.unit.relation"].search([])
                self.assertEqual(relations.unit_id.ids, [self.unit.id])
                self.assertFalse(
                    env["site.unit.persons"].search([("unit_id", "=", self.unit_b.id)])
                )

    def test_reading_site_b_records_directly_fails(self):
        env = self.env(user=self.manager_a)
        with self.assertRaises(AccessError):
            env["site.unit"].browse(self.unit_b.id).code  # noqa: B018
        with self.assertRaises(AccessError):
            env["site.unit.relation"].browse(self.unit_b.relation_ids.ids).partner_id  # noqa: B018

    def test_board_member_reads_but_cannot_write(self):
        env = self.env(user=self.board_a)
        self.assertEqual(env["site.unit"].browse(self.unit.id).code, "A-1")
        with self.assertRaises(AccessError):
            env["site.unit"].browse(self.unit.id).write({"area_net": 1.0})
        with self.assertRaises(AccessError):
            env["site.unit.relation"].create(
                {
                    "unit_id": self.unit.id,
                    "partner_id": self.mehmet.id,
                    "role": "tenant",
                    "date_from": date(2025, 1, 1),
                }
            )

    def test_manager_cannot_create_units_in_site_b(self):
        env = self.env(user=self.manager_a)
        with self.assertRaises(AccessError):
            env["site.unit"].create({"code": "X-1", "company_id": self.other_site.id})

    def test_user_without_site_role_sees_no_units(self):
        clerk = new_test_user(
            self.env,
            "clerk",
            groups="base.group_user",
            company_id=self.site.id,
            company_ids=[self.site.id],
        )
        with self.assertRaises(AccessError):
            self.env(user=clerk)["site.unit"].search([])
        partner = self.env(user=clerk)["res.partner"].browse(self.ali.id)
        self.assertEqual(partner.site_unit_count, 0, "contacts still open for other apps")


@tagged("post_install", "-at_install")
class TestLoginNetworkAccess(SiteCase):
    """A site's sign-in networks are its administrators' to change, and no other site's."""

    def test_each_site_sees_and_changes_only_its_own_networks(self):
        network_b = self.env["site.login.network"].create(
            {"company_id": self.other_site.id, "network": "10.20.0.0/16"}
        )
        admin_a = site_user(self.env, "net_admin_a", "site_residents.group_site_admin", self.site)
        manager_a = site_user(
            self.env, "net_manager_a", "site_residents.group_site_manager", self.site
        )
        networks_a = self.env(user=admin_a, context={})["site.login.network"]
        self.assertFalse(networks_a.search([]))
        with self.assertRaises(AccessError):
            networks_a.browse(network_b.id).network  # noqa: B018
        with self.assertRaises(AccessError):
            networks_a.browse(network_b.id).write({"network": "0.0.0.0/0"})
        own = self.env["site.login.network"].create(
            {"company_id": self.site.id, "network": "10.30.0.0/16"}
        )
        self.assertEqual(networks_a.search([]), own.with_env(networks_a.env))
        manager_networks = self.env(user=manager_a, context={})["site.login.network"]
        self.assertEqual(manager_networks.search([]), own.with_env(manager_networks.env))
        with self.assertRaises(AccessError):
            manager_networks.browse(own.id).write({"network": "0.0.0.0/0"})
