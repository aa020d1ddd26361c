from odoo.tests import tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalSpeed(PortalCase):
    """What keeps the pages fast under load (tools/bench_portal.py): a page reads the
    person's relations once, whoever needs them (access check, branding, announcements),
    and a GET writes nothing."""

    def relation_reads(self, url):
        """The page's status and how many times it searched the person's relations."""
        Relation = self.registry["site.unit.relation"]
        original = Relation._search
        reads = []

        def counting_search(model, domain, *args, **kwargs):
            if "partner_id" in str(domain):
                reads.append(domain)
            return original(model, domain, *args, **kwargs)

        self.patch(Relation, "_search", counting_search)
        return self.url_open(url).status_code, len(reads)

    def test_home_reads_relations_once(self):
        self.login(self.user_a)
        status, reads = self.relation_reads("/my")
        self.assertEqual(status, 200)
        self.assertEqual(reads, 1)

    def test_statement_reads_relations_once(self):
        self.login(self.user_a)
        status, reads = self.relation_reads(f"/my/site/units/{self.u1.id}")
        self.assertEqual(status, 200)
        self.assertEqual(reads, 1)

    def test_statement_writes_no_wizard_row(self):
        Wizard = self.env["site.statement.wizard"].sudo()
        before = Wizard.search_count([])
        self.login(self.user_a)
        year = self.month.year - 1
        page = self.url_open(f"/my/site/units/{self.u1.id}?year={year}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"Dues {year}-01", page.text)
        self.assertEqual(Wizard.search_count([]), before)

    def test_relations_changed_in_the_transaction_are_seen(self):
        portal = self.env["site.portal"]
        self.assertIn(self.u1.id, portal._access(self.ali))
        self.assertNotIn(self.u2.id, portal._access(self.ali))
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u2.id,
                "partner_id": self.ali.id,
                "role": "tenant",
                "date_from": self.today,
            }
        )
        self.assertIn(self.u2.id, portal._access(self.ali))
        self.u2.active = False
        self.assertNotIn(self.u2.id, portal._access(self.ali))
