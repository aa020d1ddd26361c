import json

from odoo.tests import tagged

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs

from ..engine.delivery import GatewayError
from ..tools.sms_api import SmsApiIletimerkezi
from .common import FakeHandler, FakeServer, MessagingCase

STATUS_MESSAGES = {
    "200": "İşlem başarılı",
    "401": "Üyelik bilgileri hatalı",
    "450": "Gönderilen başlık kullanıma uygun değil",
    "451": "Tekrar eden sipariş",
    "455": "Sipariş bulunamadı",
    "503": "Sunucu geçici olarak servis dışı",
}


class FakeIletimerkezi(FakeServer):
    """A local HTTP server that answers like İleti Merkezi's REST API v1: ``{"response":
    {"status": {"code", "message"}, ...}}`` with the HTTP status of the code;
    ``send-sms/json`` takes one order (a ``message`` per text) and answers its id, and
    refuses the same texts to the same numbers again as a repeated order (451);
    ``get-report/json`` answers a page of the order's numbers (written back without the
    country code) and their status codes. ``send_answers`` are the answers of the next
    sends: a status code refusing the order, or "lost" (accepted, then the connection
    drops with a bare HTTP 502)."""

    KEY = "api-key-1"
    HASH = "api-hash-1"
    SENDER = "KARANFIL"

    def __init__(self):
        self.sent = []  # (number, text) of every SMS the server accepted
        self.requests = []  # (path, JSON body)
        self.send_answers = []
        self.orders = {}  # order id: [number, ...]
        self.statuses = {}  # number: status code for the report
        fake = self

        class Handler(FakeHandler):
            def _answer(self, code, **extra):
                status = {"code": code, "message": STATUS_MESSAGES[code]}
                data = json.dumps({"response": {"status": status, **extra}}).encode()
                self._reply(data, status=int(code))

            def _bare(self, status):
                self._reply(b"", status=status)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append((self.path, body))
                request = body["request"]
                if request["authentication"] != {"key": fake.KEY, "hash": fake.HASH}:
                    return self._answer("401")
                if self.path == "/v1/send-sms/json":
                    return self._send(request["order"])
                if self.path == "/v1/get-report/json":
                    return self._report(request["order"])
                return self._bare(404)

            def _send(self, order):
                answer = fake.send_answers.pop(0) if fake.send_answers else None
                if answer and answer != "lost":
                    return self._answer(answer)
                if order["sender"] != fake.SENDER:
                    return self._answer("450")
                texts = [
                    (number, message["text"])
                    for message in order["message"]
                    for number in message["receipents"]["number"]
                ]
                if any(sorted(texts) == sorted(done) for done in fake.orders.values()):
                    return self._answer("451")
                order_id = str(4000 + len(fake.orders))
                fake.orders[order_id] = texts
                fake.sent += texts
                if answer == "lost":
                    return self._bare(502)
                return self._answer("200", order={"id": order_id})

            def _report(self, order):
                texts = fake.orders.get(str(order["id"]))
                if texts is None:
                    return self._answer("455")
                page, size = int(order.get("page") or 1), int(order.get("rowCount") or 1000)
                rows = texts[(page - 1) * size : page * size]
                return self._answer(
                    "200",
                    order={
                        "id": int(order["id"]),
                        "status": 113,
                        "message": [
                            # İleti Merkezi writes the numbers back without 90
                            {"number": int(number[2:]), "status": fake.statuses.get(number, 110)}
                            for number, _text in rows
                        ],
                    },
                )

        self.start(Handler)


@tagged("post_install", "-at_install")
class TestIletimerkezi(MessagingCase):
    """İleti Merkezi's requests, its error answers and its delivery reports against a
    local server that answers like İleti Merkezi."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.iletimerkezi = FakeIletimerkezi()
        cls.addClassCleanup(cls.iletimerkezi.stop)
        cls.site.write(
            {
                "site_sms_provider": "iletimerkezi",
                "site_sms_endpoint": cls.iletimerkezi.url,
                "site_sms_login": FakeIletimerkezi.KEY,
                "site_sms_password": FakeIletimerkezi.HASH,
            }
        )

    def setUp(self):
        super().setUp()
        for collection in ("sent", "requests", "send_answers", "orders", "statuses"):
            getattr(self.iletimerkezi, collection).clear()

    def test_the_batch_is_one_order_with_a_message_per_text(self):
        messages, trap = self.send(self.wizard(audience="owner"))
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(len(self.iletimerkezi.requests), 1)
        path, body = self.iletimerkezi.requests[0]
        self.assertEqual(path, "/v1/send-sms/json")
        order = body["request"]["order"]
        self.assertEqual((order["sender"], order["iys"]), ("KARANFIL", "0"))
        self.assertEqual(len(order["message"]), 3)
        self.assertEqual(
            sorted(self.iletimerkezi.sent),
            [
                ("905321112201", "Sayın Ali, A-1 borcu 0,00 ₺, son ödeme ."),
                ("905321112202", "Dear Berk, A-2 owes 0.00 ₺, due ."),
                ("905321112203", "Dear Cem, A-3 owes 0.00 ₺, due ."),
            ],
        )
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(set(messages.mapped("gateway_ref")), {"4000"})

    def test_refusals_fail_the_messages_with_the_reason(self):
        self.site.sudo().site_sms_password = "wrong"
        messages, trap = self.send(self.wizard(audience="tenant"))
        self.assertFalse(self.run_jobs(trap))
        self.assertEqual(messages.state, "failed")
        self.assertEqual(
            messages.failure_reason,
            "İleti Merkezi 401: invalid API key or hash, or a request from an IP the account "
            "does not allow",
        )
        self.site.sudo().site_sms_password = FakeIletimerkezi.HASH
        self.site.site_sms_sender = "UNKNOWN"
        messages, trap = self.send(self.wizard(audience="owner"))
        self.run_jobs(trap)
        self.assertEqual(
            set(messages.mapped("failure_reason")),
            {"İleti Merkezi 450: the sender name is not approved for this account"},
        )
        self.assertFalse(self.iletimerkezi.sent)

    def test_a_server_out_of_service_is_retried(self):
        self.iletimerkezi.send_answers[:] = ["503"]
        messages, trap = self.send(self.wizard(audience="tenant"))
        errors = self.run_jobs(trap)
        self.assertEqual([type(e) for e in errors], [RetryableJobError])
        self.assertEqual(
            str(errors[0]), "İleti Merkezi 503: the server is temporarily out of service"
        )
        self.assertEqual(messages.state, "sent")
        self.assertEqual(len(self.iletimerkezi.sent), 1)

    def test_a_lost_answer_then_a_repeated_order_counts_as_sent_once(self):
        self.iletimerkezi.send_answers[:] = ["lost"]
        messages, trap = self.send(self.wizard(audience="owner"))
        errors = self.run_jobs(trap)
        self.assertEqual([str(e) for e in errors], ["İleti Merkezi: unreadable answer (HTTP 502)"])
        self.assertEqual(len(self.iletimerkezi.requests), 2)
        self.assertEqual(len(self.iletimerkezi.sent), 3, "the retry sent nothing")
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        self.assertEqual(set(messages.mapped("gateway_ref")), {False})

    def test_delivery_reports_page_by_page(self):
        self.patch(SmsApiIletimerkezi, "PAGE", 2)
        messages, trap = self.send(self.wizard())  # owners and the tenant: 4 numbers
        self.run_jobs(trap)
        self.iletimerkezi.statuses.update({"905321112201": 111, "905321112204": 112})
        with trap_jobs() as poll:
            self.env["site.message"]._cron_poll_delivery()
        self.assertFalse(self.run_jobs(poll))
        reports = [body["request"]["order"] for path, body in self.iletimerkezi.requests[1:]]
        self.assertEqual(
            [(r["id"], r["page"], r["rowCount"]) for r in reports],
            [("4000", 1, 2), ("4000", 2, 2), ("4000", 3, 2)],
        )
        by_partner = {m.partner_id: m for m in messages}
        self.assertEqual(by_partner[self.ali].state, "delivered")
        self.assertEqual(
            (by_partner[self.tenant].state, by_partner[self.tenant].failure_reason),
            ("failed", "not delivered"),
        )
        self.assertEqual(
            (by_partner[self.berk] | by_partner[self.cem]).mapped("state"), ["sent"] * 2
        )

    def test_an_unknown_order_reports_nothing(self):
        api = self.site._site_sms_api()
        self.assertEqual(api._poll_delivery(["9999"]), {"9999": []})
        self.site.sudo().site_sms_password = "wrong"
        with self.assertRaises(GatewayError) as caught:
            api._poll_delivery(["9999"])
        self.assertFalse(caught.exception.transient)
        self.assertTrue(caught.exception.reason.startswith("İleti Merkezi 401: invalid API key"))
