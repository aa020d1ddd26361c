from datetime import date, datetime

import pytest
from conftest import load_engine
from site_collector.tables import MEDIA

remote = load_engine("site_metering", "remote")
Candidate = remote.Candidate


def identity(**meter):
    return remote.Identity.of(meter)


def find(candidates, **meter):
    return remote.MeterIndex(candidates).find(identity(**meter))


def test_identity_of_an_upload_or_a_scan():
    wired = identity(secondary_address="1111 0001 2C2D 0107", address=3)
    assert (wired.wmbus, wired.secondary, wired.ident, wired.label) == (
        False,
        "111100012C2D0107",
        "11110001",
        "111100012C2D0107",
    )
    assert identity(id="22220001", wmbus=True).label == "22220001"
    assert identity(address=7).label == "primary address 7"
    assert identity(address=None, id="").label == "?"


def test_one_order_for_wired_meters():
    full = Candidate(1, secondary="111100012C2D0107", serial="W-1")
    same_id = Candidate(2, secondary="11110002", serial="W-2")
    by_serial = Candidate(3, serial="110003")
    by_primary = Candidate(4, serial="W-4", primary=5)
    meters = [full, same_id, by_serial, by_primary]
    assert find(meters, secondary_address="111100012C2D0107").meter_id == 1
    # Another version or medium of the same identification number is the same meter.
    assert find(meters, secondary_address="111100022C2D0199").meter_id == 2
    assert find(meters, id="00110003").meter_id == 3  # without its leading zeros
    assert find(meters, address=5).meter_id == 4
    # The primary address counts only when no identification number is known.
    assert find(meters, id="99999999", address=5).problem == remote.UNKNOWN


def test_the_full_secondary_address_comes_first():
    exact = Candidate(1, secondary="111100012C2D0107")
    other_medium = Candidate(2, secondary="111100012C2D0104")
    assert find([exact, other_medium], secondary_address="111100012C2D0104").meter_id == 2
    assert find([exact, other_medium], id="11110001").meter_ids == (1, 2)


def test_wireless_meters_by_their_id_then_serial():
    radio = Candidate(1, serial="R-1", wmbus_id="KAM-2222-0001")
    # A wired meter of the same number is not a wireless one.
    wired = Candidate(2, secondary="22220002", serial="W-2")
    serial = Candidate(3, serial="22220003")
    meters = [radio, wired, serial]
    assert find(meters, id="22220001", wmbus=True).meter_id == 1
    assert find(meters, id="22220002", wmbus=True).problem == remote.UNKNOWN
    assert find(meters, id="022220003", wmbus=True).meter_id == 3


def test_ambiguous_and_retired_meters_are_not_matched():
    twins = [Candidate(1, serial="44440001"), Candidate(2, serial="44440001")]
    match = find(twins, id="44440001")
    assert (match.problem, match.meter_ids, match.meter_id) == (remote.AMBIGUOUS, (1, 2), None)
    match = find([Candidate(3, serial="55550001", retired=True)], id="55550001")
    assert (match.problem, match.meter_ids, match.meter_id) == (remote.RETIRED, (3,), None)


def test_search_keys_are_the_lookups():
    keys = remote.search_keys(
        [
            identity(secondary_address="001100012C2D0107"),
            identity(id="22220001", wmbus=True),
            identity(address=5),
            identity(id="33330001", address=6),
        ]
    )
    assert keys == {
        "secondary": ["001100012C2D0107"],
        "ident": ["00110001", "33330001"],
        "wmbus": ["22220001"],
        "serial": ["110001", "22220001", "33330001"],
        "primary": [5],
    }


def test_local_day_of_a_read():
    moment = datetime(2026, 1, 19, 22, 30)
    assert remote.local_day(moment, "Europe/Istanbul") == date(2026, 1, 20)
    assert remote.local_day(moment, None) == date(2026, 1, 19)


def test_one_reading_a_meter_a_day():
    day = date(2026, 1, 20)
    reads = [
        ("late", 1, day, datetime(2026, 1, 20, 9)),
        ("early", 1, day, datetime(2026, 1, 20, 6)),
        ("other", 2, day, datetime(2026, 1, 20, 7)),
        ("taken", 3, day, datetime(2026, 1, 20, 5)),
    ]
    assert remote.one_per_day(reads, {(3, day)}) == (["early", "other"], ["taken", "late"])


@pytest.mark.parametrize(
    ("reason", "message", "expected"),
    [
        ("no_answer", "silent", ("no_answer", "silent")),
        ("premature_end", None, ("decode_error", None)),
        ("too_many_frames", "16", ("decode_error", "16")),
        ("unsupported", "CI 0x76", ("unsupported", "CI 0x76")),
        ("alien", None, ("other", "alien")),
        ("alien", "what it said", ("other", "what it said")),
    ],
)
def test_failure_codes(reason, message, expected):
    assert remote.failure(reason, message) == expected


@pytest.mark.parametrize(
    ("decoded", "expected"),
    [
        ({"status": "encrypted", "detail": "security mode 5: no key"}, "encrypted"),
        ({"status": "compact_frame", "detail": "format 0xA8ED"}, "compact_unknown"),
        ({"status": "manufacturer_specific", "detail": "CI 0xA2"}, "unknown_layout"),
        ({"status": "truncated", "detail": "cut"}, "truncated"),
        ({"status": "unsupported", "detail": "CI 0x51"}, "unsupported"),
        ({"status": "no_records", "detail": "none"}, "no_records"),
        ({"status": 0x00, "encrypted": True, "security_mode": 5}, "encrypted"),
        ({"status": 0x00, "records": []}, "no_records"),
    ],
)
def test_telegrams_without_values_say_why(decoded, expected):
    code, message = remote.telegram_failure(dict(decoded, records=[]))
    assert code == expected and code in remote.ERROR_CODE_KEYS
    assert message


def test_telegrams_with_values_are_no_failure():
    partial = {"status": "partial", "records": [{"value": 1}], "alarms": ["leak"]}
    assert remote.telegram_failure(partial) is None


def test_meter_status_after_a_batch():
    t = [datetime(2026, 1, 20, hour) for hour in range(5)]
    status = remote.meter_status(
        reads=[(1, t[1]), (1, t[2]), (2, t[0])],
        errors=[
            (1, t[3], "no_answer", "silent"),
            (1, t[0], "checksum", None),  # before the good read: it no longer counts
            (2, t[4], "collision", None),
            (2, t[3], "checksum", None),
            (3, t[1], "no_answer", None),
        ],
        counts={1: 4, 2: 4, 3: 2},
    )
    assert status[1] == remote.MeterStatus(t[2], (t[3], "no_answer", "silent"), 1)
    assert status[2] == remote.MeterStatus(t[0], (t[4], "collision", None), 2)
    # No good read: the failed reads add to those in a row before.
    assert status[3] == remote.MeterStatus(None, (t[1], "no_answer", None), 3)
    assert remote.meter_status([(4, t[0])], [], {4: 3})[4] == remote.MeterStatus(t[0], None, 0)


def test_scanned_media_are_site_collectors_names():
    assert set(remote.MEDIUM_KINDS) <= set(MEDIA.values())
    assert {MEDIA[code] for code in (0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x0C, 0x15, 0x16)} == set(
        remote.MEDIUM_KINDS
    )
