"""Queue, upload client against a local HTTP server, CLI and benchmark helper."""

import io
import json
import sys
from contextlib import redirect_stdout

import pytest
from site_collector import cli
from site_collector.bench import decode_throughput
from site_collector.frame import decode_frame
from site_collector.spool import Spool
from site_collector.upload import AuthenticationError, make_reading, upload_pending

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
