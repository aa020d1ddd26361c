from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, TransactionCase, new_test_user, tagged

from .common import SiteCase

IBAN_TR = "TR330006100519786457841326"
IBAN_PL = "PL61109010140000071219812874"


class OnboardingCase(TransactionCase):
    """A Site Administrator and a Site Manager of one existing site (real users)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.home = cls.env["res.company"].create(
            {"name": "Home Site", "is_site": True, "country_id": cls.env.ref("base.us").id}
        )
        cls.site_admin = cls.site_user("onboarding_admin", "site_residents.group_site_admin")
        cls.site_manager = cls.site_user("onboarding_manager", "site_residents.group_site_manager")

    @classmethod
    def site_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            groups=group,
            company_id=cls.home.id,
            company_ids=[Command.set(cls.home.ids)],
        )

    def as_user(self, user):
        return self.env(user=user, context={"allowed_company_ids": user.company_ids.ids})

    def entry(self, site):
        """A balanced miscellaneous entry of ``site``, in draft."""
        journal = self.env["account.journal"].search(
            [("company_id", "=", site.id), ("type", "=", "general")], limit=1
        )
        Account = self.env["account.account"]
        return self.env["account.move"].create(
            {
                "journal_id": journal.id,
                "date": date(2026, 1, 31),
                "line_ids": [
                    Command.create(
                        {
                            "account_id": Account.search(
                                [("company_ids", "in", site.id), ("account_type", "=", kind)],
                                limit=1,
                            ).id,
                            "debit": debit,
                            "credit": credit,
                        }
                    )
                    for kind, debit, credit in (
                        ("expense", 10.0, 0.0),
                        ("asset_current", 0.0, 10.0),
                    )
                ],
            }
        )

    def new_site(self, user, **values):
        wizard = self.as_user(user)["site.setup.wizard"].create(
            dict({"name": "Papatya Sitesi", "country_id": self.env.ref("base.tr").id}, **values)
        )
        return wizard.env["res.company"].browse(wizard.action_create()["res_id"])


@tagged("post_install", "-at_install")
class TestNewSiteWizard(OnboardingCase):
    def test_site_admin_creates_a_site_with_books(self):
        site = self.new_site(self.site_admin)
        self.assertTrue(site.is_site)
        self.assertEqual(site.country_id, self.env.ref("base.tr"))
        self.assertEqual(site.currency_id, self.env.ref("base.TRY"))
        self.assertEqual(site.chart_template, "tr")
        self.assertIn(site, self.site_admin.company_ids)
        # The administrator works in the new site at once, with their own rights.
        site_env = self.env(user=self.site_admin, context={"allowed_company_ids": [site.id]})
        self.assertEqual(site.with_env(site_env).name, "Papatya Sitesi")
        self.assertTrue(
            site_env["account.account"].search_count(
                [("company_ids", "in", site.id), ("account_type", "=", "asset_receivable")]
            )
        )

    def test_site_admin_gives_the_new_site_its_iban(self):
        site = self.new_site(self.site_admin, bank_acc_number=IBAN_TR, bank_name="Ziraat Bankası")
        account = site._site_notice_bank()
        self.assertEqual(account.sanitized_acc_number, IBAN_TR)
        self.assertEqual(account.bank_id.name, "Ziraat Bankası")
        self.assertEqual(site.site_notice_bank_id, account)
        bank_journal = self.env["account.journal"].search(
            [("company_id", "=", site.id), ("type", "=", "bank")]
        )
        self.assertEqual(bank_journal.bank_account_id, account)

    def test_site_admin_creates_a_site_without_books(self):
        site = self.new_site(self.site_admin, load_chart=False)
        self.assertFalse(site.chart_template)
        self.assertIn(site, self.site_admin.company_ids)

    def test_site_manager_cannot_create_a_site(self):
        with self.assertRaises(AccessError):
            self.new_site(self.site_manager, load_chart=False)

    def test_country_is_asked_not_taken_from_the_current_company(self):
        Wizard = self.as_user(self.site_admin)["site.setup.wizard"]
        self.assertEqual(self.site_admin.company_id.country_id, self.env.ref("base.us"))
        form = Form(Wizard)
        self.assertFalse(form.country_id)
        self.assertFalse(form.currency_id)
        with self.assertRaisesRegex(AssertionError, "country_id"):
            form.save()

    def test_summary_shows_what_will_be_created(self):
        form = Form(self.as_user(self.site_admin)["site.setup.wizard"])
        form.country_id = self.env.ref("base.pl")
        form.name = "Wspólnota Testowa"
        form.bank_acc_number = IBAN_PL
        summary = str(form.summary)
        for expected in ("Wspólnota Testowa", "PLN", "Poland", "Bank", IBAN_PL):
            self.assertIn(expected, summary)
        self.assertEqual(form.payer_running, "owner")
        form.load_chart = False
        self.assertIn("keeps no books", str(form.summary))

    def test_kinds_of_site_are_translatable_in_the_wizard(self):
        # Selection labels are translated through ir.model.fields.selection records.
        labels = (
            self.env["ir.model.fields.selection"]
            .search(
                [("field_id.model", "=", "site.setup.wizard"), ("field_id.name", "=", "site_type")]
            )
            .mapped("name")
        )
        self.assertIn("Condominium", labels)
        self.assertNotIn("Condominium / Site Yönetimi", labels)

    def test_no_module_is_installed_for_a_country_without_its_chart(self):
        module = self.env["ir.module.module"].search([("name", "=", "l10n_de")])
        if module.state == "installed":
            self.skipTest("the German chart is installed")
        with self.assertRaisesRegex(UserError, "l10n_de.*untick Set Up the Books"):
            self.new_site(self.site_admin, country_id=self.env.ref("base.de").id)
        self.assertEqual(module.state, "uninstalled")

    def test_wrong_iban_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.new_site(
                self.site_admin, load_chart=False, bank_acc_number="TR330006100519786457841327"
            )

    def test_same_name_is_refused_with_a_clear_message(self):
        self.new_site(self.site_admin, load_chart=False)
        with self.assertRaisesRegex(UserError, "Papatya Sitesi already exists"):
            self.new_site(self.site_admin, load_chart=False)


@tagged("post_install", "-at_install")
class TestRemoveWrongSite(OnboardingCase):
    def test_site_admin_deletes_a_wrong_site_with_its_books(self):
        site = self.new_site(self.site_admin, bank_acc_number=IBAN_TR)
        partner = site.partner_id
        admin_env = self.env(user=self.site_admin, context={"allowed_company_ids": [site.id]})
        building = admin_env["site.building"].create(
            {"name": "Blok A", "code": "A", "company_id": site.id}
        )
        unit = admin_env["site.unit"].create(
            {"code": "A-1", "building_id": building.id, "company_id": site.id}
        )
        person = admin_env["res.partner"].create({"name": "Yanlış Kişi"})
        admin_env["site.unit.relation"].create(
            {"unit_id": unit.id, "partner_id": person.id, "date_from": date(2026, 1, 1)}
        )
        admin_env["site.unit.persons"].create(
            {"unit_id": unit.id, "date": date(2026, 1, 1), "persons": 2}
        )
        self.assertEqual(self.entry(site).state, "draft")

        site.with_env(admin_env).action_site_delete()

        self.assertFalse(site.exists())
        self.assertFalse(partner.exists())
        for model, field in (
            ("account.account", "company_ids"),
            ("account.journal", "company_id"),
            ("account.tax", "company_id"),
            ("account.move", "company_id"),
            ("site.unit", "company_id"),
            ("site.building", "company_id"),
        ):
            with self.subTest(model=model):
                records = self.env[model].with_context(active_test=False)
                self.assertFalse(records.search_count([(field, "in", site.ids)]))
        self.assertTrue(person.exists(), "people are contacts; they stay")

    def test_site_with_posted_entries_is_not_deleted(self):
        site = self.new_site(self.site_admin)
        self.entry(site).action_post()
        admin_env = self.env(user=self.site_admin, context={"allowed_company_ids": [site.id]})
        with self.assertRaisesRegex(UserError, "1 posted journal entries"):
            site.with_env(admin_env).action_site_delete()
        self.assertTrue(site.exists())

    def test_site_manager_cannot_delete_a_site(self):
        site = self.new_site(self.site_admin, load_chart=False)
        self.site_manager.company_ids |= site
        with self.assertRaises(AccessError):
            site.with_env(self.as_user(self.site_manager)).action_site_delete()
        self.assertTrue(site.exists())

    def test_archived_site_frees_its_name(self):
        site = self.new_site(self.site_admin, load_chart=False)
        site.with_env(self.as_user(self.site_admin)).action_archive()
        self.assertFalse(site.active)
        self.assertIn("Papatya Sitesi (archived", site.name)
        again = self.new_site(self.site_admin, load_chart=False)
        self.assertEqual(again.name, "Papatya Sitesi")
        again.with_env(self.as_user(self.site_admin)).action_archive()
        self.assertNotEqual(again.name, site.name)


@tagged("post_install", "-at_install")
class TestSiteBankAccounts(SiteCase):
    def test_a_site_account_must_be_an_iban(self):
        Bank = self.env["res.partner.bank"]
        with self.assertRaisesRegex(ValidationError, "Test Site A.*not a valid IBAN"):
            Bank.create({"partner_id": self.site.partner_id.id, "acc_number": "12345678"})
        # People's accounts are theirs to describe.
        Bank.create({"partner_id": self.ali.id, "acc_number": "12345678"})

    def test_notice_account_is_the_flagged_one_else_the_first(self):
        self.assertFalse(self.site._site_notice_bank())
        first, second = self.env["res.partner.bank"].create(
            [
                {"partner_id": self.site.partner_id.id, "acc_number": IBAN_TR, "sequence": 1},
                {"partner_id": self.site.partner_id.id, "acc_number": IBAN_PL, "sequence": 2},
            ]
        )
        self.assertEqual(self.site._site_notice_bank(), first)
        self.site.site_notice_bank_id = second
        self.assertEqual(self.site._site_notice_bank(), second)
        second.action_archive()
        self.env.invalidate_all()
        self.assertEqual(self.site._site_notice_bank(), first)


@tagged("post_install", "-at_install")
class TestPersonsFromPeopleLivingThere(SiteCase):
    def test_persons_follow_the_people_living_there_without_a_declaration(self):
        self.relate(self.ali)  # an owner living elsewhere
        self.relate(self.ayse, "tenant")
        self.relate(self.mehmet, "family", start="2024-06-01")
        self.assertEqual(self.unit._persons_on(date(2024, 3, 1)), {self.unit.id: 1})
        self.assertEqual(self.unit._persons_on(date(2024, 7, 1)), {self.unit.id: 2})
        self.assertEqual(self.unit.persons, 2)

    def test_an_owner_marked_as_living_there_counts(self):
        owner = self.relate(self.ali)
        owner.lives_here = True
        self.assertEqual(self.unit._persons_on(date(2025, 1, 1)), {self.unit.id: 1})

    def test_a_declaration_wins_from_its_date(self):
        self.relate(self.ayse, "tenant")
        self.relate(self.mehmet, "family")
        self.env["site.unit.persons"].create(
            {"unit_id": self.unit.id, "date": date(2025, 1, 1), "persons": 5}
        )
        self.assertEqual(self.unit._persons_on(date(2024, 12, 31)), {self.unit.id: 2})
        self.assertEqual(self.unit._persons_on(date(2025, 1, 1)), {self.unit.id: 5})

    def test_persons_of_many_units_take_the_same_queries(self):
        units = self.env["site.unit"].create(
            [{"code": f"B-{n}", "company_id": self.site.id} for n in range(6)]
        )
        for unit in units:
            self.relate(self.zeynep, "tenant", unit=unit)

        def queries(records):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            records._persons_on(date(2025, 1, 1))
            return self.env.cr.sql_log_count - start

        self.assertEqual(queries(units), queries(units[:2]))
        self.assertEqual(units._persons_on(date(2025, 1, 1)), dict.fromkeys(units.ids, 1))


@tagged("post_install", "-at_install")
class TestNewSiteTour(HttpCase):
    def test_demo_site_admin_creates_a_turkish_site(self):
        site_admin = self.env.ref("site_residents.user_site_admin", raise_if_not_found=False)
        if not site_admin:
            self.skipTest("needs the demo data")
        self.start_tour(
            "/odoo/action-site_residents.action_site_company",
            "site_new_site_tour",
            login="site_admin",
        )
        site = self.env["res.company"].search([("name", "=", "Tur Sitesi")])
        self.assertTrue(site.is_site)
        self.assertEqual(site.country_id, self.env.ref("base.tr"))
        self.assertEqual(site.chart_template, "tr")
        self.assertEqual(site._site_notice_bank().sanitized_acc_number, IBAN_TR)
        self.assertIn(site, site_admin.company_ids)
