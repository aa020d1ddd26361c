"""Heat-cost sharing: the Turkish regulation, with the German rules for comparison.

Turkey (Resmî Gazete 14.04.2008 no. 26847, art. 8(1)): of the building's heating
cost M, ``consumption_share`` (70 %) is shared by measured consumption,
P1 = share · M · S / St, and the rest by closed area, P2 = (1 − share) · M · A / At
(or equally per unit, as some billing firms do: the key is selectable).

The 15 °C minimum ("ceza"): qt = St / At is the building's average consumption per m²,
qR = qt · f with f the regional monthly factor of the regulation's Annex 2. A unit whose
S / A is below qR is billed SR = qR · A instead of S, and the consumption part is shared
over the revised total StR (so the consumption price becomes share · M / StR).

Money: M is rounded to ``digits`` first; the consumption part is share · M rounded, the
area part is the rest, and each is split with the largest-remainder method, so the units'
totals add up to M exactly. The intermediate quantities (qt, qR, SR) are kept as exact
fractions; only what is shown is rounded.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from odoo.addons.site_residents.engine.money import (
    fraction_half_up,
    round_half_up,
    split,
    to_decimal,
)

AREA = "area"
EQUAL = "equal"

#: Germany, Heizkostenverordnung §7(1): 50–70 % by consumption.
MIN_CONSUMPTION_SHARE = Decimal("0.50")
MAX_CONSUMPTION_SHARE = Decimal("0.70")
#: Turkey, art. 8(1): 70 % by consumption.
TURKISH_CONSUMPTION_SHARE = Decimal("0.70")

#: Turkish hot-water fuel formula, By = 1.20 · V · (tw − 10) / Hu: 1.20 kcal per litre and
#: kelvin (water's 1.0 and 20 % losses), V in litres, Hu in kcal per fuel unit.
HOT_WATER_FUEL_FACTOR = Decimal("1.20")
LITRES_PER_M3 = 1000
#: German §9(2): 2.5 kWh/(m³·K) · V · (tw − 10 °C), ÷ 1.15 for district heat.
GERMAN_HOT_WATER_FACTOR = Decimal("2.5")
DISTRICT_HEAT_DIVISOR = Decimal("1.15")
COLD_WATER_TEMPERATURE = Decimal(10)


class HeatError(ValueError):
    """Input a heat-cost split cannot be made from; the message says what is wrong."""


@dataclass(frozen=True)
class HeatUnit:
    """One unit (flat, shop) of the building: closed area A (m²), consumption S."""

    key: object
    area: Decimal
    consumption: Decimal


@dataclass(frozen=True)
class HeatUnitResult:
    key: object
    area: Decimal
    consumption: Decimal  # S, as measured
    billed_consumption: Decimal  # SR if raised, else S (rounded to 4 decimals for display)
    raised: bool  # raised to the minimum: a "penalised" unit
    consumption_part: Decimal  # P1
    area_part: Decimal  # P2
    total: Decimal  # P = P1 + P2


@dataclass(frozen=True)
class HeatResult:
    total: Decimal  # M, rounded to the digits
    consumption_total: Decimal  # share · M
    area_total: Decimal  # M − share · M
    consumption_share: Decimal
    area_key: str
    total_consumption: Decimal  # St
    billed_total_consumption: Decimal  # StR (= St when nobody is raised), 4 decimals
    unit_price: Decimal  # consumption_total / StR, 4 decimals (TL/kWh)
    area_price: Decimal  # per m² (area key, 4 decimals) or per unit (equal, digits)
    minimum_per_m2: Decimal | None  # qR, 4 decimals; None without a minimum factor
    units: list

    def by_key(self):
        return {unit.key: unit for unit in self.units}

    @property
    def raised_keys(self):
        return [unit.key for unit in self.units if unit.raised]


def check_units(units, error=HeatError, what="the heating cost"):
    """Refuse no units, a unit given twice, a negative area or consumption (raising
    ``error``); the units have ``key``, ``area`` and ``consumption``."""
    if not units:
        raise error(f"No units to share {what} over.")
    seen = set()
    for unit in units:
        if unit.key in seen:
            raise error(f"Unit {unit.key!r} is given twice.")
        seen.add(unit.key)
        if to_decimal(unit.area) < 0:
            raise error(f"The area of {unit.key!r} is negative: {unit.area!r}.")
        if to_decimal(unit.consumption) < 0:
            raise error(f"The consumption of {unit.key!r} is negative: {unit.consumption!r}.")


def consumption_share_allowed(share):
    """Whether ``share`` of the cost may go by consumption: 50–70 % (the Turkish 70 % in)."""
    return MIN_CONSUMPTION_SHARE <= to_decimal(share) <= MAX_CONSUMPTION_SHARE


def split_heating(
    total,
    units,
    consumption_share=TURKISH_CONSUMPTION_SHARE,
    area_key=AREA,
    minimum_factor=None,
    digits=2,
    area_weights=None,
):
    """Share the heating cost ``total`` (M) over ``units`` (``HeatUnit``).

    ``consumption_share``: the part shared by consumption, 0.50–0.70 (Turkey: 0.70).
    ``area_key``: ``"area"`` (the regulation: by closed area) or ``"equal"`` (per unit).
    ``minimum_factor``: f of the 15 °C minimum; ``None`` applies no minimum.
    ``area_weights``: {unit key: weight} to share the non-consumption part by another
    key the site decides (heated area, volume, persons, land share); ``area_key`` then
    only names it. The minimum still compares consumption per m² of closed area.
    """
    share = to_decimal(consumption_share)
    if not consumption_share_allowed(share):
        raise HeatError(
            f"The consumption share must be between {MIN_CONSUMPTION_SHARE} and "
            f"{MAX_CONSUMPTION_SHARE}, not {consumption_share!r}."
        )
    if area_weights is None and area_key not in (AREA, EQUAL):
        raise HeatError(f"Unknown area key {area_key!r}: use {AREA!r} or {EQUAL!r}.")
    units = list(units)
    check_units(units)
    total = round_half_up(total, digits)
    consumption_total = round_half_up(total * share, digits)
    area_total = total - consumption_total

    areas = {unit.key: Fraction(to_decimal(unit.area)) for unit in units}
    measured = {unit.key: Fraction(to_decimal(unit.consumption)) for unit in units}
    whole_area = sum(areas.values())
    whole_consumption = sum(measured.values())
    if not whole_consumption:
        raise HeatError("No unit has any consumption: the consumption part cannot be shared.")

    billed = dict(measured)
    minimum = None
    if minimum_factor is not None:
        factor = to_decimal(minimum_factor)
        if factor < 0:
            raise HeatError(f"The minimum factor is negative: {minimum_factor!r}.")
        if not whole_area:
            raise HeatError("The units have no area: the minimum per m² cannot be computed.")
        minimum = whole_consumption / whole_area * Fraction(factor)  # qR = qt · f
        for key, area in areas.items():
            # S / A < qR, i.e. S < qR · A (a unit without area is never raised).
            if area and measured[key] < minimum * area:
                billed[key] = minimum * area
    billed_total = sum(billed.values())

    consumption_parts = split(consumption_total, billed, digits)
    if area_weights is not None:
        weights = {unit.key: Fraction(to_decimal(area_weights.get(unit.key, 0))) for unit in units}
        if not sum(weights.values()):
            raise HeatError(f"No unit has any {area_key!r}: the rest cannot be shared by it.")
        area_parts = split(area_total, weights, digits)
        area_price = fraction_half_up(Fraction(area_total) / sum(weights.values()), 4)
    elif area_key == AREA:
        if not whole_area:
            raise HeatError("The units have no area: the area part cannot be shared by area.")
        area_parts = split(area_total, areas, digits)
        area_price = fraction_half_up(Fraction(area_total) / whole_area, 4)
    else:
        area_parts = split(area_total, {unit.key: 1 for unit in units}, digits)
        area_price = fraction_half_up(Fraction(area_total) / len(units), digits)

    results = [
        HeatUnitResult(
            key=unit.key,
            area=to_decimal(unit.area),
            consumption=to_decimal(unit.consumption),
            billed_consumption=fraction_half_up(billed[unit.key], 4),
            raised=billed[unit.key] != measured[unit.key],
            consumption_part=consumption_parts[unit.key],
            area_part=area_parts[unit.key],
            total=consumption_parts[unit.key] + area_parts[unit.key],
        )
        for unit in units
    ]
    return HeatResult(
        total=total,
        consumption_total=consumption_total,
        area_total=area_total,
        consumption_share=share,
        area_key=area_key,
        total_consumption=sum((to_decimal(unit.consumption) for unit in units), Decimal(0)),
        billed_total_consumption=fraction_half_up(billed_total, 4),
        unit_price=fraction_half_up(Fraction(consumption_total) / billed_total, 4),
        area_price=area_price,
        minimum_per_m2=None if minimum is None else fraction_half_up(minimum, 4),
        units=results,
    )


def split_hot_water(total, volumes, digits=2):
    """Share the hot-water cost by each unit's hot-water meter (m³), exactly."""
    return split(total, volumes, digits)


@dataclass(frozen=True)
class HotWaterFuel:
    fuel: Decimal  # By, in the fuel's unit (m³ of gas, kg, l), 4 decimals
    cost: Decimal  # By · F, rounded to the digits


def hot_water_fuel(volume_m3, temp_c, heating_value_kcal, fuel_price, digits=2):
    """Turkish formula: fuel By = 1.20 · V · (tw − 10) / Hu, cost = By · F.

    ``volume_m3`` is converted to litres, the unit of the 1.20 kcal/(l·K) factor;
    ``heating_value_kcal`` (Hu) is the fuel's lower heating value in kcal per fuel unit
    (natural gas 8,250 kcal/m³, fuel oil 9,700 kcal/kg), so By comes out in fuel units
    and F is the price of one. The cost is computed from the unrounded fuel quantity,
    then rounded half up.
    """
    volume = to_decimal(volume_m3)
    heating_value = to_decimal(heating_value_kcal)
    if volume < 0:
        raise HeatError(f"The hot-water volume is negative: {volume_m3!r}.")
    if heating_value <= 0:
        raise HeatError(f"The heating value must be positive, not {heating_value!r}.")
    rise = to_decimal(temp_c) - COLD_WATER_TEMPERATURE
    if rise < 0:
        raise HeatError(f"The hot-water temperature {temp_c!r} °C is below 10 °C.")
    litres = volume * LITRES_PER_M3
    fuel = Fraction(HOT_WATER_FUEL_FACTOR * litres * rise) / Fraction(heating_value)
    cost = fuel * Fraction(to_decimal(fuel_price))
    return HotWaterFuel(fuel=fraction_half_up(fuel, 4), cost=fraction_half_up(cost, digits))


def german_hot_water_heat(volume_m3, temp_c, district=False, digits=2):
    """German §9(2) HeizkostenV: Q = 2.5 kWh/(m³·K) · V · (tw − 10 °C), in kWh.

    Divided by 1.15 for district heat; rounded half up to ``digits`` decimals.
    """
    volume = to_decimal(volume_m3)
    if volume < 0:
        raise HeatError(f"The hot-water volume is negative: {volume_m3!r}.")
    rise = to_decimal(temp_c) - COLD_WATER_TEMPERATURE
    if rise < 0:
        raise HeatError(f"The hot-water temperature {temp_c!r} °C is below 10 °C.")
    heat = Fraction(GERMAN_HOT_WATER_FACTOR * volume * rise)
    if district:
        heat /= Fraction(DISTRICT_HEAT_DIVISOR)
    return fraction_half_up(heat, digits)


@dataclass(frozen=True)
class HotWaterShare:
    percent: Decimal  # hot-water heat / total energy, in %, 2 decimals
    hot_water_cost: Decimal
    heating_cost: Decimal  # the rest of the total cost


def german_hot_water_cost(total_cost, total_energy, hot_water_heat, digits=2):
    """The hot-water part of the fuel cost (German practice): a rounded percentage first.

    The share is hot_water_heat / total_energy, expressed in % and rounded to 2 decimals
    as the statement prints it (5,900 / 34,000 kWh = 17.35 %); the cost is
    total_cost · 17.35 % rounded half up (3,253.50 € · 0.1735 = 564.48225 → 564.48 €).
    That is the published example's figure: the unrounded ratio would give 564.58 €.
    The heating cost is the rest, so both add up to the total exactly.
    """
    total_cost = round_half_up(total_cost, digits)
    total_energy = to_decimal(total_energy)
    if total_energy <= 0:
        raise HeatError(f"The total energy must be positive, not {total_energy!r}.")
    heat = to_decimal(hot_water_heat)
    if not 0 <= heat <= total_energy:
        raise HeatError(f"The hot-water heat {hot_water_heat!r} is not within the total energy.")
    percent = fraction_half_up(Fraction(heat) * 100 / Fraction(total_energy), 2)
    hot_water_cost = round_half_up(total_cost * percent / 100, digits)
    return HotWaterShare(
        percent=percent, hot_water_cost=hot_water_cost, heating_cost=total_cost - hot_water_cost
    )
