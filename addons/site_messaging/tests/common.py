import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.site_dues.tests.common import DuesCase


class FakeServer:
    """A local HTTP server in a thread, answering like an outside service; each fake
    gives its request handler (a :class:`FakeHandler`) to :meth:`start`."""

    def start(self, handler):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class FakeHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _reply(self, data, content_type="application/json", status=200):
        self.send_response(status)
        if data:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)


class FakeNetgsm(FakeServer):
    """A local HTTP server that answers like Netgsm: the XML n:n send answers "00 <bulk
    id>" or an error code, the report (version 2) lists a line per message of a bulk id:
    number, status, operator, parts, date, time and error code. ``send_answers`` are the
    answers of the next sends, in order (then "00")."""

    def __init__(self):
        self.sent = []  # (number, text) of every message the server accepted
        self.requests = []
        self.send_answers = []
        self.statuses = {}  # number: status code for the report
        self.bulk_numbers = {}
        fake = self

        class Handler(FakeHandler):
            def _answer(self, text, status=200):
                self._reply(text.encode(), "text/plain; charset=utf-8", status)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                fake.requests.append((self.path, body))
                if self.path != "/sms/send/xml":
                    return self._answer("not found", 404)
                answer = fake.send_answers.pop(0) if fake.send_answers else "00"
                if isinstance(answer, int):
                    return self._answer("error", answer)
                if answer != "00":
                    return self._answer(answer)
                root = ElementTree.fromstring(body)
                header = root.find("header")
                if (
                    header.findtext("usercode") != "8501234567"
                    or header.findtext("password") != "s3cret"
                ):
                    return self._answer("30")
                if header.findtext("msgheader") != "KARANFIL":
                    return self._answer("40")
                bulk_id = str(1000 + len(fake.bulk_numbers))
                numbers = []
                for part in root.iter("mp"):
                    fake.sent.append((part.findtext("no"), part.findtext("msg")))
                    numbers.append(part.findtext("no"))
                fake.bulk_numbers[bulk_id] = numbers
                return self._answer(f"00 {bulk_id}")

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append((url.path, query))
                if url.path != "/sms/report":
                    return self._answer("not found", 404)
                if query.get("usercode") != "8501234567" or query.get("password") != "s3cret":
                    return self._answer("30")
                numbers = fake.bulk_numbers.get(query.get("bulkid"))
                if numbers is None:
                    return self._answer("60")
                # version=2: number, status, operator, parts, date, time, error code
                return self._answer(
                    "\n".join(
                        f"{number} {fake.statuses.get(number, 0)} 20 1 05.12.2026 10:15:00 0"
                        for number in numbers
                    )
                )

        self.start(Handler)


class MessagingCase(DuesCase):
    """DuesCase's Turkish site (three flats and their owners, a tenant in the second)
    with phones, languages and a balance reminder in Turkish and English."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("tr_TR", "pl_PL", "uk_UA"):
            cls.env["res.lang"]._activate_lang(code)
        cls.site.write(
            {
                "site_sms_provider": "log",
                "site_sms_sender": "KARANFIL",
                "site_reply_to": "yonetim@karanfil.example.com",
                "site_sms_segment_cost": 0.35,
                "site_letter_cost": 20.0,
                "site_quiet_start": 0.0,
                "site_quiet_end": 0.0,
                "email": "site@karanfil.example.com",
            }
        )
        cls.ali, cls.berk, cls.cem = cls.owners
        cls.ali.write({"phone": "+90 532 111 22 01", "lang": "tr_TR", "email": "ali@example.com"})
        cls.berk.write({"phone": "+90 532 111 22 02", "lang": "en_US", "email": "berk@example.com"})
        cls.cem.write({"phone": "+90 532 111 22 03", "lang": "en_US"})
        cls.tenant.write({"phone": "+90 532 111 22 04", "lang": "tr_TR", "street": "Bağdat Cad. 1"})
        cls.env["site.unit.relation"].create(
            {
                "unit_id": cls.u2.id,
                "partner_id": cls.tenant.id,
                "role": "tenant",
                "date_from": date(2024, 1, 1),
            }
        )
        cls.template = cls.make_template(
            "Reminder",
            "Dear {{partner_name}}, {{unit}} owes {{balance}}, due {{due_date}}.",
            "Sayın {{partner_name}}, {{unit}} borcu {{balance}}, son ödeme {{due_date}}.",
        )

    @classmethod
    def make_template(cls, name, body_en, body_tr=None, channel="sms", site=None, subject=None):
        template = cls.env["site.message.template"].create(
            {
                "name": name,
                "company_id": (site or cls.site).id,
                "channel": channel,
                "body": body_en,
                "subject": subject,
            }
        )
        if body_tr:
            template.with_context(lang="tr_TR").body = body_tr
        return template

    def wizard(self, template=None, **values):
        return self.env["site.message.wizard"].create(
            dict(
                {"company_id": self.site.id, "template_id": (template or self.template).id},
                **values,
            )
        )

    def send(self, wizard):
        """Send from ``wizard``, the jobs trapped; returns (messages, trap)."""
        with trap_jobs() as trap:
            wizard.action_send()
        return wizard.message_ids, trap

    def run_jobs(self, trap):
        """Run the trapped jobs the way queue_job's runner does: each in a savepoint; a
        retryable error postpones the job (its retry count kept) and it runs again; at
        the last retry the job fails and its on-fail hook runs. Returns the jobs' errors."""
        errors = []
        pending = list(trap.enqueued_jobs)
        trap.enqueued_jobs = []
        while pending:
            job = pending.pop(0)
            try:
                with self.env.cr.savepoint():
                    job.perform()
            except RetryableJobError as error:
                errors.append(error)
                job.postpone(result=str(error), seconds=error.seconds)
                if not error.ignore_retry:
                    pending.append(job)
            except FailedJobError as error:
                errors.append(error)
                job.on_fail({"exc_message": str(error), "exc_name": "FailedJobError"})
            else:
                job.set_done()
        self.env.invalidate_all()
        return errors


class FakeSmsapi(FakeServer):
    """A local HTTP server that answers like SMSAPI's ``sms.do``: a JSON list of the
    messages queued (one id per number), ``{"error": code, "message": ...}`` when
    refused, and the messages' statuses for ``status=<ids>``. ``send_answers`` are the
    answers (an error code, or an HTTP status as a string) of the next sends."""

    def __init__(self):
        self.sent = []  # (number, text, idx)
        self.requests = []
        self.send_answers = []
        self.statuses = {}  # id: status
        fake = self

        class Handler(FakeHandler):
            def _json(self, value, status=200):
                self._reply(json.dumps(value).encode(), status=status)

            def _authorized(self):
                return self.headers.get("Authorization") == "Bearer token-123"

            def do_POST(self):
                length = int(self.headers["Content-Length"])
                params = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.requests.append((self.path, params))
                if not self._authorized():
                    return self._json({"error": 101, "message": "Authorization failed"})
                answer = fake.send_answers.pop(0) if fake.send_answers else None
                if isinstance(answer, str):
                    return self._json({"message": "error"}, int(answer))
                if answer:
                    return self._json({"error": answer, "message": "Internal error"})
                numbers = params["to"].split(",")
                idx = params.get("idx", "").split("|")
                items = []
                for number, key in zip(numbers, idx):
                    message_id = f"id{len(fake.sent) + 1}"
                    fake.sent.append((number, params["message"], key))
                    items.append(
                        {"id": message_id, "number": number, "status": "QUEUE", "points": 0.16}
                    )
                return self._json({"count": len(items), "list": items})

            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append((url.path, query))
                if not self._authorized():
                    return self._json({"error": 101, "message": "Authorization failed"})
                ids = query.get("status", "").split("|")
                return self._json(
                    {
                        "count": len(ids),
                        "list": [{"id": i, "status": fake.statuses.get(i, "SENT")} for i in ids],
                    }
                )

        self.start(Handler)
