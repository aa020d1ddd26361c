from datetime import date

from conftest import load_engine

access = load_engine("site_portal", "access")
Grant = access.Grant

TODAY = date(2026, 12, 5)


def test_owner_sees_own_lines_whenever_dated():
    result = access.unit_access([Grant(1, "owner", 10, None, date(2020, 1, 1))], TODAY)
    unit = result[1]
    assert unit.current
    assert unit.payer_id == 10
    assert unit.covers(10, date(2019, 1, 1))  # an old debt of theirs, moved in with them
    assert not unit.covers(11, date(2024, 1, 1))


def test_former_owner_keeps_own_lines_but_is_not_current():
    grants = [Grant(1, "owner", 10, None, date(2020, 1, 1), date(2025, 12, 31))]
    unit = access.unit_access(grants, TODAY)[1]
    assert not unit.current
    assert unit.in_periods(date(2025, 6, 1))
    assert not unit.in_periods(date(2026, 1, 1))
    assert unit.covers(10, date(2026, 3, 1))  # their late payment of an old debt


def test_family_member_sees_household_within_own_period_and_pays_for_it():
    grants = [Grant(1, "family", 20, 10, date(2024, 1, 1), date(2025, 6, 30))]
    unit = access.unit_access(grants, TODAY)[1]
    assert unit.payer_id == 10
    assert unit.covers(10, date(2024, 5, 1))
    assert not unit.covers(10, date(2023, 12, 31))
    assert not unit.covers(10, date(2025, 7, 1))
    assert not unit.covers(20, date(2024, 5, 1))


def test_family_member_without_household_sees_no_ledger():
    unit = access.unit_access([Grant(1, "resident", 20, None, date(2024, 1, 1))], TODAY)[1]
    assert unit.scopes == []
    assert unit.payer_id is None
    assert unit.current


def test_future_relation_gives_no_access_yet():
    assert access.unit_access([Grant(1, "tenant", 10, None, date(2027, 1, 1))], TODAY) == {}


def test_periods_merge_and_own_liability_pays():
    grants = [
        Grant(1, "tenant", 10, None, date(2020, 1, 1), date(2022, 12, 31)),
        Grant(1, "owner", 10, None, date(2023, 1, 1)),
        Grant(2, "family", 10, 30, date(2021, 1, 1), date(2021, 12, 31)),
    ]
    result = access.unit_access(grants, TODAY)
    assert result[1].periods == [(date(2020, 1, 1), None)]
    assert result[1].roles == {"tenant", "owner"}
    assert result[1].partner_ids() == [10]
    assert result[2].periods == [(date(2021, 1, 1), date(2021, 12, 31))]
    assert not result[2].current
