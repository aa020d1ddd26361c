from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import Form, tagged

from odoo.addons.site_residents.tests.common import SiteCase

from .common import HelpdeskSetup

EMAIL = """From: Ali Yilmaz <ali@example.com>
To: {to}
Subject: {subject}
Message-ID: <{msgid}@example.com>
Date: Thu, 03 Dec 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

The heating of my flat does not work since yesterday.
"""


@tagged("post_install", "-at_install")
class TestRoutingAndDeadlines(SiteCase, HelpdeskSetup):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        domain = cls.env["mail.alias.domain"].create({"name": "sites.example.com"})
        (cls.site | cls.other_site).alias_domain_id = domain
        cls.building_b = cls.env["site.building"].create(
            {"name": "Block B", "code": "B", "company_id": cls.site.id}
        )
        cls.unit_b = cls.env["site.unit"].create(
            {"code": "B-1", "company_id": cls.site.id, "building_id": cls.building_b.id}
        )
        cls.unit_other = cls.env["site.unit"].create(
            {"code": "P-1", "company_id": cls.other_site.id}
        )
        cls.ali.email = "ali@example.com"
        cls.relate(cls.ali)
        cls.relate(cls.ayse, unit=cls.unit_b)
        cls.teams, cls.technician, cls.manager = cls.setup_helpdesk(cls.site, cls.building_b)
        cls.teams["helpdesk"].alias_name = "yesil-help"
        cls.other_teams, _tech, _manager = cls.setup_helpdesk(cls.other_site, prefix="b")
        cls.new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    # --- routing ----------------------------------------------------------------------

    def test_faults_go_to_their_buildings_caretaker_else_to_the_technical_team(self):
        self.assertEqual(self.ticket(self.unit_b, "fault").team_id, self.teams["caretaker"])
        self.assertEqual(self.ticket(self.unit, "fault").team_id, self.teams["technical"])
        self.assertEqual(self.ticket(self.unit_b, "paid_service").team_id, self.teams["technical"])

    def test_other_categories_go_to_the_helpdesk(self):
        for kind in ("complaint", "request", "suggestion"):
            self.assertEqual(self.ticket(self.unit_b, kind).team_id, self.teams["helpdesk"])

    def test_a_ticket_about_common_parts_routes_by_its_building(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Lift",
                "description": "Stuck",
                "company_id": self.site.id,
                "site_building_id": self.building_b.id,
                "category_id": self.kinds["fault"].id,
            }
        )
        self.assertEqual(ticket.team_id, self.teams["caretaker"])
        self.assertFalse(ticket.site_unit_id)

    def test_a_unit_gives_its_site_and_only_its_sites_teams_take_it(self):
        ticket = self.ticket(self.unit_other, "fault")
        self.assertEqual(ticket.company_id, self.other_site)
        self.assertEqual(ticket.team_id, self.other_teams["technical"])
        ticket = self.ticket(self.unit_other, "complaint")
        self.assertEqual(ticket.team_id, self.other_teams["helpdesk"])

    def test_a_team_chosen_by_the_staff_is_kept(self):
        ticket = self.ticket(self.unit_b, "fault", team_id=self.teams["helpdesk"].id)
        self.assertEqual(ticket.team_id, self.teams["helpdesk"])

    def test_tickets_of_a_company_that_is_no_site_are_not_routed(self):
        company = self.env["res.company"].create({"name": "Not a Site"})
        self.env["helpdesk.ticket.team"].create({"name": "Anything", "company_id": company.id})
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Printer",
                "description": "Jammed",
                "company_id": company.id,
                "category_id": self.kinds["fault"].id,
                "user_id": False,
            }
        )
        self.assertFalse(ticket.team_id)

    def test_the_form_routes_as_the_unit_and_category_are_chosen(self):
        # The manager taking a call starts in their own team; the category chooses.
        form = Form(self.env["helpdesk.ticket"].with_user(self.manager).with_company(self.site))
        self.assertEqual(form.team_id, self.teams["helpdesk"])
        form.name = "Leak"
        form.description = "Water"
        form.site_unit_id = self.unit_b
        self.assertEqual(form.site_building_id, self.building_b)
        form.category_id = self.kinds["fault"]
        self.assertEqual(form.team_id, self.teams["caretaker"])
        self.assertFalse(form.user_id)  # the manager is not of the caretaker's team
        self.assertEqual(form.save().team_id, self.teams["caretaker"])

    # --- deadlines ----------------------------------------------------------------------

    def test_each_category_has_its_first_response_and_resolution_deadlines(self):
        ticket = self.ticket(self.unit, "fault")
        lines = {line.name: line for line in ticket.ticket_sla_ids}
        self.assertEqual(set(lines), {"Fault: first response", "Fault: resolution"})
        created = ticket.create_date
        second = timedelta(seconds=1)
        self.assertAlmostEqual(
            lines["Fault: first response"].deadline, created + timedelta(hours=4), delta=second
        )
        self.assertAlmostEqual(
            lines["Fault: resolution"].deadline, created + timedelta(hours=48), delta=second
        )
        complaint = self.ticket(self.unit, "complaint")
        self.assertEqual(
            sorted(complaint.ticket_sla_ids.mapped("sla_id.name")),
            ["Complaint: first response", "Complaint: resolution"],
        )

    def test_a_deadline_passed_is_flagged_and_listed(self):
        ticket = self.ticket(self.unit, "fault")
        other = self.ticket(self.unit, "complaint")
        Ticket, Line = self.env["helpdesk.ticket"], self.env["helpdesk.ticket.sla"]
        with freeze_time(ticket.create_date + timedelta(hours=3)):
            ticket.invalidate_recordset(["sla_expired"])
            self.assertFalse(ticket.sla_expired)
            self.assertNotIn(ticket, Ticket.search([("sla_expired", "=", True)]))
        with freeze_time(ticket.create_date + timedelta(hours=5)):
            (ticket | other).invalidate_recordset(["sla_expired"])
            self.assertTrue(ticket.sla_expired)
            self.assertFalse(other.sla_expired)  # a complaint is answered within a day
            self.assertIn(ticket, Ticket.search([("sla_expired", "=", True)]))
            breached = Line.search([("expired", "=", True), ("ticket_id", "in", ticket.ids)])
            self.assertEqual(breached.mapped("name"), ["Fault: first response"])

    def test_a_staff_reply_takes_the_ticket_in_hand_in_time_a_late_closing_breaches(self):
        ticket = self.ticket(self.unit, "fault", partner=self.ali)
        self.assertEqual(ticket.stage_id, self.new)
        # A resident's message and a note do not answer the ticket.
        ticket.with_user(self.technician).message_post(
            body="Checking the plans", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        ticket.message_post(
            body="Still leaking",
            message_type="comment",
            author_id=self.ali.id,
            subtype_xmlid="mail.mt_comment",
        )
        self.assertEqual(ticket.stage_id, self.new)
        self.assertFalse(ticket.site_first_response_date)
        answered = ticket.create_date + timedelta(hours=1)
        with freeze_time(answered):
            ticket.with_user(self.technician).message_post(
                body="We come at noon", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(ticket.stage_id, self.in_progress)
        self.assertEqual(ticket.site_first_response_date, answered.replace(microsecond=0))
        states = {line.name: line.state for line in ticket.ticket_sla_ids}
        self.assertEqual(states["Fault: first response"], "accomplished")
        with freeze_time(ticket.create_date + timedelta(hours=50)):
            ticket.stage_id = self.done
            states = {line.name: line.state for line in ticket.ticket_sla_ids}
            self.assertEqual(states["Fault: resolution"], "expired")
            ticket.invalidate_recordset(["sla_expired"])
            self.assertTrue(ticket.sla_expired)

    def test_a_resolution_in_time_meets_both_deadlines(self):
        ticket = self.ticket(self.unit, "fault")
        with freeze_time(ticket.create_date + timedelta(hours=30)):
            ticket.stage_id = self.done
            ticket.invalidate_recordset(["sla_expired"])
            self.assertFalse(ticket.sla_expired)
        self.assertEqual(set(ticket.ticket_sla_ids.mapped("state")), {"accomplished"})
        self.assertTrue(ticket.site_first_response_date)

    def test_another_sites_deadlines_never_apply(self):
        self.env["helpdesk.sla"].create(
            {
                "name": "Other site: faults in an hour",
                "company_id": self.other_site.id,
                "category_ids": [(6, 0, self.kinds["fault"].ids)],
                "stage_id": self.done.id,
                "hours": 1,
            }
        )
        names = self.ticket(self.unit, "fault").ticket_sla_ids.mapped("name")
        self.assertNotIn("Other site: faults in an hour", names)
        names = self.ticket(self.unit_other, "fault").ticket_sla_ids.mapped("name")
        self.assertIn("Other site: faults in an hour", names)

    # --- e-mail ---------------------------------------------------------------------------

    def test_an_email_to_the_sites_address_opens_a_ticket_of_the_senders_unit(self):
        self.assertEqual(self.teams["helpdesk"].alias_email, "yesil-help@sites.example.com")
        ticket_id = self.env["mail.thread"].message_process(
            False,
            EMAIL.format(to="yesil-help@sites.example.com", subject="No heating", msgid="h1"),
        )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.name, "No heating")
        self.assertEqual(ticket.team_id, self.teams["helpdesk"])
        self.assertEqual(ticket.company_id, self.site)
        self.assertEqual(ticket.partner_id, self.ali)
        self.assertEqual(ticket.site_unit_id, self.unit)
        self.assertEqual(
            ticket.channel_id, self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        )

    def test_the_unit_of_a_sender_of_several_units_is_left_to_the_staff(self):
        self.relate(self.ali, role="tenant", unit=self.unit_b)
        ticket_id = self.env["mail.thread"].message_process(
            False,
            EMAIL.format(to="yesil-help@sites.example.com", subject="Which flat", msgid="h2"),
        )
        ticket = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(ticket.partner_id, self.ali)
        self.assertFalse(ticket.site_unit_id)
