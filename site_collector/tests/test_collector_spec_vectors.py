"""Examples of the standards and real captures published by exmbus (tests/data/exmbus,
Apache-2.0): security mode 7 with its AFL (CEN/TR 17167 F.3), OMS annex N (mode 5, partial
encryption, wired and wireless), EN 13757-3 annex F compact profiles, two Sontex meters."""

import json
from pathlib import Path

import pytest
from site_collector.errors import DecryptionError
from site_collector.frame import decode_frame
from site_collector.records import parse_records
from site_collector.wmbus import decode_telegram

VECTORS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "exmbus" / "vectors.jsonl")
    .read_text()
    .splitlines()
    if line
]


def _decode(vector):
    data = bytes.fromhex(vector["hex"])
    key = bytes.fromhex(vector["key"]) if vector["key"] else None
    if vector["wired"] is None:  # an application layer alone
        return {"records": parse_records(data)[0]}
    if vector["wired"]:
        return decode_frame(data, key=key)
    return decode_telegram(data, key=key)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["name"])
def test_spec_vector(vector):
    reading = _decode(vector)
    expected = vector["expected"]
    for name in ("id", "manufacturer", "version", "alarms"):
        if name in expected:
            assert reading[name] == expected[name], name
    if "id" in expected and not vector["wired"]:
        assert reading["status"] == "ok"
    found = [(r["quantity"], r["storage_number"], r["value"]) for r in reading["records"]]
    for quantity, storage, value in expected["records"]:
        assert (quantity, storage, value) in found, (quantity, storage, value)


def test_mode7_needs_the_right_key():
    vector = next(v for v in VECTORS if v["name"].endswith("mode 7"))
    reading = decode_telegram(bytes.fromhex(vector["hex"]))
    assert reading["status"] == "encrypted" and reading["records"] == []
    with pytest.raises(DecryptionError, match="wrong key"):
        decode_telegram(bytes.fromhex(vector["hex"]), key=bytes(16))
