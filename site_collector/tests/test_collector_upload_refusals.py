"""How the upload client reacts when the server refuses part or all of a batch."""

import json

import pytest
from site_collector.spool import Spool
from site_collector.upload import make_reading, upload_pending

from .local_odoo import JsonEndpoint, serving

API_KEY = "secret-key"


class StrictOdoo(JsonEndpoint):
    """Refuses bodies over ``limit`` bytes (413) and readings without records by index."""

    limit = 10**6
    bodies = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        if length > self.limit:
            return self._answer(413, {"error": "too large"})
        body = json.loads(self.rfile.read(length))
        type(self).bodies.append(body)
        answer = {"accepted": [], "duplicates": [], "rejected": []}
        for index, reading in enumerate(body["readings"]):
            if reading["records"]:
                answer["accepted"].append(reading["key"])
            else:  # as the server does for a reading whose key it cannot read
                answer["rejected"].append(
                    {"index": index, "key": None, "field": "records", "reason": "empty"}
                )
        self._answer(200, answer)


@pytest.fixture
def server():
    StrictOdoo.bodies, StrictOdoo.limit = [], 10**6
    with serving(StrictOdoo) as url:
        yield url


def reading(minute, records=True, size=10):
    decoded = {
        "id": "12345678",
        "records": [{"quantity": "Volume", "unit": "m^3", "value": 1.0, "pad": "x" * size}]
        if records
        else [],
    }
    return make_reading(decoded, f"2025-01-31T23:{minute:02d}:00Z", error=None if records else None)


def test_too_large_batch_is_split_and_a_reading_too_large_alone_set_aside(tmp_path, server):
    StrictOdoo.limit = 3000
    spool = Spool(tmp_path / "q.sqlite3")
    for minute in range(8):
        spool.add(reading(minute))
    spool.add(reading(30, size=5000))  # larger than the server takes, even alone
    totals = upload_pending(spool, server, API_KEY, "block-a")
    assert totals["accepted"] == 8 and totals["rejected"] == 1
    assert spool.counts() == {"pending": 0, "sent": 8, "rejected": 1}
    row = spool.db.execute("SELECT rejected FROM reading WHERE rejected IS NOT NULL").fetchone()
    assert "413" in row[0]


def test_refusal_named_by_index_sets_that_reading_aside(tmp_path, server):
    spool = Spool(tmp_path / "q.sqlite3")
    spool.add(reading(1))
    spool.add(reading(2, records=False))
    totals = upload_pending(spool, server, API_KEY, "block-a")
    assert totals == {"accepted": 1, "duplicates": 0, "rejected": 1}
    assert spool.counts() == {"pending": 0, "sent": 1, "rejected": 1}
    # Nothing is sent again.
    upload_pending(spool, server, API_KEY, "block-a")
    assert len(StrictOdoo.bodies) == 1
