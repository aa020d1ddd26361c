from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.site_governance.tests.common import GovernanceCase


@tagged("post_install", "-at_install")
class TestNoticesSent(GovernanceCase):
    """Site A's owners get the assembly's notice: Ali, Berk and Deniz by e-mail, Cem
    (no e-mail address) by registered letter."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cem.write({"email": False, "street": "Begonya Sok. 3", "city": "İstanbul"})
        Template = cls.env["site.message.template"]
        cls.email = Template.create(
            {
                "name": "Assembly notice",
                "company_id": cls.site.id,
                "channel": "email",
                "subject": "General assembly, {{site}}",
                "body": "Dear {{partner_name}}, the owners of {{unit}} are invited to the "
                "general assembly on 10 March at 19:00.",
            }
        )
        cls.letter = Template.create(
            {
                "name": "Assembly notice (letter)",
                "company_id": cls.site.id,
                "channel": "letter",
                "subject": "General assembly",
                "body": "Dear {{partner_name}}, you are invited to the general assembly.",
            }
        )
        cls.assembly = cls.env["site.assembly"].create(
            {
                "name": "General Assembly",
                "company_id": cls.site.id,
                "date": fields.Datetime.now(),
            }
        )
        cls.assembly.action_generate_notices()
        cls.notice_of = {notice.partner_id: notice for notice in cls.assembly.notice_ids}
        cls.notice_of[cls.cem].method = "registered"

    def test_notices_are_queued_once(self):
        with self.assertRaisesRegex(UserError, "Notice by E-mail"):
            self.assembly.action_send_notices()
        self.assembly.notice_email_template_id = self.email
        with self.assertRaisesRegex(UserError, "Notice by Letter"):
            self.assembly.action_send_notices()
        self.assembly.notice_letter_template_id = self.letter
        self.assembly.action_send_notices()
        notices = self.assembly.notice_ids
        self.assertTrue(all(notices.mapped("sent_on")))
        self.assertEqual(
            {(n.partner_id, n.message_id.channel) for n in notices},
            {
                (self.ali, "email"),
                (self.berk, "email"),
                (self.deniz, "email"),
                (self.cem, "letter"),
            },
        )
        berk = self.notice_of[self.berk].message_id
        self.assertEqual(berk.document_ref, f"site.assembly,{self.assembly.id}")
        self.assertEqual(berk.unit_ids, self.a2)
        self.assertIn("A-2", berk.body)
        # again, after a notice was reset: nothing is sent twice
        self.notice_of[self.ali].sent_on = False
        count = self.env["site.message"].search_count([("document_ref", "=", berk.document_ref)])
        self.assembly.action_send_notices()
        self.assertEqual(
            self.env["site.message"].search_count([("document_ref", "=", berk.document_ref)]),
            count,
        )
        self.assertFalse(self.notice_of[self.ali].sent_on)
        self.assertIn("Ali", self.assembly.message_ids[0].body)
