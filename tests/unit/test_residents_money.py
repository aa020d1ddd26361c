import random
from decimal import Decimal
from fractions import Fraction

import pytest
from conftest import load_engine

money = load_engine("site_residents", "money")
D = Decimal


def test_equal_split_gives_the_extra_cent_to_the_first_key():
    parts = money.split(D("1000"), {"A1": 1, "A2": 1, "A3": 1})
    assert parts == {"A1": D("333.34"), "A2": D("333.33"), "A3": D("333.33")}
    assert sum(parts.values()) == D("1000.00")


def test_split_by_area():
    # 1,234.56 over 72.5 + 95.25 + 120 m² = 287.75 m²: exact shares 311.0533..,
    # 408.6597.., 514.8469..; rounded down they leave 2 cents, which go to the largest
    # remainders (A2 .97 of a cent, A3 .69), not to A1 (.33).
    parts = money.split(D("1234.56"), {"A1": D("72.5"), "A2": D("95.25"), "A3": 120})
    assert parts == {"A1": D("311.05"), "A2": D("408.66"), "A3": D("514.85")}
    assert sum(parts.values()) == D("1234.56")


def test_whole_currency_units():
    parts = money.split(D("1000"), {"A1": 1, "A2": 1, "A3": 1}, digits=0)
    assert parts == {"A1": D("334"), "A2": D("333"), "A3": D("333")}
    assert str(parts["A1"]) == "334"


def test_float_weights_go_through_str():
    # 0.1 + 0.25 + 3 = 3.35: 2.985.. / 7.462.. / 89.552..: floors leave one cent,
    # which goes to A1 (remainder 0.5 of a cent, the largest).
    parts = money.split(D("100.00"), {"A1": 0.1, "A2": D("0.25"), "A3": 3})
    assert parts == {"A1": D("2.99"), "A2": D("7.46"), "A3": D("89.55")}


def test_zero_weight_gets_nothing():
    parts = money.split(D("10.00"), {"A1": 0, "A2": 1, "A3": 2})
    assert parts == {"A1": D("0.00"), "A2": D("3.33"), "A3": D("6.67")}


def test_negative_total_is_a_credit_split_the_same_way():
    parts = money.split(D("-1000"), {"A1": 1, "A2": 1, "A3": 1})
    assert parts == {"A1": D("-333.34"), "A2": D("-333.33"), "A3": D("-333.33")}


def test_total_is_rounded_to_the_digits_first():
    parts = money.split(D("10.005"), {"A1": 1, "A2": 1})
    assert parts == {"A1": D("5.01"), "A2": D("5.00")}


def test_ten_thousand_random_weights_sum_exactly():
    rng = random.Random(11)
    weights = {f"U{i}": D(rng.randrange(1, 20000)).scaleb(-2) for i in range(10_000)}
    parts = money.split(D("987654.32"), weights)
    assert sum(parts.values()) == D("987654.32")
    whole = sum(weights.values())
    for key, weight in weights.items():
        assert abs(parts[key] - D("987654.32") * weight / whole) < D("0.01")


def test_same_input_same_output_and_ties_follow_key_order():
    weights = {"C": 1, "A": 1, "B": 1}
    first = money.split(D("0.02"), weights)
    assert first == {"C": D("0.01"), "A": D("0.01"), "B": D("0.00")}
    assert all(money.split(D("0.02"), weights) == first for _ in range(5))


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"A1": 1, "B7": -2}, "'B7'"),
        ({"A1": 0, "A2": 0}, "zero"),
        ({}, "No keys"),
        ({"A1": float("nan")}, "'A1'"),
    ],
)
def test_bad_weights_are_refused_with_a_reason(weights, message):
    with pytest.raises(money.AllocationError, match=message):
        money.split(D("100"), weights)


def test_allocation_error_is_a_value_error():
    assert issubclass(money.AllocationError, ValueError)


def test_whole_units_and_credit():
    assert money.split(D(1000), {"a": 1, "b": 1, "c": 1}, digits=0) == {
        "a": D(334),
        "b": D(333),
        "c": D(333),
    }
    assert money.split(D(-10), {"a": 1, "b": 2}) == {"a": D("-3.33"), "b": D("-6.67")}


def test_fraction_weights_are_exact():
    parts = money.split(D("100"), {"a": Fraction(1, 3), "b": Fraction(2, 3)})
    assert parts == {"a": D("33.33"), "b": D("66.67")}


def test_days_of_two_occupants():
    """A month's 100.00 between 10 and 21 days: 32.26 and 67.74, half up."""
    assert money.split(D("100.00"), {"first": 10, "second": 21}) == {
        "first": D("32.26"),
        "second": D("67.74"),
    }


@pytest.mark.parametrize(
    "amount, digits, expected",
    [("2.345", 2, "2.35"), ("2.5", 0, "3"), ("-2.5", 0, "-3"), (0.125, 2, "0.13"), (1, 2, "1.00")],
)
def test_round_half_up(amount, digits, expected):
    assert money.round_half_up(
        amount if isinstance(amount, (int, float)) else D(amount), digits
    ) == D(expected)
