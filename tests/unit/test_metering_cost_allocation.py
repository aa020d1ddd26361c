import datetime
from decimal import Decimal

import pytest
from conftest import load_engine

ca = load_engine("site_metering", "cost_allocation")
tariffs = load_engine("site_metering", "tariffs")
D = Decimal
NOV, DEC = datetime.date(2025, 11, 20), datetime.date(2025, 12, 20)


def codes(line):
    return [step.code for step in line.steps]


def three_flats():
    """A-1..A-3: 80, 100 and 120 m²."""
    return [ca.Unit("A-1", D(80)), ca.Unit("A-2", D(100)), ca.Unit("A-3", D(120))]


def forty_flats():
    """DOMAIN §1, the December 2015 bill: 34 flats of 187 m² and 6 of 188 m² (7,486 m²);
    35 flats used 854 kWh and 5 used 853 kWh (34,155 kWh); 2.5 m³ of hot water each."""
    units = [ca.Unit(f"K-{n + 1}", D(187) if n < 34 else D(188)) for n in range(40)]
    heat = {unit.key: D(854) if n < 35 else D(853) for n, unit in enumerate(units)}
    hot = {unit.key: D("2.5") for unit in units}
    return units, {"heat": heat, "hot_water": hot}


# --- the parts' amounts ----------------------------------------------------------


def test_the_rest_of_the_bill_and_parts_that_must_add_up():
    parts = [
        ca.Part("hot", ca.WATER_LOSS, D(379), "Hot water"),
        ca.Part("heat", ca.TR_HEAT, D(0), "Heating", takes_rest=True),
        ca.Part("village", ca.TARIFF, D(55), "Village water"),  # outside the bill
    ]
    total, amounts = ca.resolve_amounts(D(13879), parts)
    assert total == D(13879)
    assert amounts == {"hot": D(379), "heat": D(13500), "village": D(55)}

    with pytest.raises(ca.CostAllocationError) as error:
        ca.resolve_amounts(D(150), [ca.Part("elec", ca.KEY, D(100))])
    assert error.value.code == ca.PARTS_MISMATCH
    assert error.value.params == {"parts": D(100), "total": D(150)}
    # Equal to the cent is enough; a bill without an amount becomes the parts' sum.
    assert ca.resolve_amounts(D("100.001"), [ca.Part("elec", ca.KEY, D(100))])[0] == D("100.001")
    assert ca.resolve_amounts(D(0), [ca.Part("elec", ca.KEY, D(100))])[0] == D(100)


def test_one_rest_only_and_something_left_for_it():
    rests = [
        ca.Part("a", ca.KEY, name="Heating", takes_rest=True),
        ca.Part("b", ca.KEY, name="Water", takes_rest=True),
    ]
    with pytest.raises(ca.CostAllocationError) as error:
        ca.resolve_amounts(D(100), rests)
    assert error.value.code == ca.SEVERAL_RESTS
    assert error.value.params == {"parts": ["Heating", "Water"]}
    with pytest.raises(ca.CostAllocationError) as error:
        ca.resolve_amounts(D(100), [ca.Part("w", ca.KEY, D(120), "Water"), rests[0]])
    assert error.value.code == ca.NOTHING_LEFT
    assert error.value.params == {"others": D(120), "total": D(100), "part": "Heating"}


def test_turkish_hot_water_worked_example():
    # DOMAIN §1: 20 m³ at 55 °C, natural gas 8,250 kcal/m³ at 15.00 TL/m³:
    # By = 1.2 · 20,000 · 45 / 8,250 = 130.9091 m³ of gas, 1,963.64 TL, 98.18 TL per m³.
    hot = ca.HotWater(volume=D(20), temperature=D(55), heating_value=D(8250), fuel_price=D("15.00"))
    result = ca.hot_water_amount(hot, {}, D(0))
    assert (result.fuel, result.amount, result.percent) == (D("130.9091"), D("1963.64"), None)
    assert (result.amount / 20).quantize(D("0.01")) == D("98.18")
    # Without a volume, the units' hot-water meters: 8 + 12 m³.
    metered = ca.hot_water_amount(
        ca.HotWater(**{**hot.__dict__, "volume": D(0)}), {"a": 8, "b": 12}, 0
    )
    assert metered == result


def test_german_hot_water_share_worked_example():
    # DOMAIN §2: 3,253.50 € for 34,000 kWh; 47.2 m³ at 60 °C = 5,900 kWh = 17.35 %.
    hot = ca.HotWater(rule=ca.GERMAN_HOT_WATER, temperature=D(60), total_energy=D(34000))
    result = ca.hot_water_amount(hot, {"A-1": D(10), "A-2": D("15.2"), "A-3": D(22)}, D("3253.50"))
    assert (result.fuel, result.percent, result.amount) == (D("5900.00"), D("17.35"), D("564.48"))


# --- the 25 % rule ------------------------------------------------------------


def test_estimated_area_per_part_and_the_limit():
    areas = {"A-1": D(80), "A-2": D(100), "A-3": D(120)}
    estimate = ca.estimated_area(areas, {"heat": {"A-3"}, "water": set()}, D(25))
    assert estimate.shares == {"heat": D(40), "water": D(0)}  # 120 of 300 m²
    assert estimate.top == D(40)
    assert estimate.exceeded
    assert not ca.estimated_area(areas, {"heat": {"A-3"}}, D(50)).exceeded
    assert not ca.exceeds_estimate_limit(25, 25)  # exactly the limit is not above it
    # Units without area: nothing is estimated by area.
    assert ca.estimated_area({"A-1": D(0)}, {"heat": {"A-1"}}, D(25)).shares == {"heat": D(0)}


def test_the_key_a_part_needs():
    assert ca.weights_key(ca.KEY, "land_share") == "land_share"
    assert ca.weights_key(ca.TR_HEAT, "area") is None
    assert ca.weights_key(ca.TR_HEAT, "equal") is None
    assert ca.weights_key(ca.CONSUMPTION_SHARE, "volume") == "volume"
    assert ca.weights_key(ca.WATER_LOSS, "persons") is None
    # Billed by area only: the consumption parts need the area, a key part its own key.
    assert ca.weights_key(ca.WATER_LOSS, "persons", area_only=True) == "area"
    assert ca.weights_key(ca.KEY, "persons", area_only=True) == "persons"


def test_billed_months():
    assert ca.billed_months(NOV, DEC) == 1
    assert ca.billed_months(NOV.replace(month=10), DEC) == 2
    assert ca.billed_months(DEC, DEC.replace(day=31)) == 1


# --- every unit's share ----------------------------------------------------------


def test_forty_flats_equal_rest_to_the_cent():
    units, consumption = forty_flats()
    parts = [
        ca.Part("hot", ca.WATER_LOSS, D(379), meter_kind="hot_water"),
        ca.Part("heat", ca.TR_HEAT, takes_rest=True, meter_kind="heat", area_key="equal"),
    ]
    result = ca.allocate(D(13879), parts, units, consumption, {})
    hot, heat = result.parts
    assert heat.amount == D("13500.00")
    assert heat.consumption_total == D(34155)
    assert heat.unit_price == D("0.2767")  # 9,450 / 34,155
    assert heat.area_price == D("101.25")  # 4,050 / 40 flats
    assert heat.lines["K-1"].consumption_amount == D("236.29")
    assert heat.lines["K-20"].consumption_amount == D("236.28")
    assert heat.lines["K-40"].consumption_amount == D("236.01")
    assert heat.lines["K-1"].amount == D("337.54")
    assert heat.lines["K-1"].steps == [
        ca.Step(ca.STEP_CONSUMPTION, {"used": D(854), "price": D("0.2767"), "part": D("236.29")}),
        ca.Step(ca.STEP_EQUAL_SHARE, {"part": D("101.25")}),
    ]
    assert sorted({line.amount for line in hot.lines.values()}) == [D("9.47"), D("9.48")]
    assert sum(line.amount for part in result.parts for line in part.lines.values()) == D(13879)
    assert result.total == D(13879)
    assert not result.penalised


def test_forty_flats_rest_by_area():
    units, consumption = forty_flats()
    part = ca.Part("heat", ca.TR_HEAT, D(13500), meter_kind="heat", area_key="area")
    heat = ca.split_part(part, units, consumption["heat"])
    assert heat.area_price == D("0.5410")  # 4,050 / 7,486 m²
    assert [heat.lines[key].area_amount for key in ("K-1", "K-34", "K-35")] == [
        D("101.17"),
        D("101.16"),
        D("101.71"),
    ]
    assert heat.lines["K-1"].steps[1] == ca.Step(
        ca.STEP_AREA_SHARE, {"area": D(187), "price": D("0.5410"), "part": D("101.17")}
    )


def test_unit_raised_to_the_minimum_comes_first_in_its_steps():
    # St 2,400 over 300 m²: qt = 8, qR = 4 kWh/m²; A-3 uses 2 per m², raised to 480.
    part = ca.Part("heat", ca.TR_HEAT, D(1000), meter_kind="hca", minimum_factor=D("0.5"))
    used = {"A-1": D(960), "A-2": D(1200), "A-3": D(240)}
    result = ca.allocate(D(1000), [part], three_flats(), {"hca": used}, {})
    heat = result.parts[0]
    assert result.penalised == {"A-3"}
    assert heat.minimum_per_m2 == D(4)
    assert heat.billed_consumption_total == D(2640)
    assert heat.unit_price == D("0.2652")
    assert [heat.lines[key].consumption_amount for key in ("A-1", "A-2", "A-3")] == [
        D("254.55"),
        D("318.18"),
        D("127.27"),
    ]
    a3 = heat.lines["A-3"]
    assert (a3.consumption, a3.billed_consumption, a3.raised) == (D(240), D(480), True)
    assert codes(a3) == [ca.STEP_RAISED, ca.STEP_CONSUMPTION, ca.STEP_AREA_SHARE]
    assert a3.steps[0].values == {"used": D(240), "minimum": D(4), "area": D(120)}


def test_heating_rest_by_another_key_names_each_weight():
    part = ca.Part(
        "heat",
        ca.CONSUMPTION_SHARE,
        D(1000),
        consumption_share=D("0.5"),
        area_key="land_share",
        weights={"A-1": 1, "A-2": 1, "A-3": 2},
    )
    used = {"A-1": D(100), "A-2": D(100), "A-3": D(200)}
    heat = ca.split_part(part, three_flats(), used)
    assert [heat.lines[key].area_amount for key in ("A-1", "A-2", "A-3")] == [
        D(125),
        D(125),
        D(250),
    ]
    assert heat.lines["A-3"].steps[1] == ca.Step(
        ca.STEP_KEY_REST, {"key": "land_share", "weight": 2, "price": D(125), "part": D(250)}
    )


def test_key_part_and_consumption_parts_billed_by_area_only():
    key = ca.Part(
        "elec", ca.KEY, D(240), area_key="land_share", weights={"A-1": 7, "A-2": 8, "A-3": 9}
    )
    elec = ca.split_part(key, three_flats(), {})
    assert [elec.lines[k].amount for k in ("A-1", "A-2", "A-3")] == [D(70), D(80), D(90)]
    assert elec.area_price == D(10)
    assert elec.lines["A-1"].steps == [
        ca.Step(
            ca.STEP_KEY_SHARE,
            {"key": "land_share", "weight": 7, "whole": D(24), "amount": D(240), "share": D(70)},
        )
    ]
    areas = {"A-1": D(80), "A-2": D(100), "A-3": D(120)}
    heating = ca.Part("heat", ca.TR_HEAT, D(1000), meter_kind="hca", weights=areas)
    used = {"A-1": D(900), "A-2": D(1100), "A-3": D(100)}
    by_area = ca.split_part(heating, three_flats(), used, area_only=True, estimated={"A-3"})
    assert [by_area.lines[k].amount for k in ("A-1", "A-2", "A-3")] == [
        D("266.67"),
        D("333.33"),
        D("400.00"),
    ]
    assert codes(by_area.lines["A-1"]) == [ca.STEP_KEY_SHARE, ca.STEP_AREA_ONLY]
    assert by_area.lines["A-1"].steps[0].values["key"] == "area"
    assert codes(by_area.lines["A-3"]) == [ca.STEP_KEY_SHARE, ca.STEP_AREA_ONLY, ca.STEP_ESTIMATED]
    assert by_area.lines["A-3"].estimated
    # A key part is not measured: an estimate of the same meters does not concern it.
    assert not ca.split_part(key, three_flats(), {}, estimated={"A-3"}).lines["A-3"].estimated


def test_water_loss_by_area():
    part = ca.Part("water", ca.WATER_LOSS, D(400), loss_key="area", main_consumption=D(80))
    water = ca.split_part(part, three_flats(), {"A-1": D(10), "A-2": D(20), "A-3": D(30)})
    assert (water.main_consumption, water.loss, water.loss_percent) == (D(80), D(20), D(25))
    assert water.unit_price == D(5)
    assert [water.lines[k].amount for k in ("A-1", "A-2", "A-3")] == [
        D("76.67"),
        D("133.33"),
        D("190.00"),
    ]
    assert water.lines["A-1"].steps == [
        ca.Step(
            ca.STEP_WATER,
            {
                "used": D(10),
                "price": D("5.0000"),
                "part": D("50.00"),
                "loss": D("5.3333"),
                "loss_part": D("26.67"),
            },
        )
    ]


def test_hot_water_formula_part_and_the_heating_taking_the_rest():
    # By = 1.20 · 10,000 l · 50 / 10,000 kcal = 60 fuel units · 2.50 = 150.00, by the
    # hot-water meters 2 : 3 : 5; the heating takes the rest, 850.00.
    hot = ca.Part(
        "hot",
        ca.HOT_WATER_FORMULA,
        meter_kind="hot_water",
        hot_water=ca.HotWater(temperature=D(60), heating_value=D(10000), fuel_price=D("2.5")),
    )
    heat = ca.Part("heat", ca.TR_HEAT, takes_rest=True, meter_kind="hca")
    consumption = {
        "hot_water": {"A-1": D(2), "A-2": D(3), "A-3": D(5)},
        "hca": {"A-1": D(600), "A-2": D(840), "A-3": D(1080)},
    }
    result = ca.allocate(D(1000), [hot, heat], three_flats(), consumption, {})
    water, heating = result.parts
    assert (water.amount, water.fuel, water.hot_water_percent) == (D("150.00"), D(60), None)
    assert water.unit_price == D(15)
    assert [water.lines[k].amount for k in ("A-1", "A-2", "A-3")] == [D(30), D(45), D(75)]
    assert water.lines["A-1"].steps == [
        ca.Step(ca.STEP_HOT_WATER, {"used": D(2), "price": D(15), "share": D(30)})
    ]
    assert heating.amount == D("850.00")


def test_tariff_part_charges_each_unit_with_its_steps():
    blocks = [
        tariffs.Block(D(10), D(5)),
        tariffs.Block(D(20), D("7.5")),
        tariffs.Block(D(0), D(10)),
    ]
    used = {"A-1": D(2), "A-2": D(12), "A-3": D(25)}
    charges = tariffs.apply_to_units(used, blocks, D(20), D(60), D(8))
    part = ca.Part("village", ca.TARIFF, meter_kind="cold_water", tariff_charges=charges)
    result = ca.allocate(D(0), [part], three_flats(), {"cold_water": used}, {})
    village = result.parts[0]
    assert [village.lines[k].amount for k in ("A-1", "A-2", "A-3")] == [
        D("64.80"),
        D("91.80"),
        D("210.60"),
    ]
    assert village.amount == D("367.20")
    assert result.total == D(0)  # a tariff is not a bill's part
    assert codes(village.lines["A-1"]) == [
        ca.STEP_TARIFF_BLOCK,
        ca.STEP_TARIFF_FEE,
        ca.STEP_TARIFF_MINIMUM,
        ca.STEP_TARIFF_TAX,
        ca.STEP_TARIFF_TOTAL,
    ]
    assert village.lines["A-1"].steps[2].values == {"topup": D("30.00")}
    assert village.lines["A-3"].area_amount == D("35.60")  # fee 20 + tax 15.60


def test_estimated_units_and_the_allocation_wide_share():
    part = ca.Part("heat", ca.TR_HEAT, D(1000), meter_kind="hca")
    used = {"A-1": D(900), "A-2": D(1100), "A-3": D(100)}
    result = ca.allocate(D(1000), [part], three_flats(), {"hca": used}, {"hca": {"A-3"}})
    heat = result.parts[0]
    assert heat.estimated_area_share == D(40)
    assert result.estimated_area.exceeded
    assert heat.lines["A-3"].estimated and not heat.lines["A-1"].estimated
    assert codes(heat.lines["A-3"])[-1] == ca.STEP_ESTIMATED


def test_a_part_the_engines_refuse_names_the_part():
    part = ca.Part(
        "water", ca.WATER_LOSS, D(100), "Water", meter_kind="cold_water", main_consumption=D(5)
    )
    with pytest.raises(ca.CostAllocationError) as error:
        ca.allocate(D(100), [part], three_flats(), {"cold_water": {"A-1": D(10)}}, {})
    assert error.value.code == ca.PART_FAILED
    assert error.value.params["part"] == "water"
    assert "more than the main meter" in error.value.params["error"]
    hot = ca.Part("hot", ca.HOT_WATER_FORMULA, hot_water=ca.HotWater(heating_value=D(0)))
    with pytest.raises(ca.CostAllocationError) as error:
        ca.allocate(D(100), [hot], three_flats(), {}, {})
    assert error.value.params["part"] == "hot"
    with pytest.raises(ca.CostAllocationError, match="All weights are zero"):
        ca.allocate(
            D(100), [ca.Part("k", ca.KEY, D(100), weights={"A-1": 0})], [ca.Unit("A-1", 0)], {}, {}
        )


# --- posting at a change of occupant ----------------------------------------------------


def test_posting_split_measured_and_by_days_per_charge_type():
    shares = [
        # Heating: 560 by consumption (follows the readings) + 160 by area (by days).
        ca.Share("A-1", "HEAT", D(720), D(560), ca.TR_HEAT, "hca"),
        ca.Share("A-2", "HEAT", D(300), D(0), ca.TR_HEAT, "hca", estimated=True),
        # A key part never follows readings, a meter kind or not.
        ca.Share("A-1", "ELEC", D(70), D(0), ca.KEY, "electricity"),
        # Tariff: the consumption amount follows readings, fees and tax by days.
        ca.Share("A-1", "WATER", D("64.80"), D("10.00"), ca.TARIFF, "cold_water"),
        # Without a meter kind, nothing to follow.
        ca.Share("A-2", "WATER", D(50), D(50), ca.WATER_LOSS, None),
    ]
    splits = ca.posting_split(shares)
    assert list(splits) == ["HEAT", "ELEC", "WATER"]
    heat = splits["HEAT"]
    assert heat.by_reading == {"A-1": D(560)}  # A-2's zero is left out
    assert heat.by_days == {"A-1": D(160), "A-2": D(300)}
    assert (heat.kinds, heat.estimated) == ({"hca"}, {"A-2"})
    assert splits["ELEC"].by_reading == {} and splits["ELEC"].kinds == set()
    assert splits["WATER"].by_reading == {"A-1": D(10)}
    assert splits["WATER"].by_days == {"A-1": D("54.80"), "A-2": D(50)}


def test_occupant_consumption_from_the_reading_of_the_change_date():
    # DOMAIN §4: a tenant moves in on 6 December; the flat's two allocators read 600 of
    # the period's 800 units that day.
    segments = [
        (datetime.date(2025, 11, 21), datetime.date(2025, 12, 5)),
        (datetime.date(2025, 12, 6), DEC),
    ]
    daily = [
        (DEC, D(120)),
        (datetime.date(2025, 12, 6), D(400)),
        (datetime.date(2025, 12, 6), D(200)),
        (DEC, D(80)),
    ]
    assert ca.reading_series(daily) == [(datetime.date(2025, 12, 6), D(600)), (DEC, D(800))]
    assert ca.occupant_consumption(daily, segments) == [D(600), D(200)]
    # No reading near the change date: the caller splits by days.
    assert ca.occupant_consumption([(DEC, D(800))], segments) is None
    assert ca.occupant_consumption([], segments[:1]) == [D(0)]
