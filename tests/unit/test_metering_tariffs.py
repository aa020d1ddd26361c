from decimal import Decimal

import pytest
from conftest import load_engine

tariffs = load_engine("site_metering", "tariffs")
D = Decimal

# A village water service: 0–10 m³ at 5.00, 10–20 m³ at 7.50, above 20 m³ at 10.00.
BLOCKS = [
    tariffs.Block(D(10), D("5.00")),
    tariffs.Block(D(20), D("7.50")),
    tariffs.Block(D(0), D("10.00")),
]


def test_blocks_fee_and_tax():
    # 25 m³: 10 · 5 + 10 · 7.5 + 5 · 10 = 50 + 75 + 50 = 175; fee 20 → 195; 8 % tax 15.60.
    charge = tariffs.apply_tariff(D(25), BLOCKS, fixed_fee=D(20), tax_percent=D(8))
    assert [(b.quantity, b.amount) for b in charge.blocks] == [
        (D(10), D("50.00")),
        (D(10), D("75.00")),
        (D(5), D("50.00")),
    ]
    assert charge.consumption_amount == D("175.00")
    assert charge.fixed_fee == D("20.00")
    assert charge.minimum_topup == D("0.00")
    assert charge.net == D("195.00")
    assert charge.tax == D("15.60")
    assert charge.total == D("210.60")


def test_minimum_charge():
    # 2 m³ = 10.00 + fee 5 = 15 < minimum 30: topped up by 15.
    charge = tariffs.apply_tariff(D(2), BLOCKS, fixed_fee=D(5), minimum_charge=D(30))
    assert charge.minimum_topup == D("15.00")
    assert charge.net == D("30.00")
    assert charge.total == D("30.00")
    zero = tariffs.apply_tariff(D(0), BLOCKS, fixed_fee=D(5))
    assert zero.blocks == []
    assert zero.total == D("5.00")


def test_several_months_scale_limits_fee_and_minimum():
    # Two months: blocks 0–20, 20–40, fee 2 · 20. 25 m³ = 20 · 5 + 5 · 7.5 = 137.50 + 40.
    charge = tariffs.apply_tariff(D(25), BLOCKS, fixed_fee=D(20), months=2)
    assert charge.consumption_amount == D("137.50")
    assert charge.fixed_fee == D("40.00")
    assert charge.total == D("177.50")


def test_block_amounts_rounded_each():
    # 3.333 m³ · 1.115 = 3.716295 → 3.72
    charge = tariffs.apply_tariff(D("3.333"), [tariffs.Block(D(0), D("1.115"))], tax_percent=18)
    assert charge.consumption_amount == D("3.72")
    assert charge.tax == D("0.67")  # 0.6696
    assert charge.total == D("4.39")


def test_units_and_errors():
    charges = tariffs.apply_to_units({"A": D(5), "B": D(15)}, BLOCKS)
    assert charges["A"].total == D("25.00")
    assert charges["B"].total == D("87.50")
    with pytest.raises(tariffs.TariffError, match="above the tariff's last block"):
        tariffs.apply_tariff(D(30), BLOCKS[:2])
    with pytest.raises(tariffs.TariffError, match="must be the last block"):
        tariffs.check_blocks([tariffs.Block(0, 1), tariffs.Block(10, 2)])
    with pytest.raises(tariffs.TariffError, match="must be above"):
        tariffs.check_blocks([tariffs.Block(10, 1), tariffs.Block(5, 2)])
    with pytest.raises(tariffs.TariffError, match="negative"):
        tariffs.check_blocks([tariffs.Block(10, -1)])
    with pytest.raises(tariffs.TariffError, match="no price blocks"):
        tariffs.check_blocks([])
    with pytest.raises(tariffs.TariffError, match="negative"):
        tariffs.apply_tariff(D(-1), BLOCKS)
