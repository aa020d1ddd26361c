from decimal import Decimal

import pytest
from conftest import load_engine

advances = load_engine("site_accounting", "advances")


def test_advance_spent_in_part_returns_the_rest():
    result = advances.settlement(1000, ["400", "250.50"])
    assert [(line.role, line.receipt, line.debit, line.credit) for line in result.lines] == [
        ("expense", 0, Decimal("400.00"), 0),
        ("expense", 1, Decimal("250.50"), 0),
        ("advance", None, 0, Decimal("650.50")),
    ]
    assert result.returned == Decimal("349.50")


def test_advance_overspent_is_owed_to_the_staff_member():
    result = advances.settlement(500, [300, 300])
    assert [(line.role, line.credit) for line in result.lines if line.credit] == [
        ("advance", Decimal("500.00")),
        ("staff_payable", Decimal("100.00")),
    ]
    assert result.returned == 0
    assert sum(line.debit for line in result.lines) == sum(line.credit for line in result.lines)


def test_advance_settlement_refusals():
    with pytest.raises(advances.AdvanceError, match="at least one"):
        advances.settlement(100, [])
    with pytest.raises(advances.AdvanceError, match="Receipt 2"):
        advances.settlement(100, [10, 0])
    with pytest.raises(advances.AdvanceError, match="advance must be positive"):
        advances.settlement(0, [10])


def test_staff_accounts_by_chart():
    assert advances.account_code("tr", advances.ADVANCE) == "195"
    assert advances.account_code("tr", advances.SALARY_ADVANCE) == "196"
    assert advances.account_code("pl", advances.SALARY_ADVANCE) == "23.000.900"
    assert advances.account_code("ua_psbo", advances.STAFF_PAYABLE) == "661"
    assert advances.account_code("pl", advances.ADVANCE) is None, "work advances: Turkish only"
    assert advances.account_code("fr", advances.STAFF_PAYABLE) is None
