from datetime import datetime, timedelta

from conftest import load_engine

throttle = load_engine("site_portal", "throttle")

NOW = datetime(2026, 12, 5, 12, 0)


def test_under_the_limit_no_wait():
    times = [NOW - timedelta(minutes=m) for m in (1, 2)]
    assert throttle.wait_seconds(times, NOW, 3, 3600) == 0


def test_at_the_limit_wait_until_the_oldest_leaves_the_window():
    times = [NOW - timedelta(minutes=m) for m in (50, 10, 5)]
    assert throttle.wait_seconds(times, NOW, 3, 3600) == 600


def test_old_submissions_do_not_count():
    times = [NOW - timedelta(hours=2)] * 5 + [NOW - timedelta(minutes=1)]
    assert throttle.wait_seconds(times, NOW, 2, 3600) == 0


def test_no_limit():
    assert throttle.wait_seconds([NOW] * 100, NOW, 0, 3600) == 0
