from datetime import date

from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import SiteCase


@tagged("post_install", "-at_install")
class TestHistory(SiteCase):
    def test_single_owner_gets_full_share(self):
        relation = self.relate(self.ali)
        self.assertEqual(relation.share, 100.0)
        self.assertFalse(relation.lives_here, "an owner does not live there unless said so")
        tenant = self.relate(self.ayse, "tenant")
        self.assertEqual(tenant.share, 0.0)
        self.assertTrue(tenant.lives_here)

    def test_owner_shares_must_sum_to_100(self):
        with self.assertRaisesRegex(ValidationError, r"A-1: the owners' shares add up to 60 %"):
            self.relate(self.ali, share=60)

    def test_co_owners_created_together(self):
        self.env["site.unit.relation"].create(
            [
                {
                    "unit_id": self.unit.id,
                    "partner_id": self.ali.id,
                    "share": 50,
                    "date_from": date(2024, 1, 1),
                },
                {
                    "unit_id": self.unit.id,
                    "partner_id": self.ayse.id,
                    "share": 50,
                    "date_from": date(2024, 1, 1),
                },
            ]
        )
        self.assertEqual(self.unit.owner_names, "Ali Yılmaz, Ayşe Demir")

    def test_share_gap_on_a_later_date_is_named(self):
        self.env["site.unit.relation"].create(
            [
                {
                    "unit_id": self.unit.id,
                    "partner_id": self.ali.id,
                    "share": 50,
                    "date_from": date(2024, 1, 1),
                    "date_to": date(2024, 12, 31),
                },
                {
                    "unit_id": self.unit.id,
                    "partner_id": self.ayse.id,
                    "share": 50,
                    "date_from": date(2024, 1, 1),
                    "date_to": date(2024, 12, 31),
                },
            ]
        )
        with self.assertRaisesRegex(ValidationError, r"50 % from 2025-03-01 to open end"):
            self.relate(self.mehmet, share=50, start="2025-03-01")

    def test_form_edit_of_several_shares_is_checked_once(self):
        owner = self.relate(self.ali)
        # The unit form sends both changes in one write: 100 -> 60 and a new 40 % owner.
        self.unit.write(
            {
                "relation_ids": [
                    Command.update(owner.id, {"share": 60}),
                    Command.create(
                        {"partner_id": self.ayse.id, "share": 40, "date_from": date(2024, 1, 1)}
                    ),
                ]
            }
        )
        self.assertEqual(sorted(self.unit.relation_ids.mapped("share")), [40.0, 60.0])
        with self.assertRaisesRegex(ValidationError, "add up to 90 %"):
            self.unit.write({"relation_ids": [Command.update(owner.id, {"share": 50})]})

    def test_removing_an_owner_leaves_a_gap(self):
        self.env["site.unit.relation"].create(
            [
                {
                    "unit_id": self.unit.id,
                    "partner_id": self.ali.id,
                    "share": 50,
                    "date_from": date(2024, 1, 1),
                },
                {
                    "unit_id": self.unit.id,
                    "partner_id": self.ayse.id,
                    "share": 50,
                    "date_from": date(2024, 1, 1),
                },
            ]
        )
        with self.assertRaisesRegex(ValidationError, "add up to 50 %"):
            self.unit.relation_ids.filtered(lambda r: r.partner_id == self.ayse).unlink()

    def test_overlapping_roles_of_one_person_rejected(self):
        self.relate(self.ali, start="2024-01-01", end="2024-06-30")
        self.relate(self.ayse, start="2024-07-01")
        with self.assertRaisesRegex(
            ValidationError,
            r"Unit A-1: Ali Yılmaz is Owner from 2024-01-01 – 2024-06-30 and Tenant from "
            r"2024-03-01 – open end.*overlap from 2024-03-01 to 2024-06-30",
        ):
            self.relate(self.ali, "tenant", start="2024-03-01")

    def test_same_person_may_return_after_leaving(self):
        self.relate(self.ali)
        self.relate(self.mehmet, "tenant", start="2024-01-01", end="2024-05-31")
        self.relate(self.mehmet, "tenant", start="2025-01-01")
        self.assertEqual(len(self.unit.relation_ids.filtered(lambda r: r.role == "tenant")), 2)

    def test_dates_must_be_ordered(self):
        with self.assertRaisesRegex(ValidationError, "Unit A-1: Ali Yılmaz's period ends"):
            self.relate(self.ali, start="2024-05-01", end="2024-04-30")

    def test_history_on_a_date(self):
        self.relate(self.ali, end="2024-06-30")
        self.relate(self.ayse, start="2024-07-01")
        self.relate(self.mehmet, "tenant", start="2024-03-01", end="2024-08-31")
        Relation = self.env["site.unit.relation"]
        on_may = Relation.search([("unit_id", "=", self.unit.id), ("active_on", "=", "2024-05-15")])
        self.assertEqual(on_may.partner_id, self.ali | self.mehmet)
        on_sep = Relation.search([("unit_id", "=", self.unit.id), ("active_on", "=", "2024-09-01")])
        self.assertEqual(on_sep.partner_id, self.ayse)
        past = Relation.search([("unit_id", "=", self.unit.id), ("state", "=", "past")])
        self.assertEqual(past.partner_id, self.ali | self.mehmet)

    def test_occupancy_and_empty_filter(self):
        self.relate(self.ali)
        Unit = self.env["site.unit"]
        self.assertFalse(self.unit.is_occupied)
        self.assertIn(self.unit, Unit.search([("is_occupied", "=", False)]))
        self.relate(self.ayse, "tenant")
        self.unit.invalidate_recordset(["is_occupied"])
        self.assertTrue(self.unit.is_occupied)
        self.assertIn(self.unit, Unit.search([("is_occupied", "=", True)]))
        self.assertNotIn(self.unit, Unit.search([("is_occupied", "=", False)]))

    def test_persons_from_latest_declaration(self):
        Persons = self.env["site.unit.persons"]
        Persons.create({"unit_id": self.unit.id, "date": date(2024, 1, 1), "persons": 3})
        Persons.create({"unit_id": self.unit.id, "date": date(2025, 6, 1), "persons": 2})
        self.assertEqual(self.unit._persons_on(date(2025, 1, 1)), {self.unit.id: 3})
        self.assertEqual(self.unit._persons_on(date(2025, 6, 1)), {self.unit.id: 2})
        self.assertEqual(self.unit._persons_on(date(2023, 1, 1)), {})

    def test_unit_code_unique_per_site(self):
        self.env["site.unit"].create({"code": "A-1", "company_id": self.other_site.id})
        with self.assertRaisesRegex(ValidationError, "Unit A-1 already exists in Test Site A"):
            self.env["site.unit"].create({"code": "A-1", "company_id": self.site.id})

    def test_land_share_and_analytic_account(self):
        self.assertAlmostEqual(self.unit.land_share, 10 / 240)
        self.assertAlmostEqual(self.unit.voting_share, 10 / 240)
        self.assertEqual(self.unit.analytic_account_id.code, "A-1")
        self.assertEqual(self.unit.analytic_account_id.company_id, self.site)
        self.unit.code = "A-01"
        self.assertEqual(self.unit.analytic_account_id.name, "A-01")
        with self.assertRaisesRegex(ValidationError, "more than the whole"):
            self.unit.land_share_numerator = 300
