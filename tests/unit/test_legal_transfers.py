from datetime import date
from decimal import Decimal

import pytest
from conftest import load_engine

transfers = load_engine("site_legal", "transfers")
payments = load_engine("site_dues", "payments")
D = Decimal
Item = payments.OpenItem

DEBTS = [
    Item("FEB", "principal", date(2026, 2, 10), D("100.00")),
    Item("JAN", "principal", date(2026, 1, 10), D("100.00")),
    Item("JAN-FEE", "late_fee", date(2026, 2, 1), D("10.00")),
]


def test_credits_settle_the_oldest_case_debts_first():
    settled = transfers.plan([("PAY1", D("150.00"))], DEBTS)
    assert settled == [
        ("PAY1", "JAN", D("100.00")),
        ("PAY1", "JAN-FEE", D("10.00")),
        ("PAY1", "FEB", D("40.00")),
    ]


def test_later_credits_take_what_is_left_and_keep_the_rest():
    settled = transfers.plan([("PAY1", D("150.00")), ("PAY2", D("500.00"))], DEBTS)
    assert settled[-1] == ("PAY2", "FEB", D("60.00"))
    assert sum(amount for _c, _d, amount in settled) == D("210.00")  # 440 stays a credit


def test_the_sites_order_applies():
    settled = transfers.plan([("PAY", D("10.00"))], DEBTS, "principal_first")
    assert settled == [("PAY", "JAN", D("10.00"))]
    settled = transfers.plan([("PAY", D("10.00"))], DEBTS, "fees_first")
    assert settled == [("PAY", "JAN-FEE", D("10.00"))]


def test_nothing_open_nothing_moved():
    assert transfers.plan([("PAY", D("10"))], []) == []
    with pytest.raises(ValueError, match="must be positive"):
        transfers.plan([("PAY", D("0"))], DEBTS)
