"""Cost allocation: a bill's parts, what each part shares, and every unit's share of it.

A bill (heating, hot water, water, electricity...) is cut into parts, and each part is
shared over the units by its method. ``heat``, ``water`` and ``tariffs`` do the
arithmetic of their methods; this module owns the rules around them:

- the parts' amounts (``resolve_amounts``): one part may take the rest of the bill,
  otherwise the parts must add up to it;
- the hot-water part's amount (``hot_water_amount``): the Turkish fuel formula or the
  German heat share, over the volume given or the units' hot-water meters;
- the 25 % rule (``estimated_area``, HeizkostenV §9a): per consumption part, the share of
  the area whose consumption includes an estimate; above the site's limit the
  consumption parts may be billed by area only;
- every unit's share of a part (``split_part``), with the steps of its computation: a
  step is a code and its numbers (``Step``), which the caller words in the reader's
  language for the expense notice;
- ``allocate``: all of that for one bill;
- at posting (DOMAIN §4, a change of occupant inside the period): per charge type, the
  part of each unit's share measured by its meters, which follows the reading nearest
  the change date, and the rest, which goes by days (``posting_split``); the
  consumption of each occupant's days from the readings (``occupant_consumption``).

Money is ``Decimal`` rounded half up to the currency's digits
(``site_residents.engine.money``); the shares of a part add up to it to the cent.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal

from odoo.addons.site_residents.engine.money import (
    AllocationError,
    round_half_up,
    split,
    to_decimal,
)

from . import heat, readings, tariffs, water

# Methods of a part.
TR_HEAT = "tr_heat"
CONSUMPTION_SHARE = "consumption_share"
WATER_LOSS = "water_loss"
KEY = "key"
TARIFF = "tariff"
HOT_WATER_FORMULA = "hot_water_formula"
HEAT_METHODS = (TR_HEAT, CONSUMPTION_SHARE)
#: Methods sharing their amount by measured consumption: the 25 % rule applies to them.
CONSUMPTION_METHODS = (TR_HEAT, CONSUMPTION_SHARE, WATER_LOSS, HOT_WATER_FORMULA)
#: Methods whose consumption amount follows the readings at a change of occupant.
MEASURED_METHODS = (*CONSUMPTION_METHODS, TARIFF)

# Keys sharing a key part, or the rest of a heating part.
AREA_KEY = heat.AREA
EQUAL_KEY = heat.EQUAL

# Hot-water rules.
TURKISH_HOT_WATER = "tr"
GERMAN_HOT_WATER = "de"

# Steps of a unit's computation, with the numbers each carries.
STEP_KEY_SHARE = "key_share"  # key, weight, whole, amount, share
STEP_AREA_ONLY = "area_only"  # -
STEP_RAISED = "raised"  # used, minimum, area
STEP_CONSUMPTION = "consumption"  # used, price, part
STEP_EQUAL_SHARE = "equal_share"  # part
STEP_AREA_SHARE = "area_share"  # area, price, part
STEP_KEY_REST = "key_rest"  # key, weight, price, part
STEP_WATER = "water"  # used, price, part, loss, loss_part
STEP_HOT_WATER = "hot_water"  # used, price, share
STEP_TARIFF_BLOCK = "tariff_block"  # quantity, price, amount
STEP_TARIFF_FEE = "tariff_fee"  # fee
STEP_TARIFF_MINIMUM = "tariff_minimum"  # topup
STEP_TARIFF_TAX = "tariff_tax"  # tax
STEP_TARIFF_TOTAL = "tariff_total"  # total
STEP_ESTIMATED = "estimated"  # -

# Errors, with the numbers each carries.
SEVERAL_RESTS = "several_rests"  # parts (names)
NOTHING_LEFT = "nothing_left"  # others, total, part (name)
PARTS_MISMATCH = "parts_mismatch"  # parts, total
PART_FAILED = "part_failed"  # part (key), error (the engine's message)


class CostAllocationError(ValueError):
    """A bill that cannot be allocated: ``code`` says why, ``params`` with what numbers."""

    def __init__(self, code, message, **params):
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Step:
    """One step of a unit's computation: a code (STEP_*) and its numbers."""

    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Unit:
    key: object
    area: Decimal  # closed area, m²


@dataclass(frozen=True)
class HotWater:
    """The inputs of a hot-water part's amount."""

    rule: str = TURKISH_HOT_WATER
    volume: Decimal = Decimal(0)  # m³; 0: the sum of the units' hot-water meters
    temperature: Decimal = Decimal(60)  # tw, °C
    heating_value: Decimal = Decimal(0)  # Turkish: Hu, kcal per fuel unit
    fuel_price: Decimal = Decimal(0)  # Turkish: F, per fuel unit
    total_energy: Decimal = Decimal(0)  # German: the whole bill's energy, kWh
    district: bool = False  # German: district heat (÷ 1.15)


@dataclass(frozen=True)
class Part:
    """One part of a bill and how it is shared."""

    key: object
    method: str
    amount: Decimal = Decimal(0)
    name: str = ""
    takes_rest: bool = False
    meter_kind: str | None = None
    area_key: str = AREA_KEY
    consumption_share: Decimal = heat.TURKISH_CONSUMPTION_SHARE
    minimum_factor: Decimal | None = None  # f of the 15 °C minimum; None: no minimum
    loss_key: str = water.CONSUMPTION
    weights: dict | None = None  # {unit key: weight} of the key ``weights_key`` names
    main_consumption: Decimal | None = None  # water loss: the main meters' consumption
    tariff_charges: dict | None = None  # tariff: {unit key: tariffs.TariffCharge}
    hot_water: HotWater | None = None


@dataclass
class LineResult:
    """One unit's share of one part."""

    consumption: Decimal = Decimal(0)
    billed_consumption: Decimal = Decimal(0)
    raised: bool = False  # raised to the minimum heating: "penalised"
    estimated: bool = False  # the consumption includes an estimated reading
    consumption_amount: Decimal = Decimal(0)
    area_amount: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    steps: list = field(default_factory=list)


@dataclass
class PartResult:
    key: object
    amount: Decimal  # what the part shared
    consumption_total: Decimal = Decimal(0)
    billed_consumption_total: Decimal = Decimal(0)
    unit_price: Decimal = Decimal(0)
    area_price: Decimal = Decimal(0)
    main_consumption: Decimal = Decimal(0)
    loss: Decimal = Decimal(0)
    loss_percent: Decimal = Decimal(0)
    minimum_per_m2: Decimal = Decimal(0)
    fuel: Decimal | None = None  # hot water: By (Turkish) or the heat in kWh (German)
    hot_water_percent: Decimal | None = None  # hot water, German rule
    estimated_area_share: Decimal | None = None  # consumption parts: % of the area
    lines: dict = field(default_factory=dict)  # {unit key: LineResult}


@dataclass(frozen=True)
class HotWaterAmount:
    amount: Decimal
    fuel: Decimal  # By in fuel units (Turkish) or the hot water's heat in kWh (German)
    percent: Decimal | None  # German: the hot water's share of the energy, %


@dataclass(frozen=True)
class EstimatedArea:
    shares: dict  # {part key: % of the area estimated}
    top: Decimal  # the largest, %
    exceeded: bool  # above the limit: the consumption parts may be billed by area only


@dataclass(frozen=True)
class AllocationResult:
    total: Decimal  # the bill: the parts' sum when the bill had no amount
    parts: list  # PartResult, in the order of the parts given
    estimated_area: EstimatedArea
    penalised: frozenset  # unit keys raised to the minimum in any part


@dataclass(frozen=True)
class Share:
    """One computed share as posting reads it."""

    unit: object
    charge: object  # the charge type it is posted as
    amount: Decimal
    consumption_amount: Decimal = Decimal(0)
    method: str = KEY
    meter_kind: str | None = None
    estimated: bool = False


@dataclass
class ChargeSplit:
    """A charge type's amounts per unit at posting."""

    by_reading: dict = field(default_factory=dict)  # {unit: measured amount}
    by_days: dict = field(default_factory=dict)  # {unit: the rest}
    kinds: set = field(default_factory=set)  # the meter kinds the measured amounts follow
    estimated: set = field(default_factory=set)  # units whose consumption was estimated


def billed_months(date_from, date_to):
    """Calendar months from ``date_from`` to ``date_to``, at least one: a tariff's limits
    and monthly fee count that many times."""
    months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month
    return max(months, 1)


def weights_key(method, area_key, area_only=False):
    """The key whose weights a part needs (``Part.weights``), or None.

    ``area_only``: the allocation bills the consumption parts by closed area only.
    """
    if area_only and method in CONSUMPTION_METHODS:
        return AREA_KEY
    if method == KEY:
        return area_key
    if method in HEAT_METHODS and area_key not in (AREA_KEY, EQUAL_KEY):
        return area_key
    return None


def exceeds_estimate_limit(share_percent, limit_percent):
    """Whether ``share_percent`` of the area estimated is above the site's limit (in %)."""
    return readings.bill_by_area_only(
        to_decimal(share_percent) / 100, to_decimal(limit_percent) / 100
    )


def estimated_area(areas, estimated_by_part, limit_percent):
    """The 25 % rule per consumption part.

    ``areas``: {unit key: area}; ``estimated_by_part``: {part key: unit keys whose
    consumption includes an estimate}; ``limit_percent``: the site's limit (25).
    """
    shares = {}
    for key, estimated in estimated_by_part.items():
        try:
            share = readings.estimated_area_share(areas, estimated)
        except readings.ReadingError:  # units without area: nothing to compare
            share = Decimal(0)
        shares[key] = share * 100
    top = max(shares.values(), default=Decimal(0))
    return EstimatedArea(shares, top, exceeds_estimate_limit(top, limit_percent))


def hot_water_amount(hot_water, metered, bill_total, digits=2):
    """The hot-water part's amount; ``metered``: {unit key: m³ of its hot-water meters},
    summed when no volume is given; ``bill_total``: the bill the German share is of."""
    volume = to_decimal(hot_water.volume) or sum(map(to_decimal, metered.values()), Decimal(0))
    if hot_water.rule == GERMAN_HOT_WATER:
        kwh = heat.german_hot_water_heat(volume, hot_water.temperature, hot_water.district, digits)
        share = heat.german_hot_water_cost(bill_total, hot_water.total_energy, kwh, digits)
        return HotWaterAmount(share.hot_water_cost, kwh, share.percent)
    fuel = heat.hot_water_fuel(
        volume, hot_water.temperature, hot_water.heating_value, hot_water.fuel_price, digits
    )
    return HotWaterAmount(fuel.cost, fuel.fuel, None)


def resolve_amounts(total, parts, digits=2):
    """(bill total, {part key: amount}): the part that takes the rest gets what the other
    parts leave of the bill; without one, the parts must add up to the bill, and a bill
    without an amount becomes their sum. Tariff parts charge their units' consumption
    and are not part of the bill."""
    total = to_decimal(total)
    shared = [part for part in parts if part.method != TARIFF]
    rest = [part for part in shared if part.takes_rest]
    amounts = {part.key: to_decimal(part.amount) for part in parts}
    if len(rest) > 1:
        names = [part.name for part in rest]
        raise CostAllocationError(
            SEVERAL_RESTS,
            f"Only one part can take the rest of the bill (now {', '.join(names)}).",
            parts=names,
        )
    others = sum((amounts[part.key] for part in shared if not part.takes_rest), Decimal(0))
    if rest:
        if others > total:
            raise CostAllocationError(
                NOTHING_LEFT,
                f"The other parts come to {others}, more than the bill's {total}.",
                others=others,
                total=total,
                part=rest[0].name,
            )
        amounts[rest[0].key] = total - others
    elif shared and not total:
        total = others
    elif shared and round_half_up(others, digits) != round_half_up(total, digits):
        raise CostAllocationError(
            PARTS_MISMATCH,
            f"The parts come to {others} but the bill is {total}.",
            parts=others,
            total=total,
        )
    return total, amounts


def split_part(part, units, used, digits=2, area_only=False, estimated=()):
    """A ``PartResult`` with every unit's ``LineResult``.

    ``units``: [Unit]; ``used``: {unit key: consumption} of the part's meter kind;
    ``area_only``: bill a consumption part by closed area only; ``estimated``: the unit
    keys whose consumption includes an estimate.
    """
    amount = to_decimal(part.amount)
    result = PartResult(
        key=part.key,
        amount=amount,
        consumption_total=sum(map(to_decimal, used.values()), Decimal(0)),
    )
    for unit in units:
        consumption = to_decimal(used.get(unit.key, 0))
        result.lines[unit.key] = LineResult(consumption=consumption, billed_consumption=consumption)
    by_area = area_only and part.method in CONSUMPTION_METHODS
    if part.method == KEY or by_area:
        key = weights_key(part.method, part.area_key, by_area)
        _split_by_key(result, part.weights, key, by_area, digits)
    elif part.method in HEAT_METHODS:
        _split_heating(result, part, units, used, digits)
    elif part.method == WATER_LOSS:
        _split_water(result, part, units, used, digits)
    elif part.method == HOT_WATER_FORMULA:
        _split_hot_water(result, units, used, digits)
    elif part.method == TARIFF:
        _apply_tariff(result, part.tariff_charges, units)
    else:
        raise CostAllocationError(PART_FAILED, f"Unknown method {part.method!r}.", part=part.key)
    if part.method != KEY:
        for key in estimated:
            line = result.lines.get(key)
            if line is not None:
                line.estimated = True
                line.steps.append(Step(STEP_ESTIMATED))
    return result


def _split_by_key(result, weights, key, area_only, digits):
    amount = result.amount
    parts = split(amount, weights, digits)
    whole = sum(map(to_decimal, weights.values()), Decimal(0))
    for unit_key, line in result.lines.items():
        line.area_amount = line.amount = parts[unit_key]
        line.steps.append(
            Step(
                STEP_KEY_SHARE,
                {
                    "key": key,
                    "weight": weights[unit_key],
                    "whole": whole,
                    "amount": amount,
                    "share": parts[unit_key],
                },
            )
        )
        if area_only:
            line.steps.append(Step(STEP_AREA_ONLY))
    if whole:
        result.area_price = amount / whole


def _split_heating(result, part, units, used, digits):
    key = part.area_key
    heating = heat.split_heating(
        result.amount,
        [heat.HeatUnit(unit.key, unit.area, used.get(unit.key, Decimal(0))) for unit in units],
        consumption_share=part.consumption_share,
        area_key=key,
        minimum_factor=part.minimum_factor,
        digits=digits,
        area_weights=part.weights if weights_key(part.method, key) else None,
    )
    result.billed_consumption_total = heating.billed_total_consumption
    result.unit_price = heating.unit_price
    result.area_price = heating.area_price
    result.minimum_per_m2 = heating.minimum_per_m2 or Decimal(0)
    for unit in heating.units:
        line = result.lines[unit.key]
        line.billed_consumption = unit.billed_consumption
        line.raised = unit.raised
        line.consumption_amount = unit.consumption_part
        line.area_amount = unit.area_part
        line.amount = unit.total
        if unit.raised:
            line.steps.append(
                Step(
                    STEP_RAISED,
                    {
                        "used": unit.consumption,
                        "minimum": heating.minimum_per_m2,
                        "area": unit.area,
                    },
                )
            )
        line.steps.append(
            Step(
                STEP_CONSUMPTION,
                {
                    "used": unit.billed_consumption,
                    "price": heating.unit_price,
                    "part": unit.consumption_part,
                },
            )
        )
        if key == EQUAL_KEY:
            line.steps.append(Step(STEP_EQUAL_SHARE, {"part": unit.area_part}))
        elif key == AREA_KEY:
            line.steps.append(
                Step(
                    STEP_AREA_SHARE,
                    {"area": unit.area, "price": heating.area_price, "part": unit.area_part},
                )
            )
        else:
            line.steps.append(
                Step(
                    STEP_KEY_REST,
                    {
                        "key": key,
                        "weight": part.weights[unit.key],
                        "price": heating.area_price,
                        "part": unit.area_part,
                    },
                )
            )


def _split_water(result, part, units, used, digits):
    bill = water.split_water(
        result.amount,
        [water.WaterUnit(unit.key, used.get(unit.key, Decimal(0)), unit.area) for unit in units],
        main_consumption=part.main_consumption,
        loss_key=part.loss_key or water.CONSUMPTION,
        digits=digits,
    )
    result.main_consumption = to_decimal(part.main_consumption or 0)
    result.billed_consumption_total = bill.units_consumption
    result.unit_price = bill.unit_price
    result.loss = bill.loss
    result.loss_percent = bill.loss_percent
    for unit in bill.units:
        line = result.lines[unit.key]
        line.billed_consumption = unit.consumption
        line.consumption_amount = unit.consumption_part
        line.area_amount = unit.loss_part
        line.amount = unit.total
        line.steps.append(
            Step(
                STEP_WATER,
                {
                    "used": unit.consumption,
                    "price": bill.unit_price,
                    "part": unit.consumption_part,
                    "loss": unit.loss_quantity,
                    "loss_part": unit.loss_part,
                },
            )
        )


def _split_hot_water(result, units, used, digits):
    volumes = {unit.key: to_decimal(used.get(unit.key, 0)) for unit in units}
    parts = heat.split_hot_water(result.amount, volumes, digits)
    whole = sum(volumes.values(), Decimal(0))
    price = result.amount / whole if whole else Decimal(0)
    result.unit_price = price
    result.billed_consumption_total = whole
    for key, line in result.lines.items():
        line.consumption_amount = line.amount = parts[key]
        line.steps.append(
            Step(STEP_HOT_WATER, {"used": line.consumption, "price": price, "share": parts[key]})
        )


def _apply_tariff(result, charges, units):
    total = Decimal(0)
    for unit in units:
        charge = charges[unit.key]
        line = result.lines[unit.key]
        line.consumption_amount = charge.consumption_amount
        line.area_amount = charge.fixed_fee + charge.minimum_topup + charge.tax
        line.amount = charge.total
        total += charge.total
        line.steps += [
            Step(
                STEP_TARIFF_BLOCK,
                {"quantity": block.quantity, "price": block.price, "amount": block.amount},
            )
            for block in charge.blocks
        ]
        line.steps.append(Step(STEP_TARIFF_FEE, {"fee": charge.fixed_fee}))
        if charge.minimum_topup:
            line.steps.append(Step(STEP_TARIFF_MINIMUM, {"topup": charge.minimum_topup}))
        if charge.tax:
            line.steps.append(Step(STEP_TARIFF_TAX, {"tax": charge.tax}))
        line.steps.append(Step(STEP_TARIFF_TOTAL, {"total": charge.total}))
    result.amount = total
    result.billed_consumption_total = result.consumption_total


def _part_failed(part, error):
    return CostAllocationError(
        PART_FAILED, f"Part {part.name}: {error}", part=part.key, error=str(error)
    )


def allocate(
    total,
    parts,
    units,
    consumption,
    estimated,
    digits=2,
    area_only=False,
    estimate_limit=readings.ESTIMATED_AREA_LIMIT * 100,
):
    """Share a bill: its parts' amounts, then every unit's share of every part.

    ``parts``: [Part] in their order; ``units``: [Unit]; ``consumption``: {meter kind:
    {unit key: consumption}}; ``estimated``: {meter kind: unit keys whose consumption
    includes an estimate}; ``area_only``: bill the consumption parts by closed area only;
    ``estimate_limit``: the site's limit of the estimated area, in %.
    """
    areas = {unit.key: to_decimal(unit.area) for unit in units}
    estimate = estimated_area(
        areas,
        {
            part.key: estimated.get(part.meter_kind, ())
            for part in parts
            if part.method in CONSUMPTION_METHODS
        },
        estimate_limit,
    )
    hot_water = {}
    for part in parts:
        if part.method == HOT_WATER_FORMULA:
            try:
                hot_water[part.key] = hot_water_amount(
                    part.hot_water or HotWater(),
                    consumption.get(part.meter_kind, {}),
                    total,
                    digits,
                )
            except heat.HeatError as error:
                raise _part_failed(part, error) from error
    parts = [
        replace(part, amount=hot_water[part.key].amount) if part.key in hot_water else part
        for part in parts
    ]
    total, amounts = resolve_amounts(total, parts, digits)
    results = []
    for part in parts:
        try:
            result = split_part(
                replace(part, amount=amounts[part.key]),
                units,
                consumption.get(part.meter_kind, {}),
                digits,
                area_only,
                estimated.get(part.meter_kind, ()),
            )
        except (
            heat.HeatError,
            water.WaterError,
            tariffs.TariffError,
            AllocationError,
        ) as error:
            raise _part_failed(part, error) from error
        if part.key in hot_water:
            result.fuel = hot_water[part.key].fuel
            result.hot_water_percent = hot_water[part.key].percent
        result.estimated_area_share = estimate.shares.get(part.key)
        results.append(result)
    penalised = frozenset(
        key for result in results for key, line in result.lines.items() if line.raised
    )
    return AllocationResult(total, results, estimate, penalised)


def posting_split(shares, digits=2):
    """{charge: ChargeSplit} of a computed allocation's ``shares`` (``Share``).

    A unit's measured amount (the consumption amount of a part shared by its meters)
    follows the readings at a change of occupant; the rest of its share (area, fees,
    loss) goes by days. Units with nothing to split either way are left out.
    """
    totals = defaultdict(lambda: defaultdict(Decimal))
    measured = defaultdict(lambda: defaultdict(Decimal))
    splits = defaultdict(ChargeSplit)
    for share in shares:
        charge_split = splits[share.charge]
        totals[share.charge][share.unit] += to_decimal(share.amount)
        if share.method in MEASURED_METHODS and share.meter_kind:
            measured[share.charge][share.unit] += to_decimal(share.consumption_amount)
            charge_split.kinds.add(share.meter_kind)
        if share.estimated:
            charge_split.estimated.add(share.unit)
    for charge, charge_split in splits.items():
        by_reading = {
            unit: round_half_up(amount, digits) for unit, amount in measured[charge].items()
        }
        by_days = {
            unit: round_half_up(amount, digits) - by_reading.get(unit, Decimal(0))
            for unit, amount in totals[charge].items()
        }
        charge_split.by_reading = {unit: amount for unit, amount in by_reading.items() if amount}
        charge_split.by_days = {unit: amount for unit, amount in by_days.items() if amount}
    return dict(splits)


def reading_series(daily):
    """[(date, cumulative consumption since the period start)] of ``daily``, (date,
    consumption) pairs in any order: one point a reading day, all its readings in."""
    per_day = defaultdict(Decimal)
    for day, used in daily:
        per_day[day] += to_decimal(used)
    series, cumulative = [], Decimal(0)
    for day in sorted(per_day):
        cumulative += per_day[day]
        series.append((day, cumulative))
    return series


def occupant_consumption(daily, segments):
    """The consumption of each occupant's days, ``segments`` of (first day, last day),
    cut at the reading nearest each change date (``readings.split_by_readings``); None
    where no reading is near one, and the caller splits by days."""
    return readings.split_by_readings(reading_series(daily), segments)
