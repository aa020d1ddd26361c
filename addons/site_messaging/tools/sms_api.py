"""The suite's SMS gateways, plugged into Odoo's per-company SMS hook.

``res.company._get_sms_api_class()`` returns one of these classes for a site whose
``site_sms_provider`` names it (the way ``sms_twilio`` plugs in). Netgsm and İleti Merkezi
send a batch in one request (a failed request sent nothing, so retrying it never sends
twice); SMSAPI and TurboSMS send one request per text, each marked with a key of its own
so that the gateway refuses to send it twice, and say what went through before a
failure. Each asks the gateway which messages were delivered; SMSAPI and İleti Merkezi
also push their delivery reports to the site's callback address
(``controllers/delivery.py``), read by ``_parse_delivery_callback``.

``_send_sms_batch`` takes Odoo's batch format (``[{"content", "numbers": [{"uuid",
"number"}]}]``) and returns one result per number: ``{"uuid", "state", "site_ref",
"failure_reason"}`` with ``state`` "success" or "error". A failure raises
:class:`GatewayError`, transient or not; a gateway that sends a batch in several
requests puts the results of those that went through on the error's ``results``.
``_poll_delivery(refs)`` returns ``{ref: [(number, state, reason)]}`` with state "sent"
(not yet known), "delivered" or "failed" (number None: every message of the ref); so does
``_parse_delivery_callback(params, payload)`` for a report a gateway pushed, or None for a
gateway that pushes none.
"""

import hashlib
import logging
import re
from xml.sax.saxutils import escape

import requests

from odoo.addons.sms.tools.sms_api import SmsApiBase

from ..engine.delivery import GatewayError

_logger = logging.getLogger(__name__)

TIMEOUT = 20


class SiteSmsApi(SmsApiBase):
    """What the suite's gateways share: the site's settings and the HTTP calls."""

    DEFAULT_ENDPOINT = ""
    # what a gateway that pushes its delivery reports expects as the answer
    CALLBACK_ANSWER = "OK"

    def _settings(self):
        company = self.company.sudo()
        return {
            "endpoint": (company.site_sms_endpoint or self.DEFAULT_ENDPOINT).rstrip("/"),
            "login": company.site_sms_login or "",
            "password": company.site_sms_password or "",
            "sender": company.site_sms_sender or "",
        }

    def _http(self, method, url, http_errors=True, **kwargs):
        """The gateway's answer; a network failure or a server error is transient.
        ``http_errors=False`` hands back any answer, for a gateway that explains its
        errors in the body of a 4xx or 5xx answer."""
        try:
            response = requests.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as error:
            raise GatewayError(f"{self.NAME}: {error}", transient=True) from error
        if http_errors and (response.status_code >= 500 or response.status_code == 429):
            raise GatewayError(
                f"{self.NAME}: HTTP {response.status_code}",
                transient=True,
                code=response.status_code,
            )
        return response

    def _json(self, response):
        """The JSON of ``response``; anything else is a transient failure."""
        try:
            return response.json()
        except ValueError as error:
            raise GatewayError(
                f"{self.NAME}: unreadable answer (HTTP {response.status_code})", transient=True
            ) from error

    def _poll_delivery(self, refs):
        return {}

    def _parse_delivery_callback(self, params, payload):
        """The reports of a delivery callback (query or form ``params``, JSON
        ``payload``), or None: this gateway pushes no delivery reports."""
        return None


class SmsApiLog(SiteSmsApi):
    """Sends nothing: writes each SMS to the server log. For demo databases and tests."""

    NAME = "Log"

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        results = []
        sender = self._settings()["sender"]
        for message in messages:
            for number in message["numbers"]:
                _logger.info("SMS from %s to %s: %s", sender, number["number"], message["content"])
                results.append(
                    {
                        "uuid": number["uuid"],
                        "state": "success",
                        "site_ref": f"log-{number['uuid']}",
                    }
                )
        return results

    def _poll_delivery(self, refs):
        """Whatever was logged counts as delivered."""
        return {ref: [(None, "delivered", "")] for ref in refs}


class SmsApiNetgsm(SiteSmsApi):
    """Netgsm (Turkey): the XML "n:n" send (a text per number, one request) and the
    report by bulk id. The sender is the header registered at Netgsm."""

    NAME = "Netgsm"
    DEFAULT_ENDPOINT = "https://api.netgsm.com.tr"
    SUCCESS = {"00", "01", "02"}
    # codes of a refused request: (reason, transient)
    ERRORS = {
        "20": ("message text too long or invalid", False),
        "30": ("invalid user code or password, or API access not allowed from this IP", False),
        "40": ("the sender name is not registered", False),
        "50": ("the account may not send İYS-checked messages", False),
        "51": ("the account has no İYS brand code", False),
        "70": ("invalid or missing parameters", False),
        "80": ("sending limit exceeded", True),
        "85": ("too many messages to the same number", True),
        "100": ("system error", True),
        "101": ("system error", True),
    }
    REPORT_ERRORS = {
        "30": ("invalid user code or password", False),
        "60": ("no such bulk id", False),
        "70": ("invalid or missing parameters", False),
        "100": ("system error", True),
        "101": ("system error", True),
    }
    # a message's status in the report: 0 waits, 1 delivered, the others failed
    DELIVERY = {
        "0": ("sent", ""),
        "1": ("delivered", ""),
        "2": ("failed", "expired"),
        "3": ("failed", "invalid or restricted number"),
        "4": ("failed", "not sent to the operator"),
        "11": ("failed", "rejected by the operator"),
        "12": ("failed", "delivery error"),
        "13": ("failed", "duplicate message"),
        "14": ("failed", "insufficient credit"),
        "15": ("failed", "number on the black list"),
        "16": ("failed", "rejected by İYS"),
        "17": ("failed", "İYS error"),
    }

    def _refusal(self, code, table):
        reason, transient = table.get(code, (f"unknown answer {code!r}", False))
        return GatewayError(f"Netgsm {code}: {reason}", transient=transient, code=code)

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        settings = self._settings()
        parts = "".join(
            f"<mp><msg><![CDATA[{message['content'].replace(']]>', ']]]]><![CDATA[>')}]]></msg>"
            f"<no>{escape(number['number'].lstrip('+'))}</no></mp>"
            for message in messages
            for number in message["numbers"]
        )
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><mainbody><header>'
            '<company dil="TR">Netgsm</company>'
            f"<usercode>{escape(settings['login'])}</usercode>"
            f"<password>{escape(settings['password'])}</password>"
            f"<type>n:n</type><msgheader>{escape(settings['sender'])}</msgheader>"
            f"</header><body>{parts}</body></mainbody>"
        )
        response = self._http(
            "POST",
            f"{settings['endpoint']}/sms/send/xml",
            data=body.encode(),
            headers={"Content-Type": "application/xml; charset=utf-8"},
        )
        code, _sep, bulk_id = response.text.strip().partition(" ")
        if code not in self.SUCCESS or not bulk_id:
            raise self._refusal(code, self.ERRORS)
        return [
            {"uuid": number["uuid"], "state": "success", "site_ref": bulk_id.strip()}
            for message in messages
            for number in message["numbers"]
        ]

    def _poll_delivery(self, refs):
        settings = self._settings()
        result = {}
        for ref in refs:
            response = self._http(
                "GET",
                f"{settings['endpoint']}/sms/report",
                params={
                    "usercode": settings["login"],
                    "password": settings["password"],
                    "bulkid": ref,
                    "type": "0",
                    "status": "100",
                    "version": "2",
                },
            )
            lines = [line.split() for line in response.text.strip().splitlines() if line.strip()]
            if len(lines) == 1 and len(lines[0]) == 1:
                raise self._refusal(lines[0][0], self.REPORT_ERRORS)
            result[ref] = [
                (fields[0], *self.DELIVERY.get(fields[1], ("sent", "")))
                for fields in lines
                if len(fields) >= 2
            ]
        return result


class SmsApiSmsapi(SiteSmsApi):
    """SMSAPI (Poland): ``sms.do`` with the account's OAuth token, one request per text;
    each message carries its uuid as ``idx`` (with ``check_idx``) so the gateway itself
    refuses to send a message twice. Delivery by polling the messages' ids, and by the
    callback SMSAPI calls (``MsgId`` and ``status``, comma-separated in a bulk callback)."""

    NAME = "SMSAPI"
    DEFAULT_ENDPOINT = "https://api.smsapi.pl"
    TRANSIENT = {201, 202, 203, 500}
    DELIVERY = {
        "DELIVERED": ("delivered", ""),
        "UNDELIVERED": ("failed", "undelivered"),
        "EXPIRED": ("failed", "expired"),
        "FAILED": ("failed", "failed"),
        "REJECTED": ("failed", "rejected by the operator"),
        "NOT_FOUND": ("failed", "unknown to SMSAPI"),
        "STOP": ("failed", "stopped"),
    }
    # the callback's numeric statuses: SENT, QUEUE, ACCEPTED and the like wait
    STATUS_CODES = {
        "401": "NOT_FOUND",
        "402": "EXPIRED",
        "404": "DELIVERED",
        "405": "UNDELIVERED",
        "406": "FAILED",
        "407": "REJECTED",
        "412": "STOP",
    }

    def _call(self, method, params):
        settings = self._settings()
        response = self._http(
            method,
            f"{settings['endpoint']}/sms.do",
            headers={"Authorization": f"Bearer {settings['password']}"},
            **({"data": params} if method == "POST" else {"params": params}),
        )
        answer = self._json(response)
        if "error" in answer:
            code = int(answer["error"])
            raise GatewayError(
                f"SMSAPI {code}: {answer.get('message', '')}",
                transient=code in self.TRANSIENT,
                code=code,
            )
        return answer

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        sender = self._settings()["sender"]
        results = []
        for message in messages:
            numbers = message["numbers"]
            params = {
                "to": ",".join(n["number"].lstrip("+") for n in numbers),
                "message": message["content"],
                "from": sender,
                "format": "json",
                "encoding": "utf-8",
                "idx": "|".join(n["uuid"] for n in numbers),
                "check_idx": "1",
            }
            try:
                answer = self._call("POST", params)
            except GatewayError as error:
                error.results = results
                raise
            by_number = {}
            for item in answer.get("list", []):
                by_number.setdefault(str(item.get("number")), []).append(item)
            for number in numbers:
                items = by_number.get(number["number"].lstrip("+")) or [{}]
                item = items.pop(0)
                results.append(
                    {
                        "uuid": number["uuid"],
                        "state": "success" if item.get("id") else "error",
                        "site_ref": item.get("id"),
                        "failure_reason": None if item.get("id") else "SMSAPI: no answer",
                    }
                )
        return results

    def _poll_delivery(self, refs):
        answer = self._call("GET", {"status": "|".join(refs), "format": "json"})
        return {
            str(item["id"]): [(None, *self.DELIVERY.get(item.get("status"), ("sent", "")))]
            for item in answer.get("list", [])
        }

    def _parse_delivery_callback(self, params, payload):
        reports = {}
        ids = str(params.get("MsgId") or "").split(",")
        statuses = str(params.get("status") or "").split(",")
        for ref, status in zip(ids, statuses):
            name = self.STATUS_CODES.get(status.strip(), status.strip())
            if ref.strip():
                reports[ref.strip()] = [(None, *self.DELIVERY.get(name, ("sent", "")))]
        return reports


def _code(value):
    """A gateway's numeric answer code as an int (-1 when it sent none)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


class SmsApiTurbosms(SiteSmsApi):
    """TurboSMS (Ukraine): ``message/send.json`` with the account's token, one request per
    text; each request carries a ``sequence_id`` made of its messages' uuids, so that
    TurboSMS answers a repeated request with the first one's results instead of sending
    it again. Delivery by polling ``message/status.json`` with the messages' ids."""

    NAME = "TurboSMS"
    DEFAULT_ENDPOINT = "https://api.turbosms.ua"
    # accepted in whole or in part (802, 803: see each recipient's code); 507 is a repeated
    # sequence_id, answered with the first request's results
    ACCEPTED = {800, 801, 802, 803, 507}
    TRANSIENT = {500, 501, 503, 999}
    ERRORS = {
        103: "the authentication token is missing",
        104: "the request has no data",
        105: "authentication failed: invalid token",
        106: "the account is blocked",
        200: "the sender name is missing",
        201: "the message text is missing",
        202: "no recipients",
        203: "not enough credit on the balance",
        300: "invalid request",
        301: "invalid token",
        302: "invalid sender name",
        304: "invalid message text",
        305: "invalid number: its country and operator are unknown",
        400: "the sender name is not allowed for this account",
        401: "the sender name is not active (unpaid or not registered yet)",
        404: "the number is on the stop list",
        405: "too many recipients",
        406: "sending to this country is not enabled for the account",
        407: "duplicate recipient",
        411: "a parameter has an invalid value",
        412: "the text contains forbidden fragments",
        413: "the text is too long",
        415: "transactional messages need a sender name of their own",
        500: "system error",
        501: "system error",
        502: "the request body could not be read",
        503: "the SMS could not be sent",
        999: "system error",
    }
    DELIVERY = {
        "delivered": ("delivered", ""),
        "read": ("delivered", ""),
        "expired": ("failed", "expired"),
        "undelivered": ("failed", "undelivered"),
        "rejected": ("failed", "rejected by the operator"),
        "failed": ("failed", "failed"),
        "cancelled": ("failed", "cancelled"),
    }
    STATUS_BATCH = 100

    def _reason(self, code, status=""):
        return f"TurboSMS {code}: {self.ERRORS.get(_code(code)) or status or 'unknown answer'}"

    def _call(self, path, body):
        """(answer code, answer) of a POST of ``body`` to ``path``: TurboSMS answers every
        request with HTTP 200 and says in ``response_code`` what became of it."""
        settings = self._settings()
        response = self._http(
            "POST",
            f"{settings['endpoint']}/{path}",
            json=body,
            headers={"Authorization": f"Bearer {settings['password']}"},
        )
        answer = self._json(response)
        return _code(answer.get("response_code")), answer

    def _refusal(self, code, answer):
        return GatewayError(
            self._reason(code, answer.get("response_status")),
            transient=code in self.TRANSIENT,
            code=code,
        )

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        sender = self._settings()["sender"]
        results = []
        for message in messages:
            uuids_of = {}  # two people sharing a phone get the one SMS
            for number in message["numbers"]:
                uuids_of.setdefault(number["number"].lstrip("+"), []).append(number["uuid"])
            key = "|".join(sorted(u for uuids in uuids_of.values() for u in uuids))
            body = {
                "recipients": list(uuids_of),
                "sms": {"sender": sender, "text": message["content"]},
                "sequence_id": hashlib.sha256(key.encode()).hexdigest()[:32],
            }
            try:
                code, answer = self._call("message/send.json", body)
                if code not in self.ACCEPTED:
                    raise self._refusal(code, answer)
            except GatewayError as error:
                error.results = results
                raise
            by_phone = {
                str(item.get("phone", "")).lstrip("+"): item
                for item in answer.get("response_result") or []
            }
            for phone, uuids in uuids_of.items():
                item = by_phone.get(phone, {})
                sent = bool(item.get("message_id")) and _code(item.get("response_code")) == 0
                reason = None
                if not sent:
                    reason = (
                        self._reason(item.get("response_code"), item.get("response_status"))
                        if item
                        else "TurboSMS: no answer for this number"
                    )
                results += [
                    {
                        "uuid": uuid,
                        "state": "success" if sent else "error",
                        "site_ref": item.get("message_id") if sent else None,
                        "failure_reason": reason,
                    }
                    for uuid in uuids
                ]
        return results

    def _poll_delivery(self, refs):
        result = {}
        for start in range(0, len(refs), self.STATUS_BATCH):
            code, answer = self._call(
                "message/status.json", {"messages": refs[start : start + self.STATUS_BATCH]}
            )
            if code != 0:
                raise self._refusal(code, answer)
            for item in answer.get("response_result") or []:
                # an id TurboSMS does not know for this account answers a code of its own
                if _code(item.get("response_code")) != 0 or not item.get("message_id"):
                    continue
                state, reason = self.DELIVERY.get(
                    str(item.get("status") or "").lower(), ("sent", "")
                )
                if state == "failed" and item.get("rejected_status"):
                    reason = f"{reason}: {item['rejected_status']}"
                result[str(item["message_id"])] = [(None, state, reason)]
        return result


class SmsApiIletimerkezi(SiteSmsApi):
    """İleti Merkezi (Turkey): ``v1/send-sms/json`` with the account's API key and hash,
    the batch as one order (a ``message`` per text); the report by order id, 1,000 numbers
    a page, and pushed by İleti Merkezi's webhook to the site's callback address.

    İleti Merkezi refuses the same text to the same numbers within ten minutes as a
    repeated order (451): a batch is only sent again when the answer to an earlier try was
    lost, so that answer means the messages went out, and they count as sent. The notices
    are information, not commercial messages: no İYS check."""

    NAME = "İleti Merkezi"
    DEFAULT_ENDPOINT = "https://api.iletimerkezi.com"
    PAGE = 1000
    REPEATED_ORDER = "451"
    # no such order, or its sending date has not come: nothing to report yet
    NO_REPORT = {"455", "456"}
    ERRORS = {
        "400": ("the request could not be read", False),
        "401": (
            "invalid API key or hash, or a request from an IP the account does not allow",
            False,
        ),
        "402": ("insufficient balance", False),
        "404": ("the API has no such method", False),
        "422": ("values of the request could not be validated", False),
        "450": ("the sender name is not approved for this account", False),
        "452": ("invalid recipients", False),
        "453": ("the text is longer than seven SMS", False),
        "454": ("the message text is empty", False),
        "457": ("invalid sending date format", False),
        "459": ("the sender name is empty", False),
        "460": ("the sender name has more than 11 letters or Turkish letters", False),
        "466": ("invalid number", False),
        "503": ("the server is temporarily out of service", True),
    }
    DELIVERY = {
        "110": ("sent", ""),
        "111": ("delivered", ""),
        "112": ("failed", "not delivered"),
    }
    # the webhook's words for the report's codes
    WEBHOOK = {"accepted": "110", "delivered": "111", "undelivered": "112"}

    def _call(self, path, order):
        """(status code, answer) of a POST of ``order`` to ``path``. İleti Merkezi answers
        its errors with the HTTP status of their code and explains them in the body."""
        settings = self._settings()
        request = {
            "authentication": {"key": settings["login"], "hash": settings["password"]},
            "order": order,
        }
        response = self._http(
            "POST",
            f"{settings['endpoint']}/v1/{path}",
            http_errors=False,
            json={"request": request},
        )
        try:
            answer = response.json()["response"]
            return str(answer["status"]["code"]), answer
        except (ValueError, KeyError, TypeError) as error:
            raise GatewayError(
                f"İleti Merkezi: unreadable answer (HTTP {response.status_code})",
                transient=response.status_code >= 500 or response.status_code == 429,
            ) from error

    def _refusal(self, code, answer):
        message = (answer.get("status") or {}).get("message")
        reason, transient = self.ERRORS.get(
            code, (message or f"unknown answer {code!r}", code.startswith("5"))
        )
        return GatewayError(f"İleti Merkezi {code}: {reason}", transient=transient, code=code)

    @staticmethod
    def _number(number):
        """A Turkish number as the batch sent it (90 and ten digits), however İleti
        Merkezi writes it back (5xx…, 05xx…, +905xx…)."""
        digits = re.sub(r"\D", "", str(number or ""))
        if len(digits) == 10:
            return f"90{digits}"
        if len(digits) == 11 and digits.startswith("0"):
            return f"9{digits}"
        return digits

    def _send_sms_batch(self, messages, delivery_reports_url=False):
        order = {
            "sender": self._settings()["sender"],
            "sendDateTime": "",
            "iys": "0",
            "iysList": "BIREYSEL",
            "message": [
                {
                    "text": message["content"],
                    "receipents": {"number": [n["number"].lstrip("+") for n in message["numbers"]]},
                }
                for message in messages
            ],
        }
        code, answer = self._call("send-sms/json", order)
        if code == "200" and (answer.get("order") or {}).get("id"):
            ref = str(answer["order"]["id"])
        elif code == self.REPEATED_ORDER:
            ref = False
        else:
            raise self._refusal(code, answer)
        return [
            {"uuid": number["uuid"], "state": "success", "site_ref": ref}
            for message in messages
            for number in message["numbers"]
        ]

    def _poll_delivery(self, refs):
        result = {}
        for ref in refs:
            lines = []
            page = 1
            while True:
                code, answer = self._call(
                    "get-report/json", {"id": ref, "page": page, "rowCount": self.PAGE}
                )
                if code in self.NO_REPORT:
                    break
                if code != "200":
                    raise self._refusal(code, answer)
                rows = (answer.get("order") or {}).get("message") or []
                lines += [
                    (
                        self._number(row.get("number")),
                        *self.DELIVERY.get(str(row.get("status")), ("sent", "")),
                    )
                    for row in rows
                ]
                if len(rows) < self.PAGE:
                    break
                page += 1
            result[ref] = lines
        return result

    def _parse_delivery_callback(self, params, payload):
        report = payload.get("report") if isinstance(payload, dict) else None
        if not isinstance(report, dict) or not report.get("packet_id"):
            return {}
        status = str(report.get("status") or "").lower()
        state = self.DELIVERY.get(self.WEBHOOK.get(status, status), ("sent", ""))
        return {str(report["packet_id"]): [(self._number(report.get("to")), *state)]}


SITE_SMS_APIS = {
    "log": SmsApiLog,
    "netgsm": SmsApiNetgsm,
    "smsapi": SmsApiSmsapi,
    "turbosms": SmsApiTurbosms,
    "iletimerkezi": SmsApiIletimerkezi,
}
