"""Counting votes weighted by the units' shares.

A unit has one vote; its weight is one (per unit), its area, its land share or its
voting share, frozen when the vote opens. Weights are Decimals and every sum is exact:
areas have two decimals, voting shares eight, and land shares (numerator over
denominator) are written as whole numbers over the common denominator of the site, so
that three units of 1/3 make exactly the whole and "two thirds" is met by two of them.

A resolution passes when the votes for it reach the majority (more than half, two
thirds, three quarters, all) of a base: the weight of the votes cast ("of those
voting", abstentions included unless the rule leaves them out) or the weight of every
unit on the roll ("of all"). Some laws want the majority by weight and by number of
units at once (Turkish "sayı ve arsa payı çoğunluğu"). A quorum, when asked for, is met
by the units that voted (or attended) against the whole roll, by number, weight or both.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
CHOICES = (FOR, AGAINST, ABSTAIN)

UNIT, AREA, LAND_SHARE, VOTING_SHARE = "unit", "area", "land_share", "voting_share"
BASES = (UNIT, AREA, LAND_SHARE, VOTING_SHARE)

NONE, SIMPLE, TWO_THIRDS, THREE_QUARTERS, UNANIMITY = (
    "none",
    "simple",
    "two_thirds",
    "three_quarters",
    "unanimity",
)
MAJORITIES = (SIMPLE, TWO_THIRDS, THREE_QUARTERS, UNANIMITY)
QUORUMS = (NONE, SIMPLE, TWO_THIRDS, THREE_QUARTERS)

OF_VOTING, OF_ALL = "voting", "all"
BY_COUNT, BY_WEIGHT, BY_BOTH = "count", "weight", "both"

AREA_DIGITS = 2
VOTING_SHARE_DIGITS = 8
ZERO = Decimal(0)


class VotingError(ValueError):
    """A rule or a weight the count cannot work with; the message names it."""


@dataclass(frozen=True)
class UnitShares:
    """What a unit's weight is made of."""

    unit_id: int
    area: object = 0
    land_numerator: int = 0
    land_denominator: int = 0
    voting_share: object = 0


def weights(units, basis):
    """{unit id: Decimal weight} of ``units`` (UnitShares) by ``basis``.

    Land shares come out as whole numbers over the least common denominator of the
    units' shares (56/2400 and 1/100 give 56 and 24 over 2400): their sums stay exact.
    A unit without a land share weighs 0 by land share.
    """
    if basis not in BASES:
        raise VotingError(f"Unknown voting weight {basis!r}; known: {', '.join(BASES)}.")
    if basis == UNIT:
        return {unit.unit_id: Decimal(1) for unit in units}
    if basis == AREA:
        result = {unit.unit_id: round_half_up(unit.area or 0, AREA_DIGITS) for unit in units}
    elif basis == VOTING_SHARE:
        result = {
            unit.unit_id: round_half_up(unit.voting_share or 0, VOTING_SHARE_DIGITS)
            for unit in units
        }
    else:
        scale = land_share_scale(units)
        result = {
            unit.unit_id: Decimal(unit.land_numerator * (scale // unit.land_denominator))
            if unit.land_denominator
            else ZERO
            for unit in units
        }
    for unit_id, weight in result.items():
        if weight < 0:
            raise VotingError(f"Unit {unit_id}: a voting weight cannot be negative ({weight}).")
    return result


def land_share_scale(units):
    """The common denominator land-share weights are written over."""
    denominators = [unit.land_denominator for unit in units if unit.land_denominator]
    return math.lcm(*denominators) if denominators else 1


@dataclass
class Totals:
    """Votes cast by choice (number of units and weight) against the whole roll."""

    eligible_count: int = 0
    eligible_weight: Decimal = ZERO
    count: dict = field(default_factory=lambda: dict.fromkeys(CHOICES, 0))
    weight: dict = field(default_factory=lambda: dict.fromkeys(CHOICES, ZERO))

    @property
    def voted_count(self):
        return sum(self.count.values())

    @property
    def voted_weight(self):
        return sum(self.weight.values(), ZERO)

    def add(self, choice, weight, ballots=1):
        if choice not in CHOICES:
            raise VotingError(f"Unknown choice {choice!r}; known: {', '.join(CHOICES)}.")
        self.count[choice] += ballots
        self.weight[choice] += to_decimal(weight)


def totals(roll, votes):
    """Totals of ``votes`` [(choice, weight)] over ``roll`` [weight of each unit]."""
    roll = [to_decimal(weight) for weight in roll]
    result = Totals(eligible_count=len(roll), eligible_weight=sum(roll, ZERO))
    for choice, weight in votes:
        result.add(choice, weight)
    return result


def meets(part, whole, threshold):
    """Whether ``part`` of ``whole`` reaches ``threshold``: more than half, at least two
    thirds or three quarters, or all of it. Nothing of nothing is never a majority."""
    part, whole = to_decimal(part), to_decimal(whole)
    if threshold == NONE:
        return True
    if whole <= 0:
        return False
    if threshold == SIMPLE:
        return part * 2 > whole
    if threshold == TWO_THIRDS:
        return part * 3 >= whole * 2
    if threshold == THREE_QUARTERS:
        return part * 4 >= whole * 3
    if threshold == UNANIMITY:
        return part == whole
    raise VotingError(f"Unknown majority {threshold!r}; known: {', '.join(MAJORITIES)}.")


def quorum_met(present_count, present_weight, eligible_count, eligible_weight, quorum, by):
    """Whether the units present (or having voted) make the quorum by ``by``
    (count, weight or both)."""
    if by not in (BY_COUNT, BY_WEIGHT, BY_BOTH):
        raise VotingError(f"Unknown quorum basis {by!r}.")
    by_count = meets(present_count, eligible_count, quorum)
    by_weight = meets(present_weight, eligible_weight, quorum)
    if by == BY_COUNT:
        return by_count
    if by == BY_WEIGHT:
        return by_weight
    return by_count and by_weight


@dataclass(frozen=True)
class Rule:
    majority: str = SIMPLE
    base: str = OF_VOTING
    by_count_too: bool = False
    abstentions_excluded: bool = False
    quorum: str = NONE
    quorum_by: str = BY_BOTH


@dataclass(frozen=True)
class Decision:
    passed: bool
    quorum_met: bool
    weight_met: bool
    count_met: bool
    base_weight: Decimal
    base_count: int


def decide(result, rule):
    """The decision on ``result`` (Totals) under ``rule``."""
    if rule.majority not in MAJORITIES:
        raise VotingError(f"Unknown majority {rule.majority!r}; known: {', '.join(MAJORITIES)}.")
    if rule.base not in (OF_VOTING, OF_ALL):
        raise VotingError(f"Unknown majority base {rule.base!r}.")
    if rule.quorum not in QUORUMS:
        raise VotingError(f"Unknown quorum {rule.quorum!r}; known: {', '.join(QUORUMS)}.")
    if rule.base == OF_ALL:
        base_weight, base_count = result.eligible_weight, result.eligible_count
    else:
        counted = (FOR, AGAINST) if rule.abstentions_excluded else CHOICES
        base_weight = sum((result.weight[choice] for choice in counted), ZERO)
        base_count = sum(result.count[choice] for choice in counted)
    weight_met = meets(result.weight[FOR], base_weight, rule.majority)
    count_met = meets(result.count[FOR], base_count, rule.majority)
    quorum = quorum_met(
        result.voted_count,
        result.voted_weight,
        result.eligible_count,
        result.eligible_weight,
        rule.quorum,
        rule.quorum_by,
    )
    passed = quorum and weight_met and (count_met or not rule.by_count_too)
    return Decision(passed, quorum, weight_met, count_met, base_weight, base_count)


def percent(part, whole, digits=2):
    """``part`` of ``whole`` in percent, rounded half up; 0 of nothing."""
    whole = to_decimal(whole)
    if whole <= 0:
        return round_half_up(0, digits)
    return round_half_up(to_decimal(part) * 100 / whole, digits)


def unit_voter(owner_ids, designated=None):
    """The person who votes for a unit owned today by ``owner_ids``: the one of them its
    co-owners named (``designated``), else its only owner. None where co-owners have
    named nobody, or the one they named owns it no more, or nobody owns it."""
    owners = set(owner_ids)
    if designated and designated in owners:
        return designated
    if len(owners) == 1:
        return next(iter(owners))
    return None
