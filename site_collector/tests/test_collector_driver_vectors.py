"""wmbusmeters' driver test telegrams (tests/data/wmbusmeters, data only): Qundis Q caloric
(walk-by data set included), BMeters Hydrodigit, Sontex Supercom 587 and 868, Apator 162. Every
value wmbusmeters publishes for them is found among our records, except the listed
differences, where theirs is not the meter's value."""

import json
import re
from pathlib import Path

import pytest
from site_collector.wmbus import decode_telegram, parse_hex

LINES = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "wmbusmeters" / "driver_telegrams.jsonl")
    .read_text()
    .splitlines()
    if line
]
# (meter id, their field) -> why our value differs from theirs
NOT_RECORDED = "month-end total FF FF FF: not recorded yet (None); they print 0"
THEIRS_DIFFER = {
    ("87654322", "June_total_m3"): NOT_RECORDED,
    ("87654322", "July_total_m3"): NOT_RECORDED,
    ("27282728", "set_date"): "type G year 127 is 'every year' (****-07-01); they print 2127",
}
# Telegrams whose manufacturer block is of a kind no public source describes.
PRECISE_STATUS = {
    "HCA2 whe46x 60366655 NOKEY": "Qundis walk-by data set of type 0x08 not known",
    "HCA4 qcaloric 30535282 NOKEY": "Qundis walk-by data set of type 0x82 not known",
}


# wmbusmeters' fields that are not values of the meter's registers (names, their status
# texts, battery voltage from a table of theirs, versions).
NOT_VALUES = {"_", "media", "meter", "name", "id", "timestamp", "status", "contents"}
NOT_VALUES |= {"voltage_v", "fraud_type", "model_version", "software_version"}


def _find(records, quantity, storage=0, function="Instantaneous value"):
    return [
        r["value"]
        for r in records
        if r["quantity"] == quantity
        and r["storage_number"] == storage
        and r["function"] == function
    ]


def _clock(records):
    return [v.replace("T", " ")[:16] for v in _find(records, "Time point (date & time)") if v]


def _ours(records, field):
    """Our values for one of wmbusmeters' fields (an empty list: a field we do not map)."""
    month = re.fullmatch(r"([A-Z][a-z]+)_total_m3", field)
    if month:
        return _find(records, f"Volume (end of {month.group(1)})")
    storage = re.fullmatch(r"(?:consumption_at_)?set_date(?:_(\d+))?(_hca)?", field)
    if storage:
        number = int(storage.group(1) or 1)
        if field.startswith("consumption"):
            return _find(records, "H.C.A.", number)
        return _find(records, "Time point (date)", number)
    return {
        "total_m3": lambda: _find(records, "Volume"),
        "backflow_m3": lambda: _find(records, "Volume (backflow)"),
        "leak_date": lambda: _find(records, "Time point (date) of leak"),
        "fraud_date": lambda: _find(records, "Time point (date) of fraud"),
        "current_consumption_hca": lambda: _find(records, "H.C.A."),
        "device_datetime": lambda: _clock(records),
        "meter_datetime": lambda: _clock(records),
        "error_date": lambda: [
            v or "" for v in _find(records, "Time point (date)", 0, "Value during error state")
        ],
        "current_temp_c": lambda: _find(records, "Flow temperature"),
        "flow_temperature_c": lambda: _find(records, "Flow temperature"),
        "current_room_temp_c": lambda: _find(records, "External temperature"),
        "max_temp_c": lambda: _find(records, "Flow temperature", 0, "Maximum value"),
        "max_temp_previous_period_c": lambda: _find(
            records, "Flow temperature", 1, "Maximum value"
        ),
    }.get(field, list)()


@pytest.mark.parametrize("line", LINES, ids=lambda line: f"{line['driver']}-{line['args']}")
def test_driver_telegram(line):
    data, decrypted = parse_hex(line["telegram"])
    reading = decode_telegram(data, decrypted=decrypted)
    expected = line["expected"]
    assert reading["id"] == expected["id"]
    precise = PRECISE_STATUS.get(line["args"])
    if precise:
        assert reading["status"] == "manufacturer_specific"
        assert reading["detail"].startswith(precise)
    else:
        assert reading["status"] in ("ok", "partial"), reading.get("detail")
    for field, value in expected.items():
        if field in NOT_VALUES:
            continue
        ours = _ours(reading["records"], field)
        assert ours, f"no record of ours for their {field}"
        if (reading["id"], field) in THEIRS_DIFFER:
            assert value not in ours, f"{field}: their difference is gone"
            continue
        if value is None:
            assert ours == [None], field
        elif isinstance(value, (int, float)):
            assert any(abs(v - value) < 1e-9 for v in ours if isinstance(v, (int, float))), (
                field,
                value,
                ours,
            )
        else:
            assert value in ours, (field, value, ours)


@pytest.mark.parametrize(
    "ident, alarms",
    [
        ("87654321", ["backflow"]),  # 15 l of backflow
        ("87654322", ["backflow", "leak"]),  # leak on 2024-04-25, 7 l of backflow
        ("03122061", []),  # leak and fraud fields present, but no date and no fraud type
        ("60366655", ["low_battery"]),  # status byte 0x04
    ],
)
def test_driver_telegram_alarms(ident, alarms):
    readings = []
    for line in LINES:
        if line["expected"]["id"] == ident:
            data, decrypted = parse_hex(line["telegram"])
            readings.append(decode_telegram(data, decrypted=decrypted))
    assert readings
    assert all(reading["alarms"] == alarms for reading in readings)
