from decimal import Decimal

import pytest
from conftest import load_engine

voting = load_engine("site_governance", "voting")

FOR, AGAINST, ABSTAIN = voting.FOR, voting.AGAINST, voting.ABSTAIN

# Three units: two small flats and a large shop, land shares over 100.
UNITS = [
    voting.UnitShares(1, area=Decimal("50.00"), land_numerator=10, land_denominator=100),
    voting.UnitShares(2, area=Decimal("50.00"), land_numerator=10, land_denominator=100),
    voting.UnitShares(3, area=Decimal("400.00"), land_numerator=80, land_denominator=100),
]


def count(basis, choices, rule):
    """The decision when each unit of UNITS votes as in ``choices`` {unit id: choice}."""
    weights = voting.weights(UNITS, basis)
    result = voting.totals(
        weights.values(), [(choice, weights[unit]) for unit, choice in choices.items()]
    )
    return result, voting.decide(result, rule)


def test_weights_by_each_basis():
    assert voting.weights(UNITS, voting.UNIT) == {1: 1, 2: 1, 3: 1}
    assert voting.weights(UNITS, voting.AREA) == {
        1: Decimal("50.00"),
        2: Decimal("50.00"),
        3: Decimal("400.00"),
    }
    assert voting.weights(UNITS, voting.LAND_SHARE) == {1: 10, 2: 10, 3: 80}
    shares = [voting.UnitShares(1, voting_share=0.02333333), voting.UnitShares(2, voting_share=1)]
    assert voting.weights(shares, voting.VOTING_SHARE) == {
        1: Decimal("0.02333333"),
        2: Decimal("1.00000000"),
    }


def test_land_shares_over_a_common_denominator_stay_exact():
    thirds = [voting.UnitShares(n, land_numerator=1, land_denominator=3) for n in (1, 2, 3)]
    weights = voting.weights(thirds, voting.LAND_SHARE)
    assert weights == {1: 1, 2: 1, 3: 1}
    result = voting.totals(weights.values(), [(FOR, weights[1]), (FOR, weights[2])])
    rule = voting.Rule(majority=voting.TWO_THIRDS, base=voting.OF_ALL)
    # 1/3 + 1/3 as decimals would be 0.666…6 and miss two thirds
    assert voting.decide(result, rule).passed
    mixed = [
        voting.UnitShares(1, land_numerator=1, land_denominator=2),
        voting.UnitShares(2, land_numerator=1, land_denominator=3),
        voting.UnitShares(3, land_numerator=1, land_denominator=6),
        voting.UnitShares(4),
    ]
    assert voting.weights(mixed, voting.LAND_SHARE) == {1: 3, 2: 2, 3: 1, 4: 0}


def test_passes_by_count_but_fails_by_share():
    choices = {1: FOR, 2: FOR, 3: AGAINST}
    _result, by_unit = count(voting.UNIT, choices, voting.Rule())
    assert by_unit.passed
    result, by_share = count(voting.LAND_SHARE, choices, voting.Rule())
    assert (result.weight[FOR], result.weight[AGAINST]) == (20, 80)
    assert not by_share.passed
    assert by_share.count_met and not by_share.weight_met
    # the area says the same as the land share here
    assert not count(voting.AREA, choices, voting.Rule())[1].passed


def test_passes_by_share_but_fails_by_count():
    choices = {1: AGAINST, 2: AGAINST, 3: FOR}
    assert count(voting.LAND_SHARE, choices, voting.Rule())[1].passed
    assert not count(voting.UNIT, choices, voting.Rule())[1].passed
    # a law asking for the majority by share and by number of units refuses it
    both = voting.Rule(by_count_too=True)
    decision = count(voting.LAND_SHARE, choices, both)[1]
    assert decision.weight_met and not decision.count_met and not decision.passed


def test_of_those_voting_against_of_all():
    # only the shop votes, for: all of those voting, 80 % of all shares
    choices = {3: FOR}
    assert count(voting.LAND_SHARE, choices, voting.Rule(majority=voting.UNANIMITY))[1].passed
    of_all = voting.Rule(majority=voting.THREE_QUARTERS, base=voting.OF_ALL)
    assert count(voting.LAND_SHARE, choices, of_all)[1].passed
    of_all_unanimity = voting.Rule(majority=voting.UNANIMITY, base=voting.OF_ALL)
    assert not count(voting.LAND_SHARE, choices, of_all_unanimity)[1].passed
    # by count of all, one unit of three is no majority
    assert not count(voting.UNIT, choices, voting.Rule(base=voting.OF_ALL))[1].passed


def test_thresholds_at_their_boundaries():
    assert not voting.meets(1, 2, voting.SIMPLE)  # exactly half is not more than half
    assert voting.meets(Decimal("50.01"), 100, voting.SIMPLE)
    assert voting.meets(2, 3, voting.TWO_THIRDS)
    assert not voting.meets(Decimal("66.66"), 100, voting.TWO_THIRDS)
    assert voting.meets(3, 4, voting.THREE_QUARTERS)
    assert not voting.meets(Decimal("74.99"), 100, voting.THREE_QUARTERS)
    assert voting.meets(5, 5, voting.UNANIMITY)
    assert not voting.meets(0, 0, voting.SIMPLE)  # nothing of nothing
    assert not voting.meets(0, 0, voting.UNANIMITY)
    assert voting.meets(0, 0, voting.NONE)
    with pytest.raises(voting.VotingError, match="two_third"):
        voting.meets(1, 2, "two_third")


def test_unanimity_and_abstentions():
    everyone = {1: FOR, 2: FOR, 3: FOR}
    rule = voting.Rule(majority=voting.UNANIMITY)
    assert count(voting.UNIT, everyone, rule)[1].passed
    one_abstains = {1: FOR, 2: ABSTAIN, 3: FOR}
    assert not count(voting.UNIT, one_abstains, rule)[1].passed
    # where abstentions are left out, the others are unanimous
    excluded = voting.Rule(majority=voting.UNANIMITY, abstentions_excluded=True)
    assert count(voting.UNIT, one_abstains, excluded)[1].passed
    # of all, a unit that did not vote breaks unanimity
    missing = {1: FOR, 2: FOR}
    assert not count(voting.UNIT, missing, voting.Rule(voting.UNANIMITY, voting.OF_ALL))[1].passed


def test_abstentions_count_as_cast_unless_excluded():
    roll = [Decimal(1)] * 11
    votes = [(FOR, 1)] * 5 + [(AGAINST, 1)] * 4 + [(ABSTAIN, 1)] * 2
    result = voting.totals(roll, votes)
    assert (result.voted_count, result.voted_weight) == (11, 11)
    decision = voting.decide(result, voting.Rule())
    assert (decision.base_count, decision.passed) == (11, False)  # 5 of 11
    decision = voting.decide(result, voting.Rule(abstentions_excluded=True))
    assert (decision.base_count, decision.passed) == (9, True)  # 5 of 9
    # "of all" counts every unit whatever the abstentions
    of_all = voting.Rule(base=voting.OF_ALL, abstentions_excluded=True)
    assert voting.decide(result, of_all).base_count == 11


def test_quorum_by_count_weight_or_both():
    choices = {3: FOR}  # one unit of three, 80 % of the shares
    quorum = {"quorum": voting.SIMPLE}
    by_weight = voting.Rule(quorum_by=voting.BY_WEIGHT, **quorum)
    by_count = voting.Rule(quorum_by=voting.BY_COUNT, **quorum)
    by_both = voting.Rule(quorum_by=voting.BY_BOTH, **quorum)
    assert count(voting.LAND_SHARE, choices, by_weight)[1].passed
    decision = count(voting.LAND_SHARE, choices, by_count)[1]
    assert not decision.quorum_met and decision.weight_met and not decision.passed
    assert not count(voting.LAND_SHARE, choices, by_both)[1].quorum_met
    # an abstention is a vote cast: it counts towards the quorum
    decision = count(voting.UNIT, {1: ABSTAIN, 2: ABSTAIN, 3: FOR}, by_count)[1]
    assert decision.quorum_met and not decision.passed
    assert voting.quorum_met(2, Decimal("20"), 3, Decimal("100"), voting.SIMPLE, voting.BY_COUNT)
    assert not voting.quorum_met(2, Decimal("20"), 3, Decimal("100"), voting.SIMPLE, voting.BY_BOTH)
    assert voting.quorum_met(0, 0, 3, 100, voting.NONE, voting.BY_BOTH)


def test_bad_rules_and_weights_are_named():
    with pytest.raises(voting.VotingError, match="'per_head'"):
        voting.weights(UNITS, "per_head")
    with pytest.raises(voting.VotingError, match="Unit 9"):
        voting.weights([voting.UnitShares(9, area=-1)], voting.AREA)
    with pytest.raises(voting.VotingError, match="'maybe'"):
        voting.totals([1], [("maybe", 1)])
    with pytest.raises(voting.VotingError, match="majority base"):
        voting.decide(voting.totals([1], []), voting.Rule(base="present"))


def test_percent_half_up():
    assert voting.percent(1, 3) == Decimal("33.33")
    assert voting.percent(2, 3) == Decimal("66.67")
    assert voting.percent(1, 8, digits=1) == Decimal("12.5")
    assert voting.percent(5, 0) == Decimal("0.00")


def test_who_votes_for_a_unit():
    assert voting.unit_voter([7]) == 7
    assert voting.unit_voter([7, 8]) is None  # co-owners must name who votes
    assert voting.unit_voter([7, 8], designated=8) == 8
    assert voting.unit_voter([7], designated=8) == 7  # 8 sold their part: the owner votes
    assert voting.unit_voter([], designated=8) is None
