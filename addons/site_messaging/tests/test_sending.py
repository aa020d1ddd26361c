import io
from datetime import date

import openpyxl
from psycopg2 import IntegrityError

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.site_dues.tests.xlsx import xlsx_report

from .common import MessagingCase


@tagged("post_install", "-at_install")
class TestSending(MessagingCase):
    def test_audience_roles_and_buildings(self):
        people = lambda wizard: set(wizard._recipients())  # noqa: E731
        self.assertEqual(people(self.wizard(audience="owner")), {self.ali, self.berk, self.cem})
        self.assertEqual(people(self.wizard(audience="tenant")), {self.tenant})
        self.assertEqual(len(people(self.wizard())), 4)
        block_b = self.env["site.building"].create(
            {"name": "Blok B", "code": "B", "company_id": self.site.id}
        )
        self.u3.building_id = block_b
        self.assertEqual(
            people(self.wizard(audience="owner", building_ids=[block_b.id])), {self.cem}
        )

    def test_debtors_above_an_amount_and_overdue(self):
        self.env["site.accrual.run"]._accrue(self.plan(amount_monthly=2400.0), date(2026, 1, 1))
        # Ali 700, the tenant of A-2 800 (running costs), Cem 900; Berk owes nothing
        debtors = self.wizard(min_balance=750.0)._recipients()
        self.assertEqual(set(debtors), {self.tenant, self.cem})
        # the charges fell due on 10 January 2026
        overdue = self.wizard(overdue_days=30)._recipients()
        self.assertEqual(set(overdue), {self.ali, self.tenant, self.cem})
        self.assertFalse(self.wizard(overdue_days=36500)._recipients())

    def test_preview_count_and_cost_then_send_through_jobs(self):
        self.cem.site_sms_opt_out = True
        wizard = self.wizard(audience="owner")
        self.assertEqual(wizard.recipient_count, 2)
        self.assertEqual(wizard.skipped_count, 1)
        self.assertAlmostEqual(wizard.cost_estimate, 0.70)
        self.assertIn("Sayın Ali", wizard.preview)
        self.assertIn("opted out", wizard.preview)
        messages, trap = self.send(wizard)
        self.assertEqual(messages.partner_id, self.ali | self.berk)
        self.assertEqual(set(messages.mapped("state")), {"queued"})
        trap.assert_jobs_count(1, only=messages._job_send_sms)
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(messages.mapped("sender"), ["KARANFIL"] * 2)
        ali = messages.filtered(lambda m: m.partner_id == self.ali)
        self.assertEqual(ali.destination, "+905321112201")
        self.assertTrue(ali.gateway_ref.startswith("log-"))

    def test_a_rerun_sends_nothing_twice(self):
        wizard = self.wizard()
        messages, trap = self.send(wizard)
        self.run_jobs(trap)
        again, trap = self.send(wizard)
        self.assertEqual(again, messages)
        trap.assert_jobs_count(0)
        # the database refuses a second message with the same key
        values = messages[0].copy_data()[0]
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.env["site.message"].create(values)
        # another bulk send is another document: it sends again
        other, trap = self.send(self.wizard())
        self.assertEqual(len(other), 4)
        self.assertFalse(other & messages)

    def test_opt_out_after_queueing_fails_the_message(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.ali.site_sms_opt_out = True
        self.run_jobs(trap)
        ali = messages.filtered(lambda m: m.partner_id == self.ali)
        self.assertEqual(ali.state, "failed")
        self.assertIn("opted out", ali.failure_reason)
        self.assertEqual((messages - ali).mapped("state"), ["sent", "sent"])

    def test_quiet_hours_delay_the_job(self):
        self.site.write({"site_quiet_start": 0.0, "site_quiet_end": 23.99})
        self.site.partner_id.tz = "Europe/Istanbul"
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.assertTrue(trap.enqueued_jobs[0].eta)
        errors = self.run_jobs(trap)
        self.assertEqual(len(errors), 1)
        self.assertIsInstance(errors[0], RetryableJobError)
        self.assertTrue(errors[0].ignore_retry)  # waiting is not a failed try
        self.assertEqual(messages.state, "queued")

    def test_email_goes_through_odoo_mail_with_the_sites_reply_to(self):
        template = self.make_template(
            "Mail",
            "Dear {{partner_name}},\nyou owe {{balance}}.",
            channel="email",
            subject="Balance of {{unit}}",
        )
        messages, trap = self.send(self.wizard(template=template, audience="owner"))
        self.assertEqual(messages.partner_id, self.ali | self.berk)  # Cem has no e-mail
        self.run_jobs(trap)
        ali = messages.filtered(lambda m: m.partner_id == self.ali)
        self.assertEqual(ali.state, "sent")
        self.assertEqual(ali.mail_id.email_to, "ali@example.com")
        self.assertEqual(ali.mail_id.reply_to, "yonetim@karanfil.example.com")
        self.assertEqual(ali.mail_id.subject, "Balance of A-1")
        self.assertIn("Dear Ali,<br/>you owe 0,00 ₺.", ali.mail_id.body_html)

    def test_letters_print_as_one_batch(self):
        template = self.make_template(
            "Letter", "Dear {{partner_name}}", channel="letter", subject="Notice"
        )
        for partner in self.owners:
            partner.write({"street": "Bağdat Cad.", "city": "İstanbul"})
        self.env["ir.config_parameter"].set_param("site_messaging.batch_size", 2)
        messages, trap = self.send(self.wizard(template=template, audience="all"))
        self.assertEqual(len(messages), 4)
        trap.assert_jobs_count(1)  # letters batch apart from SMS and e-mail
        self.assertAlmostEqual(sum(messages.mapped("cost")), 80.0)
        self.run_jobs(trap)
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(len(messages.letter_attachment_id), 1)
        self.assertIn(b"Dear Cem", messages.letter_attachment_id.raw)

    def test_archive_counts_by_channel_and_state(self):
        messages, trap = self.send(self.wizard())
        self.run_jobs(trap)
        self.cem.site_sms_opt_out = True
        self.assertEqual(self.ali.site_message_count, 1)
        groups = dict(
            self.env["site.message"]._read_group(
                [("company_id", "=", self.site.id)], ["state"], ["__count"]
            )
        )
        self.assertEqual(groups, {"sent": 4})
        with trap_jobs() as trap:
            messages[0]._fail("test")
            messages[0].action_retry()
        trap.assert_jobs_count(1)

    def test_consent_withdrawn_or_required(self):
        Consent = self.env["site.privacy.consent"]
        Consent.create(
            {
                "partner_id": self.ali.id,
                "company_id": self.site.id,
                "law": "kvkk",
                "purpose": "communication",
                "date_given": date(2024, 1, 1),
                "date_withdrawn": date(2025, 1, 1),
            }
        )
        Consent.create(
            {
                "partner_id": self.berk.id,
                "company_id": self.site.id,
                "law": "kvkk",
                "purpose": "communication",
                "date_given": date(2024, 1, 1),
            }
        )
        wizard = self.wizard(audience="owner")
        self.assertEqual(set(wizard._recipients()), {self.ali, self.berk, self.cem})
        self.assertEqual(wizard.recipient_count, 2)  # Ali withdrew his consent
        self.assertIn("not consented", wizard.preview)
        self.site.site_require_consent = True
        wizard = self.wizard(audience="owner")
        self.assertEqual(wizard.recipient_count, 1)  # Berk alone consented
        messages, _trap = self.send(wizard)
        self.assertEqual(messages.partner_id, self.berk)

    def test_refused_email_fails_its_message(self):
        template = self.make_template(
            "Mail", "Dear {{partner_name}}", channel="email", subject="Hello"
        )
        messages, trap = self.send(self.wizard(template=template, audience="owner"))
        self.run_jobs(trap)
        ali = messages.filtered(lambda m: m.partner_id == self.ali)
        ali.mail_id._postprocess_sent_message(
            success_pids=self.env["res.partner"],
            success_emails=[],
            failure_reason="550 No such user",
            failure_type="mail_smtp",
        )
        self.assertEqual((ali.state, ali.failure_reason), ("failed", "550 No such user"))
        self.assertEqual((messages - ali).state, "sent")

    def test_jobs_run_in_their_channels(self):
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.assertEqual(trap.enqueued_jobs[0].channel, "root.site_messaging.sms")
        template = self.make_template("Mail", "Hi", channel="email", subject="Hello")
        _messages, trap = self.send(self.wizard(template=template, audience="owner"))
        self.assertEqual(trap.enqueued_jobs[0].channel, "root.site_messaging.email")

    def test_a_persons_messages_on_their_contact_and_unit(self):
        self.u3.relation_ids.partner_id = self.ali  # Ali owns
        messages, _trap = self.send(self.wizard(audience="owner"))
        ali = messages.filtered(lambda m: m.partner_id == self.ali)
        self.assertEqual((ali.unit_codes, ali.unit_ids), ("A-1, A-3", self.u1 | self.u3))
        self.assertEqual(self.ali.site_message_count, 1)
        action = self.u3.action_view_site_messages()
        self.assertEqual(self.env["site.message"].search(action["domain"]), ali)
        action = self.ali.action_view_site_messages()
        self.assertEqual(self.env["site.message"].search(action["domain"]), ali)

    def test_the_same_batch_is_queued_once(self):
        messages, _trap = self.send(self.wizard(audience="tenant"))
        Job = self.env["queue.job"].sudo()
        before = Job.search_count([("model_name", "=", "site.message")])
        messages._enqueue()
        messages._enqueue()  # a double click
        jobs = Job.search([("model_name", "=", "site.message")])
        self.assertEqual(len(jobs) - before, 1)
        self.assertEqual(jobs[0].channel, "root.site_messaging.sms")

    def test_wizard_form_previews_while_choosing(self):
        with Form(self.env["site.message.wizard"].with_company(self.site)) as form:
            form.template_id = self.template
            self.assertEqual(form.recipient_count, 4)
            form.audience = "tenant"
            self.assertEqual(form.recipient_count, 1)
            self.assertAlmostEqual(form.cost_estimate, 0.35)
            self.assertIn("Sayın Deniz", form.preview)
        with Form(self.template) as form:
            form.body = "Ş" * 71
            self.assertEqual((form.sms_encoding, form.sms_segments), ("ucs2", 2))

    def test_without_a_document_a_person_gets_a_template_once(self):
        Message = self.env["site.message"]
        with trap_jobs():
            first = Message._site_queue(self.template, {self.ali: self.u1})
            again = Message._site_queue(self.template, {self.ali: self.u1})
        self.assertEqual(len(first), 1)
        self.assertFalse(again)

    def test_archive_as_xlsx(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        name, content = xlsx_report(
            self.env, "site_messaging.action_report_site_message_xlsx", messages
        )
        self.assertEqual(name, "Messages.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:5], ("Date", "Site", "Channel", "Template", "Recipient"))
        self.assertEqual(sorted(row[4] for row in rows[1:]), ["Ali", "Berk", "Cem"])
        self.assertEqual({row[8] for row in rows[1:]}, {"Sent"})
