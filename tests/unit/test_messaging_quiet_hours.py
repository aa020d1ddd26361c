from datetime import UTC, datetime, time

from conftest import load_engine

quiet_hours = load_engine("site_messaging", "quiet_hours")


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def test_window_across_midnight():
    assert quiet_hours.is_quiet(time(22, 0), 21, 9)
    assert quiet_hours.is_quiet(time(3, 0), 21, 9)
    assert not quiet_hours.is_quiet(time(9, 0), 21, 9)
    assert not quiet_hours.is_quiet(time(20, 59), 21, 9)
    assert quiet_hours.is_quiet(time(13, 30), 13.5, 14)
    assert not quiet_hours.is_quiet(time(3, 0), 9, 9)


def test_outside_window_sends_now():
    now = utc(2026, 12, 5, 10, 0)  # 13:00 in Istanbul
    assert quiet_hours.next_allowed(now, "Europe/Istanbul", 21, 9) == now


def test_evening_waits_for_next_morning_local_time():
    now = utc(2026, 12, 5, 19, 30)  # 22:30 in Istanbul (UTC+3)
    assert quiet_hours.next_allowed(now, "Europe/Istanbul", 21, 9) == utc(2026, 12, 6, 6, 0)
    # the same instant is 20:30 in Warsaw: allowed there
    assert quiet_hours.next_allowed(now, "Europe/Warsaw", 21, 9) == now


def test_early_morning_waits_the_same_day():
    now = utc(2026, 12, 5, 4, 0)  # 07:00 in Istanbul
    assert quiet_hours.next_allowed(now, "Europe/Istanbul", 21, 9) == utc(2026, 12, 5, 6, 0)


def test_daylight_saving_change_follows_the_clock():
    # Warsaw goes to summer time on 29 March 2026: 9:00 local is 07:00 UTC that day
    now = utc(2026, 3, 28, 22, 0)  # 23:00 local winter time
    assert quiet_hours.next_allowed(now, "Europe/Warsaw", 21, 9) == utc(2026, 3, 29, 7, 0)


def test_zone_for_site():
    assert quiet_hours.zone_for("Europe/Kyiv", "TR") == "Europe/Kyiv"
    assert quiet_hours.zone_for(False, "tr") == "Europe/Istanbul"
    assert quiet_hours.zone_for(None, None) == "UTC"
