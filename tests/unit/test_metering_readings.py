import datetime
from decimal import Decimal

import pytest
from conftest import load_engine

readings = load_engine("site_metering", "readings")
D = Decimal
R = readings.Reading


def day(month, dom, year=2025):
    return datetime.date(year, month, dom)


HISTORY = [R(day(1, 20), D(1000)), R(day(2, 20), D(1100)), R(day(3, 20), D(1190))]


def codes(flags):
    return [flag.code for flag in flags]


def test_lower_value_far_from_the_register_end_is_not_a_rollover():
    with pytest.raises(readings.ReadingError, match="lower than the last one"):
        readings.consumption(D(100), D(99), rollover_at=D(100000))
    flags = readings.check_reading(
        [R(day(2, 20), D(100))], R(day(3, 20), D(99)), rollover_at=D(100000)
    )
    assert codes(flags) == ["lower_than_last"]


def test_consumption_and_rollover():
    assert readings.consumption(D(1000), D(1100)) == D(100)
    # a five-digit register: 99,950 → 00,030 is 50 + 30 = 80
    assert readings.consumption(D(99950), D(30), rollover_at=D(100000)) == D(80)
    with pytest.raises(readings.ReadingError, match="lower"):
        readings.consumption(D(1100), D(1000))
    with pytest.raises(readings.ReadingError, match="register"):
        readings.consumption(D(99950), D(100001), rollover_at=D(100000))


def test_normal_reading_has_no_flags():
    new = R(day(4, 21), D(1290))
    assert readings.check_reading(HISTORY, new, window=(20, 25)) == []


def test_lower_than_last_is_refused():
    flags = readings.check_reading(HISTORY, R(day(4, 20), D(1100)))
    assert codes(flags) == ["lower_than_last"]
    assert flags[0].severity == "refuse"


def test_lower_reading_allowed_after_replacement_or_rollover():
    assert readings.check_reading(HISTORY, R(day(4, 20), D(90)), replacement_start=D(0)) == []
    history = [R(day(1, 20), D(99700)), R(day(2, 20), D(99850))]
    flags = readings.check_reading(history, R(day(3, 20), D(50)), rollover_at=D(100000))
    assert codes(flags) == ["rollover"]
    assert "200" in flags[0].message  # 100,000 − 99,850 + 50


def test_far_above_own_history_awaits_acceptance():
    # history ≈ 3.2 kWh/day; 400 in 31 days = 12.9/day > 2 · 3.2
    flags = readings.check_reading(HISTORY, R(day(4, 20), D(1590)))
    assert codes(flags) == ["above_history"]
    assert flags[0].severity == "review"
    # with a factor of 5 the same reading passes
    assert readings.check_reading(HISTORY, R(day(4, 20), D(1590)), history_factor=D(5)) == []


def test_far_above_building_average_per_m2():
    # 100 over 50 m² = 2 /m², building 0.8 /m²: above 2 · 0.8
    flags = readings.check_reading(
        HISTORY, R(day(4, 20), D(1290)), building_avg_per_m2=D("0.8"), area=D(50)
    )
    assert codes(flags) == ["above_building_average"]
    flags = readings.check_reading(
        HISTORY, R(day(4, 20), D(1290)), building_avg_per_m2=D("1.2"), area=D(50)
    )
    assert flags == []


def test_zero_consumption_over_n_periods():
    assert codes(readings.check_reading(HISTORY, R(day(4, 20), D(1190)))) == ["zero_consumption"]
    flat = [R(day(1, 20), D(500)), R(day(2, 20), D(500)), R(day(3, 20), D(500))]
    assert readings.check_reading(HISTORY, R(day(4, 20), D(1190)), zero_periods=2) == []
    flags = readings.check_reading(flat, R(day(4, 20), D(500)), zero_periods=3)
    assert codes(flags) == ["zero_consumption"]


def test_outside_the_reading_window_says_when_it_opens():
    flags = readings.check_reading(HISTORY, R(day(4, 27), D(1290)), window=(20, 25))
    assert codes(flags) == ["outside_window"]
    assert "2025-05-20" in flags[0].message
    assert readings.next_window_opening(day(4, 5), (20, 25)) == day(4, 20)
    assert readings.next_window_opening(day(12, 28), (20, 25)) == datetime.date(2026, 1, 20)
    assert readings.next_window_opening(day(2, 1), (30, 31)) == day(2, 28)
    assert readings.in_window(day(2, 28), (30, 31))


def test_missing_at_period_end():
    flag = readings.check_missing(HISTORY, day(4, 1), day(4, 30))
    assert flag.code == "missing"
    assert readings.check_missing(HISTORY, day(3, 1), day(3, 31)) is None


def test_estimate_order_of_methods():
    estimate = readings.estimate([D(100), D(120), D(131)], [], D(2), D(50))
    assert estimate == readings.Estimate(D("117.000"), "own_history")
    # comparable units: 300 over 150 m² = 2 /m² · 60 m² = 120
    estimate = readings.estimate([], [(D(100), D(50)), (D(200), D(100))], D(3), D(60))
    assert estimate == readings.Estimate(D("120.000"), "comparable")
    estimate = readings.estimate([], [], D("1.5"), D(60))
    assert estimate == readings.Estimate(D("90.000"), "building_average")
    with pytest.raises(readings.ReadingError):
        readings.estimate([], [], None, D(60))


def test_estimated_area_share_and_the_25_percent_rule():
    areas = {"A": D(100), "B": D(100), "C": D(100), "D": D(100)}
    share = readings.estimated_area_share(areas, ["A"])
    assert share == D("0.25")
    assert not readings.bill_by_area_only(share)  # exactly 25 %: not above
    share = readings.estimated_area_share(areas, ["A", "B"])
    assert share == D("0.5")
    assert readings.bill_by_area_only(share)


def test_split_by_readings_at_the_change_date():
    # Period 1–30 June; the flat is sold on 16 June and read that day at 40 of 100.
    taken = [
        (datetime.date(2025, 6, 10), D(25)),
        (datetime.date(2025, 6, 16), D(40)),
        (datetime.date(2025, 6, 30), D(100)),
    ]
    segments = [
        (datetime.date(2025, 6, 1), datetime.date(2025, 6, 15)),
        (datetime.date(2025, 6, 16), datetime.date(2025, 6, 30)),
    ]
    assert readings.split_by_readings(taken, segments) == [D(40), D(60)]


def test_split_by_readings_takes_the_nearest_and_gives_up_when_none_is_near():
    taken = [(datetime.date(2025, 6, 13), D(30)), (datetime.date(2025, 6, 30), D(90))]
    segments = [
        (datetime.date(2025, 6, 1), datetime.date(2025, 6, 15)),
        (datetime.date(2025, 6, 16), datetime.date(2025, 6, 30)),
    ]
    assert readings.split_by_readings(taken, segments) == [D(30), D(60)]
    assert readings.split_by_readings(taken, segments, tolerance_days=2) is None
    assert readings.split_by_readings([], segments) is None
    one = [(datetime.date(2025, 6, 1), datetime.date(2025, 6, 30))]
    assert readings.split_by_readings(taken, one) == [D(90)]


def test_heating_compared_with_the_same_season_last_year():
    # Last winter this allocator used 3 units a day; this autumn 1, then 4 a day now.
    history = [
        R(datetime.date(2024, 11, 20), D(0)),
        R(datetime.date(2024, 12, 20), D(90)),
        R(datetime.date(2025, 10, 20), D(400)),
        R(datetime.date(2025, 11, 20), D(431)),
    ]
    new = R(datetime.date(2025, 12, 20), D(551))
    reference = readings.same_season_rate(history, new.date)
    assert reference == D(3)
    assert "above_history" in codes(readings.check_reading(history[-2:], new))
    flags = readings.check_reading(history, new, reference_rate=reference)
    assert "above_history" not in codes(flags)
    assert readings.check_reading(history[-2:], new, history_factor=None) == []
    assert readings.same_season_rate(history[-2:], new.date) is None
