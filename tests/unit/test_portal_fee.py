from decimal import Decimal

import pytest
from conftest import load_engine

fee = load_engine("site_portal", "fee")


def test_off_by_default():
    assert fee.payer_fee(1000, 0, 0) == Decimal("0.00")


def test_grossed_up_so_the_site_receives_the_debt():
    # (1000 × 2.5 % + 1.00) / 0.975 = 26.666… → 26.67
    charged = fee.payer_fee(Decimal("1000.00"), Decimal("2.5"), Decimal("1.00"))
    assert charged == Decimal("26.67")
    total = Decimal("1000.00") + charged
    provider_keeps = (total * Decimal("0.025") + 1).quantize(Decimal("0.01"))
    assert total - provider_keeps == Decimal("1000.00")


def test_fixed_only_and_percent_only():
    assert fee.payer_fee(Decimal("250.00"), 0, Decimal("3.50")) == Decimal("3.50")
    # 1100 × 2 % / 0.98 = 22.448… → 22.45
    assert fee.payer_fee(Decimal("1100.00"), 2, 0) == Decimal("22.45")


def test_half_up():
    # 50 × 1 % / 0.99 = 0.50505… → 0.51; 0.5 × 1 = 0.005 → 0.01
    assert fee.payer_fee(50, 1, 0) == Decimal("0.51")
    assert fee.payer_fee(Decimal("0.99"), Decimal("0.5"), 0) == Decimal("0.00")


def test_nothing_paid_no_fee():
    assert fee.payer_fee(0, Decimal("2.5"), 1) == Decimal("0.00")


@pytest.mark.parametrize(
    ("percent", "fixed", "message"),
    [(-1, 0, "Fee percent"), (51, 0, "Fee percent"), (0, -1, "Fixed fee")],
)
def test_bad_settings_named(percent, fixed, message):
    with pytest.raises(fee.FeeError, match=message):
        fee.payer_fee(100, percent, fixed)
