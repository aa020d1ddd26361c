import re
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalAnnouncements(PortalCase):
    """Site A: Ali owns A-1, Berk A-2 and Cem A-3 in Blok A; Fatma owns B-4 in Blok B,
    rented to Deniz; Ela, Ali's daughter, lives in A-1; Gül owned A-2 until last year.
    Site B: Emre owns B-1. Each site has a manager and a board member."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.berk, cls.cem = cls.owners[1], cls.owners[2]
        cls.deniz = cls.tenant
        Partner = cls.env["res.partner"]
        cls.fatma, cls.ela, cls.gul = Partner.create(
            [{"name": "Fatma"}, {"name": "Ela"}, {"name": "Gül"}]
        )
        cls.block_b = cls.env["site.building"].create(
            {"name": "Blok B", "code": "B", "company_id": cls.site.id}
        )
        cls.u4 = cls.env["site.unit"].create(
            {"code": "B-4", "company_id": cls.site.id, "building_id": cls.block_b.id}
        )
        cls.env["site.unit.relation"].create(
            [
                {"unit_id": cls.u4.id, "partner_id": cls.fatma.id, "date_from": date(2020, 1, 1)},
                {
                    "unit_id": cls.u4.id,
                    "partner_id": cls.deniz.id,
                    "role": "tenant",
                    "date_from": date(2024, 1, 1),
                },
                {
                    "unit_id": cls.u1.id,
                    "partner_id": cls.ela.id,
                    "role": "family",
                    "related_partner_id": cls.ali.id,
                    "date_from": date(2024, 1, 1),
                },
                {
                    "unit_id": cls.u2.id,
                    "partner_id": cls.gul.id,
                    "date_from": date(2010, 1, 1),
                    "date_to": date(2019, 12, 31),
                },
            ]
        )
        cls.user_deniz = cls.resident("portal_deniz", cls.deniz, cls.site)
        cls.user_ela = cls.resident("portal_ela", cls.ela, cls.site)
        cls.user_gul = cls.resident("portal_gul", cls.gul, cls.site)
        cls.manager_a = cls.site_user(
            "ann_manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = cls.site_user(
            "ann_manager_b", "site_residents.group_site_manager", cls.site_b
        )
        # Announcements already live, oldest first.
        cls.hour = timedelta(hours=1)
        cls.live_since = fields.Datetime.now() - 10 * cls.hour
        cls.to_site = cls.announce("Water cut", "site", hours_ago=10)
        cls.to_block_b = cls.announce(
            "Lift of Blok B", "buildings", buildings=cls.block_b, hours_ago=9
        )
        cls.to_owners = cls.announce("General assembly", "owners", hours_ago=8)
        cls.to_owners_b = cls.announce(
            "Blok B owners", "owners", buildings=cls.block_b, hours_ago=7
        )
        cls.to_tenants = cls.announce("Tenants' meeting", "tenants", hours_ago=6)
        cls.to_board = cls.announce("Board minutes", "board", hours_ago=5)
        cls.to_site_b = cls.announce("Site B news", "site", site=cls.site_b, hours_ago=4)

    @classmethod
    def announce(cls, title, audience, site=None, buildings=None, hours_ago=1, publish=True):
        announcement = cls.env["site.announcement"].create(
            {
                "title": title,
                "body": f"<p>{title}: what residents should know.</p>",
                "company_id": (site or cls.site).id,
                "audience": audience,
                "building_ids": [Command.set(buildings.ids)] if buildings else [],
                "publish_date": fields.Datetime.now() - hours_ago * timedelta(hours=1),
            }
        )
        if publish:
            announcement.action_publish()
        return announcement

    def listed(self, user):
        """The announcements on ``user``'s portal list."""
        self.authenticate(user.login, user.login)
        page = self.url_open("/my/site/announcements")
        self.assertEqual(page.status_code, 200)
        ids = {int(i) for i in re.findall(r'data-announcement="(\d+)"', page.text)}
        return self.env["site.announcement"].browse(sorted(ids))

    def opens(self, user, announcement):
        self.authenticate(user.login, user.login)
        return self.url_open(f"/my/site/announcements/{announcement.id}").status_code

    # --- audience ----------------------------------------------------------------

    def test_recipients_by_audience(self):
        everyone = self.ali | self.berk | self.cem | self.fatma | self.deniz | self.ela
        self.assertEqual(self.to_site._site_recipients(), everyone)  # not Gül, a former owner
        self.assertEqual(self.to_block_b._site_recipients(), self.fatma | self.deniz)
        self.assertEqual(
            self.to_owners._site_recipients(), self.ali | self.berk | self.cem | self.fatma
        )
        self.assertEqual(self.to_owners_b._site_recipients(), self.fatma)
        self.assertEqual(self.to_tenants._site_recipients(), self.deniz)
        self.assertEqual(self.to_site_b._site_recipients(), self.emre)
        board = self.to_board._site_recipients()
        self.assertLessEqual((self.board_a | self.accountant_a | self.manager_a).partner_id, board)
        self.assertFalse(board & (everyone | self.board_b.partner_id | self.manager_b.partner_id))
        # All at once: one map for several announcements gives the same answers.
        recipients = (self.to_site | self.to_tenants)._site_recipients_by_announcement()
        self.assertEqual(recipients[self.to_tenants.id], self.deniz)

    def test_portal_lists_the_person_audience(self):
        self.assertEqual(
            self.listed(self.user_a), self.to_site | self.to_owners
        )  # Ali: owner in Blok A
        self.assertEqual(
            self.listed(self.user_deniz), self.to_site | self.to_block_b | self.to_tenants
        )
        self.assertEqual(self.listed(self.user_ela), self.to_site)  # family: neither role
        self.assertEqual(self.listed(self.user_gul), self.env["site.announcement"])
        self.assertEqual(self.listed(self.user_b), self.to_site_b)
        # The portal and the recipients agree, announcement by announcement.
        for user in (self.user_a, self.user_deniz, self.user_ela, self.user_gul, self.user_b):
            domain = self.env["site.announcement"]._site_visible_domain(user)
            for announcement in self.env["site.announcement"].search(domain):
                self.assertIn(user.partner_id, announcement._site_recipients())

    def test_list_newest_first(self):
        self.authenticate(self.user_deniz.login, self.user_deniz.login)
        page = self.url_open("/my/site/announcements").text
        order = [int(i) for i in re.findall(r'data-announcement="(\d+)"', page)]
        self.assertEqual(order, [self.to_tenants.id, self.to_block_b.id, self.to_site.id])

    def test_board_announcement_is_internal(self):
        self.assertEqual(self.opens(self.user_a, self.to_board), 404)
        self.assertEqual(self.opens(self.board_b, self.to_board), 404)
        self.assertEqual(self.opens(self.board_a, self.to_board), 200)
        self.assertIn(self.to_board, self.listed(self.board_a))
        read = self.env["site.announcement.read"].search(
            [("announcement_id", "=", self.to_board.id)]
        )
        self.assertEqual(read.partner_id, self.board_a.partner_id)
        # In the backend too, once.
        as_manager = self.to_board.with_env(self.as_user(self.manager_a))
        as_manager.action_mark_read()
        as_manager.action_mark_read()
        self.to_board.invalidate_recordset()
        self.assertEqual(self.to_board.read_count, 2)
        with self.assertRaises(UserError):
            self.to_board.with_env(self.as_user(self.board_b)).action_mark_read()

    # --- publishing ----------------------------------------------------------------

    def test_publish_schedule_and_expiry(self):
        draft = self.announce("Garden", "site", publish=False)
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.opens(self.user_a, draft), 404)
        later = self.announce("Later", "site", hours_ago=-2)
        self.assertEqual(later.state, "scheduled")
        self.assertFalse(later.published_notified)
        self.assertEqual(self.opens(self.user_a, later), 404)
        later.publish_date = fields.Datetime.now() - self.hour
        self.assertEqual(later.state, "published")
        self.assertEqual(self.opens(self.user_a, later), 200)
        later.publish_date = fields.Datetime.now() - 48 * self.hour
        later.expiry_date = date.today() - timedelta(days=1)
        self.assertEqual(later.state, "expired")
        self.assertEqual(self.opens(self.user_a, later), 404)
        Announcement = self.env["site.announcement"]
        of_site = [("company_id", "=", self.site.id)]
        self.assertEqual(Announcement.search([*of_site, ("state", "=", "expired")]), later)
        self.assertEqual(Announcement.search([*of_site, ("state", "=", "draft")]), draft)
        self.assertEqual(
            Announcement.search([*of_site, ("state", "in", ["published", "scheduled"])]),
            self.to_site
            | self.to_block_b
            | self.to_owners
            | self.to_owners_b
            | self.to_tenants
            | self.to_board,
        )
        later.expiry_date = date.today()  # shown through its last day
        self.assertEqual(self.opens(self.user_a, later), 200)
        later.action_draft()
        self.assertEqual(later.state, "draft")
        self.assertEqual(self.opens(self.user_a, later), 404)

    def test_bad_input_names_the_field(self):
        with self.assertRaisesRegex(ValidationError, "Buildings"):
            self.announce("No building", "buildings")
        with self.assertRaisesRegex(ValidationError, "Expiry Date"):
            self.to_site.expiry_date = date.today() - timedelta(days=30)
        empty = self.env["site.announcement"].create(
            {"title": "Empty", "company_id": self.site.id, "audience": "site"}
        )
        with self.assertRaisesRegex(UserError, "Text"):
            empty.action_publish()
        self.assertEqual(empty.state, "draft")

    def test_cron_publishes_once(self):
        Model = type(self.env["site.announcement"])
        original = Model._site_published
        handled = []

        def spy(records):
            result = original(records)
            if result:
                handled.append(result)
            return result

        with patch.object(Model, "_site_published", spy):
            later = self.announce("Later", "site", hours_ago=-2)
            self.assertFalse(handled)  # not yet due
            self.env["site.announcement"]._cron_publish_due()
            self.assertFalse(handled)
            later.publish_date = fields.Datetime.now() - self.hour
            self.env["site.announcement"]._cron_publish_due()
            self.env["site.announcement"]._cron_publish_due()
            later.action_draft()
            later.action_publish()
            self.assertTrue(later.published_notified)
        self.assertEqual(handled, [later])

    def test_publish_button_handles_once(self):
        self.assertTrue(self.to_site.published_notified)
        self.assertFalse(self.to_site._site_published())
        draft = self.announce("Garden", "site", publish=False)
        self.assertFalse(draft._site_published())  # not published: nothing to handle
        self.assertFalse(draft.published_notified)

    def test_form_counts_the_audience_while_editing(self):
        Announcement = self.as_user(self.manager_a)["site.announcement"]
        with Form(Announcement) as form:
            form.title = "Bins"
            form.body = "<p>New bins in the yard.</p>"
            self.assertEqual(form.audience, "site")
            self.assertEqual(form.recipient_count, 6)
            form.audience = "tenants"
            self.assertEqual(form.recipient_count, 1)
            form.audience = "owners"
            form.building_ids.add(self.block_b)
            self.assertEqual(form.recipient_count, 1)
        announcement = form.record
        self.assertEqual(announcement.company_id, self.site)
        self.assertEqual(announcement.unread_partner_ids, self.fatma)
        announcement.action_publish()
        self.assertEqual(announcement.state, "published")

    # --- read receipts ---------------------------------------------------------------

    def test_read_receipt_once_and_who_has_read(self):
        self.assertEqual(self.to_owners.recipient_count, 4)
        self.assertEqual(self.to_owners.read_count, 0)
        self.assertEqual(self.opens(self.user_a, self.to_owners), 200)
        Read = self.env["site.announcement.read"]
        receipt = Read.search([("announcement_id", "=", self.to_owners.id)])
        self.assertEqual((receipt.partner_id, receipt.user_id), (self.ali, self.user_a))
        first = receipt.read_datetime
        self.assertEqual(self.opens(self.user_a, self.to_owners), 200)
        self.assertEqual(self.to_owners._site_mark_read(self.user_a), receipt)
        self.assertEqual(Read.search_count([("announcement_id", "=", self.to_owners.id)]), 1)
        self.assertEqual(receipt.read_datetime, first)
        self.to_owners.invalidate_recordset()
        self.assertEqual(
            (
                self.to_owners.recipient_count,
                self.to_owners.read_count,
                self.to_owners.unread_count,
            ),
            (4, 1, 3),
        )
        self.assertEqual(self.to_owners.unread_partner_ids, self.berk | self.cem | self.fatma)
        self.assertEqual(
            self.to_owners.action_view_reads()["domain"],
            [("announcement_id", "=", self.to_owners.id)],
        )
        # Refused pages record nothing.
        self.assertEqual(self.opens(self.user_deniz, self.to_owners), 404)
        self.assertEqual(Read.search_count([("partner_id", "=", self.deniz.id)]), 0)

    def test_list_marks_unread(self):
        self.opens(self.user_a, self.to_site)
        self.authenticate(self.user_a.login, self.user_a.login)
        page = self.url_open("/my/site/announcements").text
        items = dict(
            (int(ident), classes)
            for classes, ident in re.findall(r'class="([^"]*)"\s+data-announcement="(\d+)"', page)
        )
        self.assertNotIn("o_site_unread", items[self.to_site.id])
        self.assertIn("o_site_unread", items[self.to_owners.id])

    # --- home page -------------------------------------------------------------------

    def test_home_shows_latest_three(self):
        newest = self.announce("Newest", "site", hours_ago=1)
        self.authenticate(self.user_deniz.login, self.user_deniz.login)
        page = self.url_open("/my").text
        section = page.split("o_site_portal_home_announcements", 1)[1].split("</section>", 1)[0]
        shown = [int(i) for i in re.findall(r'data-announcement="(\d+)"', section)]
        self.assertEqual(shown, [newest.id, self.to_tenants.id, self.to_block_b.id])
        self.assertIn("/my/site/announcements", section)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["site_announcement_count"]}
        )
        self.assertEqual(counters, {"site_announcement_count": 4})

    # --- refusals ----------------------------------------------------------------------

    def test_other_resident_or_site_not_found(self):
        self.assertEqual(self.opens(self.user_a, self.to_site), 200)
        self.assertEqual(self.opens(self.user_a, self.to_site_b), 404)
        self.assertEqual(self.opens(self.user_a, self.to_tenants), 404)  # Deniz's
        self.assertEqual(self.opens(self.user_a, self.to_block_b), 404)
        self.assertEqual(self.opens(self.user_b, self.to_site), 404)
        self.assertEqual(self.opens(self.user_b, self.to_site_b), 200)
        missing = self.to_site_b.id + 1000
        self.authenticate(self.user_a.login, self.user_a.login)
        self.assertEqual(self.url_open(f"/my/site/announcements/{missing}").status_code, 404)
        self.authenticate(None, None)
        response = self.url_open(f"/my/site/announcements/{self.to_site.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))  # to the login page

    def test_attachments(self):
        Attachment = self.env["ir.attachment"]
        own, other = Attachment.create(
            [
                {"name": "plan.txt", "raw": b"site A plan"},
                {"name": "b.txt", "raw": b"site B plan"},
            ]
        )
        self.to_site.attachment_ids = own
        self.to_site_b.attachment_ids = other
        self.authenticate(self.user_a.login, self.user_a.login)
        base = f"/my/site/announcements/{self.to_site.id}"
        self.assertIn(f"{base}/attachments/{own.id}", self.url_open(base).text)
        response = self.url_open(f"{base}/attachments/{own.id}")
        self.assertEqual((response.status_code, response.content), (200, b"site A plan"))
        self.assertEqual(self.url_open(f"{base}/attachments/{other.id}").status_code, 404)
        response = self.url_open(
            f"/my/site/announcements/{self.to_site_b.id}/attachments/{other.id}"
        )
        self.assertEqual(response.status_code, 404)

    # --- backend access ----------------------------------------------------------------

    def test_record_rules_two_sites(self):
        Announcement = self.env["site.announcement"]
        as_a = self.as_user(self.manager_a)["site.announcement"]
        seen = as_a.search([])
        self.assertIn(self.to_site, seen)
        self.assertFalse(seen & self.to_site_b)
        with self.assertRaises(AccessError):
            self.to_site_b.with_env(self.as_user(self.manager_a)).read(["title"])
        with self.assertRaises(AccessError):
            as_a.create({"title": "Intrusion", "company_id": self.site_b.id, "audience": "site"})
        own = as_a.create({"title": "Notice", "company_id": self.site.id, "audience": "site"})
        own.write({"body": "<p>Fine</p>"})
        own.action_publish()
        # Read receipts follow their announcement's site.
        self.opens(self.user_b, self.to_site_b)
        receipts = self.as_user(self.manager_a)["site.announcement.read"].search([])
        self.assertFalse(receipts.filtered(lambda r: r.announcement_id == self.to_site_b))
        self.assertTrue(
            self.as_user(self.manager_b)["site.announcement.read"].search(
                [("announcement_id", "=", self.to_site_b.id)]
            )
        )
        # Residents have no access to the models themselves.
        with self.assertRaises(AccessError):
            Announcement.with_env(self.as_user(self.user_a)).search([])
        with self.assertRaises(AccessError):
            self.as_user(self.user_a)["site.announcement.read"].search([])

    def test_board_posts_to_the_board_only(self):
        as_board = self.as_user(self.board_a)["site.announcement"]
        self.assertEqual(as_board.search([]) & (self.to_site | self.to_site_b), self.to_site)
        with self.assertRaises(AccessError):
            self.to_site.with_env(self.as_user(self.board_a)).write({"title": "Changed"})
        with self.assertRaises(AccessError):
            as_board.create({"title": "To all", "company_id": self.site.id, "audience": "site"})
        minutes = as_board.create(
            {"title": "Minutes", "company_id": self.site.id, "body": "<p>Minutes</p>"}
        )
        self.assertEqual(minutes.audience, "board")  # their default
        minutes.action_publish()
        self.assertEqual(minutes.state, "published")
        with self.assertRaises(AccessError):
            minutes.write({"audience": "site"})
        with self.assertRaises(AccessError):
            self.to_site_b.with_env(self.as_user(self.board_a)).read(["title"])
