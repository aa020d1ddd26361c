from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import SiteCase


@tagged("post_install", "-at_install")
class TestSiteCounts(SiteCase):
    """The Sites list counts the buildings, units and people of every site the user
    belongs to, whichever of them are selected in the company switcher."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relate(cls.ali)
        cls.building_b = cls.env["site.building"].create(
            [
                {"name": f"Blok {code}", "code": code, "company_id": cls.other_site.id}
                for code in ("B1", "B2")
            ]
        )
        cls.env["site.unit"].create(
            [{"code": f"B-{number}", "company_id": cls.other_site.id} for number in range(1, 4)]
        )
        cls.outside_site = cls.env["res.company"].create({"name": "Test Site C", "is_site": True})
        cls.env["site.building"].create(
            {"name": "Blok C", "code": "C", "company_id": cls.outside_site.id}
        )
        cls.admin_ab = new_test_user(
            cls.env,
            login="site_counts_admin",
            groups="site_residents.group_site_admin",
            company_id=cls.site.id,
            company_ids=[Command.set([cls.site.id, cls.other_site.id])],
        )

    def counts(self, company_ids):
        env = self.env(user=self.admin_ab, context={"allowed_company_ids": company_ids})
        sites = env["res.company"].search([("is_site", "=", True)])
        return {
            site.name: (site.site_building_count, site.site_unit_count, site.site_person_count)
            for site in sites
            if site in self.site | self.other_site | self.outside_site
        }

    def test_counts_of_sites_not_selected(self):
        expected = {"Test Site A": (1, 1, 1), "Test Site B": (2, 3, 0)}
        for company_ids in (
            [self.site.id],
            [self.other_site.id],
            (self.site | self.other_site).ids,
        ):
            with self.subTest(selected=company_ids):
                counts = self.counts(company_ids)
                self.assertEqual({name: counts[name] for name in expected}, expected)
                # a site the user does not belong to shows nothing of it
                self.assertEqual(counts.get("Test Site C", (0, 0, 0)), (0, 0, 0))
