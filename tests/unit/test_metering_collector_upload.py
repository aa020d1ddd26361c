import json
from datetime import datetime

import pytest
from conftest import load_engine

upload = load_engine("site_metering", "collector_upload")
NOW = datetime(2026, 1, 20, 12, 0)


def reading(**changes):
    item = {
        "key": "mbus:111100012C2D0107@2026-01-19T22:30:00Z",
        "meter": {"secondary_address": "111100012C2D0107", "id": "11110001", "wmbus": False},
        "timestamp": "2026-01-19T22:30:00Z",
        "records": [
            {
                "function": "Instantaneous value",
                "storage_number": 0,
                "tariff": 0,
                "device": 0,
                "quantity": "Volume",
                "unit": "m^3",
                "value": 12.345,
            }
        ],
        "raw": "68 03 03 68",
        "error": None,
    }
    item.update(changes)
    return item


def record(**changes):
    return dict(reading()["records"][0], **changes)


def check(*items):
    return upload.check_upload({"collector": "block-a", "readings": list(items)}, NOW)


def test_good_reading_is_normalised():
    name, accepted, refused = check(dict(reading(), extra="dropped"))
    assert name == "block-a" and refused == []
    [(index, item)] = accepted
    assert index == 0
    assert item["timestamp"] == datetime(2026, 1, 19, 22, 30)
    assert item["raw"] == "68030368"
    assert item["meter"]["wmbus"] is False and item["meter"]["address"] is None
    assert "extra" not in item
    assert item["records"][0]["value"] == 12.345


@pytest.mark.parametrize(
    "bad, field, reason",
    [
        (reading(records=[record(value=float("nan"))]), "records[0].value", "finite number"),
        (reading(records=[record(value=float("inf"))]), "records[0].value", "finite number"),
        (reading(records=[record(value=10**400)]), "records[0].value", "out of range"),
        (reading(records=[record(storage_number="1")]), "records[0].storage_number", "integer"),
        (reading(records=[record(storage_number=-1)]), "records[0].storage_number", "integer"),
        (reading(records=[record(tariff=True)]), "records[0].tariff", "integer"),
        (reading(records=[record(quantity=["Volume"])]), "records[0].quantity", "string"),
        (reading(records=["Volume"]), "records[0]", "object"),
        (reading(records={}), "records", "list"),
        (reading(timestamp="0001-01-01T00:00:00+01:00"), "timestamp", "ISO 8601"),
        (reading(timestamp="1970-01-01T00:00:00Z"), "timestamp", "clock"),
        (reading(timestamp="2030-01-01T00:00:00Z"), "timestamp", "future"),
        (reading(timestamp=1737331200), "timestamp", "ISO 8601"),
        (reading(key=""), "key", "empty"),
        (reading(key="k\x00"), "key", "control"),
        (reading(key=12), "key", "string"),
        (reading(meter={"address": "5"}), "meter.address", "integer"),
        (reading(meter={"wmbus": True}), "meter", "needs one of"),
        (reading(meter=None), "meter", "object"),
        (reading(raw="zz"), "raw", "not hexadecimal"),
        (reading(error=""), "error", "empty"),
        (reading(records=[], raw=None, error=None), "records", "neither"),
        (reading(alarms=["leak", "fire"]), "alarms[1]", "'fire' is not an alarm code"),
        (reading(alarms="leak"), "alarms", "list"),
        (reading(alarms=[7]), "alarms[0]", "must be a string"),
        (reading(alarms=["leak"] * 40), "alarms", "at most"),
    ],
)
def test_bad_reading_is_refused_alone(bad, field, reason):
    good = reading(key="good")
    _name, accepted, refused = check(good, bad)
    assert [index for index, _item in accepted] == [0]
    [refusal] = refused
    assert refusal.index == 1
    assert refusal.field == field
    assert reason in refusal.reason
    assert refusal.key == (bad["key"] if isinstance(bad["key"], str) else None)


def test_alarm_codes_are_site_collectors():
    _name, accepted, refused = check(
        reading(alarms=["low_battery", "leak", "leak"]), reading(key="quiet")
    )
    assert refused == []
    assert [item["alarms"] for _index, item in accepted] == [["leak", "low_battery"], []]


def test_nan_from_json_is_refused():
    body = json.loads(
        '{"collector": "c", "readings": [{"key": "k", "meter": {"id": "1"}, '
        '"timestamp": "2026-01-01T00:00:00Z", "records": [{"value": NaN}]}, 7]}'
    )
    _name, accepted, refused = upload.check_upload(body, NOW)
    assert accepted == []
    assert [(r.index, r.key, r.field) for r in refused] == [
        (0, "k", "records[0].value"),
        (1, None, ""),
    ]
    assert refused[1].as_dict()["reason"] == "must be an object"


@pytest.mark.parametrize(
    "body, message",
    [
        ([], "the body must be an object"),
        ({"readings": []}, '"collector" is required'),
        ({"collector": "c", "readings": {}}, '"readings" must be a list'),
        ({"collector": "c", "readings": [{}] * 5001}, "at most 5000"),
    ],
)
def test_bad_envelope_raises(body, message):
    with pytest.raises(upload.UploadError, match=message):
        upload.check_upload(body, NOW)
