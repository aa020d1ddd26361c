from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SiteCase, site_user

SENSITIVE_FIELDS = ("national_id", "blood_group")


@tagged("post_install", "-at_install")
class TestPersonalData(SiteCase):
    """Residents' personal data stays with the staff of their own site."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.building_b = cls.env["site.building"].create(
            {"name": "Budynek 1", "code": "B1", "company_id": cls.other_site.id}
        )
        cls.unit_b = cls.env["site.unit"].create(
            {"code": "M1", "company_id": cls.other_site.id, "building_id": cls.building_b.id}
        )
        cls.ali.write(
            {
                "country_id": cls.env.ref("base.tr").id,
                "national_id": "10000000146",
                "blood_group": "A+",
            }
        )
        cls.relate(cls.ali)
        cls.relate(cls.ayse, unit=cls.unit_b)
        # Mehmet rents in both sites.
        cls.relate(cls.mehmet, role="tenant")
        cls.relate(cls.mehmet, role="tenant", unit=cls.unit_b)

        cls.manager_a = site_user(
            cls.env, "manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = site_user(
            cls.env, "manager_b", "site_residents.group_site_manager", cls.other_site
        )
        cls.board_a = site_user(cls.env, "board_a", "site_residents.group_site_board", cls.site)
        cls.engineer_a = site_user(
            cls.env, "engineer_a", "site_residents.group_site_engineer", cls.site
        )
        cls.accountant_a = site_user(
            cls.env, "accountant_a", "site_residents.group_site_accountant", cls.site
        )
        cls.clerk_a = new_test_user(
            cls.env,
            "clerk_a",
            groups="base.group_user",
            company_id=cls.site.id,
            company_ids=[cls.site.id],
        )

    # --- sensitive fields --------------------------------------------------------------

    def test_site_manager_reads_and_writes_sensitive_fields(self):
        partner = self.ali.with_user(self.manager_a)
        self.assertEqual((partner.national_id, partner.blood_group), ("10000000146", "A+"))
        partner.write({"national_id": "17291716060", "blood_group": "0-"})
        self.assertEqual(self.ali.national_id, "17291716060")

    def test_other_roles_cannot_read_sensitive_fields(self):
        for user in (self.board_a, self.engineer_a, self.accountant_a, self.clerk_a):
            partner = self.ali.with_user(user)
            with self.subTest(user=user.login):
                self.assertEqual(partner.name, "Ali Yılmaz", "the contact itself stays readable")
                for field in SENSITIVE_FIELDS:
                    with self.assertRaises(AccessError):
                        partner.read([field])
                    self.assertNotIn(field, partner.fields_get())

    def test_partner_views_show_sensitive_fields_to_managers_only(self):
        for user, shown in ((self.manager_a, True), (self.board_a, False)):
            views = self.env["res.partner"].with_user(user).get_views([(False, "form")])
            arch = etree.fromstring(views["views"]["form"]["arch"])
            search = self.env["res.partner"].with_user(user).get_views([(False, "search")])
            search_arch = etree.fromstring(search["views"]["search"]["arch"])
            for field in SENSITIVE_FIELDS:
                with self.subTest(user=user.login, field=field):
                    self.assertEqual(bool(arch.xpath(f"//field[@name='{field}']")), shown)
            with self.subTest(user=user.login, view="search"):
                self.assertEqual(bool(search_arch.xpath("//field[@name='national_id']")), shown)

    def test_board_member_opens_a_resident_form(self):
        Form(self.env["res.partner"].with_user(self.board_a).browse(self.ali.id))

    # --- national ID history ---------------------------------------------------------

    def test_national_id_change_is_logged_without_the_number(self):
        partner = self.ali.with_user(self.manager_a)
        partner.national_id = "17291716060"
        partner.national_id = False
        tracked = self.env["mail.tracking.value"].search(
            [("mail_message_id", "in", self.ali.message_ids.ids)]
        )
        self.assertNotIn(
            "national_id", tracked.field_id.mapped("name"), "the number is not tracked"
        )
        bodies = " ".join(self.ali.message_ids.mapped("body"))
        for number in ("10000000146", "17291716060"):
            self.assertNotIn(number, bodies)
        self.assertIn("T.C. Kimlik No changed", bodies)
        self.assertIn("T.C. Kimlik No removed", bodies)

    # --- contacts of another site -----------------------------------------------------

    def test_residents_of_another_site_are_hidden(self):
        partners_a = self.env["res.partner"].with_user(self.manager_a)
        partners_b = self.env["res.partner"].with_user(self.manager_b)
        self.assertFalse(partners_b.search([("id", "=", self.ali.id)]))
        self.assertFalse(partners_a.search([("id", "=", self.ayse.id)]))
        with self.assertRaises(AccessError):
            partners_b.browse(self.ali.id).name  # noqa: B018
        self.assertEqual(partners_a.browse(self.ali.id).name, "Ali Yılmaz")
        self.assertEqual(partners_b.browse(self.ayse.id).name, "Ayşe Demir")

    def test_other_apps_users_of_another_site_do_not_see_residents(self):
        clerk_b = new_test_user(
            self.env,
            "clerk_b",
            groups="base.group_user",
            company_id=self.other_site.id,
            company_ids=[self.other_site.id],
        )
        self.assertFalse(
            self.env["res.partner"].with_user(clerk_b).search([("id", "=", self.ali.id)])
        )

    def test_a_person_of_both_sites_is_seen_by_both(self):
        for user in (self.manager_a, self.manager_b):
            with self.subTest(user=user.login):
                self.assertEqual(self.mehmet.with_user(user).name, "Mehmet Kaya")

    def test_staff_and_sites_partners_stay_visible(self):
        partners_b = self.env["res.partner"].with_user(self.manager_b)
        self.assertEqual(partners_b.browse(self.site.partner_id.id).name, "Test Site A")
        self.assertEqual(
            partners_b.browse(self.manager_a.partner_id.id).name, self.manager_a.partner_id.name
        )
        self.assertTrue(partners_b.search([("id", "=", self.zeynep.id)]), "not a resident yet")

    def test_contact_created_in_the_sites_app_belongs_to_the_site(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("site_residents.action_site_partner")
        context = dict(safe_eval(action["context"]), allowed_company_ids=[self.site.id])
        contacts = self.env["res.partner"].with_user(self.manager_a).with_context(context)
        partner = contacts.create({"name": "Emre Koç"})
        self.assertEqual(partner.company_id, self.site)
        self.assertFalse(
            self.env["res.partner"].with_user(self.manager_b).search([("id", "=", partner.id)])
        )

    def test_residents_portal_user_reads_their_own_contact(self):
        portal = new_test_user(
            self.env,
            "portal_ayse",
            groups="base.group_portal",
            name=self.ayse.name,
            partner_id=self.ayse.id,
            company_id=self.other_site.id,
            company_ids=[self.other_site.id],
        )
        self.assertEqual(self.ayse.with_user(portal).name, "Ayşe Demir")

    # --- pets and emergency contacts -------------------------------------------------

    def test_pets_and_emergency_contacts_of_another_sites_residents_are_hidden(self):
        pet = self.env["site.pet"].create({"partner_id": self.ayse.id, "name": "Burek"})
        emergency = self.env["site.emergency.contact"].create(
            {"partner_id": self.ayse.id, "contact_id": self.zeynep.id}
        )
        own_pet = self.env["site.pet"].create({"partner_id": self.ali.id, "name": "Pamuk"})
        for model, record in (("site.pet", pet), ("site.emergency.contact", emergency)):
            with self.subTest(model=model):
                self.assertFalse(
                    self.env[model].with_user(self.manager_a).search([("id", "=", record.id)])
                )
                self.assertTrue(
                    self.env[model].with_user(self.manager_b).search([("id", "=", record.id)])
                )
        self.assertEqual(self.env["site.pet"].with_user(self.manager_a).search([]), own_pet)

    def test_pets_of_people_in_no_site_are_hidden(self):
        pet = self.env["site.pet"].create({"partner_id": self.zeynep.id, "name": "Boncuk"})
        for user in (self.manager_a, self.manager_b):
            with self.subTest(user=user.login):
                self.assertFalse(self.env["site.pet"].with_user(user).search([("id", "=", pet.id)]))
