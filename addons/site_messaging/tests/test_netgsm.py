from odoo.tests import tagged

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import FakeNetgsm, MessagingCase


@tagged("post_install", "-at_install")
class TestNetgsm(MessagingCase):
    """Netgsm's requests, its error answers and its delivery reports against a local
    server that answers like Netgsm."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.netgsm = FakeNetgsm()
        cls.addClassCleanup(cls.netgsm.stop)
        cls.site.write(
            {
                "site_sms_provider": "netgsm",
                "site_sms_endpoint": cls.netgsm.url,
                "site_sms_login": "8501234567",
                "site_sms_password": "s3cret",
            }
        )

    def setUp(self):
        super().setUp()
        self.netgsm.sent.clear()
        self.netgsm.requests.clear()
        self.netgsm.send_answers.clear()

    def test_send_one_request_per_batch_in_turkish(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(len(self.netgsm.requests), 1)
        path, body = self.netgsm.requests[0]
        self.assertEqual(path, "/sms/send/xml")
        self.assertIn('<company dil="TR">', body)
        self.assertIn("<type>n:n</type>", body)
        self.assertEqual(
            sorted(self.netgsm.sent),
            [
                ("905321112201", "Sayın Ali, A-1 borcu 0,00 ₺, son ödeme ."),
                ("905321112202", "Dear Berk, A-2 owes 0.00 ₺, due ."),
                ("905321112203", "Dear Cem, A-3 owes 0.00 ₺, due ."),
            ],
        )
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(len(set(messages.mapped("gateway_ref"))), 1)

    def test_refusal_fails_the_messages_with_netgsms_reason(self):
        self.site.site_sms_sender = "UNKNOWN"
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(messages.state, "failed")
        self.assertEqual(messages.failure_reason, "Netgsm 40: the sender name is not registered")
        self.site.site_sms_sender = "KARANFIL"
        self.site.sudo().site_sms_password = "wrong"
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.run_jobs(trap)
        self.assertIn("Netgsm 30: invalid user code or password", messages.failure_reason)
        self.assertFalse(self.netgsm.sent)

    def test_gateway_failure_is_retried_then_fails_with_the_reason(self):
        self.netgsm.send_answers[:] = ["100", 503]
        messages, trap = self.send(self.wizard(audience="tenant"))
        job = trap.enqueued_jobs[0]
        self.assertEqual(job.job_config.retry_pattern, {1: 60, 2: 300, 3: 900, 4: 3600})
        errors = self.run_jobs(trap)
        # two failed tries, each postponed by the back-off pattern, then sent
        self.assertEqual([type(e) for e in errors], [RetryableJobError] * 2)
        self.assertEqual(str(errors[0]), "Netgsm 100: system error")
        self.assertEqual(messages.state, "sent")
        self.assertEqual(len(self.netgsm.sent), 1)

        self.netgsm.send_answers[:] = ["100"] * 10
        messages, trap = self.send(self.wizard(audience="tenant"))
        trap.enqueued_jobs[0].max_retries = 3
        errors = self.run_jobs(trap)
        self.assertEqual(
            [type(e) for e in errors], [RetryableJobError, RetryableJobError, FailedJobError]
        )
        self.assertEqual(messages.state, "failed")
        self.assertIn("Netgsm 100: system error", messages.failure_reason)

    def test_a_restart_in_the_middle_of_a_batch_sends_nothing_twice(self):
        self.env["ir.config_parameter"].set_param("site_messaging.batch_size", 2)
        messages, trap = self.send(self.wizard())
        trap.assert_jobs_count(2)
        first, second = trap.enqueued_jobs
        first.perform()
        self.assertEqual(len(self.netgsm.sent), 2)
        # the worker died after the first batch: after the restart both jobs run again
        first.perform()
        second.perform()
        self.env.invalidate_all()
        self.assertEqual(len(self.netgsm.sent), 4)
        self.assertEqual(len({number for number, _text in self.netgsm.sent}), 4)
        self.assertEqual(set(messages.mapped("state")), {"sent"})

    def test_delivery_reports_update_the_messages(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        self.netgsm.statuses.update({"905321112201": 1, "905321112202": 3})
        with trap_jobs() as poll:
            self.env["site.message"]._cron_poll_delivery()
        poll.assert_jobs_count(1)
        self.run_jobs(poll)
        by_partner = {m.partner_id: m for m in messages}
        self.assertEqual(by_partner[self.ali].state, "delivered")
        self.assertTrue(by_partner[self.ali].date_delivered)
        self.assertEqual(by_partner[self.berk].state, "failed")
        self.assertEqual(by_partner[self.berk].failure_reason, "invalid or restricted number")
        self.assertEqual(by_partner[self.cem].state, "sent")  # still waiting at the operator
        path, query = self.netgsm.requests[-1]
        self.assertEqual(path, "/sms/report")
        self.assertEqual(query["bulkid"], by_partner[self.ali].gateway_ref)
