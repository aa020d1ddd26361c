import random
from decimal import Decimal

import pytest
from conftest import load_engine

allocation = load_engine("site_dues", "allocation")
D = Decimal


def test_equal_split_gives_the_extra_cent_to_the_first_key():
    parts = allocation.split(D("1000"), {"A1": 1, "A2": 1, "A3": 1})
    assert parts == {"A1": D("333.34"), "A2": D("333.33"), "A3": D("333.33")}
    assert sum(parts.values()) == D("1000.00")


def test_split_by_area():
    # 1,234.56 over 72.5 + 95.25 + 120 m² = 287.75 m²: exact shares 311.0533..,
    # 408.6597.., 514.8469..; rounded down they leave 2 cents, which go to the largest
    # remainders (A2 .97 of a cent, A3 .69), not to A1 (.33).
    parts = allocation.split(D("1234.56"), {"A1": D("72.5"), "A2": D("95.25"), "A3": 120})
    assert parts == {"A1": D("311.05"), "A2": D("408.66"), "A3": D("514.85")}
    assert sum(parts.values()) == D("1234.56")


def test_whole_currency_units():
    parts = allocation.split(D("1000"), {"A1": 1, "A2": 1, "A3": 1}, digits=0)
    assert parts == {"A1": D("334"), "A2": D("333"), "A3": D("333")}
    assert str(parts["A1"]) == "334"


def test_float_weights_go_through_str():
    # 0.1 + 0.25 + 3 = 3.35: 2.985.. / 7.462.. / 89.552..: floors leave one cent,
    # which goes to A1 (remainder 0.5 of a cent, the largest).
    parts = allocation.split(D("100.00"), {"A1": 0.1, "A2": D("0.25"), "A3": 3})
    assert parts == {"A1": D("2.99"), "A2": D("7.46"), "A3": D("89.55")}


def test_zero_weight_gets_nothing():
    parts = allocation.split(D("10.00"), {"A1": 0, "A2": 1, "A3": 2})
    assert parts == {"A1": D("0.00"), "A2": D("3.33"), "A3": D("6.67")}


def test_negative_total_is_a_credit_split_the_same_way():
    parts = allocation.split(D("-1000"), {"A1": 1, "A2": 1, "A3": 1})
    assert parts == {"A1": D("-333.34"), "A2": D("-333.33"), "A3": D("-333.33")}


def test_total_is_rounded_to_the_digits_first():
    parts = allocation.split(D("10.005"), {"A1": 1, "A2": 1})
    assert parts == {"A1": D("5.01"), "A2": D("5.00")}


def test_ten_thousand_random_weights_sum_exactly():
    rng = random.Random(11)
    weights = {f"U{i}": D(rng.randrange(1, 20000)).scaleb(-2) for i in range(10_000)}
    parts = allocation.split(D("987654.32"), weights)
    assert sum(parts.values()) == D("987654.32")
    whole = sum(weights.values())
    for key, weight in weights.items():
        assert abs(parts[key] - D("987654.32") * weight / whole) < D("0.01")


def test_same_input_same_output_and_ties_follow_key_order():
    weights = {"C": 1, "A": 1, "B": 1}
    first = allocation.split(D("0.02"), weights)
    assert first == {"C": D("0.01"), "A": D("0.01"), "B": D("0.00")}
    assert all(allocation.split(D("0.02"), weights) == first for _ in range(5))


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
    with pytest.raises(allocation.AllocationError, match=message):
        allocation.split(D("100"), weights)


def test_allocation_error_is_a_value_error():
    assert issubclass(allocation.AllocationError, ValueError)


def test_fixed_rounds_each_amount():
    assert allocation.fixed({"shop": D("150.005"), "flat": 75, "parking": 12.5}) == {
        "shop": D("150.01"),
        "flat": D("75.00"),
        "parking": D("12.50"),
    }
    assert allocation.fixed({"flat": D("74.5")}, digits=0) == {"flat": D("75")}
