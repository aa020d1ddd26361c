"""Heat cost allocators (EN 834) and heat meters (EN 1434).

An allocator's consumption value is its display units · KQ · KC (· KT): KQ is the
radiator's rated output, KC the thermal coupling factor, KT the low room-temperature
factor. With a "uniform scale" the device counts the same for every radiator and the
billing applies the factors; with a "product scale" the device already applies KQ · KC
and its readings are used as they are (only a KT other than 1 is still applied, as it is
a billing correction for the room, not part of the device's scale). EN 834 does not
cover floor heating, fan heaters or steam.
"""

from decimal import Decimal

UNIFORM = "uniform"
PRODUCT = "product"


class AllocatorError(ValueError):
    """Factors or readings a consumption value cannot be computed from."""


def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def consumption_value(display_units, kq, kc, kt=1, scale=UNIFORM):
    """The allocator's consumption value (exact Decimal, not rounded).

    ``scale="uniform"``: display units · KQ · KC · KT; ``scale="product"``: display
    units · KT (KQ and KC are in the device already; with KT = 1, the reading as it is).
    """
    units = _decimal(display_units)
    kq, kc, kt = _decimal(kq), _decimal(kc), _decimal(kt)
    if units < 0:
        raise AllocatorError(f"The display units are negative: {display_units!r}.")
    for name, value in (("KQ", kq), ("KC", kc), ("KT", kt)):
        if not value.is_finite() or value <= 0:
            raise AllocatorError(f"{name} must be a positive number, not {value!r}.")
    if scale == UNIFORM:
        return units * kq * kc * kt
    if scale == PRODUCT:
        return units * kt
    raise AllocatorError(f"Unknown scale {scale!r}: use {UNIFORM!r} or {PRODUCT!r}.")


def unit_consumption(allocators):
    """The sum of a unit's allocators' consumption values.

    ``allocators``: iterables of mappings with ``display_units``, ``kq``, ``kc`` and
    optionally ``kt`` and ``scale`` (the keyword arguments of ``consumption_value``).
    """
    return sum((consumption_value(**allocator) for allocator in allocators), Decimal(0))


def heat_meter_energy(volume_m3, delta_t, k):
    """EN 1434 heat meter: E = V · ΔΘ · k (k: the heat coefficient of water, kWh/(m³·K))."""
    volume, delta, k = _decimal(volume_m3), _decimal(delta_t), _decimal(k)
    if volume < 0:
        raise AllocatorError(f"The volume is negative: {volume_m3!r}.")
    if k <= 0:
        raise AllocatorError(f"The heat coefficient must be positive, not {k!r}.")
    return volume * delta * k
