from datetime import date

from conftest import load_engine

service = load_engine("site_helpdesk", "service")


def test_before_the_due_day_falls_due_this_month():
    assert service.due_date(date(2026, 12, 5), 10) == date(2026, 12, 10)


def test_on_the_due_day_falls_due_that_day():
    assert service.due_date(date(2026, 12, 10), 10) == date(2026, 12, 10)


def test_after_the_due_day_falls_due_next_month_also_across_the_year():
    assert service.due_date(date(2026, 12, 12), 10) == date(2027, 1, 10)


def test_a_due_day_past_the_month_end_is_its_last_day():
    assert service.due_date(date(2027, 2, 3), 31) == date(2027, 2, 28)
    assert service.due_date(date(2027, 1, 31), 30) == date(2027, 2, 28)
