from datetime import date

from odoo.tests import tagged

from odoo.addons.site_legal.tests.common import LegalCase


@tagged("post_install", "-at_install")
class TestNoticeMessages(LegalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.site_require_consent = False
        cls.ali.write(
            {
                "email": "ali@example.com",
                "street": "Bağdat Cad. 1",
                "city": "İstanbul",
                "zip": "34000",
                "country_id": cls.env.ref("base.tr").id,
            }
        )
        cls.charge(cls.u1, 800, date(2026, 3, 10))
        cls.charge(cls.u2, 900, date(2026, 3, 10))  # Berk: no e-mail, no address
        Template = cls.env["site.message.template"]
        cls.letter, cls.email = Template.create(
            [
                {
                    "name": "Formal notice letter",
                    "company_id": cls.site.id,
                    "channel": channel,
                    "subject": "Formal notice",
                    "body": "Dear {{partner_name}}, you owe {{balance}} for {{unit}}.",
                }
                for channel in ("letter", "email")
            ]
        )

    def batch(self):
        return self.env["site.legal.notice.batch"].create(
            {
                "company_id": self.site.id,
                "date": date(2026, 6, 30),
                "min_amount": 500,
                "message_template_ids": [(6, 0, (self.letter | self.email).ids)],
            }
        )

    def messages(self):
        return self.env["site.message"].search([("company_id", "=", self.site.id)])

    def test_notices_are_sent_once_per_template(self):
        batch = self.batch()
        batch.action_log_notices()
        self.assertEqual(len(batch.notice_ids), 2)
        ali_notice = batch.notice_ids.filtered(lambda n: n.partner_id == self.ali)
        messages = self.messages()
        self.assertEqual(messages.partner_id, self.ali, "Berk has no address for either channel")
        self.assertEqual(sorted(messages.mapped("channel")), ["email", "letter"])
        self.assertEqual(
            set(messages.mapped("document_ref")), {f"site.legal.notice,{ali_notice.id}"}
        )
        self.assertEqual(messages.unit_id, self.u1)
        self.assertIn("Ali", messages[0].body)
        self.assertEqual(ali_notice.message_count, 2)

        # the same batch again, and a send by hand: nothing twice
        self.batch().action_log_notices()
        batch.action_send_messages()
        self.assertEqual(self.messages(), messages)
