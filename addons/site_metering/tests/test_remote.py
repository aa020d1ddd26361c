import json
from datetime import datetime

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from site_collector import decode_frame
from site_collector.simulator import SimulatedBus, SimulatedSlave
from site_collector.upload import AuthenticationError, make_reading, post_batch

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .common import MeteringCase

UPLOAD = "/site_metering/collector/upload"
KAM = bytes([0x2D, 0x2C])  # manufacturer KAM, little-endian


def bcd(number, size):
    digits = f"{number:0{size * 2}d}"
    return bytes(int(digits[i : i + 2], 16) for i in range(0, len(digits), 2))[::-1]


def long_frame(ident, medium, records, address=1):
    """A wired M-Bus RSP_UD frame: 68 L L 68 08 A 72, 12-byte header, records, CS 16."""
    header = bcd(int(ident), 4) + KAM + bytes([0x01, medium, 0x2A, 0x00, 0x00, 0x00])
    body = bytes([0x08, address, 0x72]) + header + records
    return bytes([0x68, len(body), len(body), 0x68]) + body + bytes([sum(body) & 0xFF, 0x16])


def wmbus_telegram(ident, medium, records, key=None, access=0x42):
    """A wireless M-Bus telegram of a KAM meter (short header); with ``key``, encrypted
    in mode 5 (AES-CBC), ``records`` filled up to whole blocks."""
    link = bytes([0x44]) + KAM + bcd(int(ident), 4) + bytes([0x1B, medium])
    config = 0
    if key:
        records += bytes([0x2F]) * (-len(records) % 16)
        iv = link[1:9] + bytes([access]) * 8
        encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
        config = (0x05 << 8) | (len(records) // 16) << 4
        records = encryptor.update(records) + encryptor.finalize()
    body = bytes([0x7A, access, 0x00]) + config.to_bytes(2, "little") + records
    return bytes([len(link) + len(body)]) + link + body


def volume_record(litres):
    return bytes([0x0C, 0x13]) + bcd(litres, 4)  # 8-digit BCD, volume in litres


def energy_record(kwh):
    return bytes([0x0C, 0x06]) + bcd(kwh, 4)  # 8-digit BCD, energy in kWh


def hca_records(current, due):
    return bytes([0x0B, 0x6E]) + bcd(current, 3) + bytes([0x4B, 0x6E]) + bcd(due, 3)


def volume(value, storage=0):
    return {
        "function": "Instantaneous value",
        "storage_number": storage,
        "tariff": 0,
        "device": 0,
        "quantity": "Volume",
        "unit": "m^3",
        "value": value,
    }


class RemoteCase(MeteringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.water.write({"mbus_secondary_address": False})
        for meter, ident in zip(cls.water, ("11110001", "11110002", "11110003")):
            meter.mbus_secondary_address = f"{ident}2C2D0107"
        cls.allocators[0].wmbus_id = "22220001"
        cls.other_site = cls.env["res.company"].create({"name": "Other Sitesi", "is_site": True})
        cls.foreign = (
            cls.env["site.meter"]
            .sudo()
            .create(
                {
                    "serial": "X-1",
                    "kind": "cold_water",
                    "placement": "common",
                    "company_id": cls.other_site.id,
                    "mbus_secondary_address": "999900012C2D0107",
                }
            )
        )
        cls.collector = cls.env["site.meter.collector"].create(
            {"name": "block-a", "company_ids": [(6, 0, cls.site.ids)], "tz": "Europe/Istanbul"}
        )
        action = cls.collector.action_generate_key()
        cls.api_key = cls.env["site.meter.collector.key"].browse(action["res_id"]).key
        # A collector uploads the meters assigned to it only.
        (cls.water | cls.allocators).collector_id = cls.collector

    @staticmethod
    def item(ident, timestamp, records=None, error=None, raw=None, wmbus=False):
        meter = {"id": ident, "wmbus": wmbus, "manufacturer": "KAM"}
        if not wmbus:
            meter["secondary_address"] = f"{ident}2C2D0107"
        return {
            "key": f"{'wmbus' if wmbus else 'mbus'}:{ident}@{timestamp}",
            "meter": meter,
            "timestamp": timestamp,
            "records": records or [],
            "raw": raw,
            "error": error,
        }


@tagged("post_install", "-at_install")
class TestRemoteUpload(HttpCase, RemoteCase):
    def post(self, body, key=None, raw=None):
        headers = {"Content-Type": "application/json"}
        if key is not False:
            headers["Authorization"] = f"Bearer {key or self.api_key}"
        return self.url_open(
            UPLOAD, data=raw if raw is not None else json.dumps(body), headers=headers
        )

    def remote_readings(self):
        return self.env["site.meter.reading"].search([("collector_id", "=", self.collector.id)])

    def test_good_upload_then_replay(self):
        frame = long_frame("11110001", 0x07, volume_record(12345)).hex().upper()
        body = {
            "collector": "block-a",
            "readings": [
                self.item("11110001", "2026-01-19T22:30:00Z", [volume(12.345)], raw=frame),
                self.item("11110002", "2026-01-19T22:30:00Z", [volume(7.5)]),
            ],
        }
        response = self.post(body)
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual(sorted(answer["accepted"]), sorted(i["key"] for i in body["readings"]))
        self.assertEqual(answer["duplicates"], [])
        self.assertEqual(answer["rejected"], [])
        readings = self.remote_readings()
        self.assertEqual(len(readings), 2)
        first = readings.filtered(lambda r: r.meter_id == self.water[0])
        self.assertEqual(first.source, "mbus")
        self.assertAlmostEqual(first.value, 12.345)
        self.assertEqual(first.raw_telegram, frame)
        # 22:30 UTC is already the 20th in Istanbul (UTC+3).
        self.assertEqual(str(first.date), "2026-01-20")
        self.assertEqual(first.remote_timestamp, datetime(2026, 1, 19, 22, 30))
        self.assertIn("Volume", first.remote_register)
        self.assertTrue(self.water[0].remote_last_read)

        # A later read of the same day is acknowledged, not stored: one reading a day.
        later = self.item("11110001", "2026-01-20T08:00:00Z", [volume(12.4)])
        answer_later = self.post({"collector": "block-a", "readings": [later]}).json()
        self.assertEqual(answer_later["duplicates"], [later["key"]])

        replay = self.post(body).json()
        self.assertEqual(replay["accepted"], [])
        self.assertEqual(sorted(replay["duplicates"]), sorted(answer["accepted"]))
        self.assertEqual(len(self.remote_readings()), 2)

    def test_site_collector_client_uploads(self):
        """site_collector's own upload client against this endpoint: the contract holds."""
        frame = long_frame("11110003", 0x07, volume_record(4321))
        decoded = dict(decode_frame(frame), raw=frame.hex().upper())
        reading = make_reading(decoded, "2026-01-20T06:00:00Z")
        failed = make_reading(
            None,
            "2026-01-20T06:00:00Z",
            error="no_answer",
            meter={"secondary_address": "111100022C2D0107"},
        )
        # The test server answers requests without the test cookie only when allowed.
        with self.allow_requests(all_requests=True):
            answer = post_batch(self.base_url(), self.api_key, "block-a", [reading, failed])
            with self.assertRaises(AuthenticationError):
                post_batch(self.base_url(), "wrong-key-000000", "block-a", [reading])
        self.assertEqual(answer["accepted"], [reading["key"], failed["key"]])
        self.assertAlmostEqual(self.water[2].last_value, 4.321)
        self.assertEqual(self.water[1].remote_last_error, "no_answer")

    def test_wrong_or_missing_key_is_401_and_stores_nothing(self):
        body = {
            "collector": "block-a",
            "readings": [self.item("11110001", "2026-01-19T22:30:00Z", [volume(1.0)])],
        }
        self.assertEqual(self.post(body, key="0123456789abcdef").status_code, 401)
        self.assertEqual(self.post(body, key=self.api_key[:8] + "x" * 32).status_code, 401)
        self.assertEqual(self.post(body, key=False).status_code, 401)
        self.assertFalse(self.remote_readings())
        # A new key replaces the old one.
        self.collector.action_generate_key()
        self.assertEqual(self.post(body).status_code, 401)

    def test_meter_of_another_site_rejected_others_stored(self):
        body = {
            "collector": "block-a",
            "readings": [
                self.item("99990001", "2026-01-19T22:30:00Z", [volume(3.0)]),
                self.item("11110003", "2026-01-19T22:30:00Z", [volume(4.0)]),
            ],
        }
        answer = self.post(body).json()
        self.assertEqual(answer["accepted"], [body["readings"][1]["key"]])
        self.assertEqual(len(answer["rejected"]), 1)
        self.assertEqual(answer["rejected"][0]["key"], body["readings"][0]["key"])
        self.assertIn("No meter 999900012C2D0107", answer["rejected"][0]["reason"])
        self.assertFalse(self.foreign.sudo().reading_ids)

    def test_value_refused_by_checks_is_rejected(self):
        self.read(self.water[0], "2026-01-01", 50)
        body = {
            "collector": "block-a",
            "readings": [
                self.item("11110001", "2026-01-19T10:00:00Z", [volume(10.0)]),
                self.item("11110002", "2026-01-19T10:00:00Z", [volume(10.0)]),
            ],
        }
        answer = self.post(body).json()
        self.assertEqual(answer["accepted"], [body["readings"][1]["key"]])
        self.assertIn("W-A-1", answer["rejected"][0]["reason"])
        self.assertEqual(len(self.remote_readings()), 1)

    def test_malformed_payload_is_400_and_stores_nothing(self):
        good = self.item("11110001", "2026-01-19T22:30:00Z", [volume(1.0)])
        cases = [
            (None, "not json{", "not JSON"),
            ({"readings": [good]}, None, '"collector"'),
            ({"collector": "block-a", "readings": {}}, None, '"readings" must be a list'),
        ]
        for body, raw, message in cases:
            with self.subTest(message=message):
                response = self.post(body, raw=raw)
                self.assertEqual(response.status_code, 400)
                self.assertRegex(response.json()["error"], message)
        self.assertFalse(self.remote_readings())
        self.assertFalse(self.env["site.meter.remote.error"].search([]))

    def test_malformed_readings_are_refused_one_by_one(self):
        good = self.item("11110001", "2026-01-19T22:30:00Z", [volume(1.0)])
        readings = [
            dict(good, key="k1", timestamp="x"),
            {"key": "k2", "timestamp": "x"},
            dict(good, key="k3", raw="zz"),
        ]
        response = self.post({"collector": "block-a", "readings": readings})
        self.assertEqual(response.status_code, 200)
        rejected = response.json()["rejected"]
        self.assertEqual(
            [(r["index"], r["key"], r["field"]) for r in rejected],
            [(0, "k1", "timestamp"), (1, "k2", "meter"), (2, "k3", "raw")],
        )
        self.assertIn("not hexadecimal", rejected[2]["reason"])
        self.assertFalse(self.remote_readings())

    def test_error_reported_by_collector_shows_on_meter(self):
        meter = self.water[1]
        body = {
            "collector": "block-a",
            "readings": [
                self.item("11110002", "2026-01-18T10:00:00Z", error="no_answer"),
                self.item("11110002", "2026-01-19T10:00:00Z", error="checksum", raw="6803"),
                self.item(
                    "22220001", "2026-01-19T10:00:00Z", error="decryption_failed", wmbus=True
                ),
            ],
        }
        answer = self.post(body).json()
        self.assertEqual(len(answer["accepted"]), 3)
        self.assertFalse(self.remote_readings())
        self.assertEqual(meter.remote_last_error, "checksum")
        self.assertEqual(meter.remote_error_count, 2)
        self.assertEqual(meter.remote_last_error_date, datetime(2026, 1, 19, 10, 0))
        self.assertEqual(meter.remote_error_ids.mapped("code"), ["checksum", "no_answer"])
        self.assertEqual(meter.remote_error_ids[0].raw_telegram, "6803")
        self.assertEqual(self.allocators[0].remote_last_error, "decryption_failed")
        # A good read resets the count; a replay of the errors stores nothing twice.
        self.post(
            {
                "collector": "block-a",
                "readings": [self.item("11110002", "2026-01-20T10:00:00Z", [volume(2.0)])],
            }
        )
        self.assertEqual(meter.remote_error_count, 0)
        self.assertEqual(len(self.post(body).json()["duplicates"]), 3)
        self.assertEqual(len(meter.remote_error_ids), 2)


@tagged("post_install", "-at_install")
class TestRemoteRegisters(RemoteCase):
    def ingest(self, meter, records, raw=None, key="k1", wmbus=False):
        entry = {
            "key": key,
            "meter": meter,
            "timestamp": datetime(2026, 1, 20, 9, 0),
            "records": records,
            "raw": raw,
            "error": None,
            "wmbus": wmbus,
        }
        return self.env["site.meter.reading"]._remote_ingest([entry], collector=self.collector)

    def test_default_registers_per_kind(self):
        heat = self.env["site.meter"].create(
            {"serial": "HM-1", "kind": "heat", "unit_id": self.u1.id, "company_id": self.site.id}
        )
        energy_wh = dict(volume(0), quantity="Energy", unit="Wh", value=1234500)
        flow = dict(volume(0.5), quantity="Volume flow", unit="m^3/h")
        self.ingest(heat, [flow, volume(99.0), energy_wh])
        self.assertAlmostEqual(heat.last_value, 1234.5)  # Wh → kWh
        # Allocators: the current units and the due-date value (storage 1).
        hca = self.allocators[1]
        units = dict(volume(0), quantity="H.C.A.", unit="Units for H.C.A.")
        self.ingest(
            hca, [dict(units, storage_number=1, value=800), dict(units, value=950)], key="k2"
        )
        reading = hca.last_reading_id
        self.assertEqual(reading.value, 950)
        self.assertEqual(reading.due_date_value, 800)

    def test_model_registers_choose_tariff_and_scale(self):
        model = self.env["site.meter.model"].create(
            {"name": "Multical", "manufacturer": "KAM", "kind": "heat"}
        )
        model.action_default_registers()
        self.assertEqual(len(model.register_ids), 2)
        model.register_ids.unlink()
        model.register_ids = [
            (0, 0, {"quantity": "Energy", "unit": "J", "tariff": 1, "divisor": 3.6e6}),
        ]
        heat = self.env["site.meter"].create(
            {
                "serial": "HM-2",
                "kind": "heat",
                "unit_id": self.u2.id,
                "company_id": self.site.id,
                "model_id": model.id,
            }
        )
        energy = dict(volume(0), quantity="Energy", unit="J")
        self.ingest(heat, [dict(energy, value=7.2e9), dict(energy, tariff=1, value=3.6e9)])
        self.assertAlmostEqual(heat.last_value, 1000.0)
        # No matching record: an error on the meter, no reading.
        result = self.ingest(heat, [dict(energy, value=1.0)], key="k2")
        self.assertEqual(result["errors"], 1)
        self.assertEqual(heat.remote_last_error, "no_register")
        self.assertEqual(len(heat.reading_ids), 1)

    def test_access_engineer_reads_gateways_only_admin_keys(self):
        engineer = self.env["res.users"].create(
            {
                "name": "Engineer",
                "login": "remote-engineer",
                "company_id": self.site.id,
                "company_ids": [(6, 0, self.site.ids)],
                "group_ids": [(6, 0, [self.env.ref("site_residents.group_site_engineer").id])],
            }
        )
        gateway = self.env["site.meter.gateway"].create(
            {"name": "GW", "company_id": self.site.id, "host": "10.0.0.5"}
        )
        self.assertEqual(gateway.with_user(engineer).read(["host"])[0]["host"], "10.0.0.5")
        with self.assertRaises(AccessError):
            gateway.with_user(engineer).write({"host": "10.0.0.6"})
        with self.assertRaises(UserError):
            self.collector.with_user(engineer).action_generate_key()
        with self.assertRaises(AccessError):
            self.collector.with_user(engineer).key_hash  # noqa: B018
        # Only the hash is stored.
        self.assertNotEqual(self.collector.sudo().key_hash, self.api_key)
        self.assertEqual(len(self.collector.sudo().key_hash), 64)

    def test_encrypted_wmbus_telegram_opened_with_the_meters_key(self):
        key = bytes(range(16))
        records = bytes.fromhex("2F2F 0413 08190000 02FD17 0000" + "2F" * 19)  # 6.408 m³
        # KAM, id 76348799, cold water
        telegram = wmbus_telegram("76348799", 0x16, records, key=key).hex().upper()
        meter = self.water[0]
        meter.write({"wmbus_id": "76348799", "wmbus_key": key.hex()})
        # The collector holds no key: it sends the telegram without records.
        self.ingest(meter, [], raw=telegram, wmbus=True)
        self.assertAlmostEqual(meter.last_value, 6.408)
        self.assertEqual(meter.last_reading_id.source, "wmbus")
        meter.wmbus_key = "00" * 16
        self.ingest(meter, [], raw=telegram, wmbus=True, key="k2")
        self.assertEqual(meter.remote_last_error, "decryption_failed")
        self.assertIn("wrong key", meter.remote_last_error_message)

    def test_redecode_raw_telegram(self):
        meter = self.water[2]
        frame = long_frame("11110003", 0x07, volume_record(20500)).hex().upper()
        # The collector's decoding was wrong (e.g. an old VIF table): 205 instead of 20.5.
        self.ingest(meter, [volume(205.0)], raw=frame)
        reading = meter.last_reading_id
        self.assertEqual(reading.value, 205.0)
        reading.action_redecode()
        self.assertAlmostEqual(reading.value, 20.5)
        reading.raw_telegram = False
        with self.assertRaisesRegex(UserError, "no raw telegram"):
            reading.action_redecode()


@tagged("post_install", "-at_install")
class TestGateway(RemoteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.frames = {
            "11110001": long_frame("11110001", 0x07, volume_record(12345), address=1),
            "11110002": long_frame("11110002", 0x07, volume_record(23456), address=2),
            "33330001": long_frame("33330001", 0x04, energy_record(4321), address=3),
            "44440001": long_frame("44440001", 0x00, volume_record(1), address=4),
        }
        cls.slaves = [
            SimulatedSlave(index + 1, [frame]) for index, frame in enumerate(cls.frames.values())
        ]
        cls.bus = SimulatedBus(cls.slaves)
        port = cls.bus.serve_tcp()
        cls.addClassCleanup(cls.bus.stop)
        cls.env["ir.config_parameter"].set_param(
            "site_metering.gateway_allowed_networks", "127.0.0.0/8"
        )
        cls.gateway = cls.env["site.meter.gateway"].create(
            {
                "name": "Boiler room",
                "company_id": cls.site.id,
                "host": "127.0.0.1",
                "port": port,
                "timeout": 0.15,
                "retries": 1,
                "tz": "Europe/Istanbul",
            }
        )

    def test_poll_reads_meters_and_records_errors(self):
        self.water[:2].gateway_id = self.gateway
        self.water[2].write({"gateway_id": self.gateway.id})  # 11110003 is not on the bus
        self.gateway._poll()
        first = self.water[0].last_reading_id
        self.assertEqual(first.source, "mbus")
        self.assertAlmostEqual(first.value, 12.345)
        self.assertEqual(first.gateway_id, self.gateway)
        self.assertEqual(first.raw_telegram, self.frames["11110001"].hex().upper())
        self.assertAlmostEqual(self.water[1].last_value, 23.456)
        self.assertFalse(self.water[2].last_reading_id)
        self.assertEqual(self.water[2].remote_last_error, "no_answer")
        self.assertEqual(self.water[2].remote_error_count, 1)
        self.assertEqual(self.gateway.last_poll_state, "partial")
        self.assertTrue(self.gateway.next_poll > self.gateway.last_poll)
        # The cron polls only the gateways that are due.
        self.gateway._cron_poll()
        self.assertEqual(len(self.water[0].reading_ids), 1)

    def test_primary_address_and_unreachable_gateway(self):
        meter = self.water[1]
        meter.write(
            {
                "mbus_secondary_address": False,
                "mbus_primary_address": 2,
                "gateway_id": self.gateway.id,
            }
        )
        self.gateway._poll()
        self.assertAlmostEqual(meter.last_value, 23.456)
        closed = self.gateway.copy({"name": "Closed", "port": 1})
        meter.gateway_id = closed
        closed._poll()
        self.assertEqual(closed.last_poll_state, "failed")
        self.assertEqual(meter.remote_last_error, "connection")

    def test_scan_matches_and_creates_meters(self):
        self.gateway.action_scan()
        self.assertEqual(self.water[0].gateway_id, self.gateway)
        self.assertEqual(self.water[1].gateway_id, self.gateway)
        created = self.env["site.meter"].search([("serial", "=", "33330001")])
        self.assertEqual(created.kind, "heat")
        self.assertEqual(created.mbus_secondary_address, "333300012C2D0104")
        self.assertEqual(created.manufacturer, "KAM")
        self.assertEqual(created.gateway_id, self.gateway)
        # Medium 0x00 (other): not created, named in the chatter.
        self.assertFalse(self.env["site.meter"].search([("serial", "=", "44440001")]))
        self.assertIn("444400012C2D0100", self.gateway.message_ids[0].body)
        self.assertEqual(self.gateway.meter_count, 3)

    def test_scan_matches_meters_as_uploads_do(self):
        """One order of matching for scans and uploads: a meter of the same identification
        number is the meter found, though its version changed; a meter found twice
        (ambiguous) or replaced is not attached."""
        heat = self.env["site.meter"].create(
            {
                "serial": "HM-1",
                "kind": "heat",
                "unit_id": self.u1.id,
                "company_id": self.site.id,
                "mbus_secondary_address": "333300012C2D0904",
            }
        )
        self.water[1].state = "replaced"
        for kind in ("cold_water", "hot_water"):
            self.env["site.meter"].create(
                {
                    "serial": "44440001",
                    "kind": kind,
                    "placement": "common",
                    "company_id": self.site.id,
                }
            )
        self.gateway.action_scan()
        self.assertEqual(heat.gateway_id, self.gateway)
        self.assertEqual(heat.mbus_secondary_address, "333300012C2D0104")
        self.assertFalse(self.env["site.meter"].search([("serial", "=", "33330001")]))
        self.assertEqual(self.water[0].gateway_id, self.gateway)
        self.assertFalse(self.water[1].gateway_id)
        body = self.gateway.message_ids[0].body
        self.assertIn("ambiguous: 444400012C2D0100", body)
        self.assertIn("replaced or removed: 111100022C2D0107", body)
        self.assertEqual(self.gateway.meter_count, 2)
