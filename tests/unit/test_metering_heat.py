import random
from decimal import Decimal

import pytest
from conftest import load_engine

heat = load_engine("site_metering", "heat")
D = Decimal


def forty_flats():
    # 40 flats, 7,486 m² and 34,155 kWh in all (the December 2015 bill of DOMAIN §1):
    # 34 flats of 187 m² + 6 of 188 m² = 6,358 + 1,128 = 7,486 m²;
    # 35 flats of 854 kWh + 5 of 853 kWh = 29,890 + 4,265 = 34,155 kWh.
    return [
        heat.HeatUnit(
            key=f"D{i + 1}",
            area=D(187) if i < 34 else D(188),
            consumption=D(854) if i < 35 else D(853),
        )
        for i in range(40)
    ]


def test_turkish_bill_forty_flats_equal_area_part():
    bill, hot_water = D("13879"), D("379")
    heating = bill - hot_water
    assert heating == D("13500")
    result = heat.split_heating(heating, forty_flats(), area_key="equal")
    assert result.consumption_total == D("9450.00")  # 70 %
    assert result.area_total == D("4050.00")  # 30 %
    assert result.total_consumption == D("34155")
    # 9,450 / 34,155 = 0.276679..  → 0.2767 TL/kWh
    assert result.unit_price == D("0.2767")
    assert result.area_price == D("101.25")  # 4,050 / 40 flats
    assert all(unit.area_part == D("101.25") for unit in result.units)
    assert not result.raised_keys
    assert sum(unit.consumption_part for unit in result.units) == D("9450.00")
    assert sum(unit.total for unit in result.units) == D("13500.00")
    # 9,450 · 854 / 34,155 = 236.2831..; 9,450 · 853 / 34,155 = 236.0064..
    # Floors: 35 · 236.28 + 5 · 236.00 = 9,449.80: 20 cents left. The five 853-kWh flats
    # have the largest remainders (.64 of a cent), then the first 15 of the 854-kWh flats
    # (.31, ties in key order): 15 · 236.29 + 20 · 236.28 + 5 · 236.01 = 9,450.00.
    parts = [unit.consumption_part for unit in result.units]
    assert parts == [D("236.29")] * 15 + [D("236.28")] * 20 + [D("236.01")] * 5
    assert result.by_key()["D1"].total == D("337.54")  # 236.29 + 101.25
    # The hot water (379 TL) is split by the hot-water meters; the whole bill adds up.
    water = heat.split_hot_water(hot_water, {f"D{i + 1}": D("2.5") for i in range(40)})
    assert sum(water.values()) + sum(u.total for u in result.units) == bill


def test_turkish_bill_forty_flats_by_area():
    result = heat.split_heating(D("13500"), forty_flats())
    assert result.area_key == "area"
    assert result.unit_price == D("0.2767")
    # 4,050 / 7,486 m² = 0.54101.. TL/m²
    assert result.area_price == D("0.5410")
    # 4,050 · 187 / 7,486 = 101.1688..; 4,050 · 188 / 7,486 = 101.7098..
    # Floors: 34 · 101.16 + 6 · 101.70 = 4,049.64: 36 cents left, first to the six 188-m²
    # flats (.98 of a cent), then to the first 30 of the 187-m² flats (.88):
    # 30 · 101.17 + 4 · 101.16 + 6 · 101.71 = 4,050.00.
    parts = [unit.area_part for unit in result.units]
    assert parts == [D("101.17")] * 30 + [D("101.16")] * 4 + [D("101.71")] * 6
    assert sum(unit.area_part for unit in result.units) == D("4050.00")
    assert sum(unit.total for unit in result.units) == D("13500.00")


def test_unit_raised_to_the_minimum():
    # By hand: M = 1,000, 70 % = 700 by consumption, 30 % = 300 by area.
    # Areas A 100, B 100, C 50 m² (At = 250); consumption 1,000, 900, 100 kWh (St = 2,000).
    # qt = 2,000 / 250 = 8 kWh/m²; f = 0.5 → qR = 4 kWh/m².
    # A: 10/m², B: 9/m² are above; C: 100 / 50 = 2 < 4 → SR = 4 · 50 = 200 kWh.
    # StR = 1,000 + 900 + 200 = 2,100; price 700 / 2,100 = 0.3333 TL/kWh.
    # P1: A 333.333.., B 300, C 66.666.. → floors 333.33 + 300.00 + 66.66 = 699.99;
    # the cent left goes to C (remainder .67 of a cent > A's .33) → 66.67.
    # P2: 300 · 100/250 = 120, 120, 60.
    # Totals: A 453.33, B 420.00, C 126.67 = 1,000.00.
    units = [
        heat.HeatUnit("A", D(100), D(1000)),
        heat.HeatUnit("B", D(100), D(900)),
        heat.HeatUnit("C", D(50), D(100)),
    ]
    result = heat.split_heating(D(1000), units, minimum_factor=D("0.5"))
    assert result.minimum_per_m2 == D("4.0000")
    assert result.raised_keys == ["C"]
    assert result.billed_total_consumption == D("2100.0000")
    assert result.unit_price == D("0.3333")
    by_key = result.by_key()
    assert by_key["C"].billed_consumption == D("200.0000")
    assert by_key["C"].consumption == D(100)
    assert [u.consumption_part for u in result.units] == [D("333.33"), D("300.00"), D("66.67")]
    assert [u.area_part for u in result.units] == [D("120.00"), D("120.00"), D("60.00")]
    assert [u.total for u in result.units] == [D("453.33"), D("420.00"), D("126.67")]
    # Without the minimum, C pays only its measured share: 700 · 100 / 2,000 = 35.
    plain = heat.split_heating(D(1000), units)
    assert plain.by_key()["C"].consumption_part == D("35.00")
    assert plain.unit_price == D("0.3500")


def test_no_unit_raised_when_all_above_the_minimum():
    units = [heat.HeatUnit("A", D(100), D(800)), heat.HeatUnit("B", D(100), D(700))]
    result = heat.split_heating(D(500), units, minimum_factor=D("0.8"))
    # qt = 7.5, qR = 6; A 8, B 7 are above.
    assert result.raised_keys == []
    assert result.billed_total_consumption == D("1500.0000")


def test_consumption_share_between_half_and_seventy_percent():
    units = [heat.HeatUnit("A", D(50), D(100)), heat.HeatUnit("B", D(150), D(300))]
    result = heat.split_heating(D(1000), units, consumption_share=D("0.50"))
    assert result.consumption_total == D("500.00")
    assert result.area_total == D("500.00")
    assert [u.total for u in result.units] == [D("250.00"), D("750.00")]
    for share in (D("0.49"), D("0.71"), D("1")):
        with pytest.raises(heat.HeatError, match="between"):
            heat.split_heating(D(1000), units, consumption_share=share)


def test_bad_inputs_are_refused():
    unit = heat.HeatUnit("A", D(50), D(0))
    with pytest.raises(heat.HeatError, match="No unit has any consumption"):
        heat.split_heating(D(100), [unit])
    with pytest.raises(heat.HeatError, match="Unknown area key"):
        heat.split_heating(D(100), [heat.HeatUnit("A", D(50), D(1))], area_key="volume")
    with pytest.raises(heat.HeatError, match="No units"):
        heat.split_heating(D(100), [])
    with pytest.raises(heat.HeatError, match="twice"):
        heat.split_heating(D(100), [heat.HeatUnit("A", D(5), D(1))] * 2)
    with pytest.raises(heat.HeatError, match="negative"):
        heat.split_heating(D(100), [heat.HeatUnit("A", D(5), D(-1))])


def test_many_units_sum_exactly_to_the_cent():
    rng = random.Random(7)
    units = [
        heat.HeatUnit(
            f"U{i}",
            D(rng.randrange(3000, 25000)).scaleb(-2),
            D(rng.randrange(0, 500000)).scaleb(-2),
        )
        for i in range(1000)
    ]
    for key in ("area", "equal"):
        for factor in (None, D("0.6")):
            result = heat.split_heating(D("123456.78"), units, area_key=key, minimum_factor=factor)
            assert sum(u.total for u in result.units) == D("123456.78")
            assert sum(u.consumption_part for u in result.units) == result.consumption_total
            assert sum(u.area_part for u in result.units) == result.area_total
            assert result.consumption_total == D("86419.75")  # 0.7 · 123,456.78 = 86,419.746
    raised = heat.split_heating(D("123456.78"), units, minimum_factor=D("0.6"))
    assert raised.raised_keys  # the units with no or little consumption


def test_turkish_hot_water_fuel_domain_example():
    # DOMAIN.md §1: 20 m³ at 55 °C, natural gas 8,250 kcal/m³ at 15.00 TL/m³:
    # By = 1.2 · 20,000 · 45 / 8,250 = 130.9091 m³ of gas; 1,963.64 TL; 98.18 TL per m³.
    result = heat.hot_water_fuel(D(20), D(55), D(8250), D("15.00"))
    assert result.fuel == D("130.9091")
    assert result.cost == D("1963.64")
    assert (result.cost / 20).quantize(D("0.01")) == D("98.18")


def test_turkish_hot_water_fuel():
    # By = 1.20 · 10,000 l · (60 − 10) / 10,000 kcal = 60 fuel units; cost 60 · 2.5 = 150.
    result = heat.hot_water_fuel(D(10), D(60), D(10000), D("2.5"))
    assert result.fuel == D("60.0000")
    assert result.cost == D("150.00")
    # Fuel oil, 9,700 kcal/kg: By = 1.20 · 3,000 · 45 / 9,700 = 16.7010.. kg; · 7.35 = 122.75
    result = heat.hot_water_fuel(D(3), D(55), D(9700), D("7.35"))
    assert result.fuel == D("16.7010")
    assert result.cost == D("122.75")
    with pytest.raises(heat.HeatError):
        heat.hot_water_fuel(D(1), D(5), D(8250), D(1))
    with pytest.raises(heat.HeatError):
        heat.hot_water_fuel(D(1), D(55), D(0), D(1))


def test_german_hot_water_example():
    # 3,400 l oil = 34,000 kWh = 3,253.50 €; V = 47.2 m³ at 60 °C:
    # Q = 2.5 · 47.2 · (60 − 10) = 5,900 kWh = 17.35 % of 34,000 kWh.
    heat_kwh = heat.german_hot_water_heat(D("47.2"), D(60))
    assert heat_kwh == D("5900.00")
    share = heat.german_hot_water_cost(D("3253.50"), D(34000), heat_kwh)
    assert share.percent == D("17.35")  # 5,900 / 34,000 = 17.3529.. %
    # DOMAIN's 564.48 € comes from the rounded percentage: 3,253.50 · 0.1735 = 564.48225;
    # the unrounded ratio would give 3,253.50 · 5,900 / 34,000 = 564.5779.. → 564.58.
    assert share.hot_water_cost == D("564.48")
    assert share.heating_cost == D("2689.02")
    assert share.hot_water_cost + share.heating_cost == D("3253.50")


def test_german_hot_water_district_heat():
    # 5,900 / 1.15 = 5,130.434.. kWh
    assert heat.german_hot_water_heat(D("47.2"), D(60), district=True) == D("5130.43")
