"""Upload endpoint of site_collector: ``POST /site_metering/collector/upload``.

Request: header ``Authorization: Bearer <api key>``, JSON body
``{"collector": "<name>", "readings": [{"key", "meter", "timestamp", "records", "raw",
"error"}, ...]}``. Response 200: ``{"accepted": [keys], "duplicates": [keys], "rejected":
[{"key", "reason"}]}``.

- 401: no key, or a key no active collector holds. Nothing is stored.
- 400: a malformed payload (not JSON, a field missing or of the wrong type, a timestamp
  that is not ISO 8601, ...). The whole payload is checked before anything is stored, the
  answer names the reading (index and key) and the field, and nothing of it is stored.
- 200 with ``rejected``: a well-formed reading that cannot be stored: its meter is not on
  the collector's sites (or ambiguous, replaced, removed), its timestamp is in the future,
  or site_metering's checks refuse its value (e.g. lower than the last reading). The
  other readings of the payload are stored: the collector sets the rejected ones aside
  and stops sending them, so one bad meter never blocks a site's queue.
- ``duplicates``: keys already stored (or repeated in the payload); nothing is stored twice.
  A meter keeps one remote reading a day (the first): later reads of a day already read
  are listed as duplicates too.
- A failed read (``error`` set, or no record matching the meter model's billing register)
  is accepted and stored as an error on its meter, with the raw telegram.
"""

import json
import logging
from datetime import datetime, timezone

from odoo import SUPERUSER_ID, http
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_READINGS = 5000
MAX_KEY_LENGTH = 200


class PayloadError(ValueError):
    """The payload is malformed; the message says where."""


def _where(index, item):
    key = item.get("key") if isinstance(item, dict) else None
    return f"reading {index}" + (f" (key {key!r})" if isinstance(key, str) and key else "")


def parse_timestamp(text):
    """ISO 8601 → naive UTC datetime; a timestamp without zone is taken as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def validate_payload(body):
    """Check the whole payload; returns the readings normalised or raises PayloadError."""
    if not isinstance(body, dict):
        raise PayloadError("the body must be a JSON object")
    collector = body.get("collector")
    if not isinstance(collector, str) or not collector.strip():
        raise PayloadError('"collector" must be a non-empty string')
    readings = body.get("readings")
    if not isinstance(readings, list):
        raise PayloadError('"readings" must be a list')
    if len(readings) > MAX_READINGS:
        raise PayloadError(f"at most {MAX_READINGS} readings per upload, got {len(readings)}")
    result = []
    for index, item in enumerate(readings):
        where = _where(index, item)
        if not isinstance(item, dict):
            raise PayloadError(f"{where}: must be a JSON object")
        key = item.get("key")
        if not isinstance(key, str) or not key.strip() or len(key) > MAX_KEY_LENGTH:
            raise PayloadError(
                f'{where}: "key" must be a non-empty string of at most {MAX_KEY_LENGTH} characters'
            )
        meter = item.get("meter")
        if not isinstance(meter, dict):
            raise PayloadError(f'{where}: "meter" must be an object')
        if not any(
            meter.get(name) not in (None, "") for name in ("secondary_address", "id", "address")
        ):
            raise PayloadError(f'{where}: "meter" needs "secondary_address", "id" or "address"')
        for name in ("secondary_address", "id", "manufacturer"):
            if meter.get(name) is not None and not isinstance(meter[name], str):
                raise PayloadError(f'{where}: "meter.{name}" must be a string')
        address = meter.get("address")
        if address is not None and (isinstance(address, bool) or not isinstance(address, int)):
            raise PayloadError(f'{where}: "meter.address" must be an integer')
        if not isinstance(meter.get("wmbus", False), bool):
            raise PayloadError(f'{where}: "meter.wmbus" must be true or false')
        timestamp = item.get("timestamp")
        if not isinstance(timestamp, str):
            raise PayloadError(f'{where}: "timestamp" must be an ISO 8601 string')
        try:
            moment = parse_timestamp(timestamp)
        except ValueError:
            raise PayloadError(
                f'{where}: "timestamp" {timestamp!r} is not an ISO 8601 date and time'
            ) from None
        records = item.get("records", [])
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            raise PayloadError(f'{where}: "records" must be a list of objects')
        raw = item.get("raw")
        if raw is not None:
            if not isinstance(raw, str):
                raise PayloadError(f'{where}: "raw" must be a hexadecimal string or null')
            raw = "".join(raw.split()).upper()
            try:
                bytes.fromhex(raw)
            except ValueError:
                raise PayloadError(f'{where}: "raw" is not hexadecimal') from None
        error = item.get("error")
        if error is not None and (not isinstance(error, str) or not error):
            raise PayloadError(f'{where}: "error" must be null or a non-empty string')
        if not error and not records and not raw:
            raise PayloadError(f'{where}: neither "records", "raw" nor "error" given')
        result.append(
            {
                "key": key,
                "meter": meter,
                "timestamp": moment,
                "records": records,
                "raw": raw,
                "error": error,
                "message": item.get("message") if isinstance(item.get("message"), str) else None,
            }
        )
    return collector, result


class CollectorController(http.Controller):
    @http.route(
        "/site_metering/collector/upload",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def upload(self, **_kwargs):
        # No user session: the collector's key is the credential, the work runs as superuser
        # restricted to the collector's sites.
        request.update_env(user=SUPERUSER_ID)
        header = request.httprequest.headers.get("Authorization", "")
        scheme, _sep, key = header.partition(" ")
        Collector = request.env["site.meter.collector"].sudo()
        collector = Collector._authenticate(key.strip()) if scheme.lower() == "bearer" else None
        if not collector:
            return request.make_json_response(
                {"error": "missing or wrong API key (Authorization: Bearer <key>)"}, status=401
            )
        try:
            body = json.loads(request.httprequest.get_data(as_text=True) or "null")
        except ValueError as error:
            return request.make_json_response(
                {"error": f"the body is not JSON: {error}"}, status=400
            )
        try:
            name, readings = validate_payload(body)
        except PayloadError as error:
            return request.make_json_response({"error": str(error)}, status=400)
        if name != collector.name:
            _logger.info("Collector %s uploads under the name %s", collector.name, name)
        # One upload of a collector at a time: a retry racing its original waits for it.
        request.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5173, collector.id])
        answer = collector._upload(readings)
        return request.make_json_response(answer)
