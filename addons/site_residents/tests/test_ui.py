from datetime import date

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_manager_walks_through_a_unit(self):
        site = self.env["res.company"].create({"name": "Tour Site", "is_site": True})
        building = self.env["site.building"].create(
            {"name": "Tour Block", "code": "TB", "company_id": site.id}
        )
        unit = self.env["site.unit"].create(
            {"code": "T-1", "company_id": site.id, "building_id": building.id, "area_net": 80}
        )
        owner, former = self.env["res.partner"].create(
            [{"name": "Tour Owner"}, {"name": "Tour Former Tenant"}]
        )
        self.env["site.unit.relation"].create(
            [
                {"unit_id": unit.id, "partner_id": owner.id, "date_from": date(2020, 1, 1)},
                {
                    "unit_id": unit.id,
                    "partner_id": former.id,
                    "role": "tenant",
                    "date_from": date(2021, 1, 1),
                    "date_to": date(2022, 12, 31),
                },
            ]
        )
        new_test_user(
            self.env,
            "tour_manager",
            groups="site_residents.group_site_manager",
            company_id=site.id,
            company_ids=[site.id],
        )
        self.start_tour(
            "/odoo/action-site_residents.action_site_unit",
            "site_residents_unit_tour",
            login="tour_manager",
        )
