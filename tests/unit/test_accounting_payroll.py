from decimal import Decimal

import pytest
from conftest import load_engine

payroll = load_engine("site_accounting", "payroll")
Line = payroll.PayrollLine


def test_one_credit_per_person():
    entry = payroll.payroll_entry(
        [
            Line("ramazan", "770", 25000),
            Line("ramazan", "770", "1500.005"),
            Line("ayse", "770", 3000),
        ]
    )
    assert entry.expenses == [
        ("ramazan", "770", Decimal("25000.00")),
        ("ramazan", "770", Decimal("1500.01")),
        ("ayse", "770", Decimal("3000.00")),
    ]
    assert entry.owed == {"ramazan": Decimal("26500.01"), "ayse": Decimal("3000.00")}
    assert sum(amount for _p, _a, amount in entry.expenses) == sum(entry.owed.values())


def test_refusals():
    with pytest.raises(payroll.PayrollError, match="at least one"):
        payroll.payroll_entry([])
    with pytest.raises(payroll.PayrollError, match="Line 2"):
        payroll.payroll_entry([Line("a", "770", 1), Line("b", "770", -5)])
