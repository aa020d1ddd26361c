from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs

from .common import FakeSmsapi, MessagingCase


@tagged("post_install", "-at_install")
class TestSmsapi(MessagingCase):
    """SMSAPI's requests, its error answers and its delivery statuses against a local
    server that answers like SMSAPI."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smsapi = FakeSmsapi()
        cls.addClassCleanup(cls.smsapi.stop)
        cls.site.write(
            {
                "site_sms_provider": "smsapi",
                "site_sms_endpoint": cls.smsapi.url,
                "site_sms_password": "token-123",
            }
        )

    def setUp(self):
        super().setUp()
        self.smsapi.sent.clear()
        self.smsapi.requests.clear()
        self.smsapi.send_answers.clear()

    def test_one_request_per_text_with_idx(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(len(self.smsapi.requests), 3)
        path, params = self.smsapi.requests[0]
        self.assertEqual(path, "/sms.do")
        self.assertEqual((params["from"], params["check_idx"]), ("KARANFIL", "1"))
        self.assertEqual(
            sorted(number for number, _text, _idx in self.smsapi.sent),
            ["905321112201", "905321112202", "905321112203"],
        )
        self.assertEqual(
            {idx for _number, _text, idx in self.smsapi.sent}, set(messages.mapped("uuid"))
        )
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(len(set(messages.mapped("gateway_ref"))), 3)

    def test_refused_token_fails_with_the_reason(self):
        self.site.sudo().site_sms_password = "wrong"
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.run_jobs(trap)
        self.assertEqual(messages.state, "failed")
        self.assertEqual(messages.failure_reason, "SMSAPI 101: Authorization failed")

    def test_failure_in_the_middle_keeps_what_was_sent_and_queues_the_rest(self):
        self.smsapi.send_answers[:] = [None, 203]
        messages, trap = self.send(self.wizard(audience="owner"))
        with trap_jobs() as rest_trap:
            self.assertFalse(self.run_jobs(trap))
        self.assertEqual(len(self.smsapi.sent), 1)
        sent = messages.filtered(lambda m: m.state == "sent")
        self.assertEqual(len(sent), 1)
        rest_trap.assert_jobs_count(1)
        self.assertEqual(rest_trap.enqueued_jobs[0].recordset, messages - sent)
        self.assertTrue(rest_trap.enqueued_jobs[0].eta)
        self.run_jobs(rest_trap)
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(len(self.smsapi.sent), 3)
        self.assertEqual(len({n for n, _t, _i in self.smsapi.sent}), 3)

    def test_http_failure_retries_the_job(self):
        self.smsapi.send_answers[:] = ["502"]
        messages, trap = self.send(self.wizard(audience="tenant"))
        errors = self.run_jobs(trap)
        self.assertEqual([str(e) for e in errors], ["SMSAPI: HTTP 502"])
        self.assertEqual(messages.state, "sent")

    def test_delivery_statuses(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        by_partner = {m.partner_id: m for m in messages}
        self.smsapi.statuses.update(
            {
                by_partner[self.ali].gateway_ref: "DELIVERED",
                by_partner[self.berk].gateway_ref: "EXPIRED",
            }
        )
        with trap_jobs() as poll:
            self.env["site.message"]._cron_poll_delivery()
        self.run_jobs(poll)
        self.assertEqual(by_partner[self.ali].state, "delivered")
        self.assertEqual(
            (by_partner[self.berk].state, by_partner[self.berk].failure_reason),
            ("failed", "expired"),
        )
        self.assertEqual(by_partner[self.cem].state, "sent")
