"""Issue 9: collectors' keys and uploads, gateway polling against hostile endpoints."""

import json
import threading
import time
from datetime import date, datetime, timezone
from unittest.mock import patch

from psycopg2 import IntegrityError
from site_collector.simulator import HostileGateway, SimulatedBus, SimulatedSlave

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, JsonRpcException, TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.site_metering.controllers import collector as collector_controller
from odoo.addons.site_metering.engine import collector_upload
from odoo.addons.site_residents.tests.common import site_user

from ..tools import gateway_reader, mbus_reader
from .test_remote import UPLOAD, RemoteCase, long_frame, volume, volume_record

ALLOWED_NETWORKS = "site_metering.gateway_allowed_networks"
MAX_UPLOAD = "site_metering.collector_max_upload_bytes"
# A hostile endpoint is stopped after this long, so that a test of today's unbounded
# polling fails instead of hanging the suite.
WATCHDOG = 15
CONTROLLER_LOGGER = "odoo.addons.site_metering.controllers.collector"


@tagged("post_install", "-at_install")
class TestCollectorKeys(RemoteCase):
    def test_engineer_cannot_revoke_a_key(self):
        engineer = site_user(
            self.env, "hardening-engineer", "site_residents.group_site_engineer", self.site
        )
        with self.assertRaisesRegex(UserError, "Only site administrators"):
            self.collector.with_user(engineer).action_revoke_key()
        self.assertTrue(self.collector.sudo().key_hash)
        admin = site_user(self.env, "hardening-admin", "site_residents.group_site_admin", self.site)
        self.collector.with_user(admin).action_revoke_key()
        self.assertFalse(self.collector.sudo().key_hash)

    def test_a_new_key_is_shown_only_to_the_administrator_who_generated_it(self):
        admin_a = site_user(self.env, "key-admin-a", "site_residents.group_site_admin", self.site)
        admin_b = site_user(
            self.env, "key-admin-b", "site_residents.group_site_admin", self.other_site
        )
        action = self.collector.with_user(admin_a).action_generate_key()
        shown = self.env["site.meter.collector.key"].with_user(admin_a).browse(action["res_id"])
        self.assertEqual(len(shown.key), 40)
        keys_b = self.env(user=admin_b, context={})["site.meter.collector.key"]
        with self.assertRaises(AccessError):
            keys_b.browse(shown.id).key  # noqa: B018
        self.assertFalse(keys_b.search([]))

    def test_a_key_belongs_to_one_collector(self):
        other = self.env["site.meter.collector"].create(
            {"name": "block-b", "company_ids": [Command.set(self.site.ids)]}
        )
        taken = self.collector.sudo().read(["key_index", "key_hash"])[0]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                other.sudo().write({"key_index": taken["key_index"], "key_hash": taken["key_hash"]})
                self.env.flush_all()

    def test_meter_assigned_to_a_collector_of_its_site_only(self):
        other_collector = self.env["site.meter.collector"].create(
            {"name": "elsewhere", "company_ids": [Command.set(self.other_site.ids)]}
        )
        with self.assertRaisesRegex(ValidationError, "W-A-1"):
            self.water[0].collector_id = other_collector


@tagged("post_install", "-at_install")
class TestRemoteUploadHardening(HttpCase, RemoteCase):
    def setUp(self):
        super().setUp()
        collector_controller.REFUSED_KEYS.reset()
        self.addCleanup(collector_controller.REFUSED_KEYS.reset)

    def post(self, data, key=None):
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {key or self.api_key}",
        }
        return self.url_open(UPLOAD, data=data, headers=headers)

    def test_engineer_cannot_revoke_a_key_by_url(self):
        site_user(
            self.env, "hardening-engineer-url", "site_residents.group_site_engineer", self.site
        )
        self.authenticate("hardening-engineer-url", "hardening-engineer-url")
        params = {
            "model": "site.meter.collector",
            "method": "action_revoke_key",
            "args": [self.collector.ids],
            "kwargs": {},
        }
        with self.assertRaises(JsonRpcException) as raised, mute_logger("odoo.http"):
            self.make_jsonrpc_request("/web/dataset/call_button", params)
        self.assertEqual(raised.exception.args[0], "odoo.exceptions.UserError")
        self.assertTrue(self.collector.sudo().key_hash)
        self.assertEqual(
            self.post(json.dumps({"collector": "block-a", "readings": []})).status_code, 200
        )

    def remote_readings(self):
        return self.env["site.meter.reading"].search([("collector_id", "=", self.collector.id)])

    def test_bad_records_refused_with_reason_good_ones_stored(self):
        good = self.item("11110001", "2026-01-19T22:30:00Z", [volume(12.345)])
        nan = self.item("11110002", "2026-01-19T22:30:00Z", [volume(float("nan"))])
        infinite = self.item("11110003", "2026-01-19T22:30:00Z", [volume(float("inf"))])
        storage = self.item(
            "11110003", "2026-01-18T22:30:00Z", [dict(volume(1.0), storage_number="x")]
        )
        ancient = self.item("11110002", "0001-01-01T00:00:00+01:00", [volume(1.0)])
        typed = dict(self.item("11110002", "2026-01-17T10:00:00Z", [volume(1.0)]), key=12)
        readings = [good, nan, infinite, storage, ancient, typed, "not a reading"]
        response = self.post(json.dumps({"collector": "block-a", "readings": readings}))
        self.assertEqual(response.status_code, 200, response.text)
        answer = response.json()
        self.assertEqual(answer["accepted"], [good["key"]])
        refused = {item["index"]: item for item in answer["rejected"]}
        self.assertEqual(sorted(refused), [1, 2, 3, 4, 5, 6])
        self.assertEqual(refused[1]["field"], "records[0].value")
        self.assertIn("finite number", refused[1]["reason"])
        self.assertEqual(refused[1]["key"], nan["key"])
        self.assertEqual(refused[3]["field"], "records[0].storage_number")
        self.assertEqual(refused[4]["field"], "timestamp")
        self.assertEqual((refused[5]["field"], refused[5]["key"]), ("key", None))
        self.assertEqual(refused[6]["field"], "")
        self.assertEqual(self.remote_readings().meter_id, self.water[0])

    def test_body_over_the_limit_refused_before_parsing(self):
        self.env["ir.config_parameter"].set_param(MAX_UPLOAD, "2000")
        response = self.post("x" * 3000)  # not even JSON: it is never read
        self.assertEqual(response.status_code, 413, response.text)
        self.assertIn("2000", response.json()["error"])
        # Without a length the size cannot be checked before reading: refused too.
        chunked = self.post(iter([b'{"collector": "block-a", ', b'"readings": []}']))
        self.assertEqual(chunked.status_code, 411, chunked.text)
        self.assertFalse(self.remote_readings())

    def test_refused_keys_logged_with_address_and_slowed_down(self):
        body = json.dumps({"collector": "block-a", "readings": []})
        limit = collector_controller.REFUSED_KEYS.limit
        with self.assertLogs(CONTROLLER_LOGGER, "WARNING") as logs:
            for attempt in range(limit):
                wrong = self.post(body, key=f"wrong-key-{attempt:032d}")
                self.assertEqual(wrong.status_code, 401)
        self.assertEqual(len(logs.records), limit)
        self.assertIn("127.0.0.1", logs.output[0])
        self.assertNotIn("wrong-key", logs.output[0])
        # Past the limit the address waits, whatever key it sends.
        blocked = self.post(body)
        self.assertEqual(blocked.status_code, 429, blocked.text)
        self.assertGreater(int(blocked.headers["Retry-After"]), 0)
        collector_controller.REFUSED_KEYS.reset()
        self.assertEqual(self.post(body).status_code, 200)

    def test_collector_writes_only_its_meters(self):
        gateway = self.env["site.meter.gateway"].create(
            {"name": "Boiler", "company_id": self.site.id, "host": "127.0.0.1"}
        )
        self.water[1].write({"collector_id": False, "gateway_id": gateway.id})
        self.water[2].collector_id = False
        readings = [
            self.item("11110001", "2026-01-19T10:00:00Z", [volume(1.0)]),
            self.item("11110002", "2026-01-19T10:00:00Z", [volume(2.0)]),
            self.item("11110003", "2026-01-19T10:00:00Z", [volume(3.0)]),
        ]
        answer = self.post(json.dumps({"collector": "block-a", "readings": readings})).json()
        self.assertEqual(answer["accepted"], [readings[0]["key"], readings[1]["key"]])
        self.assertEqual([r["key"] for r in answer["rejected"]], [readings[2]["key"]])
        self.assertIn("assigned to collector block-a", answer["rejected"][0]["reason"])
        self.assertFalse(self.water[2].reading_ids)

    def test_late_or_billed_readings_wait_for_acceptance(self):
        self.read(self.water[0], date(2026, 1, 25), 50)
        self.env["site.cost.allocation"].create(
            {
                "name": "Water February",
                "company_id": self.site.id,
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
                "state": "posted",
            }
        )
        late = self.item("11110001", "2026-01-10T10:00:00Z", [volume(40.0)])
        billed = self.item("11110002", "2026-02-10T10:00:00Z", [volume(5.0)])
        answer = self.post(json.dumps({"collector": "block-a", "readings": [late, billed]})).json()
        self.assertEqual(sorted(answer["accepted"]), sorted([late["key"], billed["key"]]))
        held = self.remote_readings()
        self.assertEqual(set(held.mapped("state")), {"to_accept"})
        late_reading = held.filtered(lambda r: r.meter_id == self.water[0])
        self.assertIn("older_than_accepted", late_reading.check_codes)
        self.assertIn("01/25/2026", late_reading.check_reasons)
        billed_reading = held.filtered(lambda r: r.meter_id == self.water[1])
        self.assertIn("period_billed", billed_reading.check_codes)
        self.assertIn("Water February", billed_reading.check_reasons)


@tagged("post_install", "-at_install")
class TestUploadRace(TransactionCase):
    """A second upload of a batch whose snapshot predates the first one's commit."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            site = env.ref("base.main_company")
            collector = env["site.meter.collector"].create(
                {"name": "race-collector", "company_ids": [Command.set(site.ids)]}
            )
            meter = env["site.meter"].create(
                {
                    "serial": "RACE-1",
                    "kind": "cold_water",
                    "placement": "common",
                    "company_id": site.id,
                    "mbus_secondary_address": "777700012C2D0107",
                    "collector_id": collector.id,
                }
            )
            self.collector_id, self.meter_id = collector.id, meter.id
        self.addCleanup(self.drop_fixture)

    def drop_fixture(self):
        with self.registry.cursor() as cr:
            for table, column in (
                ("site_meter_reading", "meter_id"),
                ("site_meter_remote_error", "meter_id"),
            ):
                cr.execute(f"DELETE FROM {table} WHERE {column} = %s", [self.meter_id])
            cr.execute("DELETE FROM site_meter WHERE id = %s", [self.meter_id])
            cr.execute("DELETE FROM site_meter_collector WHERE id = %s", [self.collector_id])
            cr.execute(
                "DELETE FROM mail_message WHERE (model, res_id) IN (('site.meter', %s), "
                "('site.meter.collector', %s))",
                [self.meter_id, self.collector_id],
            )

    def upload(self, env):
        reading = RemoteCase.item("77770001", "2026-01-19T10:00:00Z", [volume(1.5)])
        reading["key"] = "race:77770001@2026-01-19T10:00:00Z"
        failed = RemoteCase.item("77770001", "2026-01-18T10:00:00Z", error="no_answer")
        failed["key"] = "race:77770001@2026-01-18T10:00:00Z"
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        _name, readings, refused = collector_upload.check_upload(
            {"collector": "race-collector", "readings": [reading, failed]}, now
        )
        return env["site.meter.collector"].browse(self.collector_id)._upload(readings, refused)

    def test_second_upload_answers_duplicates(self):
        with self.registry.cursor() as second_cr:
            second = api.Environment(second_cr, SUPERUSER_ID, {})
            second.cr.execute("SELECT 1")  # its snapshot: before the first upload commits
            with self.registry.cursor() as first_cr:
                first = self.upload(api.Environment(first_cr, SUPERUSER_ID, {}))
            self.assertEqual(len(first["accepted"]), 2)
            with mute_logger("odoo.sql_db"):
                answer = self.upload(second)
            self.assertEqual(answer["accepted"], [])
            self.assertEqual(sorted(answer["duplicates"]), sorted(first["accepted"]))
            self.assertEqual(answer["rejected"], [])
            second_cr.rollback()


@tagged("post_install", "-at_install")
class TestGatewayHardening(RemoteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(ALLOWED_NETWORKS, "127.0.0.0/8")
        frame = long_frame("11110001", 0x07, volume_record(12345), address=1)
        cls.bus = SimulatedBus([SimulatedSlave(1, [frame])])
        cls.bus_port = cls.bus.serve_tcp()
        cls.addClassCleanup(cls.bus.stop)
        cls.meter = cls.water[0]
        cls.meter.write({"mbus_secondary_address": False, "mbus_primary_address": 1})

    def gateway(self, port, name="GW", **values):
        return self.env["site.meter.gateway"].create(
            dict(
                {
                    "name": name,
                    "company_id": self.site.id,
                    "host": "127.0.0.1",
                    "port": port,
                    "timeout": 0.1,
                    "retries": 1,
                },
                **values,
            )
        )

    def hostile(self, mode, frame=None):
        endpoint = HostileGateway(mode, frame)
        port = endpoint.serve_tcp()
        watchdog = threading.Timer(WATCHDOG, endpoint.stop)
        watchdog.start()
        self.addCleanup(watchdog.cancel)
        self.addCleanup(endpoint.stop)
        return endpoint, port

    def timed(self, action):
        start = time.monotonic()
        action()
        return time.monotonic() - start

    def test_fields_are_bounded(self):
        gateway = self.gateway(self.bus_port)
        for values in ({"timeout": 3600}, {"timeout": 0}, {"retries": 1000}, {"retries": 0}):
            with self.subTest(values=values), mute_logger("odoo.sql_db"):
                with self.assertRaises(IntegrityError), self.env.cr.savepoint():
                    gateway.write(values)
                    self.env.flush_all()
        for host in ("10.0.0.5:80", "gw/x?logging=debug", "gw .example", ""):
            with self.subTest(host=host), self.assertRaises(ValidationError):
                gateway.write({"host": host})

    def test_host_outside_the_allowed_networks_is_refused(self):
        endpoint, port = self.hostile("silent")
        gateway = self.gateway(port)
        self.meter.gateway_id = gateway
        for networks in ("10.0.0.0/8", ""):
            with self.subTest(networks=networks):
                self.env["ir.config_parameter"].set_param(ALLOWED_NETWORKS, networks)
                gateway._poll()
                self.assertEqual(gateway.last_poll_state, "failed")
                self.assertIn("allowed", gateway.last_poll_summary)
                self.assertEqual(endpoint.connections, 0)
        # Resolved before the check: "localhost" is on the loopback network.
        self.env["ir.config_parameter"].set_param(ALLOWED_NETWORKS, "127.0.0.0/8")
        local = self.gateway(self.bus_port, name="Local", host="localhost")
        self.meter.gateway_id = local
        local._poll()
        self.assertEqual(local.last_poll_state, "ok", local.last_poll_summary)
        self.assertAlmostEqual(self.meter.last_value, 12.345)

    def test_connection_errors_not_shown_to_managers(self):
        manager = site_user(
            self.env, "hardening-manager", "site_residents.group_site_manager", self.site
        )
        closed = self.gateway(1, name="Closed")
        self.meter.gateway_id = closed
        closed.with_user(manager).action_poll()
        self.assertEqual(closed.last_poll_state, "failed")
        for text in (closed.last_poll_summary, self.meter.remote_last_error_message):
            self.assertNotIn("Errno", text)
            self.assertNotIn("refused", text.lower())

    def test_reply_that_never_ends_is_cut_off(self):
        more = bytes.fromhex("0413 10000000 1F")  # a volume, then "more records follow"
        endpoint, port = self.hostile("endless_frames", long_frame("11110001", 0x07, more))
        gateway = self.gateway(port)
        self.meter.gateway_id = gateway
        seconds = self.timed(gateway._poll)
        self.assertLess(seconds, 5)
        self.assertEqual(self.meter.remote_last_error, "decode_error")
        self.assertIn("telegrams", self.meter.remote_last_error_message)

    def test_endless_noise_is_cut_off(self):
        endpoint, port = self.hostile("flood")
        gateway = self.gateway(port)
        self.meter.gateway_id = gateway
        seconds = self.timed(gateway._poll)
        self.assertLess(seconds, 5)
        self.assertEqual(self.meter.remote_last_error, "collision")

    def test_scan_that_branches_for_ever_is_cut_off(self):
        endpoint, port = self.hostile("collisions")
        gateway = self.gateway(port)
        with patch.object(mbus_reader, "MAX_SCAN_SELECTS", 30):
            start = time.monotonic()
            with self.assertRaisesRegex(UserError, "30 addresses"):
                gateway.action_scan()
        self.assertLess(time.monotonic() - start, 8)

    def test_time_per_gateway_is_bounded(self):
        endpoint, port = self.hostile("silent")
        gateway = self.gateway(port)
        meters = self.env["site.meter"].create(
            [
                {
                    "serial": f"SILENT-{address}",
                    "kind": "cold_water",
                    "placement": "common",
                    "company_id": self.site.id,
                    "mbus_primary_address": address,
                    "gateway_id": gateway.id,
                }
                for address in range(1, 21)
            ]
        )
        with patch.object(gateway_reader, "POLL_BUDGET_SECONDS", 0.35):
            seconds = self.timed(gateway._poll)
        self.assertLess(seconds, 1.5)  # 20 meters of 0.1 s each would take 2 s
        self.assertEqual(gateway.last_poll_state, "failed")
        self.assertIn("not read", gateway.last_poll_summary)
        self.assertLess(len(meters.filtered("remote_last_error")), 20)
        self.assertLessEqual(gateway.next_poll, gateway.last_poll)  # the rest: next run

    def test_one_failing_gateway_does_not_stop_the_others(self):
        endpoint, port = self.hostile("flood")
        hostile = self.gateway(port, name="Hostile")
        broken = self.gateway(self.bus_port, name="Broken")
        good = self.gateway(self.bus_port, name="Good")
        self.water[1].write({"gateway_id": hostile.id, "mbus_primary_address": 2})
        self.water[2].write({"gateway_id": broken.id, "mbus_primary_address": 3})
        self.meter.gateway_id = good
        (hostile | broken | good).next_poll = "2026-01-01 00:00:00"
        read_meter = mbus_reader.MBusReader.read_meter

        def read_or_break(reader, master, meter):
            if reader.gateway == broken:
                raise RuntimeError("an unexpected fault")
            return read_meter(reader, master, meter)

        with (
            patch.object(mbus_reader.MBusReader, "read_meter", read_or_break),
            mute_logger("odoo.addons.site_metering.models.site_meter_gateway"),
        ):
            seconds = self.timed(self.env["site.meter.gateway"]._cron_poll)
        self.assertLess(seconds, 5)
        self.assertEqual(hostile.last_poll_state, "failed")
        self.assertEqual(broken.last_poll_state, "failed")
        self.assertNotIn("unexpected fault", broken.last_poll_summary)
        self.assertEqual(good.last_poll_state, "ok")
        self.assertAlmostEqual(self.meter.last_value, 12.345)
