from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.site_dues.tests.xlsx import xlsx_report
from odoo.addons.site_residents.tests.common import site_user

from .common import MessagingCase


@tagged("post_install", "-at_install")
class TestAccess(MessagingCase):
    """Two managers of two sites, by the ORM: neither reads nor sends the other's
    messages, templates or bulk sends."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_b = cls.env["res.company"].create(
            {"name": "Messaging Site B", "is_site": True, "country_id": cls.env.ref("base.pl").id}
        )
        cls.env.user.company_ids |= cls.site_b
        cls.manager_a = site_user(
            cls.env, "msg_manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = site_user(
            cls.env, "msg_manager_b", "site_residents.group_site_manager", cls.site_b
        )
        cls.board_a = site_user(cls.env, "msg_board_a", "site_residents.group_site_board", cls.site)
        cls.template_b = cls.make_template("B reminder", "Saldo {{balance}}", site=cls.site_b)

    def as_user(self, user):
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        )

    def test_each_manager_sends_in_their_site_only(self):
        env_a, env_b = self.as_user(self.manager_a), self.as_user(self.manager_b)
        template = env_a["site.message.template"].create(
            {"name": "A", "company_id": self.site.id, "body": "Hi {{partner_name}}"}
        )
        wizard = env_a["site.message.wizard"].create(
            {"company_id": self.site.id, "template_id": template.id, "audience": "owner"}
        )
        self.assertEqual(wizard.recipient_count, 3)
        with trap_jobs() as trap:
            wizard.action_send()
        self.run_jobs(trap)
        messages = wizard.message_ids
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(messages.user_id, self.manager_a)

        # manager B sees none of it
        Message_b = env_b["site.message"]
        self.assertFalse(Message_b.search([("id", "in", messages.ids)]))
        with self.assertRaises(AccessError):
            Message_b.browse(messages.ids).read(["body"])
        self.assertFalse(env_b["site.message.template"].search([("id", "=", template.id)]))
        with self.assertRaises(AccessError):
            env_b["site.message.template"].browse(template.id).read(["body"])
        with self.assertRaises(AccessError):
            env_b["site.message.wizard"].browse(wizard.id).read(["preview"])
        with self.assertRaises(AccessError):
            env_b["site.message.wizard"].browse(wizard.id).action_send()
        # nor can B send A's template from a bulk send of B's own, or of site A
        with self.assertRaises(UserError):
            env_b["site.message.wizard"].create(
                {"company_id": self.site_b.id, "template_id": template.id}
            )
        with self.assertRaises(AccessError):
            env_b["site.message.wizard"].create(
                {"company_id": self.site.id, "template_id": template.id}
            )
        with self.assertRaises(AccessError):
            env_b["site.message"]._site_queue(
                env_b["site.message.template"].browse(template.id), {}
            )
        with self.assertRaises(AccessError):
            xlsx_report(env_b, "site_messaging.action_report_site_message_xlsx", messages)
        # and A does not see B's templates
        self.assertFalse(env_a["site.message.template"].search([("id", "=", self.template_b.id)]))

    def test_board_members_read_the_archive_only(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        env = self.as_user(self.board_a)
        self.assertEqual(env["site.message"].search([("id", "in", messages.ids)]), messages)
        with self.assertRaises(AccessError):
            env["site.message.template"].create(
                {"name": "X", "company_id": self.site.id, "body": "x"}
            )
        with self.assertRaises(AccessError):
            env["site.message.wizard"].create(
                {"company_id": self.site.id, "template_id": self.template.id}
            )
        messages[0]._fail("test")
        with self.assertRaises(AccessError):
            env["site.message"].browse(messages.ids).action_retry()
