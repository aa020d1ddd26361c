import json

from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from .common import FakeHandler, FakeServer, MessagingCase


class FakeTurbosms(FakeServer):
    """A local HTTP server that answers like TurboSMS's HTTP API: always HTTP 200 with
    ``response_code`` / ``response_status`` / ``response_result``; ``message/send.json``
    answers a result per recipient (a message id, or the code refusing that number) and a
    repeated ``sequence_id`` the first request's results without sending anything;
    ``message/status.json`` answers each message's status. ``send_answers`` are the
    answers of the next sends: a response code refusing the request, or "lost" (sent,
    then the connection drops with HTTP 502)."""

    TOKEN = "turbo-token"
    SENDER = "KARANFIL"

    def __init__(self):
        self.sent = []  # (number, text) of every SMS the server accepted
        self.requests = []  # (path, Authorization header, JSON body)
        self.send_answers = []
        self.stop_list = set()
        self.statuses = {}  # message id: status
        self.sequences = {}  # sequence_id: the results it was answered
        fake = self

        class Handler(FakeHandler):
            def _json(self, code, status, result=None, http_status=200):
                data = json.dumps(
                    {"response_code": code, "response_status": status, "response_result": result}
                ).encode()
                self._reply(data, status=http_status)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                token = self.headers.get("Authorization")
                fake.requests.append((self.path, token, body))
                if token != f"Bearer {fake.TOKEN}":
                    return self._json(105, "REQUIRED_AUTH")
                if self.path == "/message/send.json":
                    return self._send(body)
                if self.path == "/message/status.json":
                    return self._status(body)
                return self._json(300, "INVALID_REQUEST", http_status=404)

            def _send(self, body):
                answer = fake.send_answers.pop(0) if fake.send_answers else None
                if isinstance(answer, int):
                    return self._json(answer, "FATAL_ERROR" if answer == 999 else "ERROR")
                sequence = body.get("sequence_id")
                if sequence in fake.sequences:
                    return self._json(507, "FAILED_DUPLICATE_REQUEST", fake.sequences[sequence])
                if body["sms"]["sender"] != fake.SENDER:
                    return self._json(400, "NOT_ALLOWED_MESSAGE_SENDER")
                results = []
                for phone in body["recipients"]:
                    if phone in fake.stop_list:
                        results.append(
                            {
                                "phone": phone,
                                "response_code": 404,
                                "message_id": None,
                                "response_status": "NOT_ALLOWED_NUMBER_STOPLIST",
                            }
                        )
                        continue
                    fake.sent.append((phone, body["sms"]["text"]))
                    results.append(
                        {
                            "phone": phone,
                            "response_code": 0,
                            "message_id": f"ts-{len(fake.sent)}",
                            "response_status": "OK",
                        }
                    )
                if sequence:
                    fake.sequences[sequence] = results
                if answer == "lost":
                    return self._json(999, "FATAL_ERROR", http_status=502)
                partial = any(item["response_code"] for item in results)
                return self._json(
                    802 if partial else 800,
                    "SUCCESS_MESSAGE_PARTIAL_ACCEPTED" if partial else "SUCCESS_MESSAGE_ACCEPTED",
                    results,
                )

            def _status(self, body):
                known = {f"ts-{n}" for n in range(1, len(fake.sent) + 1)}
                result = []
                for message_id in body["messages"]:
                    if message_id not in known:
                        result.append(
                            {
                                "message_id": message_id,
                                "response_code": 414,
                                "response_status": "NOT_ALLOWED_MESSAGE_ID",
                            }
                        )
                        continue
                    status = fake.statuses.get(message_id, "Sent")
                    result.append(
                        {
                            "message_id": message_id,
                            "response_code": 0,
                            "response_status": "OK",
                            "status": status,
                            "type": "sms",
                            "rejected_status": "blacklisted" if status == "Rejected" else "",
                        }
                    )
                return self._json(0, "OK", result)

        self.start(Handler)


@tagged("post_install", "-at_install")
class TestTurbosms(MessagingCase):
    """TurboSMS's requests, its error answers and its delivery statuses against a local
    server that answers like TurboSMS."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.turbosms = FakeTurbosms()
        cls.addClassCleanup(cls.turbosms.stop)
        cls.site.write(
            {
                "site_sms_provider": "turbosms",
                "site_sms_endpoint": cls.turbosms.url,
                "site_sms_password": FakeTurbosms.TOKEN,
            }
        )

    def setUp(self):
        super().setUp()
        for collection in ("sent", "requests", "send_answers", "stop_list", "statuses"):
            getattr(self.turbosms, collection).clear()

    def test_one_request_per_text_with_the_token_and_a_sequence_id(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(len(self.turbosms.requests), 3)
        path, token, body = self.turbosms.requests[0]
        self.assertEqual((path, token), ("/message/send.json", "Bearer turbo-token"))
        self.assertEqual(body["sms"]["sender"], "KARANFIL")
        self.assertEqual(len(body["sequence_id"]), 32)
        self.assertEqual(len({b["sequence_id"] for _p, _t, b in self.turbosms.requests}), 3)
        self.assertEqual(
            sorted(self.turbosms.sent),
            [
                ("905321112201", "Sayın Ali, A-1 borcu 0,00 ₺, son ödeme ."),
                ("905321112202", "Dear Berk, A-2 owes 0.00 ₺, due ."),
                ("905321112203", "Dear Cem, A-3 owes 0.00 ₺, due ."),
            ],
        )
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(
            sorted(messages.mapped("gateway_ref")), ["ts-1", "ts-2", "ts-3"], "one id per SMS"
        )

    def test_refusals_fail_the_messages_with_turbosms_reason(self):
        self.site.sudo().site_sms_password = "wrong"
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(messages.state, "failed")
        self.assertEqual(
            messages.failure_reason, "TurboSMS 105: authentication failed: invalid token"
        )
        self.site.sudo().site_sms_password = FakeTurbosms.TOKEN
        self.site.site_sms_sender = "UNKNOWN"
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        self.assertEqual(set(messages.mapped("state")), {"failed"})
        self.assertEqual(
            set(messages.mapped("failure_reason")),
            {"TurboSMS 400: the sender name is not allowed for this account"},
        )
        self.assertFalse(self.turbosms.sent)

    def test_a_number_on_the_stop_list_fails_alone(self):
        self.turbosms.stop_list.add("905321112202")
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        by_partner = {m.partner_id: m for m in messages}
        self.assertEqual(
            (by_partner[self.berk].state, by_partner[self.berk].failure_reason),
            ("failed", "TurboSMS 404: the number is on the stop list"),
        )
        self.assertEqual(
            (by_partner[self.ali] | by_partner[self.cem]).mapped("state"), ["sent"] * 2
        )

    def test_a_lost_answer_is_retried_without_sending_twice(self):
        self.turbosms.send_answers[:] = ["lost"]
        messages, trap = self.send(self.wizard(audience="tenant"))
        errors = self.run_jobs(trap)
        self.assertEqual([type(e) for e in errors], [RetryableJobError])
        self.assertEqual(str(errors[0]), "TurboSMS: HTTP 502")
        # the retry repeats the sequence_id: TurboSMS answers the first results
        first, second = (body for _path, _token, body in self.turbosms.requests)
        self.assertEqual(first["sequence_id"], second["sequence_id"])
        self.assertEqual(self.turbosms.sent, [("905321112204", messages.body)])
        self.assertEqual((messages.state, messages.gateway_ref), ("sent", "ts-1"))

    def test_a_system_error_is_retried_then_sent(self):
        self.turbosms.send_answers[:] = [999]
        messages, trap = self.send(self.wizard(audience="tenant"))
        errors = self.run_jobs(trap)
        self.assertEqual([str(e) for e in errors], ["TurboSMS 999: system error"])
        self.assertEqual(messages.state, "sent")
        self.assertEqual(len(self.turbosms.sent), 1)

    def test_a_refusal_in_the_middle_keeps_what_was_sent(self):
        self.turbosms.send_answers[:] = [None, 203]
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        sent = messages.filtered(lambda m: m.state == "sent")
        self.assertEqual(len(sent), 1)
        self.assertEqual(len(self.turbosms.sent), 1)
        self.assertEqual(
            set((messages - sent).mapped("failure_reason")),
            {"TurboSMS 203: not enough credit on the balance"},
        )

    def test_delivery_statuses(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        by_partner = {m.partner_id: m for m in messages}
        self.turbosms.statuses.update(
            {
                by_partner[self.ali].gateway_ref: "Delivered",
                by_partner[self.berk].gateway_ref: "Rejected",
            }
        )
        with trap_jobs() as poll:
            self.env["site.message"]._cron_poll_delivery()
        poll.assert_jobs_count(1)
        self.assertFalse(self.run_jobs(poll))
        path, _token, body = self.turbosms.requests[-1]
        self.assertEqual(path, "/message/status.json")
        self.assertEqual(sorted(body["messages"]), sorted(messages.mapped("gateway_ref")))
        self.assertEqual(by_partner[self.ali].state, "delivered")
        self.assertTrue(by_partner[self.ali].date_delivered)
        self.assertEqual(
            (by_partner[self.berk].state, by_partner[self.berk].failure_reason),
            ("failed", "rejected by the operator: blacklisted"),
        )
        self.assertEqual(by_partner[self.cem].state, "sent")  # still at the operator

    def test_statuses_of_ids_turbosms_does_not_know_are_ignored(self):
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.run_jobs(trap)
        api = self.site._site_sms_api()
        self.assertEqual(
            api._poll_delivery([messages.gateway_ref, "ts-999"]),
            {messages.gateway_ref: [(None, "sent", "")]},
        )
