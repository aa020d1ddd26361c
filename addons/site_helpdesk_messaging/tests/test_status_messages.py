from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.site_helpdesk.tests.common import HelpdeskSetup
from odoo.addons.site_residents.tests.common import SiteCase


@tagged("post_install", "-at_install")
class TestStatusMessages(SiteCase, HelpdeskSetup):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.relate(cls.ali)
        cls.ali.write({"phone": "+90 532 111 22 01", "lang": "en_US"})
        cls.teams, cls.tech, _manager = cls.setup_helpdesk(cls.site)
        cls.template = cls.env["site.message.template"].create(
            {
                "name": "Ticket status",
                "company_id": cls.site.id,
                "channel": "sms",
                "body": "{{site}}: your request {{document}} about {{unit}} is now {{status}}.",
            }
        )
        cls.site.write(
            {
                "site_sms_provider": "log",
                "site_quiet_start": 0.0,
                "site_quiet_end": 0.0,
                "site_auto_helpdesk": True,
                "site_auto_helpdesk_template_id": cls.template.id,
            }
        )
        cls.in_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")

    def messages(self):
        return self.env["site.message"].search([("template_id", "=", self.template.id)])

    def test_a_status_change_tells_the_reporter_once(self):
        ticket = self.ticket(self.unit, "fault", partner=self.ali)
        self.assertFalse(self.messages())  # a new ticket is no change
        with trap_jobs() as trap:
            ticket.stage_id = self.in_progress
        message = self.messages()
        self.assertEqual(message.partner_id, self.ali)
        self.assertEqual(message.unit_id, self.unit)
        self.assertEqual(message.document_ref, f"helpdesk.ticket,{ticket.id}:{self.in_progress.id}")
        self.assertEqual(
            message.body,
            f"{self.site.name}: your request {ticket.number} {ticket.name} about A-1 "
            "is now In Progress.",
        )
        self.assertEqual(message.state, "queued")
        trap.assert_jobs_count(1, only=message._job_send_sms)
        self.ali.lang = "tr_TR"
        with trap_jobs():
            ticket.stage_id = self.done
            ticket.stage_id = self.in_progress  # back to a status already told
        told = self.messages() - message
        self.assertIn(self.done.with_context(lang="tr_TR").name, told.body)
        self.assertEqual(
            sorted(self.messages().mapped("document_ref")),
            sorted(
                f"helpdesk.ticket,{ticket.id}:{stage.id}" for stage in (self.in_progress, self.done)
            ),
        )

    def test_a_staff_reply_that_takes_the_ticket_in_hand_is_a_status_change(self):
        ticket = self.ticket(self.unit, "fault", partner=self.ali)
        with trap_jobs():
            ticket.with_user(self.tech).message_post(
                body="On our way", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(ticket.stage_id, self.in_progress)
        self.assertEqual(len(self.messages()), 1)

    def test_no_message_without_the_switch_or_a_reporter(self):
        ticket = self.ticket(self.unit, "fault")
        with trap_jobs():
            ticket.stage_id = self.in_progress
        self.assertFalse(self.messages())
        self.site.site_auto_helpdesk = False
        ticket = self.ticket(self.unit, "fault", partner=self.ali)
        with trap_jobs():
            ticket.stage_id = self.in_progress
        self.assertFalse(self.messages())

    def test_the_switch_needs_a_template_of_the_site(self):
        with self.assertRaisesRegex(ValidationError, "Ticket Status Template"):
            self.site.site_auto_helpdesk_template_id = False
        other = self.template.copy({"company_id": self.other_site.id})
        with self.assertRaisesRegex(ValidationError, "site's own templates"):
            self.site.site_auto_helpdesk_template_id = other
