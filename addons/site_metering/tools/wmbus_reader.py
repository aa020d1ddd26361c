"""A wireless M-Bus receiver on TCP that streams what it hears, a telegram a line in hex.

Such a receiver (a radio stick behind a serial-to-TCP bridge, rtl-wmbus and the like) is
not polled, it is listened to: a poll listens up to the gateway's ``listen_seconds``
and keeps the first telegram of each of its meters, found by their wireless M-Bus ID
as uploads are (``engine.remote``); the neighbours' meters it hears are ignored. A meter
not heard in time is a failed read (no answer). Telegrams are decoded by site_collector,
first to find their meter, then for it: with its key and the compact-frame formats
learned from its full telegrams (``site.meter._remote_decode``). A telegram that gives no
values is a failed read with the precise reason (encrypted without key, compact frame of
an unknown format, unknown manufacturer layout...).
"""

import logging
import socket
import time

from site_collector import DecodeError, FormatSignatures, decode_telegram

from odoo import fields

from ..engine import remote
from .gateway_reader import GatewayReader

_logger = logging.getLogger(__name__)

# Hex digits of a line: a telegram has at most 256 bytes, with the CRCs of format A 290.
MAX_LINE = 1024
CONNECT_TIMEOUT = 5.0


class WMBusReader(GatewayReader):
    def read(self, meters, deadline):
        gateway = self.gateway
        address = gateway._allowed_address()
        end = min(deadline, time.monotonic() + gateway.listen_seconds)
        try:
            stream = socket.create_connection((address, gateway.port), timeout=CONNECT_TIMEOUT)
        except OSError as error:
            raise self.unreachable(f"{address} port {gateway.port}", error) from error
        index = remote.MeterIndex(meters._remote_candidates())
        wanted, heard = set(meters.ids), {}
        with stream:
            telegrams = self._telegrams(stream, end)
            while len(heard) < len(wanted) and (data := next(telegrams, None)) is not None:
                try:
                    # Only its address here; an own memory keeps site_collector's clean.
                    decoded = decode_telegram(data, signatures=FormatSignatures())
                except DecodeError:
                    continue  # no header to trust: the meter sends again
                match = index.find(remote.Identity.of({"id": decoded["id"], "wmbus": True}))
                if match.meter_id in wanted and match.meter_id not in heard:
                    heard[match.meter_id] = self._read_telegram(meters.browse(match.meter_id), data)
        moment = fields.Datetime.now()
        not_heard = self.env._("Not heard within %(seconds)s s.", seconds=gateway.listen_seconds)
        return [
            heard.get(meter.id)
            or gateway._entry(meter, moment, error="no_answer", message=not_heard)
            for meter in meters
        ], 0

    def _read_telegram(self, meter, data):
        """The entry of a telegram of ``meter``, decoded with what Odoo holds of it."""
        gateway, moment, raw = self.gateway, fields.Datetime.now(), data.hex().upper()
        try:
            decoded = meter._remote_decode(data, True)
        except DecodeError as error:
            return gateway._entry(
                meter, moment, raw=raw, error=error.reason, message=str(error), wmbus=True
            )
        return gateway._decoded_entry(meter, moment, decoded, raw, wmbus=True)

    def _telegrams(self, stream, end):
        """The telegrams the receiver sends until ``end`` (``time.monotonic()``), as
        bytes; a line that is not hexadecimal, or too long, is skipped."""
        buffer, overlong = b"", False
        while (left := end - time.monotonic()) > 0:
            stream.settimeout(left)
            try:
                chunk = stream.recv(4096)
            except TimeoutError:
                return
            except OSError as error:
                gateway = self.gateway
                _logger.warning(
                    "Gateway %s (id %s): connection lost: %s", gateway.name, gateway.id, error
                )
                return
            if not chunk:
                return  # the receiver closed the connection
            lines = (buffer + chunk).split(b"\n")
            buffer = lines.pop()
            for line in lines:
                skip, overlong = overlong, False
                if skip or not 0 < len(line.strip()) <= MAX_LINE:
                    continue
                try:
                    telegram = bytes.fromhex(line.decode("ascii"))
                except ValueError:  # not hexadecimal (UnicodeDecodeError is a ValueError)
                    continue
                yield telegram
            if len(buffer) > MAX_LINE:
                buffer, overlong = b"", True
