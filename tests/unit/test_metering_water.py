from decimal import Decimal

import pytest
from conftest import load_engine

water = load_engine("site_metering", "water")
heat = load_engine("site_metering", "heat")
D = Decimal


def three_flats():
    return [
        water.WaterUnit("A-1", D(10), D(80)),
        water.WaterUnit("A-2", D(20), D(100)),
        water.WaterUnit("A-3", D(30), D(120)),
    ]


def test_loss_shared_by_consumption():
    # Main 80 m³, units 60 m³: 20 m³ (25 %) lost. Bill 400 → 5.0000 per m³.
    # Own use 400 · 60 / 80 = 300; loss 100 by consumption 10:20:30 = 16.67, 33.33, 50.
    result = water.split_water(D(400), three_flats(), main_consumption=D(80))
    assert result.loss == D("20.000")
    assert result.loss_percent == D("25.00")
    assert result.unit_price == D("5.0000")
    assert result.consumption_total == D("300.00")
    assert result.loss_total == D("100.00")
    assert [u.consumption_part for u in result.units] == [D("50.00"), D("100.00"), D("150.00")]
    # 100 · 10/60 = 16.666.., 33.333.., 50: floors 16.66 + 33.33 + 50 = 99.99; A-1 .67 wins.
    assert [u.loss_part for u in result.units] == [D("16.67"), D("33.33"), D("50.00")]
    assert [u.loss_quantity for u in result.units] == [D("3.3333"), D("6.6667"), D("10.0000")]
    assert sum(u.total for u in result.units) == D("400.00")


def test_loss_shared_by_area_and_equally():
    by_area = water.split_water(D(400), three_flats(), D(80), loss_key="area")
    # 100 · 80/300 = 26.666.., 33.333.., 40
    assert [u.loss_part for u in by_area.units] == [D("26.67"), D("33.33"), D("40.00")]
    assert [u.total for u in by_area.units] == [D("76.67"), D("133.33"), D("190.00")]
    equal = water.split_water(D(400), three_flats(), D(80), loss_key="equal")
    assert [u.loss_part for u in equal.units] == [D("33.34"), D("33.33"), D("33.33")]
    assert sum(u.total for u in equal.units) == D("400.00")


def test_without_main_meter_no_loss():
    result = water.split_water(D("100.01"), three_flats())
    assert result.loss == D("0.000")
    assert result.loss_total == D("0.00")
    assert sum(u.total for u in result.units) == D("100.01")
    # 100.01 / 60 = 1.66683..
    assert result.unit_price == D("1.6668")


def test_units_above_main_meter_refused():
    with pytest.raises(water.WaterError, match="more than the main meter"):
        water.split_water(D(100), three_flats(), main_consumption=D(50))


def test_bad_inputs():
    with pytest.raises(water.WaterError, match="Unknown loss key"):
        water.split_water(D(1), three_flats(), loss_key="persons")
    with pytest.raises(water.WaterError, match="No units"):
        water.split_water(D(1), [])
    with pytest.raises(water.WaterError, match="negative"):
        water.split_water(D(1), [water.WaterUnit("A", D(-1))])
    with pytest.raises(water.WaterError, match="No water was used"):
        water.split_water(D(1), [water.WaterUnit("A", D(0))])
    with pytest.raises(water.WaterError, match="twice"):
        water.split_water(D(1), [water.WaterUnit("A", D(1))] * 2)
    with pytest.raises(water.WaterError, match="every weight is zero"):
        water.split_water(D(10), [water.WaterUnit("A", D(1))], D(2), loss_key="area")


def test_heating_rest_by_other_weights():
    # The site decides: the 30 % by land share instead of closed area.
    units = [heat.HeatUnit("A", D(100), D(50)), heat.HeatUnit("B", D(100), D(150))]
    result = heat.split_heating(
        D(1000), units, area_key="land_share", area_weights={"A": 1, "B": 3}
    )
    assert [u.consumption_part for u in result.units] == [D("175.00"), D("525.00")]
    assert [u.area_part for u in result.units] == [D("75.00"), D("225.00")]
    assert result.area_price == D("75.0000")
    with pytest.raises(heat.HeatError, match="cannot be shared"):
        heat.split_heating(D(1000), units, area_key="x", area_weights={"A": 0, "B": 0})
