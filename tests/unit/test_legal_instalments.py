from datetime import date
from decimal import Decimal

import pytest
from conftest import load_engine

instalments = load_engine("site_legal", "instalments")
D = Decimal


def test_schedule_splits_to_the_cent_and_dates_monthly():
    rows = instalments.schedule(D("1000.00"), 3, date(2026, 1, 31))
    assert [row.amount for row in rows] == [D("333.34"), D("333.33"), D("333.33")]
    assert sum(row.amount for row in rows) == D("1000.00")
    # the 31st is kept within short months
    assert [row.due_date for row in rows] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
    ]
    assert [row.number for row in rows] == [1, 2, 3]


def test_schedule_across_the_year_and_months_apart():
    rows = instalments.schedule(D("90"), 3, date(2026, 11, 15), months_apart=2)
    assert [row.due_date for row in rows] == [
        date(2026, 11, 15),
        date(2027, 1, 15),
        date(2027, 3, 15),
    ]
    assert [row.amount for row in rows] == [D("30.00")] * 3


def test_schedule_in_whole_currency_units():
    rows = instalments.schedule(D("100"), 3, date(2026, 1, 1), digits=0)
    assert [row.amount for row in rows] == [D("34"), D("33"), D("33")]


@pytest.mark.parametrize(
    ("total", "count", "months_apart", "message"),
    [
        (D("100"), 0, 1, "at least one instalment"),
        (D("100"), 2, 0, "at least a month apart"),
        (D("0"), 2, 1, "nothing to settle"),
        (D("-5"), 2, 1, "nothing to settle"),
        (D("0.02"), 3, 1, "cannot be split into 3"),
    ],
)
def test_schedule_refuses(total, count, months_apart, message):
    with pytest.raises(ValueError, match=message):
        instalments.schedule(total, count, date(2026, 1, 1), months_apart=months_apart)


def test_assign_cuts_debts_in_order():
    debts = [("JAN", D("1000.00")), ("FEB", D("1000.00")), ("FEE", D("150.00"))]
    amounts = {1: D("716.67"), 2: D("716.67"), 3: D("716.66")}
    pieces = instalments.assign(debts, amounts)
    assert pieces == [
        (1, "JAN", D("716.67")),
        (2, "JAN", D("283.33")),
        (2, "FEB", D("433.34")),
        (3, "FEB", D("566.66")),
        (3, "FEE", D("150.00")),
    ]
    by_debt = {}
    for _number, key, amount in pieces:
        by_debt[key] = by_debt.get(key, 0) + amount
    assert by_debt == dict(debts)


def test_assign_skips_settled_debts_and_checks_totals():
    assert instalments.assign([("A", D("0")), ("B", D("10"))], {1: D("10")}) == [(1, "B", D("10"))]
    with pytest.raises(ValueError, match="must add up"):
        instalments.assign([("A", D("10"))], {1: D("5"), 2: D("4")})


def test_is_missed():
    today = date(2026, 3, 1)
    assert instalments.is_missed(date(2026, 2, 28), D("1"), today)
    assert not instalments.is_missed(date(2026, 3, 1), D("1"), today)  # due today: not yet
    assert not instalments.is_missed(date(2026, 2, 1), D("0"), today)  # paid
