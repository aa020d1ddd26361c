"""Queue, upload client against a local HTTP server, CLI and benchmark helper."""

import io
import json
import sys
from contextlib import redirect_stdout

import pytest
from site_collector import cli, upload
from site_collector.bench import decode_throughput
from site_collector.compact import FormatSignatures
from site_collector.frame import decode_frame
from site_collector.spool import Spool
from site_collector.upload import AuthenticationError, make_reading, upload_pending
from site_collector.wmbus import decode_telegram, parse_hex

from .frames import WATER, rsp_ud
from .local_odoo import JsonEndpoint, serving

API_KEY = "secret-key"


class FakeOdoo(JsonEndpoint):
    """The Odoo endpoint as documented: dedupes on the reading key."""

    seen = set()
    requests = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/site_metering/collector/upload":
            return self._answer(404, {})
        if self.headers.get("Authorization") != f"Bearer {API_KEY}":
            return self._answer(401, {"error": "invalid API key"})
        type(self).requests.append(body)
        answer = {"accepted": [], "duplicates": [], "rejected": []}
        for reading in body["readings"]:
            if not reading.get("records") and not reading.get("error"):
                answer["rejected"].append({"key": reading["key"], "reason": "no records"})
            elif reading["key"] in self.seen:
                answer["duplicates"].append(reading["key"])
            else:
                self.seen.add(reading["key"])
                answer["accepted"].append(reading["key"])
        self._answer(200, answer)


@pytest.fixture
def server():
    FakeOdoo.seen, FakeOdoo.requests = set(), []
    with serving(FakeOdoo) as url:
        yield url


def _reading(timestamp="2025-01-31T23:00:00Z"):
    frame = rsp_ud(WATER)
    decoded = dict(decode_frame(frame), raw=frame.hex().upper())
    return make_reading(decoded, timestamp)


def test_payload_shape():
    reading = _reading()
    assert reading["key"] == "mbus:123456782C2D0107@2025-01-31T23:00:00Z"
    assert reading["meter"]["secondary_address"] == "123456782C2D0107"
    assert reading["meter"]["wmbus"] is False
    assert reading["records"][0]["unit"] == "m^3" and reading["error"] is None
    failed = make_reading(None, "2025-01-31T23:00:00Z", "no_answer", meter={"address": 5})
    assert failed["key"] == "mbus:5@2025-01-31T23:00:00Z" and failed["records"] == []


def test_queue_survives_restart_and_replay_sends_nothing_twice(tmp_path, server):
    path = tmp_path / "queue.sqlite3"
    spool = Spool(path)
    assert spool.add(_reading()) is True
    assert spool.add(_reading()) is False  # same meter and timestamp: queued once
    spool.close()

    spool = Spool(path)  # a restart
    assert len(spool.pending()) == 1
    totals = upload_pending(spool, server, API_KEY, "block-a")
    assert totals["accepted"] == 1 and spool.counts()["pending"] == 0
    assert upload_pending(spool, server, API_KEY, "block-a")["accepted"] == 0
    assert len(FakeOdoo.requests) == 1
    assert FakeOdoo.requests[0]["collector"] == "block-a"
    spool.close()


def test_server_duplicate_marks_sent(tmp_path, server):
    spool = Spool(tmp_path / "q.sqlite3")
    FakeOdoo.seen.add(_reading()["key"])  # the server already has it (lost acknowledgement)
    spool.add(_reading())
    assert upload_pending(spool, server, API_KEY, "c")["duplicates"] == 1
    assert spool.counts() == {"pending": 0, "sent": 1, "rejected": 0}


def test_wrong_key_keeps_rows_and_cli_exits_non_zero(tmp_path, server, capsys):
    path = tmp_path / "q.sqlite3"
    spool = Spool(path)
    spool.add(_reading())
    with pytest.raises(AuthenticationError, match="401"):
        upload_pending(spool, server, "wrong", "c")
    assert spool.counts()["pending"] == 1
    spool.close()
    args = ["upload", "--queue", str(path), "--server", server]
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"api_key": "wrong"}))
    assert cli.main([*args, "--config", str(config)]) == 2
    assert "refused the API key" in capsys.readouterr().err
    assert Spool(path).counts()["pending"] == 1


def test_cli_upload_dry_run_and_run_once(tmp_path, server):
    from site_collector.simulator import SimulatedBus, SimulatedSlave

    bus = SimulatedBus([SimulatedSlave(5, [rsp_ud(WATER)])])
    port = bus.serve_tcp()
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {
                "collector": "block-a",
                "server": server,
                "api_key": API_KEY,
                "queue": str(tmp_path / "q.sqlite3"),
                "port": f"socket://127.0.0.1:{port}",
                "timeout": 0.2,
                "retries": 1,
                "meters": [{"address": 5}, {"address": 6}],
            }
        )
    )
    try:
        out = io.StringIO()
        with redirect_stdout(out):
            assert cli.main(["run", "--config", str(config), "--once", "--dry-run"]) == 0
        payload = json.loads(out.getvalue())
        assert [r["error"] for r in payload["readings"]] == [None, "no_answer"]
        assert FakeOdoo.requests == []  # dry run: nothing sent
        with redirect_stdout(io.StringIO()):
            assert cli.main(["upload", "--config", str(config)]) == 0
        assert len(FakeOdoo.requests[0]["readings"]) == 2
    finally:
        bus.stop()


def test_cli_decode(tmp_path, monkeypatch):
    frame = tmp_path / "frame.hex"
    frame.write_text(rsp_ud(WATER).hex(" "))
    out = io.StringIO()
    with redirect_stdout(out):
        assert cli.main(["decode", str(frame)]) == 0
    assert json.loads(out.getvalue())["records"][0]["value"] == 12.345
    monkeypatch.setattr(sys, "stdin", io.StringIO("68 03 03 68 08 01 70 79 16"))
    assert cli.main(["decode", "-"]) == 2


def test_decode_throughput(tmp_path):
    (tmp_path / "a.hex").write_text(rsp_ud(WATER).hex(" "))
    assert decode_throughput(tmp_path, seconds=0.05) > 100


# Kamstrup Multical 21 (wmbusmeters' published telegrams): a full frame teaching format
# A8ED, then a compact frame of that format whose ELL part is stored decrypted.
KAMSTRUP = bytes.fromhex(
    "2A442D2C998734761B168D2091D37CAC21576C7802FF207100041308190000441308190000615B7F616713"
)
KAMSTRUP_COMPACT = "23442D2C998734761B168D2087D19EAD217F1779EDA86AB6_710008190000081900007F13"
KAMSTRUP_FORMAT = {"A8ED": "02FF2004134413615B6167"}


def test_formats_the_meters_full_telegrams_taught_go_with_its_readings():
    memory = FormatSignatures()  # this meter's own
    decoded = decode_telegram(KAMSTRUP, signatures=memory)
    reading = make_reading(decoded, "2026-01-20T06:00:00Z", signatures=memory)
    assert reading["formats"] == KAMSTRUP_FORMAT
    assert make_reading(decoded, "2026-01-20T06:00:00Z", signatures=memory.export()) == reading
    # The key stays the meter and the time: a reading queued before is the same reading.
    assert reading["key"] == make_reading(decoded, "2026-01-20T06:00:00Z")["key"]
    # What the server gets is enough to expand the meter's compact frames.
    data, decrypted = parse_hex(KAMSTRUP_COMPACT)
    server = FormatSignatures(json.loads(json.dumps(reading))["formats"])
    compact = decode_telegram(data, decrypted=decrypted, signatures=server)
    assert compact["status"] == "ok"
    assert [r["value"] for r in compact["records"] if r["quantity"] == "Volume"] == [6.408] * 2


def test_no_formats_and_no_past_alarms_no_keys():
    """An old server's contract: the reading is as before when there is nothing to add."""
    decoded = decode_telegram(KAMSTRUP, signatures=FormatSignatures())
    reading = make_reading(decoded, "2026-01-20T06:00:00Z", signatures=FormatSignatures())
    assert "formats" not in reading and "previous_alarms" not in reading
    assert "formats" not in _reading() and "previous_alarms" not in _reading()


def test_formats_sent_are_bounded_in_number_and_size():
    memory = FormatSignatures()
    learned = [bytes([0x04, 0x13])] * (upload.MAX_FORMATS + 4)
    for count in range(1, len(learned) + 1):
        memory.learn(learned[:count])  # 20 formats, the latest last
    huge = memory.learn([bytes([0x04, 0x13])] * 128)  # 256 bytes: no telegram holds it
    formats = upload.upload_formats(memory)
    assert len(memory) == upload.MAX_FORMATS + 5
    assert f"{huge:04X}" not in formats
    assert list(formats) == list(memory.export())[4:-1]
    assert all(len(headers) <= 2 * upload.MAX_FORMAT_BYTES for headers in formats.values())


def test_past_alarms_go_with_the_reading():
    # Diehl IZAR (SAP PRIOS): blocked and underflow now; the "previous leak" bit set (and
    # its twin in the scrambling seed, byte 8).
    telegram = bytearray(bytes.fromhex("1944304C72242421D401A2013D4013DD8B46A4999C1293E582CC"))
    telegram[12] ^= 0x40
    telegram[8] ^= 0x40
    reading = make_reading(decode_telegram(bytes(telegram)), "2026-01-20T06:00:00Z")
    assert reading["alarms"] == ["blocked", "underflow"]
    assert reading["previous_alarms"] == ["leak"]


def test_formats_and_past_alarms_reach_the_server(tmp_path, server):
    memory = FormatSignatures()
    decoded = decode_telegram(KAMSTRUP, signatures=memory)
    spool = Spool(tmp_path / "q.sqlite3")
    spool.add(make_reading(decoded, "2026-01-20T06:00:00Z", signatures=memory))
    assert upload_pending(spool, server, API_KEY, "block-a")["accepted"] == 1
    [sent] = FakeOdoo.requests[0]["readings"]
    assert sent["formats"] == KAMSTRUP_FORMAT
