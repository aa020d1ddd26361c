from decimal import Decimal

from conftest import load_engine

allocation = load_engine("site_dues", "allocation")
D = Decimal


def test_fixed_rounds_each_amount():
    assert allocation.fixed({"shop": D("150.005"), "flat": 75, "parking": 12.5}) == {
        "shop": D("150.01"),
        "flat": D("75.00"),
        "parking": D("12.50"),
    }
    assert allocation.fixed({"flat": D("74.5")}, digits=0) == {"flat": D("75")}
