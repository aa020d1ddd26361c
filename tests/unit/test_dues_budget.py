from decimal import Decimal

from conftest import load_engine

budget = load_engine("site_dues", "budget")
D = Decimal


def test_variance_is_planned_less_actual():
    assert budget.amounts(D("33700.00"), D("800.00")) == (D("33700.00"), D("800.00"), D("32900.00"))


def test_overspent_is_a_negative_variance():
    assert budget.amounts(100, D("250.50")).variance == D("-150.50")


def test_nothing_planned_nor_spent():
    assert budget.amounts(0, 0) == (D("0.00"), D("0.00"), D("0.00"))


def test_floats_are_read_as_written():
    # 0.1 + 0.2 as floats is 0.30000000000000004: read through str, it is 0.3.
    assert budget.amounts(0.1 + 0.2, 0.1) == (D("0.30"), D("0.10"), D("0.20"))


def test_half_up_to_the_currency_digits():
    assert budget.amounts(D("10.005"), D("0.004")) == (D("10.01"), D("0.00"), D("10.00"))
    assert budget.amounts(D("2.5"), 0, digits=0) == (D("3"), D("0"), D("3"))
    assert budget.amounts(D("-2.5"), 0, digits=0).variance == D("-3")


def test_variance_is_rounded_once():
    # Rounding planned and actual first would give 0.01 - 0.00 = 0.01.
    assert budget.amounts(D("0.005"), D("0.004")).variance == D("0.00")
