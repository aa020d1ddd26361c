"""The suite's SMS gateways, plugged into Odoo's per-company SMS hook.

``res.company._get_sms_api_class()`` returns one of these classes for a site whose
``site_sms_provider`` names it (the way ``sms_twilio`` plugs in). Netgsm sends a batch in
one request (a failed request sent nothing, so retrying it never sends twice); SMSAPI
sends one request per text and says what went through before a failure. Each asks the
gateway which messages were delivered.

``_send_sms_batch`` takes Odoo's batch format (``[{"content", "numbers": [{"uuid",
"number"}]}]``) and returns one result per number: ``{"uuid", "state", "site_ref",
"failure_reason"}`` with ``state`` "success" or "error". A failure raises
:class:`GatewayError`, transient or not; a gateway that sends a batch in several
requests puts the results of those that went through on the error's ``results``.
``_poll_delivery(refs)`` returns ``{ref: [(number, state, reason)]}`` with state "sent"
(not yet known), "delivered" or "failed" (number None: every message of the ref).
"""

import logging
from xml.sax.saxutils import escape

import requests

from odoo.addons.sms.tools.sms_api import SmsApiBase

from ..engine.delivery import GatewayError

_logger = logging.getLogger(__name__)

TIMEOUT = 20


class SiteSmsApi(SmsApiBase):
    """What the suite's gateways share: the site's settings and the HTTP calls."""

    DEFAULT_ENDPOINT = ""

    def _settings(self):
        company = self.company.sudo()
        return {
            "endpoint": (company.site_sms_endpoint or self.DEFAULT_ENDPOINT).rstrip("/"),
            "login": company.site_sms_login or "",
            "password": company.site_sms_password or "",
            "sender": company.site_sms_sender or "",
        }

    def _http(self, method, url, **kwargs):
        """The gateway's answer; a network failure or a server error is transient."""
        try:
            response = requests.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as error:
            raise GatewayError(f"{self.NAME}: {error}", transient=True) from error
        if response.status_code >= 500 or response.status_code == 429:
            raise GatewayError(
                f"{self.NAME}: HTTP {response.status_code}",
                transient=True,
                code=response.status_code,
            )
        return response

    def _poll_delivery(self, refs):
        return {}


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
    refuses to send a message twice. Delivery by polling the messages' ids."""

    NAME = "SMSAPI"
    DEFAULT_ENDPOINT = "https://api.smsapi.pl"
    TRANSIENT = {201, 202, 203, 500}
    DELIVERY = {
        "DELIVERED": ("delivered", ""),
        "UNDELIVERED": ("failed", "undelivered"),
        "EXPIRED": ("failed", "expired"),
        "FAILED": ("failed", "failed"),
        "REJECTED": ("failed", "rejected by the operator"),
    }

    def _call(self, method, params):
        settings = self._settings()
        response = self._http(
            method,
            f"{settings['endpoint']}/sms.do",
            headers={"Authorization": f"Bearer {settings['password']}"},
            **({"data": params} if method == "POST" else {"params": params}),
        )
        try:
            answer = response.json()
        except ValueError as error:
            raise GatewayError(
                f"SMSAPI: unreadable answer (HTTP {response.status_code})", transient=True
            ) from error
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


SITE_SMS_APIS = {"log": SmsApiLog, "netgsm": SmsApiNetgsm, "smsapi": SmsApiSmsapi}
