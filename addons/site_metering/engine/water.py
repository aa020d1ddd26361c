"""Water: the main meter minus the unit meters is the loss, shared by a key.

A building's water bill ``total`` covers what its main meter measured. Each unit pays
its own meter's share of it, ``total · S / main``, and a part of the loss (main − the
sum of the unit meters: leaks, common taps, meter tolerances) by consumption, by area
or equally. Without a main meter there is no loss and the bill goes by consumption.

Money as ``Decimal``; both parts are split with the largest-remainder method, so the
units' amounts add up to the bill exactly.
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

from .heat import check_units

CONSUMPTION = "consumption"
AREA = "area"
EQUAL = "equal"
LOSS_KEYS = (CONSUMPTION, AREA, EQUAL)


class WaterError(ValueError):
    """Input a water split cannot be made from; the message says what is wrong."""


@dataclass(frozen=True)
class WaterUnit:
    key: object
    consumption: Decimal  # the unit meters' consumption, m³
    area: Decimal = Decimal(0)


@dataclass(frozen=True)
class WaterUnitResult:
    key: object
    consumption: Decimal
    loss_quantity: Decimal  # the unit's share of the loss, m³, 4 decimals
    consumption_part: Decimal
    loss_part: Decimal
    total: Decimal


@dataclass(frozen=True)
class WaterResult:
    total: Decimal
    main_consumption: Decimal | None
    units_consumption: Decimal
    loss: Decimal  # m³
    loss_percent: Decimal  # of the main meter, 2 decimals
    unit_price: Decimal  # total / main (per m³), 4 decimals
    consumption_total: Decimal
    loss_total: Decimal
    loss_key: str
    units: list

    def by_key(self):
        return {unit.key: unit for unit in self.units}


def _zero_or_split(amount, weights, digits, what):
    if not amount:
        return dict.fromkeys(weights, round_half_up(0, digits))
    if not any(weights.values()):
        raise WaterError(f"Nothing to share the {what} by: every weight is zero.")
    return split(amount, weights, digits)


def split_water(total, units, main_consumption=None, loss_key=CONSUMPTION, digits=2):
    """Share the water bill ``total`` over ``units`` (``WaterUnit``).

    ``main_consumption``: the main meter's consumption over the period (m³), or None
    when the building has none. ``loss_key``: ``"consumption"``, ``"area"`` or ``"equal"``.
    """
    if loss_key not in LOSS_KEYS:
        raise WaterError(f"Unknown loss key {loss_key!r}: use one of {', '.join(LOSS_KEYS)}.")
    units = list(units)
    check_units(units, WaterError, "the water bill")
    total = round_half_up(total, digits)
    used = {unit.key: Fraction(to_decimal(unit.consumption)) for unit in units}
    units_total = sum(used.values())
    if main_consumption is None:
        main = units_total
    else:
        main = Fraction(to_decimal(main_consumption))
        if main < units_total:
            raise WaterError(
                f"The unit meters add up to {fraction_half_up(units_total, 3)} m³, more "
                f"than the main meter's {to_decimal(main_consumption)} m³: check the readings."
            )
    if not main:
        raise WaterError("No water was used: the bill cannot be shared by consumption.")
    loss = main - units_total
    consumption_total = fraction_half_up(Fraction(total) * units_total / main, digits)
    loss_total = total - consumption_total
    if loss_key == CONSUMPTION:
        weights = used
    elif loss_key == AREA:
        weights = {unit.key: Fraction(to_decimal(unit.area)) for unit in units}
    else:
        weights = {unit.key: Fraction(1) for unit in units}
    consumption_parts = _zero_or_split(consumption_total, used, digits, "consumption part")
    loss_parts = _zero_or_split(loss_total, weights, digits, f"loss by {loss_key}")
    whole_weight = sum(weights.values())
    return WaterResult(
        total=total,
        main_consumption=None if main_consumption is None else to_decimal(main_consumption),
        units_consumption=fraction_half_up(units_total, 3),
        loss=fraction_half_up(loss, 3),
        loss_percent=fraction_half_up(loss * 100 / main, 2),
        unit_price=fraction_half_up(Fraction(total) / main, 4),
        consumption_total=consumption_total,
        loss_total=loss_total,
        loss_key=loss_key,
        units=[
            WaterUnitResult(
                key=unit.key,
                consumption=to_decimal(unit.consumption),
                loss_quantity=fraction_half_up(
                    loss * weights[unit.key] / whole_weight if whole_weight else 0, 4
                ),
                consumption_part=consumption_parts[unit.key],
                loss_part=loss_parts[unit.key],
                total=consumption_parts[unit.key] + loss_parts[unit.key],
            )
            for unit in units
        ],
    )
