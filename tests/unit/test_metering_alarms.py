from datetime import datetime

from conftest import load_engine
from site_collector import ALARM_CODES

alarms = load_engine("site_metering", "alarms")
Observation = alarms.Observation
T = [datetime(2026, 1, 20, hour) for hour in range(8)]


def obs(meter, hour, *codes, complete=True, origin=None):
    return Observation(meter, T[hour], frozenset(codes), complete, origin)


def test_every_code_of_site_collector_has_a_label_and_a_severity():
    assert {code for code, _label in alarms.ALARM_CODES} == set(ALARM_CODES)
    assert [alarms.severity(code) for code in ("leak", "burst", "tamper", "application_busy")] == [
        "critical",
        "critical",
        "high",
        "info",
    ]
    assert alarms.raises_activity("low_battery") and not alarms.raises_activity("underflow")


def test_an_alarm_opens_once_is_extended_and_clears():
    changes = alarms.alarm_changes(
        set(), {}, [obs(1, 2, "leak"), obs(1, 0, "leak", origin="a"), obs(1, 1, "leak", "dry")]
    )
    opened = {(e.code, e.first, e.last, e.cleared, e.origin) for e in changes.opened}
    # dry: seen at 1, gone at 2 (a telegram read in full without it).
    assert opened == {("leak", T[0], T[2], None, None), ("dry", T[1], T[1], T[2], None)}
    assert changes.checked == {1: T[2]}


def test_open_alarms_stored_before_are_seen_or_cleared():
    changes = alarms.alarm_changes(
        {(1, "leak"), (1, "low_battery"), (2, "tamper")},
        {1: T[1], 2: T[1]},
        [obs(1, 3, "leak", origin="gw"), obs(2, 4)],
    )
    assert changes.seen == {(1, "leak"): (T[3], "gw")}
    assert changes.cleared == {(1, "low_battery"): T[3], (2, "tamper"): T[4]}
    assert changes.opened == []


def test_a_telegram_read_in_part_opens_but_clears_nothing():
    changes = alarms.alarm_changes({(1, "leak")}, {}, [obs(1, 2, "low_battery", complete=False)])
    assert changes.cleared == {}
    assert [(e.code, e.cleared) for e in changes.opened] == [("low_battery", None)]


def test_older_telegrams_change_nothing_a_same_moment_again_is_read():
    changes = alarms.alarm_changes({(1, "leak")}, {1: T[3]}, [obs(1, 2), obs(1, 1, "burst")])
    assert (changes.opened, changes.cleared, changes.checked) == ([], {}, {})
    # Re-decoding the latest telegram (the same moment) is read again.
    again = alarms.alarm_changes({(1, "leak")}, {1: T[3]}, [obs(1, 3, "burst")])
    assert again.cleared == {(1, "leak"): T[3]}
    assert [e.code for e in again.opened] == ["burst"]


def test_an_alarm_cleared_and_back_in_one_batch_is_two_events():
    changes = alarms.alarm_changes({(1, "leak")}, {}, [obs(1, 1), obs(1, 2, "leak")])
    assert changes.cleared == {(1, "leak"): T[1]}
    assert [(e.code, e.first, e.cleared) for e in changes.opened] == [("leak", T[2], None)]


def test_a_past_alarm_newly_reported_is_an_event_over_at_once():
    first = alarms.alarm_changes(
        set(), {}, [Observation(1, T[1], frozenset({"blocked"}), past=frozenset({"leak"}))]
    )
    events = {(e.code, e.first, e.cleared, e.past) for e in first.opened}
    assert events == {("blocked", T[1], None, False), ("leak", T[1], T[1], True)}
    assert first.past == {1: frozenset({"leak"})}
    # The next telegrams repeating it add nothing; reported again after a pause, it is new.
    repeat = alarms.alarm_changes(
        {(1, "blocked")},
        {1: T[1]},
        [
            Observation(1, T[2], frozenset(), past=frozenset({"leak"})),
            Observation(1, T[3], frozenset()),
            Observation(1, T[4], frozenset(), past=frozenset({"leak"})),
        ],
        first.past,
    )
    assert [(e.code, e.first, e.past) for e in repeat.opened] == [("leak", T[4], True)]
    assert repeat.cleared == {(1, "blocked"): T[2]}


def test_an_alarm_open_then_reported_past_is_cleared_not_doubled():
    changes = alarms.alarm_changes(
        {(1, "leak")}, {}, [Observation(1, T[1], frozenset(), past=frozenset({"leak"}))]
    )
    assert changes.cleared == {(1, "leak"): T[1]}
    assert changes.opened == []
    # Read in part, a telegram's past codes are not known.
    partial = alarms.alarm_changes(
        set(), {}, [Observation(1, T[1], frozenset(), False, past=frozenset({"leak"}))]
    )
    assert (partial.opened, partial.past) == ([], {})
