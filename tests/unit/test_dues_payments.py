from datetime import date
from decimal import Decimal

import pytest
from conftest import load_engine

payments = load_engine("site_dues", "payments")
D = Decimal
Item = payments.OpenItem


def d(text):
    return date.fromisoformat(text)


# Three months of dues, each with its late fee; the fees are due at the month end.
ITEMS = [
    Item("MAR", "principal", d("2025-03-31"), D("100.00")),
    Item("JAN", "principal", d("2025-01-31"), D("100.00")),
    Item("JAN-FEE", "late_fee", d("2025-02-28"), D("5.00")),
    Item("FEB", "principal", d("2025-02-28"), D("100.00"), 1),
    Item("FEB-FEE", "late_fee", d("2025-03-31"), D("3.00")),
]


def test_oldest_first_mixes_fees_and_principal_by_due_date():
    paid, credit = payments.allocate(D("400"), ITEMS)
    # 02-28: the fee (sequence 0) before February (sequence 1); 03-31: as given
    assert [key for key, _ in paid] == ["JAN", "JAN-FEE", "FEB", "MAR", "FEB-FEE"]
    assert credit == D("92.00")


def test_fees_first():
    paid, credit = payments.allocate(D("150.00"), ITEMS, "fees_first")
    assert paid == [
        ("JAN-FEE", D("5.00")),
        ("FEB-FEE", D("3.00")),
        ("JAN", D("100.00")),
        ("FEB", D("42.00")),
    ]
    assert credit == D("0.00")


def test_principal_first():
    paid, credit = payments.allocate(D("305.00"), ITEMS, "principal_first")
    assert paid == [
        ("JAN", D("100.00")),
        ("FEB", D("100.00")),
        ("MAR", D("100.00")),
        ("JAN-FEE", D("5.00")),
    ]
    assert credit == D("0.00")


def test_partial_payment_stops_inside_an_item():
    paid, credit = payments.allocate(D("120.50"), ITEMS)
    assert paid == [("JAN", D("100.00")), ("JAN-FEE", D("5.00")), ("FEB", D("15.50"))]
    assert credit == D("0.00")


def test_exact_payment_leaves_no_credit():
    paid, credit = payments.allocate(D("308.00"), ITEMS, "fees_first")
    assert sum(amount for _, amount in paid) == D("308.00")
    assert len(paid) == 5
    assert credit == D("0.00")


def test_overpayment_comes_back_as_credit():
    paid, credit = payments.allocate(D("500.00"), ITEMS, "principal_first")
    assert sum(amount for _, amount in paid) == D("308.00")
    assert credit == D("192.00")


def test_settled_items_are_skipped_and_no_items_means_all_credit():
    items = [Item("OLD", "principal", d("2024-12-31"), D("0.00")), *ITEMS]
    paid, _ = payments.allocate(D("10"), items)
    assert paid == [("JAN", D("10"))]
    assert payments.allocate(D("10"), []) == ([], D("10"))


@pytest.mark.parametrize(
    "amount, order, items",
    [
        (D("0"), "oldest_first", ITEMS),
        (D("-5"), "oldest_first", ITEMS),
        (D("5"), "newest_first", ITEMS),
        (D("5"), "oldest_first", [Item("X", "interest", d("2025-01-01"), D("1"))]),
    ],
)
def test_bad_input_is_refused(amount, order, items):
    with pytest.raises(ValueError):
        payments.allocate(amount, items, order)
