"""Money arithmetic shared by every engine of the suite: one rounding, one split.

Every amount in the suite is a ``Decimal`` rounded half up to the currency's digits
(``round_half_up``); ``split`` shares an amount over keys by weights with the
largest-remainder method, so that the parts add up to the total to the cent. Other
addons' engines import this module as ``odoo.addons.site_residents.engine.money``.
"""

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


class AllocationError(ValueError):
    """Weights a split cannot be made over; the message names the key at fault."""


def to_decimal(value):
    """Decimals as they are; ints and floats through str, so 0.1 stays 0.1."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


# the quantum of each number of decimals: rounding is called once per amount
QUANTUMS = {digits: Decimal(1).scaleb(-digits) for digits in range(7)}


def round_half_up(amount, digits=2):
    """``amount`` rounded half up to ``digits`` decimals (0: whole currency units)."""
    quantum = QUANTUMS.get(digits) or Decimal(1).scaleb(-digits)
    return to_decimal(amount).quantize(quantum, rounding=ROUND_HALF_UP)


def fraction_half_up(value, digits):
    """An exact fraction rounded half up to ``digits`` decimals."""
    scaled = value * 10**digits
    whole = math.floor(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-digits).quantize(Decimal(1).scaleb(-digits))


def _integer_weights(weights):
    """The weights as integers of one common scale (exact, and faster than fractions),
    checked one by one."""
    if not weights:
        raise AllocationError("No keys to split the amount over.")
    fractions = {}
    for key, weight in weights.items():
        if isinstance(weight, Fraction):
            value = weight
        else:
            number = to_decimal(weight)
            if not number.is_finite():
                raise AllocationError(f"The weight of {key!r} is not a number: {weight!r}.")
            value = Fraction(number)
        if value < 0:
            raise AllocationError(f"The weight of {key!r} is negative: {weight!r}.")
        fractions[key] = value
    scale = math.lcm(*(value.denominator for value in fractions.values()))
    return {key: value.numerator * (scale // value.denominator) for key, value in fractions.items()}


def split(total, weights, digits=2):
    """Share ``total`` over the keys of ``weights`` (Decimal, int, float or Fraction) in
    proportion to their weights.

    ``total`` is first rounded half up to ``digits``; the parts, each a multiple of
    10^-digits, sum to it exactly. Every part is rounded down and the units left over
    go one each to the keys with the largest remainders; equal remainders go in the
    order the keys were given, so the same input always gives the same split. A key of
    weight 0 gets 0. A negative total (a credit) is split as its absolute value and
    negated.
    """
    integers = _integer_weights(weights)
    whole = sum(integers.values())
    if not whole:
        raise AllocationError("All weights are zero: there is nothing to split by.")
    total = round_half_up(total, digits)
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
    quantum = Decimal(1).scaleb(-digits)
    return {
        key: Decimal(sign * part).scaleb(-digits).quantize(quantum)
        for key, part in zip(keys, parts)
    }
