from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from .common import SiteCase


@tagged("post_install", "-at_install")
class TestPeopleCreation(HttpCase):
    """A Site Manager records new owners, tenants and residents in Sites › People."""

    def sites_contacts(self, user, site):
        """The Contacts action of the Sites app as the user opens it, and its model."""
        action = self.env["ir.actions.act_window"]._for_xml_id("site_residents.action_site_partner")
        context = dict(safe_eval(action["context"]), allowed_company_ids=[site.id])
        return action, self.env(user=user, context=context)["res.partner"]

    def test_manager_creates_a_person_in_the_sites_app(self):
        site = self.env["res.company"].create({"name": "People Site", "is_site": True})
        manager = new_test_user(
            self.env,
            "people_manager",
            groups="site_residents.group_site_manager",
            company_id=site.id,
            company_ids=[site.id],
        )
        action, contacts = self.sites_contacts(manager, site)
        for view_type in ("kanban", "list"):
            arch = contacts.get_views([(False, view_type)])["views"][view_type]["arch"]
            self.assertNotEqual(etree.fromstring(arch).get("create"), "false", view_type)

        person = contacts.create({"name": "Yeni Komşu", "phone": "+90 555 000 00 00"})
        self.assertEqual(person.company_id, site)
        self.assertEqual(person.create_uid, manager)
        # The new person, in no unit yet, stays in the list it was created from.
        self.assertIn(person, contacts.search(safe_eval(action["domain"])))

    def test_demo_site_manager_creates_a_person(self):
        manager = self.env.ref("site_residents.user_site_manager", raise_if_not_found=False)
        if not manager:
            self.skipTest("needs the demo data")
        self.start_tour(
            "/odoo/action-site_residents.action_site_partner",
            "site_residents_new_person_tour",
            login="site_manager",
        )
        person = self.env["res.partner"].search([("name", "=", "Tur Yeni Komşu")])
        self.assertEqual(len(person), 1)
        self.assertEqual(person.create_uid, manager)
        self.assertEqual(person.company_id, manager.company_id)
        self.assertEqual(person.email, "tur.komsu@example.com")


class TestSiteLanguage(SiteCase):
    """A person added to a unit reads the site's documents in the site's language."""

    def test_person_added_to_a_unit_takes_the_sites_language(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        self.site.partner_id.lang = "pl_PL"
        default = self.env["ir.default"]._get("res.partner", "lang") or self.env.lang
        self.ali.lang = default
        self.ayse.lang = False
        chosen = self.env["res.partner"].create({"name": "Chosen Language"})
        self.env["res.lang"]._activate_lang("uk_UA")
        chosen.lang = "uk_UA"
        staff = new_test_user(self.env, "lang_staff", groups="site_residents.group_site_manager")
        staff.partner_id.lang = default
        for partner in (self.ali, self.ayse, chosen, staff.partner_id):
            self.relate(partner, role="resident")
        self.assertEqual(self.ali.lang, "pl_PL", "a partner in the default language")
        self.assertEqual(self.ayse.lang, "pl_PL", "a partner without a language")
        self.assertEqual(chosen.lang, "uk_UA", "a language chosen for the person is kept")
        self.assertEqual(staff.partner_id.lang, default, "staff keep their own language")
