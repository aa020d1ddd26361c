"""Upload endpoint of site_collector: ``POST /site_metering/collector/upload``.

Request: header ``Authorization: Bearer <api key>``, a ``Content-Length``, JSON body
``{"collector": "<name>", "readings": [{"key", "meter", "timestamp", "records", "raw",
"error", "alarms", "previous_alarms", "formats"}, ...]}``. Response 200:
``{"accepted": [keys], "duplicates": [keys], "rejected": [{"index", "key", "field",
"reason"}]}``.

- 401: no key, or a key no active collector holds. Nothing is stored. Every refusal is
  logged with the source address; past ``REFUSED_KEYS.limit`` refusals in its window an
  address gets 429 (with ``Retry-After``) whatever it sends, until the window passes.
- 411 / 413: no ``Content-Length``, or a body larger than the system parameter
  ``site_metering.collector_max_upload_bytes`` (default 5 MB): refused unread.
- 400: the body is not JSON, or its envelope is wrong (not an object, no collector name,
  readings not a list or too many). Nothing of it is stored.
- 200 with ``rejected``: each reading is checked on its own against the schema of
  ``engine.collector_upload`` (types, finite numbers, ranges, timestamps from 2000 to an
  hour ahead): a bad one is refused with its index, key (when readable), field and reason.
  So is a reading whose meter is not assigned to the collector (nor on a gateway of its
  sites), or that site_metering's checks refuse. The other readings of the payload are
  stored: the collector sets the rejected ones aside, so one bad reading never blocks a
  site's queue.
- ``duplicates``: keys already stored (or repeated in the payload, or stored first by a
  concurrent upload); nothing is stored twice. A meter keeps one remote reading a day (the
  first): later reads of a day already read are listed as duplicates too.
- ``alarms``: the telegram's alarm codes (site_collector's ``ALARM_CODES``); a code this
  server does not know refuses the reading (field ``alarms[i]``). They open, extend and
  clear the meter's alarms (``site.meter.alarm``). ``previous_alarms``: the codes it
  reports as past, each recorded once as an alarm already over.
- ``formats`` (optional): the compact-frame formats the meter's full telegrams taught the
  collector (``{"A8ED": "02FF2004..."}``, at most ``collector_upload.MAX_FORMATS`` of
  ``MAX_FORMAT_BYTES`` each, every signature the CRC of its headers; otherwise the
  reading is refused, field ``formats`` or ``formats.<signature>``). They join the meter's
  own (the same bound): its compact frames sent raw decode with them, in this upload too.
- A failed read (``error`` set, or no record matching the meter model's billing register)
  is accepted and stored as an error on its meter, with the raw telegram. A raw telegram
  sent without records is decoded here with the meter's key and compact-frame formats;
  one that still gives no values is stored as an error with the precise reason
  (encrypted without key, compact frame of an unknown format, unknown layout...). A reading dated
  before its meter's last accepted reading, or in a period already billed, is accepted and
  waits for acceptance with that reason.
"""

import json
import logging
import math
from datetime import datetime, timezone

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..engine import auth_throttle, collector_upload

_logger = logging.getLogger(__name__)

MAX_UPLOAD_PARAM = "site_metering.collector_max_upload_bytes"
DEFAULT_MAX_UPLOAD = 5 * 1024 * 1024
# Refused API keys per source address: 10 in 10 minutes, then the address waits.
REFUSED_KEYS = auth_throttle.FailureThrottle(limit=10, window=600)


def _error(message, status, headers=None):
    return request.make_json_response({"error": message}, status=status, headers=headers)


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
        # restricted to the collector's sites and meters.
        request.update_env(user=SUPERUSER_ID)
        address = request.httprequest.remote_addr
        wait = REFUSED_KEYS.retry_after(address)
        if wait:
            return _error(
                "too many refused API keys from this address: try again later",
                429,
                [("Retry-After", str(math.ceil(wait)))],
            )
        collector = self._authenticate(address)
        if not collector:
            return _error("missing or wrong API key (Authorization: Bearer <key>)", 401)
        limit = self._max_upload_bytes()
        length = request.httprequest.content_length
        if length is None:
            return _error("the upload needs a Content-Length", 411)
        if length > limit:
            return _error(f"the body is larger than the {limit} bytes allowed", 413)
        try:
            body = json.loads(request.httprequest.get_data().decode())
        except (ValueError, RecursionError) as error:
            return _error(f"the body is not JSON: {error}", 400)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        try:
            name, readings, refused = collector_upload.check_upload(body, now)
        except collector_upload.UploadError as error:
            return _error(str(error), 400)
        if name != collector.name:
            _logger.info("Collector %s uploads under the name %s", collector.name, name)
        return request.make_json_response(collector._upload(readings, refused))

    def _authenticate(self, address):
        """The collector of the request's key; a refusal is logged and counted."""
        scheme, _sep, key = request.httprequest.headers.get("Authorization", "").partition(" ")
        key = key.strip() if scheme.lower() == "bearer" else ""
        collector = request.env["site.meter.collector"].sudo()._authenticate(key)
        if not collector:
            REFUSED_KEYS.failed(address)
            _logger.warning(
                "Collector upload refused from %s: %s",
                address,
                "wrong API key" if key else "no API key",
            )
        return collector

    def _max_upload_bytes(self):
        value = request.env["ir.config_parameter"].sudo().get_param(MAX_UPLOAD_PARAM)
        try:
            return int(value) if value else DEFAULT_MAX_UPLOAD
        except ValueError:
            _logger.error("System parameter %s is not a number: %r", MAX_UPLOAD_PARAM, value)
            return DEFAULT_MAX_UPLOAD
