import json
from datetime import datetime

import pytest
from conftest import load_engine
from site_collector import FormatSignatures, decode_telegram
from site_collector.upload import make_reading

upload = load_engine("site_metering", "collector_upload")
NOW = datetime(2026, 1, 20, 12, 0)
# The format of Kamstrup Multical 21's full telegram (signature A8ED): the headers of its
# records, one after the other.
KAMSTRUP_FORMAT = {"A8ED": "02FF2004134413615B6167"}


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
        (reading(previous_alarms=["fire"]), "previous_alarms[0]", "'fire' is not an alarm"),
        (reading(previous_alarms="leak"), "previous_alarms", "list"),
        (reading(formats=["A8ED"]), "formats", "at most 16 format signatures"),
        (reading(formats={"A8ED": "zz"}), "formats.A8ED", "not hexadecimal"),
        (reading(formats={"A8ED": 2}), "formats.A8ED", "hexadecimal string"),
        (reading(formats={"A8ED": None}), "formats.A8ED", "not null"),
        (reading(formats={"A8ED": " "}), "formats.A8ED", "empty"),
        (reading(formats={"A8ED": "04" * 256}), "formats.A8ED", "at most 510 digits"),
        (reading(formats={"A8E": "0413"}), "formats", "'A8E' is not a format signature"),
        (reading(formats={"A8EX": "0413"}), "formats", "'A8EX' is not a format signature"),
        (reading(formats={"A8ED": "02FF2004134413615B6168"}), "formats.A8ED", "does not match"),
        (reading(formats={"A8ED": "02FF20041344"}), "formats.A8ED", "inside a DIB"),
        (reading(formats={"A8ED": "04FC"}), "formats.A8ED", "inside a plain-text VIF"),
        (reading(formats={"A8ED": "047C05"}), "formats.A8ED", "inside a plain-text VIF"),
        (
            reading(formats=dict(KAMSTRUP_FORMAT, a8ed="02FF2004134413615B6167")),
            "formats.A8ED",
            "given twice",
        ),
        (
            reading(formats={f"{n:04X}": "0413" for n in range(17)}),
            "formats",
            "at most 16 format signatures",
        ),
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


def test_formats_and_past_alarms_are_normalised():
    _name, accepted, refused = check(
        reading(formats={"a8ed": "02ff 2004 1344 1361 5b61 67"}, previous_alarms=["leak"] * 2),
        reading(key="old collector"),
        reading(key="nulls", formats=None, previous_alarms=None),
    )
    assert refused == []
    assert [(item["formats"], item["previous_alarms"]) for _index, item in accepted] == [
        (KAMSTRUP_FORMAT, ["leak"]),
        ({}, []),
        ({}, []),
    ]


def test_what_the_collector_sends_is_accepted():
    """site_collector's reading of a full telegram, with its meter's formats and its past
    alarms, passes the schema as the collector sent it."""
    memory = FormatSignatures()
    telegram = bytes.fromhex(
        "2A442D2C998734761B168D2091D37CAC21576C7802FF207100041308190000441308190000615B7F616713"
    )
    decoded = dict(decode_telegram(telegram, signatures=memory), previous_alarms=["burst"])
    sent = json.loads(json.dumps(make_reading(decoded, "2026-01-20T06:00:00Z", signatures=memory)))
    _name, [(_index, item)], refused = check(sent)
    assert refused == []
    assert (item["formats"], item["previous_alarms"]) == (KAMSTRUP_FORMAT, ["burst"])


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
