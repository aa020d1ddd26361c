import re

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.site_portal.tests.common import PortalCase

LINK = re.compile(r"https?://\S+/site/pay/(\S+)")


@tagged("post_install", "-at_install")
class TestPortalMessages(PortalCase):
    """Charge notices sent after an accrual run carry a link paying the notice without
    signing in; announcements going live tell their audience, once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.berk, cls.cem = cls.owners[1:]
        for number, partner in enumerate((cls.ali, cls.berk, cls.cem, cls.emre), start=1):
            partner.write({"phone": f"+90 532 111 22 0{number}", "lang": "en_US"})
        Template = cls.env["site.message.template"]
        cls.notice_template = Template.create(
            {
                "name": "Charge notice",
                "company_id": cls.site.id,
                "channel": "sms",
                "body": "{{unit}} owes {{balance}}. Pay: {{payment_link}}",
            }
        )
        cls.announcement_template = Template.create(
            {
                "name": "Announcement",
                "company_id": cls.site.id,
                "channel": "sms",
                "body": "{{site}}: a new announcement for {{unit}} on the portal.",
            }
        )
        for site in cls.site | cls.site_b:
            site.write({"site_sms_provider": "log", "site_quiet_start": 0.0, "site_quiet_end": 0.0})
        cls.site.write(
            {
                "site_auto_charge_notice": True,
                "site_auto_charge_notice_template_id": cls.notice_template.id,
                "site_auto_announcement": True,
                "site_auto_announcement_template_id": cls.announcement_template.id,
            }
        )
        cls.Auto = cls.env["site.message.automation"]

    def messages(self, template):
        return self.env["site.message"].search([("template_id", "=", template.id)])

    def test_accrual_run_sends_its_notices_with_a_pay_link(self):
        plan = self.plan(date_start=self.month, date_end=self.month, amount_monthly=2400.0)
        with trap_jobs() as trap:
            runs = self.env["site.accrual.run"]._accrue(plan, self.month)
        trap.assert_enqueued_job(self.Auto._job_charge_notices, args=(runs,))
        with trap_jobs():
            trap.perform_enqueued_jobs()
        messages = self.messages(self.notice_template)
        self.assertEqual(messages.partner_id, self.ali | self.berk | self.cem)
        ali = messages.filtered(lambda m: m.partner_id == self.ali)
        # Ali owed 1,100.00 (two months of last year, less 100 paid) and now 700.00 more
        self.assertIn("A-1 owes 1,800.00 ₺. Pay: http", ali.body)
        token = LINK.search(ali.body).group(1)
        # the link opens the payment page of A-1 without signing in, for what is owed
        page = self.url_open(f"/site/pay/{token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("A-1", page.text)
        self.assertIn("1,800.00", page.text)
        # each person's link is their own
        cem = messages.filtered(lambda m: m.partner_id == self.cem)
        self.assertNotEqual(LINK.search(cem.body).group(1), token)
        self.assertIn("A-3 owes 900.00 ₺", cem.body)
        # a tampered link opens nothing
        self.assertEqual(self.url_open(f"/site/pay/{token[:-2]}xx").status_code, 404)
        # charging the month again sends nothing twice
        with trap_jobs() as trap:
            self.env["site.accrual.run"]._accrue(plan, self.month)
        with trap_jobs():
            trap.perform_enqueued_jobs()
        self.assertEqual(self.messages(self.notice_template), messages)

    def test_no_link_for_what_is_not_owed(self):
        links = self.env["site.message.template"]._site_payment_links(
            self.site, {self.ali: self.u1 | self.u2, self.berk: self.u2}
        )
        self.assertEqual(set(links), {self.ali.id})
        self.assertNotIn("A-1:", links[self.ali.id])  # one unit owing: one plain link
        self.assertIn("/site/pay/", links[self.ali.id])

    def announce(self, site=None, **values):
        return self.env["site.announcement"].create(
            dict(
                {
                    "title": "Water cut on Monday",
                    "body": "<p>The water is cut from 9 to 12.</p>",
                    "company_id": (site or self.site).id,
                },
                **values,
            )
        )

    def test_published_announcement_tells_its_audience_once(self):
        announcement = self.announce()
        with trap_jobs() as trap:
            announcement.action_publish()
        trap.assert_enqueued_job(self.Auto._job_announcements, args=(announcement,))
        with trap_jobs():
            trap.perform_enqueued_jobs()
        messages = self.messages(self.announcement_template)
        self.assertEqual(messages.partner_id, self.ali | self.berk | self.cem)
        self.assertNotIn(self.emre, messages.partner_id)  # another site's resident
        self.assertEqual(
            messages.filtered(lambda m: m.partner_id == self.ali).body,
            "Dues Test Sitesi: a new announcement for A-1 on the portal.",
        )
        self.assertEqual(
            set(messages.mapped("document_ref")), {f"site.announcement,{announcement.id}"}
        )
        # taken off and published again, or the job run again: nothing twice
        announcement.action_draft()
        with trap_jobs() as trap:
            announcement.action_publish()
        trap.assert_jobs_count(0, only=self.Auto._job_announcements)
        self.assertEqual(
            self.Auto._job_announcements(announcement), "0 announcement messages queued"
        )
        self.assertEqual(self.messages(self.announcement_template), messages)

    def test_owners_announcement_reaches_owners_only(self):
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u2.id,
                "partner_id": self.tenant.id,
                "role": "tenant",
                "date_from": self.month,
            }
        )
        self.tenant.phone = "+90 532 111 22 09"
        owners = self.announce(audience="owners")
        with trap_jobs():
            owners.action_publish()
            self.Auto._job_announcements(owners)
        self.assertEqual(
            self.messages(self.announcement_template).partner_id, self.ali | self.berk | self.cem
        )

    def test_announcements_switched_off_or_not_live(self):
        self.site.site_auto_announcement = False
        announcement = self.announce()
        with trap_jobs() as trap:
            announcement.action_publish()
        trap.assert_jobs_count(0, only=self.Auto._job_announcements)
        self.assertEqual(
            self.Auto._job_announcements(announcement), "0 announcement messages queued"
        )
        self.site.site_auto_announcement = True
        draft = self.announce()
        self.assertEqual(self.Auto._job_announcements(draft), "0 announcement messages queued")
        self.assertFalse(self.messages(self.announcement_template))
