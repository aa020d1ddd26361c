import base64
import json
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.site_portal.tests.common import PortalCase
from odoo.addons.site_residents.tests.common import site_user

from .common import HelpdeskSetup

# A 1x1 PNG: what a phone's camera sends, as far as the checks go.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@tagged("post_install", "-at_install")
class TestHelpdeskAccess(PortalCase, HelpdeskSetup):
    """Two residents of site A (Ali of A-1, Berk of A-2), one of site B (Emre of B-1);
    Ali was a tenant of A-3 years ago. Staff of each site."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.berk = cls.owners[1]
        cls.user_berk = cls.resident("portal_berk", cls.berk, cls.site)
        cls.env["site.unit.relation"].create(
            {
                "unit_id": cls.u3.id,
                "partner_id": cls.ali.id,
                "role": "tenant",
                "date_from": date(2019, 1, 1),
                "date_to": date(2019, 12, 31),
            }
        )
        cls.teams, cls.tech_a, cls.manager_a = cls.setup_helpdesk(cls.site)
        cls.teams_b, cls.tech_b, cls.manager_b = cls.setup_helpdesk(cls.site_b, prefix="b")
        cls.t_a1 = cls.ticket(cls.u1, "fault", cls.ali, name="Leak in A-1")
        cls.t_a1_call = cls.ticket(cls.u1, "request", cls.tenant, name="Call about A-1")
        cls.t_a2 = cls.ticket(cls.u2, "complaint", cls.berk, name="Noise at A-2")
        cls.t_b1 = cls.ticket(cls.unit_b, "fault", cls.emre, name="Lift of B-1")
        cls.t_a3 = cls.ticket(cls.u3, "fault", cls.owners[2], name="Boiler of A-3")
        cls.t_a3_old = cls.ticket(cls.u3, "fault", cls.ali, name="Old tap of A-3")
        cls.mine = cls.t_a1 | cls.t_a1_call | cls.t_a3_old
        cls.not_mine = cls.t_a2 | cls.t_b1 | cls.t_a3
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    # --- by the ORM -------------------------------------------------------------------

    def test_residents_see_their_own_and_their_units_tickets(self):
        ours = (self.mine | self.not_mine).ids
        seen = self.as_user(self.user_a)["helpdesk.ticket"].search([("id", "in", ours)])
        self.assertEqual(seen, self.mine)
        with self.assertRaises(AccessError):
            self.t_a2.with_env(self.as_user(self.user_a)).read(["name"])
        seen = self.as_user(self.user_berk)["helpdesk.ticket"].search([])
        self.assertIn(self.t_a2, seen)
        self.assertFalse(seen & (self.mine | self.t_b1))
        seen = self.as_user(self.user_b)["helpdesk.ticket"].search([])
        self.assertIn(self.t_b1, seen)
        self.assertFalse(seen & (self.mine | self.t_a2))

    def test_the_rule_and_the_portals_domain_agree(self):
        domain = self.env["helpdesk.ticket"]._site_portal_domain(self.ali)
        by_rule = self.as_user(self.user_a)["helpdesk.ticket"].search([])
        self.assertEqual(by_rule, self.env["helpdesk.ticket"].search(domain))

    def test_staff_see_the_tickets_of_their_sites_only(self):
        for user, own, other in (
            (self.manager_a, self.t_a2, self.t_b1),
            (self.manager_b, self.t_b1, self.t_a1),
            (self.board_a, self.t_a1, self.t_b1),
            (self.board_b, self.t_b1, self.t_a2),
        ):
            env = self.as_user(user)
            seen = env["helpdesk.ticket"].search([])
            self.assertIn(own, seen, user.login)
            self.assertNotIn(other, seen, user.login)
            with self.assertRaises(AccessError, msg=user.login):
                other.with_env(env).read(["name"])
        # Board members read, they do not change tickets.
        with self.assertRaises(AccessError):
            self.t_a1.with_env(self.as_user(self.board_a)).write({"priority": "3"})
        self.t_a1.with_env(self.as_user(self.manager_a)).write({"priority": "3"})
        # An engineer handles the tickets of their team.
        seen = self.as_user(self.tech_a)["helpdesk.ticket"].search([])
        self.assertIn(self.t_a1, seen)
        self.assertNotIn(self.t_b1, seen)

    # --- by URL ---------------------------------------------------------------------------

    def test_ticket_list_and_pages(self):
        self.login(self.user_a)
        page = self.url_open("/my/tickets")
        self.assertEqual(page.status_code, 200)
        for ticket in self.mine:
            self.assertIn(ticket.name, page.text)
        for ticket in self.not_mine:
            self.assertNotIn(ticket.name, page.text)
        self.assertIn("A-1", page.text)
        page = self.url_open(f"/my/ticket/{self.t_a1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Leak in A-1", page.text)
        self.assertIn(self.t_a1.number, page.text)  # OCA's sidebar
        close = page.text[page.text.index('action="/ticket/close"') :][:600]
        self.assertIn('name="csrf_token"', close)
        self.t_a1.with_context(tracking_disable=False).stage_id = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_stage_in_progress"
        )
        page = self.url_open(f"/my/ticket/{self.t_a1.id}")
        history = page.text[page.text.index("Status history") :][:1000]
        self.assertIn("New", history)
        self.assertIn("In Progress", history)
        for ticket in self.not_mine:
            self.assertEqual(self.url_open(f"/my/ticket/{ticket.id}").status_code, 404)
        # A link with the ticket's token does not open another resident's ticket.
        self.t_a2._portal_ensure_token()
        page = self.url_open(f"/my/ticket/{self.t_a2.id}/{self.t_a2.access_token}")
        self.assertEqual(page.status_code, 404)
        self.logout()
        page = self.url_open(f"/my/ticket/{self.t_a1.id}", allow_redirects=False)
        self.assertIn("/web/login", page.headers.get("Location", ""))

    def test_home_lists_ones_open_requests(self):
        self.t_a1_call.stage_id = self.done
        self.login(self.user_a)
        page = self.url_open("/my")
        self.assertEqual(page.status_code, 200)
        card = page.text[page.text.index("o_site_open_tickets") :]
        card = card[: card.index("New request")]
        self.assertIn("Leak in A-1", card)
        self.assertIn("Old tap of A-3", card)
        self.assertIn(f'href="/my/ticket/{self.t_a1.id}"', card)
        self.assertNotIn("Call about A-1", card)  # closed
        for ticket in self.not_mine:
            self.assertNotIn(ticket.name, card)
        self.login(self.user_b)
        card = self.url_open("/my").text
        card = card[card.index("o_site_open_tickets") :][:3000]
        self.assertIn("Lift of B-1", card)
        self.assertNotIn("Leak in A-1", card)

    def test_new_ticket_for_a_unit_held_today_with_photos(self):
        self.login(self.user_a)
        form = self.url_open("/new/ticket")
        self.assertEqual(form.status_code, 200)
        self.assertIn(f'name="site_unit" value="{self.u1.id}"', form.text)
        self.assertIn("Paid Service", form.text)
        data = {
            "csrf_token": self.csrf_token(),
            "category": self.kinds["fault"].id,
            "subject": "Radiator cold",
            "description": "The living room radiator stays cold.",
        }
        # Another resident's unit, or one the person left, is not theirs to choose.
        for unit in (self.u2, self.u3, self.unit_b):
            page = self.url_open("/submitted/ticket", data=dict(data, site_unit=unit.id))
            self.assertEqual(page.status_code, 404)
        page = self.url_open(
            "/submitted/ticket",
            data=dict(data, site_unit=self.u1.id),
            files={"attachment": ("evil.svg", SVG, "image/svg+xml")},
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("evil.svg: attach photos", page.text)
        self.assertFalse(self.env["helpdesk.ticket"].search([("name", "=", "Radiator cold")]))
        page = self.url_open(
            "/submitted/ticket",
            data=dict(data, site_unit=self.u1.id),
            files={"attachment": ("radiator.png", PNG, "image/png")},
            allow_redirects=False,
        )
        self.assertEqual(page.status_code, 302)
        ticket = self.env["helpdesk.ticket"].search([("name", "=", "Radiator cold")])
        self.assertIn(f"/my/ticket/{ticket.id}", page.headers["Location"])
        self.assertEqual(ticket.site_unit_id, self.u1)
        self.assertEqual(ticket.company_id, self.site)
        self.assertEqual(ticket.partner_id, self.ali)
        self.assertEqual(ticket.team_id, self.teams["technical"])
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web")
        )
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["radiator.png"])

    def test_closing_is_a_post_of_ones_own_ticket(self):
        data = {"csrf_token": None, "ticket_id": self.t_a1.id, "stage_id": self.done.id}
        self.login(self.user_berk)
        data["csrf_token"] = self.csrf_token()
        self.assertEqual(self.url_open("/ticket/close", data=data).status_code, 404)
        self.login(self.user_a)
        data["csrf_token"] = self.csrf_token()
        self.assertEqual(
            self.url_open(
                f"/ticket/close?ticket_id={self.t_a1.id}&stage_id={self.done.id}"
            ).status_code,
            405,
        )
        self.assertFalse(self.t_a1.closed)
        page = self.url_open("/ticket/close", data=data, allow_redirects=False)
        self.assertEqual(page.status_code, 302)
        self.assertTrue(self.t_a1.closed)

    def test_messages_only_on_ones_own_tickets(self):
        def post(ticket):
            return self.url_open(
                "/mail/message/post",
                data=json.dumps(
                    {
                        "params": {
                            "thread_model": "helpdesk.ticket",
                            "thread_id": ticket.id,
                            "post_data": {"body": "Any news?", "message_type": "comment"},
                        }
                    }
                ),
                headers={"Content-Type": "application/json"},
            ).json()

        self.login(self.user_berk)
        self.assertIn("error", post(self.t_a1))
        self.assertFalse(self.t_a1.message_ids.filtered(lambda m: "Any news?" in (m.body or "")))
        self.login(self.user_a)
        self.assertNotIn("error", post(self.t_a1))
        message = self.t_a1.message_ids.filtered(lambda m: "Any news?" in (m.body or ""))
        self.assertEqual(message.author_id, self.ali)

    def test_a_quote_accepted_on_the_portal_is_charged_once(self):
        ticket = self.ticket(
            self.u1,
            "paid_service",
            self.ali,
            name="New boiler",
            site_service_amount=2000.0,
            site_service_description="A 24 kW combi boiler",
        )
        ticket.action_site_quote()
        url = f"/my/ticket/{ticket.id}/quote/accept"
        self.login(self.user_berk)
        page = self.url_open(url, data={"csrf_token": self.csrf_token(), "amount": "2000.0"})
        self.assertEqual(page.status_code, 404)
        self.login(self.user_a)
        page = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertIn("Accept the quote", page.text)
        # Without the form's token nothing happens.
        self.assertNotEqual(self.url_open(url, data={"amount": "2000.0"}).status_code, 200)
        self.assertEqual(ticket.site_service_state, "quoted")
        data = {"csrf_token": self.csrf_token(), "amount": "2000.0"}
        page = self.url_open(url, data=data, allow_redirects=False)
        self.assertTrue(page.headers["Location"].endswith(f"/my/ticket/{ticket.id}?site=accepted"))
        page = self.url_open(url, data=data, allow_redirects=False)
        self.assertTrue(page.headers["Location"].endswith("?site=already_accepted"))
        service = self.site.site_helpdesk_service_charge_type_id
        lines = self.u1.charge_line_ids.filtered(lambda line: line.site_charge_type_id == service)
        self.assertEqual(lines.mapped("balance"), [2000.0])
        self.assertEqual(lines.partner_id, self.ali)
        page = self.url_open(f"/my/ticket/{ticket.id}?site=accepted")
        self.assertIn("the quote is accepted and charged", page.text)
        self.assertNotIn("Accept the quote", page.text)

    def test_the_reporter_rates_the_closed_ticket(self):
        url = f"/my/ticket/{self.t_a1.id}/rate"
        self.login(self.user_a)
        page = self.url_open(url, data={"csrf_token": self.csrf_token(), "rating": "4"})
        self.assertIn("rated once it is closed", page.text)
        self.t_a1.stage_id = self.done
        self.login(self.user_berk)
        page = self.url_open(url, data={"csrf_token": self.csrf_token(), "rating": "1"})
        self.assertEqual(page.status_code, 404)
        self.login(self.user_a)
        page = self.url_open(f"/my/ticket/{self.t_a1.id}")
        self.assertIn("How was the work?", page.text)
        for value in ("4", "5"):
            page = self.url_open(
                url, data={"csrf_token": self.csrf_token(), "rating": value, "feedback": "Quick"}
            )
            self.assertEqual(page.status_code, 200)
        ratings = self.t_a1.rating_ids.filtered("consumed")
        self.assertEqual(ratings.mapped("rating"), [5.0])
        self.assertEqual(ratings.partner_id, self.ali)
        performance = self.env["site.helpdesk.performance"].search(
            [("ticket_id", "=", self.t_a1.id)]
        )
        self.assertEqual(performance.rating, 5.0)

    def test_board_members_see_their_sites_figures(self):
        self.login(self.board_a)
        page = self.url_open("/my")
        self.assertIn("/my/site/helpdesk", page.text)
        page = self.url_open("/my/site/helpdesk?months=12")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.site.name, page.text)
        self.assertNotIn(self.site_b.name, page.text)
        self.assertIn(f'data-site="{self.site.id}"', page.text)
        self.assertIn("Complaint", page.text)
        self.login(self.user_a)
        self.assertEqual(self.url_open("/my/site/helpdesk").status_code, 404)
        board_only = site_user(
            self.env, "hd_staff_only", "site_residents.group_site_engineer", self.site
        )
        self.login(board_only)
        self.assertEqual(self.url_open("/my/site/helpdesk").status_code, 404)
