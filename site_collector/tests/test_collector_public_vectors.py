"""m-bus-parser's wireless test vectors (tests/data/m-bus-parser, MIT): identity of every
telegram, and each expected value found among our records, except the listed errors of
the vectors (checked against EN 13757-3's tables)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from site_collector.wmbus import decode_telegram

VECTORS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "m-bus-parser" / "test_vectors.jsonl")
    .read_text()
    .splitlines()
    if line
]
# their unit -> factor to our base unit
FACTORS = {"kWh": 1000, "kJ": 1000, "Wh": 1, "W": 1, "V": 1, "m^3": 1, "m^3/h": 1, "K": 1}
# (id, record index) -> why the vector is wrong
VECTOR_ERRORS = {
    (61243590, 1): "0C13 68860904 is BCD 04098668 l = 4098.668 m^3; the vector has 40968.68",
    (61243590, 3): "0C2B 220000F0: BCD with F as first digit is -22 W (EN 13757-3), not +2200",
    (10101010, 0): "0E03: VIF 0x03 is Wh x 10^0: 15,694,050 Wh; the vector has 15,694.05",
    (10101010, 2): "0E833C: Wh x 10^0 as well (7,480 Wh); the vector has 7.48",
    (254358, 0): "0E03: Wh x 10^0: 9,652,220 Wh; the vector has 9,652.22",
    (71727374, 0): "0C0E: VIF 0x0E is J x 10^6 (MJ): 16,059 MJ; the vector says kJ",
    (10206, 1): "8E 40: DIFE bit 6 is the subunit (device 1), not storage number 1",
    (61243590, 6): "0A A6 18 0000: VIF 0x26 (operating time, h) with record error VIFE 0x18 "
    "(data error), not a temperature difference",
    (10101010, 1): "0B2B: VIF 0x2B is W x 10^0: 330 W; the vector has 0.33",
    (254358, 1): "0B2B: W x 10^0: 1,055 W; the vector has 1.055",
    **{
        (58234965, index): "Techem Vario 451 reads in kWh (wmbusmeters: 6371.666667 kWh); "
        "the vector says Wh x 10^-3"
        for index in range(3)
    },
}


def _expected(record):
    value = Decimal(record["value"]) * Decimal(10) ** record["exponent"]
    return value * FACTORS.get(record["unit"], 1)


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: str(v["id"]))
def test_public_vector(vector):
    reading = decode_telegram(bytes.fromhex(vector["input"]))
    assert int(reading["id"]) == vector["id"]
    assert reading["manufacturer"] == vector["manufacturer"]
    if not vector["records"]:
        assert reading["status"] == "encrypted"  # the vector gives no key
        return
    assert reading["status"] in ("ok", "partial"), reading.get("detail")
    for index, record in enumerate(vector["records"]):
        want = _expected(record)
        values = [
            Decimal(repr(r["value"]))
            for r in reading["records"]
            if isinstance(r["value"], (int, float))
            and r["storage_number"] == record["storage_number"]
        ]
        found = any(abs(v - want) <= Decimal("0.001") for v in values)
        assert found != ((vector["id"], index) in VECTOR_ERRORS), (index, want, values)
