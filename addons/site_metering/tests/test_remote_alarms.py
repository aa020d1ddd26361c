"""Meter alarms from real telegrams, the precise status of telegrams without values, and
compact frames decoded with the formats Odoo learned from the meter's full frames."""

import json
from datetime import datetime, timedelta

from site_collector import FormatSignatures, decode_telegram
from site_collector.crc import crc16
from site_collector.simulator import SimulatedBus, SimulatedSlave
from site_collector.upload import make_reading

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, JsonRpcException, tagged

from odoo.addons.site_residents.tests.common import site_user

from ..engine.alarms import Observation
from .test_remote import (
    KAM,
    UPLOAD,
    RemoteCase,
    bcd,
    long_frame,
    volume,
    volume_record,
    wmbus_telegram,
)
from .test_remote_wmbus import TelegramStream

# Kamstrup Multical 21 (wmbusmeters' published telegram, site_collector's tests): ELL
# stored decrypted, info code 0x71 in record 02 FF 20 (0x01: dry), 6.408 m³.
KAMSTRUP = bytes.fromhex(
    "2A442D2C998734761B168D2091D37CAC21576C7802FF207100041308190000441308190000615B7F616713"
)
# A compact frame (CI 0x79) of the same meter and format (signature A8ED).
COMPACT = bytes.fromhex("23442D2C998734761B168D2087D19EAD217F1779EDA86AB6710008190000081900007F13")
T0 = datetime(2026, 1, 20, 6, 0)
KAMSTRUP_FORMAT = {"A8ED": "02FF2004134413615B6167"}


def kamstrup(info):
    """The Kamstrup telegram with another info code (its payload CRC made again)."""
    body = bytearray(KAMSTRUP[19:])
    body[4:6] = info.to_bytes(2, "little")
    return KAMSTRUP[:17] + crc16(bytes(body)).to_bytes(2, "little") + bytes(body)


def izar_previous_leak():
    """Diehl IZAR (SAP PRIOS, site_collector's tests): blocked and underflow now; with the
    "previous leak" bit set (and its twin in the scrambling seed, byte 8)."""
    telegram = bytearray(bytes.fromhex("1944304C72242421D401A2013D4013DD8B46A4999C1293E582CC"))
    telegram[12] ^= 0x40
    telegram[8] ^= 0x40
    return bytes(telegram)


def status_frame(ident, status, records, address=1):
    """A wired RSP_UD frame whose header carries ``status`` (EN 13757-3 status byte)."""
    header = bcd(int(ident), 4) + KAM + bytes([0x01, 0x07, 0x2A, status, 0x00, 0x00])
    body = bytes([0x08, address, 0x72]) + header + records
    return bytes([0x68, len(body), len(body), 0x68]) + body + bytes([sum(body) & 0xFF, 0x16])


class AlarmCase(RemoteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.radio = cls.water[1]
        cls.radio.wmbus_id = "76348799"
        cls.engineer = site_user(
            cls.env, "alarm-engineer", "site_residents.group_site_engineer", cls.site
        )
        cls.activity_type = cls.env.ref("site_metering.mail_activity_type_meter_alarm")

    def ingest(self, meter, telegram, moment, key=None, wmbus=True):
        """A telegram the collector sent raw, without values: Odoo decodes it."""
        entry = {
            "key": key or f"k@{moment.isoformat()}",
            "meter": meter,
            "timestamp": moment,
            "records": [],
            "raw": telegram.hex().upper(),
            "error": None,
            "wmbus": wmbus,
        }
        return self.env["site.meter.reading"]._remote_ingest([entry], collector=self.collector)

    def alarms(self, meter, **domain):
        return self.env["site.meter.alarm"].search(
            [("meter_id", "=", meter.id)] + [(k, "=", v) for k, v in domain.items()]
        )

    def activities(self, unit):
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "site.unit"),
                    ("res_id", "=", unit.id),
                    ("activity_type_id", "=", self.activity_type.id),
                ]
            )
        )


@tagged("post_install", "-at_install")
class TestMeterAlarms(AlarmCase):
    def test_alarm_opens_once_is_extended_and_clears_with_its_activity(self):
        meter, unit = self.radio, self.radio.unit_id
        self.ingest(meter, KAMSTRUP, T0)
        self.assertAlmostEqual(meter.last_value, 6.408)
        dry = self.alarms(meter)
        self.assertEqual(
            [(a.code, a.state, a.first_seen, a.source) for a in dry],
            [("dry", "open", T0, "collector")],
        )
        self.assertEqual(dry.collector_id, self.collector)
        self.assertEqual(
            (dry.unit_id, dry.building_id, dry.severity), (unit, meter.building_id, "high")
        )
        activity = self.activities(unit)
        self.assertEqual(len(activity), 1)
        self.assertEqual(dry.activity_id, activity)
        self.assertEqual(activity.user_id, self.engineer)
        self.assertIn("Dry Pipe", activity.summary)
        self.assertEqual(meter.alarm_open_count, 1)
        self.assertFalse(meter.alarm_critical)

        # Later telegrams with the same alarm: the same event, no new activity.
        for hours in (1, 30):
            self.ingest(meter, KAMSTRUP, T0 + timedelta(hours=hours))
        self.assertEqual(self.alarms(meter), dry)
        self.assertEqual(dry.last_seen, T0 + timedelta(hours=30))
        self.assertEqual(len(self.activities(unit)), 1)

        # Dry cleared, a leak now: the leak stands out (critical) and gets its own activity.
        leak_at = T0 + timedelta(days=2)
        self.ingest(meter, kamstrup(0x04), leak_at)
        self.assertEqual((dry.state, dry.cleared_on), ("cleared", leak_at))
        self.assertFalse(activity.active, "the dry alarm's activity is done")
        leak = self.alarms(meter, state="open")
        self.assertEqual((leak.code, leak.severity), ("leak", "critical"))
        self.assertTrue(meter.alarm_critical)
        self.assertEqual(
            self.env["site.meter"].search(
                [("alarm_critical", "=", True), ("company_id", "=", meter.company_id.id)]
            ),
            meter,
        )
        self.assertEqual(len(self.activities(unit).filtered("active")), 1)

        # A telegram without alarms clears the leak; an older one replayed changes nothing.
        self.ingest(meter, kamstrup(0x00), leak_at + timedelta(hours=1))
        self.assertEqual(leak.state, "cleared")
        self.assertFalse(self.activities(unit).filtered("active"))
        self.assertIn("Alarm cleared", unit.message_ids[0].body)
        self.ingest(meter, KAMSTRUP, T0 + timedelta(hours=2), key="late")
        self.assertFalse(self.alarms(meter, state="open"))
        self.assertEqual(meter.alarm_open_count, 0)

    def test_status_byte_alarms_and_an_alarm_user_chosen_on_the_site(self):
        manager = site_user(
            self.env, "alarm-manager", "site_residents.group_site_manager", self.site
        )
        self.site.site_meter_alarm_user_id = manager
        meter = self.radio
        status = bytes.fromhex("1B442D2C998734761B167A42100000" + "2F2F041308190000" + "02FD170400")
        self.ingest(meter, status, T0)
        alarms = self.alarms(meter)
        self.assertEqual(sorted(alarms.mapped("code")), ["error_flags", "temporary_error"])
        # A passing condition is shown, not a task: one activity, for the chosen user.
        activity = self.activities(meter.unit_id)
        self.assertEqual(alarms.activity_id, activity)
        self.assertEqual(activity.user_id, manager)

    def test_encrypted_telegram_without_key_opens_but_clears_nothing(self):
        meter = self.radio
        self.ingest(meter, KAMSTRUP, T0)
        secret = bytes.fromhex("2F2F 0413 08190000" + "2F" * 8)
        encrypted = wmbus_telegram("76348799", 0x16, secret, key=bytes(range(16)))
        self.ingest(meter, encrypted, T0 + timedelta(hours=1))
        self.assertEqual(meter.remote_last_error, "encrypted")
        self.assertEqual(meter.remote_last_error_message, "security mode 5: no key")
        self.assertEqual(len(meter.reading_ids), 1, "no empty success")
        self.assertEqual(self.alarms(meter).state, "open", "its records were not read")

    def test_a_telegram_cut_short_gives_its_value_but_clears_no_alarm(self):
        meter = self.radio
        header = "442D2C998734761B167A42000000"
        flags = bytes.fromhex(header + "2F2F041308190000" + "02FD170400")
        cut = bytes.fromhex(header + "2F2F041308190000" + "02FD17")  # error flags lost
        self.ingest(meter, bytes([len(flags)]) + flags, T0)
        self.assertEqual(self.alarms(meter).code, "error_flags")
        self.ingest(meter, bytes([len(cut)]) + cut, T0 + timedelta(days=1))
        self.assertEqual(len(meter.reading_ids), 2)
        self.assertEqual(self.alarms(meter).state, "open")

    def test_telegrams_without_values_carry_their_precise_status(self):
        meter = self.radio
        self.ingest(meter, COMPACT, T0)
        self.assertEqual(meter.remote_last_error, "compact_unknown")
        self.assertIn("A8ED", meter.remote_last_error_message)
        other = self.water[2]
        other.wmbus_id = "12345678"
        self.ingest(other, bytes.fromhex("0D442D2C785634120107A2010203"), T0, key="layout")
        self.assertEqual(other.remote_last_error, "unknown_layout")
        self.assertIn("CI 0xA2", other.remote_last_error_message)
        labels = dict(
            self.env["site.meter.remote.error"]._fields["code"]._description_selection(self.env)
        )
        self.assertEqual(labels["compact_unknown"], "Compact Frame, Format Unknown")
        self.assertFalse((meter | other).reading_ids)

    def test_compact_frame_decodes_with_the_format_learned_from_a_full_frame(self):
        meter = self.radio
        self.ingest(meter, KAMSTRUP, T0)
        self.assertEqual(meter.wmbus_formats, {"A8ED": "02FF2004134413615B6167"})
        self.assertEqual(meter.wmbus_format_signatures, "A8ED")
        self.ingest(meter, COMPACT, T0 + timedelta(days=1))
        self.assertEqual(len(meter.reading_ids), 2)
        self.assertAlmostEqual(meter.last_value, 6.408)
        self.assertFalse(meter.remote_last_error)
        # Another meter of the same model has not sent its full frame yet.
        other = self.water[2]
        other.wmbus_id = "76348799"
        self.assertEqual(other._decode_raw(COMPACT.hex(), True)["status"], "compact_frame")

    def test_redecode_brings_the_alarms_of_the_telegram(self):
        meter = self.water[0]
        frame = status_frame("11110001", 0x04, volume_record(12345))
        # The collector's old decoder gave the value, not the status byte's alarms.
        entry = {
            "key": "old",
            "meter": meter,
            "timestamp": T0,
            "records": [volume(12.345)],
            "raw": frame.hex().upper(),
            "error": None,
        }
        self.env["site.meter.reading"]._remote_ingest([entry], collector=self.collector)
        self.assertFalse(self.alarms(meter))
        meter.last_reading_id.action_redecode()
        battery = self.alarms(meter)
        self.assertEqual(
            (battery.code, battery.source, battery.first_seen), ("low_battery", "redecode", T0)
        )
        self.assertEqual(len(self.activities(meter.unit_id)), 1)

    def test_redecode_of_a_telegram_without_values_says_why(self):
        meter = self.radio
        self.ingest(meter, KAMSTRUP, T0)
        reading = meter.last_reading_id
        reading.raw_telegram = COMPACT.hex().upper()
        meter.wmbus_formats = False
        with self.assertRaisesRegex(UserError, "Compact Frame, Format Unknown"):
            reading.action_redecode()

    def test_gateway_poll_brings_the_status_byte_alarms(self):
        frame = status_frame("11110001", 0x0C, volume_record(12345))  # low battery, permanent
        bus = SimulatedBus([SimulatedSlave(1, [frame])])
        port = bus.serve_tcp()
        self.addCleanup(bus.stop)
        self.env["ir.config_parameter"].set_param(
            "site_metering.gateway_allowed_networks", "127.0.0.0/8"
        )
        gateway = self.env["site.meter.gateway"].create(
            {
                "name": "Boiler room",
                "company_id": self.site.id,
                "host": "127.0.0.1",
                "port": port,
                "timeout": 0.15,
                "retries": 1,
            }
        )
        meter = self.water[0]
        meter.gateway_id = gateway
        gateway._poll()
        self.assertAlmostEqual(meter.last_value, 12.345)
        alarms = self.alarms(meter)
        self.assertEqual(sorted(alarms.mapped("code")), ["low_battery", "permanent_error"])
        self.assertEqual(set(alarms.mapped("source")), {"gateway"})
        self.assertEqual(alarms.gateway_id, gateway)
        self.assertEqual(len(self.activities(meter.unit_id)), 2)

    def test_receiver_learns_the_format_then_decodes_the_compact_frame(self):
        self.env["ir.config_parameter"].set_param(
            "site_metering.gateway_allowed_networks", "127.0.0.0/8"
        )
        full, compact = (
            TelegramStream([KAMSTRUP.hex().encode()]),
            TelegramStream([COMPACT.hex().encode()]),
        )
        for stream in (full, compact):
            self.addCleanup(stream.stop)
        gateway = self.env["site.meter.gateway"].create(
            {
                "name": "Radio",
                "kind": "wmbus_tcp",
                "company_id": self.site.id,
                "host": "127.0.0.1",
                "port": full.port,
                "listen_seconds": 2,
            }
        )
        meter = self.radio
        meter.gateway_id = gateway
        gateway._poll()
        self.assertEqual(meter.wmbus_format_signatures, "A8ED")
        self.assertEqual((self.alarms(meter).code, self.alarms(meter).source), ("dry", "gateway"))
        meter.reading_ids.unlink()  # a new day's read
        gateway.port = compact.port
        gateway._poll()
        self.assertEqual(gateway.last_poll_state, "ok", gateway.last_poll_summary)
        self.assertAlmostEqual(meter.last_value, 6.408)
        self.assertEqual(len(self.alarms(meter)), 1, "the compact frame still says dry")

    def test_a_past_leak_the_meter_reports_is_recorded_once(self):
        telegram = izar_previous_leak()
        meter = self.water[2]
        meter.wmbus_id = "21242472"
        for day in range(2):
            self.ingest(meter, telegram, T0 + timedelta(days=day), key=f"izar{day}")
        alarms = self.alarms(meter)
        self.assertEqual(
            sorted((a.code, a.state, a.past) for a in alarms),
            [("blocked", "open", False), ("leak", "cleared", True), ("underflow", "open", False)],
        )
        self.assertEqual(meter.alarm_past_codes, "leak")
        # Blocked is a task; a passing underflow and a leak already over are not.
        self.assertEqual(
            self.activities(meter.unit_id).mapped("summary"),
            [f"Meter alarm: {alarms.filtered(lambda a: a.code == 'blocked').display_name}"],
        )

    def test_an_alarm_back_in_one_batch_is_a_new_event(self):
        meter = self.water[0]
        hours = [T0 + timedelta(hours=hour) for hour in range(3)]
        self.env["site.meter.alarm"]._record(
            [
                Observation(meter.id, hours[0], frozenset({"burst"})),
                Observation(meter.id, hours[2], frozenset({"burst"})),
                Observation(meter.id, hours[1], frozenset()),
            ]
        )
        events = self.alarms(meter).sorted("first_seen")
        self.assertEqual(
            [(e.first_seen, e.cleared_on) for e in events],
            [(hours[0], hours[1]), (hours[2], False)],
        )
        # Only the open one is a task.
        self.assertEqual(self.activities(meter.unit_id), events[1].activity_id)
        self.assertEqual(meter.alarm_checked, hours[2])

    def test_the_engineer_has_the_alarm_menu_and_views(self):
        env = self.as_user(self.engineer)
        menu = self.env.ref("site_metering.menu_site_meter_alarms")
        self.assertIn(menu.id, env["ir.ui.menu"]._visible_menu_ids())
        action = env["ir.actions.act_window"]._for_xml_id("site_metering.action_site_meter_alarm")
        modes = action["view_mode"].split(",") + ["search"]
        views = env["site.meter.alarm"].get_views([(False, mode) for mode in modes])["views"]
        self.assertEqual(set(views), set(modes))
        self.assertIn("severity == 'critical'", views["list"]["arch"])
        meter_form = env["site.meter"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_view_alarms", meter_form)

    def as_user(self, user):
        """``user``'s environment, working in all their sites."""
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        )

    def test_engineers_see_the_alarms_of_their_sites_only(self):
        other_engineer = site_user(
            self.env, "alarm-engineer-b", "site_residents.group_site_engineer", self.other_site
        )
        self.env["site.meter.alarm"]._record(
            [
                Observation(self.water[0].id, T0, frozenset({"leak"})),
                Observation(self.foreign.id, T0, frozenset({"tamper"})),
            ]
        )
        mine = self.as_user(self.engineer)["site.meter.alarm"].search([])
        theirs = self.as_user(other_engineer)["site.meter.alarm"].search([])
        self.assertEqual(mine.mapped("code"), ["leak"])
        self.assertEqual(theirs.mapped("code"), ["tamper"])
        with self.assertRaises(AccessError):
            mine.browse(theirs.ids).read(["code"])
        with self.assertRaises(AccessError):
            mine.write({"cleared_on": T0})
        self.assertEqual(mine.meter_id.alarm_open_count, 1)
        # Each site's activity goes to its own engineer.
        self.assertEqual(mine.sudo().activity_id.user_id, self.engineer)
        self.assertEqual(theirs.sudo().activity_id.user_id, other_engineer)


@tagged("post_install", "-at_install")
class TestAlarmUpload(HttpCase, AlarmCase):
    def post(self, readings):
        return self.url_open(
            UPLOAD,
            data=json.dumps({"collector": "block-a", "readings": readings}),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"},
        )

    def test_collector_upload_brings_alarms_and_refuses_unknown_codes(self):
        decoded = decode_telegram(KAMSTRUP)
        reading = make_reading(decoded, "2026-01-20T06:00:00Z")
        self.assertEqual(reading["alarms"], ["dry"])
        frame = long_frame("11110001", 0x07, volume_record(1000))
        bad = self.item("11110001", "2026-01-20T06:00:00Z", [volume(1.0)], raw=frame.hex())
        bad["alarms"] = ["leak", "fire"]
        worse = dict(self.item("11110003", "2026-01-20T06:00:00Z", [volume(2.0)]), alarms="leak")
        # A meter of another site: this collector cannot raise its alarms.
        foreign = dict(
            self.item("99990001", "2026-01-20T06:00:00Z", [volume(3.0)]), alarms=["burst"]
        )
        answer = self.post([reading, bad, worse, foreign]).json()
        self.assertEqual(answer["accepted"], [reading["key"]])
        rejected = {r["index"]: r for r in answer["rejected"]}
        self.assertEqual((rejected[1]["key"], rejected[1]["field"]), (bad["key"], "alarms[1]"))
        self.assertIn("'fire' is not an alarm code", rejected[1]["reason"])
        self.assertEqual((rejected[2]["key"], rejected[2]["field"]), (worse["key"], "alarms"))
        self.assertEqual(rejected[3]["field"], "meter")
        self.assertFalse(self.alarms(self.foreign))
        dry = self.alarms(self.radio)
        self.assertEqual((dry.code, dry.state, dry.collector_id), ("dry", "open", self.collector))
        self.assertFalse(self.alarms(self.water[0]))
        # The replay is a duplicate and adds nothing.
        self.assertEqual(self.post([reading]).json()["duplicates"], [reading["key"]])
        self.assertEqual(len(self.activities(self.radio.unit_id)), 1)

    def test_engineer_of_another_site_cannot_read_alarms_by_url(self):
        self.env["site.meter.alarm"]._record(
            [Observation(self.water[0].id, T0, frozenset({"burst"}))]
        )
        alarm = self.alarms(self.water[0])
        site_user(
            self.env,
            "alarm-engineer-url",
            "site_residents.group_site_engineer",
            self.other_site,
            password="alarm-engineer-url",
        )
        self.authenticate("alarm-engineer-url", "alarm-engineer-url")
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/site.meter.alarm/search_read",
            {
                "model": "site.meter.alarm",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["code"]},
            },
        )
        self.assertEqual(found, [])
        with self.assertRaises(JsonRpcException) as refused:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/site.meter.alarm/read",
                {
                    "model": "site.meter.alarm",
                    "method": "read",
                    "args": [alarm.ids, ["code"]],
                    "kwargs": {},
                },
            )
        self.assertIn("AccessError", refused.exception.args[0])


@tagged("post_install", "-at_install")
class TestFormatAndPastAlarmUpload(HttpCase, AlarmCase):
    """What a collector learned of a meter (its compact-frame formats) and the alarms its
    telegrams report as past, through the upload route."""

    def post(self, readings):
        answer = self.url_open(
            UPLOAD,
            data=json.dumps({"collector": "block-a", "readings": readings}),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"},
        )
        self.assertEqual(answer.status_code, 200, answer.text)
        return answer.json()

    def full_reading(self, timestamp):
        """The collector's reading of the Kamstrup full telegram, decoded with the meter's
        own format memory: values and formats, no raw telegram for Odoo to learn from."""
        memory = FormatSignatures()
        decoded = decode_telegram(KAMSTRUP, signatures=memory)
        reading = make_reading(decoded, timestamp, signatures=memory)
        self.assertIsNone(reading["raw"])
        return reading

    def compact_reading(self, timestamp):
        """The compact frame as a collector that could not expand it sends it: raw."""
        return self.item("76348799", timestamp, raw=COMPACT.hex(), wmbus=True)

    def other_format(self):
        memory = FormatSignatures()
        memory.learn([bytes.fromhex("0413")])
        return memory.export()

    def test_uploaded_formats_join_the_meters_and_its_compact_frames_decode(self):
        meter = self.radio
        meter.wmbus_formats = self.other_format()
        answer = self.post([self.full_reading("2026-01-20T06:00:00Z")])
        self.assertEqual(len(answer["accepted"]), 1, answer)
        self.assertEqual(meter.wmbus_formats, dict(self.other_format(), **KAMSTRUP_FORMAT))
        compact = self.compact_reading("2026-01-21T06:00:00Z")
        self.assertEqual(self.post([compact])["accepted"], [compact["key"]])
        self.assertEqual(len(meter.reading_ids), 2)
        self.assertEqual(meter.last_reading_id.remote_key, compact["key"])
        self.assertAlmostEqual(meter.last_value, 6.408)
        self.assertFalse(meter.remote_last_error)

    def test_formats_decode_a_compact_frame_of_the_same_upload(self):
        meter = self.radio
        compact = self.compact_reading("2026-01-21T06:00:00Z")
        answer = self.post([self.full_reading("2026-01-20T06:00:00Z"), compact])
        self.assertEqual(len(answer["accepted"]), 2, answer)
        self.assertEqual(meter.last_reading_id.remote_key, compact["key"])
        self.assertAlmostEqual(meter.last_value, 6.408)
        self.assertEqual(meter.wmbus_formats, KAMSTRUP_FORMAT)

    def test_past_alarms_uploaded_are_recorded_once(self):
        meter = self.water[2]
        meter.wmbus_id = "21242472"
        decoded = decode_telegram(izar_previous_leak())
        readings = [make_reading(decoded, f"2026-01-{day}T06:00:00Z") for day in (20, 21)]
        self.assertEqual(readings[0]["previous_alarms"], ["leak"])
        self.assertEqual(self.post(readings[:1])["accepted"], [readings[0]["key"]])
        self.assertEqual(self.post(readings)["duplicates"], [readings[0]["key"]])
        alarms = self.alarms(meter)
        self.assertEqual(
            sorted((a.code, a.state, a.past, a.source) for a in alarms),
            [
                ("blocked", "open", False, "collector"),
                ("leak", "cleared", True, "collector"),
                ("underflow", "open", False, "collector"),
            ],
        )
        leak = alarms.filtered("past")
        self.assertEqual((leak.first_seen, leak.cleared_on), (T0, T0))
        self.assertEqual(meter.alarm_past_codes, "leak")
        self.assertEqual(meter.alarm_checked, T0 + timedelta(days=1))

    def test_bad_formats_are_refused_naming_the_reading_and_field(self):
        meter = self.radio
        good = self.full_reading("2026-01-20T06:00:00Z")
        forged = dict(
            self.full_reading("2026-01-21T06:00:00Z"), formats={"A8ED": "02FF2004134413615B6168"}
        )
        not_hex = dict(self.full_reading("2026-01-22T06:00:00Z"), formats={"A8ED": "02FF20zz"})
        too_many = dict(
            self.full_reading("2026-01-23T06:00:00Z"),
            formats={f"{n:04X}": "0413" for n in range(17)},
        )
        answer = self.post([good, forged, not_hex, too_many])
        self.assertEqual(answer["accepted"], [good["key"]])
        refused = [(r["index"], r["key"], r["field"]) for r in answer["rejected"]]
        self.assertEqual(
            refused,
            [
                (1, forged["key"], "formats.A8ED"),
                (2, not_hex["key"], "formats.A8ED"),
                (3, too_many["key"], "formats"),
            ],
        )
        reasons = [r["reason"] for r in answer["rejected"]]
        self.assertIn("format signature 0xA8ED does not match its headers", reasons[0])
        self.assertEqual(reasons[1], "is not hexadecimal")
        self.assertIn("at most 16 format signatures", reasons[2])
        self.assertEqual(meter.wmbus_formats, KAMSTRUP_FORMAT)
        self.assertEqual(len(meter.reading_ids), 1)
