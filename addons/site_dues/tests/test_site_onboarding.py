from datetime import date

from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user, tagged

from .common import DuesCase


@tagged("post_install", "-at_install")
class TestPersonsKeyFollowsPeopleLivingThere(DuesCase):
    def test_charges_by_persons_count_people_living_there_without_a_declaration(self):
        self.env["site.unit.persons"].create(
            {"unit_id": self.u1.id, "date": date(2026, 1, 1), "persons": 1}
        )
        # its owner lives there with a family member; A-3: rented out to Deniz.
        owner_a2 = self.u2.relation_ids
        owner_a2.lives_here = True
        spouse = self.env["res.partner"].create({"name": "Berk's spouse"})
        self.env["site.unit.relation"].create(
            [
                {
                    "unit_id": self.u2.id,
                    "partner_id": spouse.id,
                    "role": "family",
                    "date_from": date(2020, 1, 1),
                },
                {
                    "unit_id": self.u3.id,
                    "partner_id": self.tenant.id,
                    "role": "tenant",
                    "date_from": date(2025, 1, 1),
                },
            ]
        )
        run = self.env["site.accrual.run"]._accrue(
            self.plan(allocation_key="persons"), date(2026, 12, 1)
        )
        self.assertEqual(self.amounts_by_unit(run), {"A-1": 250.0, "A-2": 500.0, "A-3": 250.0})


@tagged("post_install", "-at_install")
class TestNewSiteDues(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        home = cls.env["res.company"].create({"name": "Home Site", "is_site": True})
        cls.site_admin = new_test_user(
            cls.env,
            login="dues_onboarding_admin",
            groups="site_residents.group_site_admin",
            company_id=home.id,
            company_ids=[Command.set(home.ids)],
        )
        cls.admin_env = cls.env(user=cls.site_admin, context={"allowed_company_ids": home.ids})

    def test_site_admin_gets_charge_types_and_charges_journal(self):
        form = Form(self.admin_env["site.setup.wizard"])
        form.country_id = self.env.ref("base.tr")
        form.name = "Lale Sitesi"
        summary = str(form.summary)
        self.assertIn("Site Charges", summary)
        self.assertIn("Dues", summary)
        self.assertIn("Late Fee", summary)
        site = self.env["res.company"].browse(form.save().action_create()["res_id"])
        self.assertEqual(site.site_dues_journal_id.name, "Site Charges")
        charge_types = self.env["site.charge.type"].search([("company_id", "=", site.id)])
        self.assertIn("DUES", charge_types.mapped("code"))

    def test_deleted_site_takes_its_charge_types_and_plans(self):
        wizard = self.admin_env["site.setup.wizard"].create(
            {"name": "Yanlış Site", "country_id": self.env.ref("base.tr").id}
        )
        site = self.env["res.company"].browse(wizard.action_create()["res_id"])
        dues = self.env["site.charge.type"].search(
            [("company_id", "=", site.id), ("code", "=", "DUES")]
        )
        self.env["site.accrual.plan"].create(
            {
                "name": "Dues",
                "company_id": site.id,
                "charge_type_id": dues.id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 1),
                "amount_monthly": 1000.0,
                "allocation_key": "equal",
            }
        )
        site_env = self.admin_env(context={"allowed_company_ids": [site.id]})
        site.with_env(site_env).action_site_delete()
        self.assertFalse(site.exists())
        for model in ("site.charge.type", "site.accrual.plan", "account.journal"):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].search_count([("company_id", "=", site.id)]))
