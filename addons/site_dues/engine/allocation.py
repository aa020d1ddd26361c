"""Split a planned amount (a budget line, a bill) over units.

``split`` shares by weights (area, shares, persons) with the largest-remainder
method: every unit gets its amount rounded to the currency's digits and the parts
add up to the total exactly, so no cent is lost or invented between the plan and
the charges. ``fixed`` is the other key: a set amount per unit (or unit type).
"""

import math
from decimal import ROUND_HALF_UP, Decimal


class AllocationError(ValueError):
    """Weights a split cannot be made over; the message names the key at fault."""


def _decimal(value):
    """Decimals as they are; ints and floats through str, so 0.1 stays 0.1."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _round(amount, digits):
    return amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _integer_weights(weights):
    """The weights as integers of one common scale, checked one by one."""
    if not weights:
        raise AllocationError("No keys to split the amount over.")
    ratios = {}
    for key, weight in weights.items():
        value = _decimal(weight)
        if not value.is_finite():
            raise AllocationError(f"The weight of {key!r} is not a number: {weight!r}.")
        if value < 0:
            raise AllocationError(f"The weight of {key!r} is negative: {weight!r}.")
        ratios[key] = value.as_integer_ratio()
    scale = math.lcm(*(denominator for _, denominator in ratios.values()))
    return {
        key: numerator * (scale // denominator) for key, (numerator, denominator) in ratios.items()
    }


def split(total, weights, digits=2):
    """Share ``total`` over the keys of ``weights`` in proportion to their weights.

    ``total`` is first rounded to ``digits`` (0: whole currency units); the parts,
    each rounded to ``digits``, sum to it exactly. The units left over after rounding
    every part down go one each to the keys with the largest remainders; equal
    remainders go in the order the keys were given, so the same input always gives
    the same split. A key of weight 0 gets 0. A negative total (a credit) is split as
    its absolute value and negated.
    """
    integers = _integer_weights(weights)
    whole = sum(integers.values())
    if not whole:
        raise AllocationError("All weights are zero: there is nothing to split by.")
    total = _round(_decimal(total), digits)
    sign = -1 if total < 0 else 1
    units = int(abs(total).scaleb(digits))
    keys = list(integers)
    parts, remainders = [], []
    for key in keys:
        part, remainder = divmod(units * integers[key], whole)
        parts.append(part)
        remainders.append(remainder)
    left = units - sum(parts)
    # sorted() is stable: equal remainders keep the order of the keys.
    for index in sorted(range(len(keys)), key=lambda i: -remainders[i])[:left]:
        parts[index] += 1
    return {key: Decimal(sign * part).scaleb(-digits) for key, part in zip(keys, parts)}


def fixed(amounts_by_key, digits=2):
    """A set amount per key (e.g. per unit type), each rounded to ``digits``."""
    return {key: _round(_decimal(amount), digits) for key, amount in amounts_by_key.items()}
