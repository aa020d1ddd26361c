"""Upload queued readings to Odoo (``POST /site_metering/collector/upload``).

Request body::

    {"collector": "<name>", "readings": [<reading>, ...]}

Response body::

    {"accepted": [<key>, ...], "duplicates": [<key>, ...],
     "rejected": [{"key": <key>, "reason": "<text>"}, ...]}

A reading may also carry ``previous_alarms`` (the alarm codes its telegram reports as
past) and ``formats`` (the compact-frame formats the meter's full telegrams taught the
collector, ``FormatSignatures.export()``): both are optional, a server that does not
read them drops them.

Accepted and duplicate keys are marked sent; rejected ones (named by key, or by their
index in the batch when the server could not read the key) are set aside; a batch larger
than the server takes (413) is sent again in halves, and a reading too large alone is set
aside; anything else (network error, 5xx, 401/403, 429) leaves the rows queued for the
next attempt.
"""

import json
import urllib.error
import urllib.request

from .compact import FormatSignatures
from .frame import secondary_address
from .spool import reading_key, utc_now

UPLOAD_PATH = "/site_metering/collector/upload"
BATCH_SIZE = 200
# Compact-frame formats sent with a reading (the latest learned) and the largest one: a
# meter sends a handful, and a wireless telegram (255 bytes) holds every header of one.
# Odoo refuses a reading beyond these (field "formats").
MAX_FORMATS = 16
MAX_FORMAT_BYTES = 255


class UploadError(Exception):
    """The server could not be reached or refused the batch; the rows stay queued."""


class AuthenticationError(UploadError):
    """The server refused the API key (HTTP 401 or 403)."""


class PayloadTooLarge(UploadError):
    """The server refused the batch for its size (HTTP 413)."""


def make_reading(decoded, timestamp=None, error=None, raw=None, meter=None, signatures=None):
    """An upload reading from a decoded telegram (or a failed read with ``error``).

    ``signatures``: the meter's own :class:`.compact.FormatSignatures` (the one its
    telegrams were decoded with) or its ``export()``; its formats go with the reading so
    that Odoo decodes the meter's compact frames too.
    """
    decoded = decoded or {}
    meter = dict(meter or {})
    if decoded.get("id"):
        meter.setdefault("id", decoded["id"])
        meter.setdefault("manufacturer", decoded.get("manufacturer"))
        meter.setdefault("medium", decoded.get("medium"))
        if decoded.get("manufacturer") and decoded.get("medium_code") is not None:
            if not decoded.get("wmbus"):
                meter.setdefault("secondary_address", secondary_address(decoded))
    meter.setdefault("wmbus", bool(decoded.get("wmbus")))
    reading = {
        "meter": meter,
        "timestamp": timestamp or utc_now(),
        "records": decoded.get("records", []),
        "raw": raw if raw is not None else decoded.get("raw"),
        "error": error,
    }
    if decoded.get("alarms"):
        # Alarm codes (site_collector.alarms); Odoo refuses a reading with a code it does
        # not know (field "alarms[i]"): keep the collector's and Odoo's site_collector equal.
        reading["alarms"] = list(decoded["alarms"])
    if decoded.get("previous_alarms"):
        reading["previous_alarms"] = list(decoded["previous_alarms"])
    formats = upload_formats(signatures)
    if formats:
        reading["formats"] = formats
    reading["key"] = reading_key(reading)
    return reading


def upload_formats(signatures):
    """``{"A8ED": "02FF20...", ...}`` of a meter's formats, as Odoo takes them: the latest
    ``MAX_FORMATS`` of at most ``MAX_FORMAT_BYTES`` each."""
    if not signatures:
        return {}
    if not isinstance(signatures, FormatSignatures):
        signatures = FormatSignatures(signatures)
    formats = [
        (signature, headers)
        for signature, headers in signatures.export().items()
        if len(headers) <= 2 * MAX_FORMAT_BYTES
    ]
    return dict(formats[-MAX_FORMATS:])


def upload_url(server):
    return server.rstrip("/") + UPLOAD_PATH


def post_batch(server, api_key, collector, readings, timeout=30):
    body = json.dumps({"collector": collector, "readings": readings}).encode()
    request = urllib.request.Request(
        upload_url(server),
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read().decode() or "{}")
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403):
            raise AuthenticationError(
                f"the server refused the API key (HTTP {exc.code}); readings stay queued"
            ) from None
        if exc.code == 413:
            raise PayloadTooLarge("the server refused the batch for its size (HTTP 413)") from None
        raise UploadError(f"upload failed: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise UploadError(f"upload failed: {exc}") from None


def upload_pending(spool, server, api_key, collector, batch_size=BATCH_SIZE):
    """Send every pending reading; returns counts. Raises UploadError and keeps the rest."""
    totals = {"accepted": 0, "duplicates": 0, "rejected": 0}
    while True:
        batch = spool.pending(limit=batch_size)
        if not batch:
            return totals
        try:
            answer = post_batch(server, api_key, collector, batch)
        except PayloadTooLarge:
            if len(batch) > 1:
                batch_size = len(batch) // 2
                continue
            reason = "larger than the server accepts (HTTP 413)"
            spool.mark_rejected([{"key": batch[0]["key"], "reason": reason}])
            totals["rejected"] += 1
            continue
        sent = set(answer.get("accepted", [])) | set(answer.get("duplicates", []))
        rejected = [_rejected_key(item, batch) for item in answer.get("rejected", [])]
        known = {reading["key"] for reading in batch}
        if not (sent | {item.get("key") for item in rejected}) & known:
            raise UploadError("the server acknowledged none of the readings sent")
        spool.mark_sent(sent & known)
        spool.mark_rejected([item for item in rejected if item.get("key") in known])
        totals["accepted"] += len(answer.get("accepted", []))
        totals["duplicates"] += len(answer.get("duplicates", []))
        totals["rejected"] += len(rejected)


def _rejected_key(item, batch):
    """The refusal with the key of its reading (the server names it, or its index) and
    the field at fault in the reason."""
    item = dict(item)
    index = item.get("index")
    if not item.get("key") and isinstance(index, int) and 0 <= index < len(batch):
        item["key"] = batch[index]["key"]
    if item.get("field"):
        item["reason"] = f"{item['field']}: {item.get('reason') or 'refused'}"
    return item
