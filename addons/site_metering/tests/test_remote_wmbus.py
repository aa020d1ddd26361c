"""Gateway kinds: each kind's reader class, and the wireless M-Bus receiver kind plugged in
through ``_get_reader_class`` as another addon would plug in its own."""

import socket
import threading
import time

from odoo.exceptions import UserError
from odoo.tests import tagged

from ..tools.mbus_reader import MBusReader
from ..tools.wmbus_reader import WMBusReader
from .test_remote import RemoteCase, wmbus_telegram

KEY = bytes(range(16))
# Records of a cold-water meter: 12.345 m³; encrypted telegrams start with 2F 2F.
PLAIN = bytes.fromhex("0413 39300000")
SECRET = bytes.fromhex("2F2F 0413 08190000")  # 6.408 m³


class TelegramStream:
    """A receiver on a local TCP port: it sends ``lines`` to whoever connects, then stays
    silent (as a receiver does between telegrams) until stopped."""

    def __init__(self, lines):
        self.lines = lines
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        self.port = self._listener.getsockname()[1]

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _address = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            with conn:
                for line in self.lines:
                    conn.sendall(line + b"\n")
                self._stop.wait()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self._listener.close()


@tagged("post_install", "-at_install")
class TestGatewayKinds(RemoteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(
            "site_metering.gateway_allowed_networks", "127.0.0.0/8"
        )
        cls.water[0].wmbus_id = "33330001"
        cls.water[1].write({"wmbus_id": "76348799", "wmbus_key": KEY.hex()})
        cls.water[2].wmbus_id = "55550001"

    def receiver(self, lines, **values):
        stream = TelegramStream(lines)
        self.addCleanup(stream.stop)
        gateway = self.env["site.meter.gateway"].create(
            dict(
                {
                    "name": "Radio",
                    "kind": "wmbus_tcp",
                    "company_id": self.site.id,
                    "host": "127.0.0.1",
                    "port": stream.port,
                    "listen_seconds": 1,
                    "tz": "Europe/Istanbul",
                },
                **values,
            )
        )
        return gateway, stream

    def test_each_kind_has_its_reader(self):
        wired = self.env["site.meter.gateway"].create(
            {"name": "Wired", "company_id": self.site.id, "host": "127.0.0.1"}
        )
        self.assertEqual(wired.kind, "mbus_tcp")
        self.assertIs(wired._get_reader_class(), MBusReader)
        self.assertTrue(wired.can_scan)
        radio, _stream = self.receiver([])
        self.assertIs(radio._get_reader_class(), WMBusReader)
        self.assertFalse(radio.can_scan)
        with self.assertRaisesRegex(UserError, "cannot scan"):
            radio.action_scan()

    def test_receiver_poll_keeps_the_first_telegram_of_each_meter(self):
        plain = wmbus_telegram("33330001", 0x07, PLAIN).hex().upper().encode()
        lines = [
            wmbus_telegram("99990009", 0x07, PLAIN).hex().encode(),  # a neighbour's meter
            b"not a telegram",
            b"A" * 5000,  # a line too long, then the telegrams
            plain,
            wmbus_telegram("76348799", 0x16, SECRET, key=KEY).hex().encode(),
            wmbus_telegram("33330001", 0x07, bytes.fromhex("0413 40300000")).hex().encode(),
        ]
        gateway, stream = self.receiver(lines)
        self.water.gateway_id = gateway
        meters = self.env["site.meter"].search_count([])
        gateway._poll()
        first = self.water[0].last_reading_id
        self.assertEqual(first.source, "wmbus")
        self.assertAlmostEqual(first.value, 12.345)
        self.assertEqual(first.gateway_id, gateway)
        self.assertEqual(first.raw_telegram, plain.decode())
        # Encrypted: stored raw, opened with the meter's key.
        self.assertAlmostEqual(self.water[1].last_value, 6.408)
        # Not heard within the listening time: a failed read.
        self.assertFalse(self.water[2].last_reading_id)
        self.assertEqual(self.water[2].remote_last_error, "no_answer")
        self.assertIn("Not heard within 1 s", self.water[2].remote_last_error_message)
        self.assertEqual(gateway.last_poll_state, "partial")
        self.assertEqual(self.env["site.meter"].search_count([]), meters)
        self.assertEqual(stream.connections, 1)

    def test_receiver_poll_ends_when_every_meter_is_heard(self):
        lines = [
            wmbus_telegram("33330001", 0x07, PLAIN).hex().encode(),
            wmbus_telegram("76348799", 0x16, SECRET, key=KEY).hex().encode(),
        ]
        gateway, _stream = self.receiver(lines, listen_seconds=60)
        self.water[:2].gateway_id = gateway
        start = time.monotonic()
        gateway._poll()
        self.assertLess(time.monotonic() - start, 5)
        self.assertEqual(gateway.last_poll_state, "ok", gateway.last_poll_summary)

    def test_receiver_unreachable(self):
        gateway, stream = self.receiver([])
        stream.stop()  # nothing listens on its port any more
        self.water[0].gateway_id = gateway
        gateway._poll()
        self.assertEqual(gateway.last_poll_state, "failed")
        self.assertIn("cannot connect", gateway.last_poll_summary)
        self.assertEqual(self.water[0].remote_last_error, "connection")
