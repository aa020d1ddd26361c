from datetime import date
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


Advance = payroll.SalaryAdvance


def deductions(lines, salary_advances):
    return [
        (deduction.line, deduction.advance, deduction.amount)
        for deduction in payroll.advance_deductions(lines, salary_advances)
    ]


def test_oldest_advance_first_and_the_rest_stays_open():
    lines = [Line("ramazan", "770", 4000), Line("ayse", "770", 3000)]
    advances = [
        Advance(2, "ramazan", date(2026, 1, 20), 1500),
        Advance(1, "ramazan", date(2026, 1, 5), "3000.004"),
    ]
    assert deductions(lines, advances) == [
        (0, 1, Decimal("3000.00")),
        (0, 2, Decimal("1000.00")),
    ]


def test_never_more_than_the_line_and_across_the_persons_lines():
    lines = [
        Line("ramazan", "770", 1000),
        Line("ayse", "770", 800),
        Line("ramazan", "770", 700),
    ]
    advances = [Advance(7, "ramazan", date(2026, 1, 5), 2000)]
    assert deductions(lines, advances) == [(0, 7, Decimal("1000.00")), (2, 7, Decimal("700.00"))]
    entry = payroll.payroll_entry(lines, payroll.advance_deductions(lines, advances))
    assert entry.owed == {"ayse": Decimal("800.00")}, "nothing left to pay Ramazan"
    assert entry.advances == {("ramazan", 7): Decimal("1700.00")}


def test_same_day_advances_by_key_and_rounding_half_up():
    lines = [Line("ramazan", "770", "100.005")]
    advances = [
        Advance(9, "ramazan", date(2026, 1, 5), 60),
        Advance(3, "ramazan", date(2026, 1, 5), "60.004"),
    ]
    assert deductions(lines, advances) == [(0, 3, Decimal("60.00")), (0, 9, Decimal("40.01"))]


def test_person_without_open_advance_gets_no_deduction():
    lines = [Line("ayse", "770", 3000)]
    assert deductions(lines, []) == []
    assert deductions(lines, [Advance(1, "ramazan", date(2026, 1, 5), 500)]) == []
    assert deductions(lines, [Advance(1, "ayse", date(2026, 1, 5), 0)]) == [], "closed"
    entry = payroll.payroll_entry(lines, [])
    assert (entry.owed, entry.advances) == ({"ayse": Decimal("3000.00")}, {})


def test_entry_balances_with_deductions():
    lines = [Line("ramazan", "770", 25000), Line("ayse", "770", 3000)]
    made = payroll.advance_deductions(lines, [Advance(1, "ramazan", date(2026, 1, 5), 2500)])
    entry = payroll.payroll_entry(lines, made)
    assert entry.owed == {"ramazan": Decimal("22500.00"), "ayse": Decimal("3000.00")}
    assert entry.advances == {("ramazan", 1): Decimal("2500.00")}
    debit = sum(amount for _p, _a, amount in entry.expenses)
    assert debit == sum(entry.owed.values()) + sum(entry.advances.values())


def test_deduction_refusals():
    lines = [Line("ramazan", "770", 100)]
    with pytest.raises(payroll.PayrollError, match="cannot be negative"):
        payroll.advance_deductions(lines, [Advance(1, "ramazan", date(2026, 1, 5), -1)])
    with pytest.raises(payroll.PayrollError, match="Line 1: 150.00 of advances deducted"):
        payroll.payroll_entry(lines, [payroll.Deduction(0, 1, 150)])
    with pytest.raises(payroll.PayrollError, match="from line 2 cannot be made"):
        payroll.payroll_entry(lines, [payroll.Deduction(1, 1, 10)])
    with pytest.raises(payroll.PayrollError, match="cannot be made"):
        payroll.payroll_entry(lines, [payroll.Deduction(0, 1, 0)])
