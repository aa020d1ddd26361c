from datetime import date
from decimal import Decimal

import pytest
from conftest import load_engine

instruments = load_engine("site_accounting", "instruments")
InstrumentError = instruments.InstrumentError


def roles(lines):
    return [(line.role, line.debit, line.credit) for line in lines]


def test_received_cheque_settles_the_debt_into_the_portfolio():
    lines = instruments.entry("cheque", "received", "draft", "portfolio", 1000)
    assert roles(lines) == [
        ("portfolio", Decimal("1000.00"), 0),
        ("receivable", 0, Decimal("1000.00")),
    ]


def test_collection_goes_through_the_bank():
    deposit = instruments.entry("cheque", "received", "portfolio", "deposited", "250.5")
    collect = instruments.entry("cheque", "received", "deposited", "collected", "250.5")
    assert [line.role for line in deposit] == ["collection", "portfolio"]
    assert [line.role for line in collect] == ["bank", "collection"]


def test_bounced_and_returned_reopen_the_debt():
    for state, target, credit in (
        ("deposited", "bounced", "collection"),
        ("portfolio", "returned", "portfolio"),
        ("endorsed", "bounced", "payable"),
    ):
        lines = instruments.entry("cheque", "received", state, target, 10)
        assert [line.role for line in lines] == ["receivable", credit]


def test_endorsement_pays_the_supplier():
    lines = instruments.entry("promissory_note", "received", "portfolio", "endorsed", 10)
    assert [line.role for line in lines] == ["payable", "portfolio"]


def test_steps_without_entry():
    assert instruments.entry("cheque", "received", "endorsed", "collected", 10) == []
    assert instruments.entry("cheque", "received", "bounced", "returned", 10) == []


def test_given_instruments():
    assert [line.role for line in instruments.entry("cheque", "given", "draft", "issued", 5)] == [
        "payable",
        "given",
    ]
    assert [line.role for line in instruments.entry("cheque", "given", "issued", "paid", 5)] == [
        "given",
        "bank",
    ]
    assert [
        line.role for line in instruments.entry("cheque", "given", "issued", "returned", 5)
    ] == ["given", "payable"]


def test_entries_balance_and_round_half_up():
    lines = instruments.entry("cheque", "received", "draft", "portfolio", "10.005")
    assert sum(line.debit for line in lines) == sum(line.credit for line in lines)
    assert lines[0].debit == Decimal("10.01")


def test_refused_steps_say_what_is_allowed():
    with pytest.raises(InstrumentError, match="allowed: deposited, endorsed, returned"):
        instruments.entry("cheque", "received", "portfolio", "collected", 10)
    with pytest.raises(InstrumentError, match="allowed: none"):
        instruments.entry("cheque", "received", "collected", "bounced", 10)
    with pytest.raises(InstrumentError, match="cannot go from"):
        instruments.entry("cheque", "given", "draft", "portfolio", 10)


def test_amount_must_be_positive():
    with pytest.raises(InstrumentError, match="positive"):
        instruments.entry("cheque", "received", "draft", "portfolio", 0)


def test_next_states():
    assert instruments.next_states("received", "portfolio") == ["deposited", "endorsed", "returned"]
    assert instruments.next_states("given", "issued") == ["paid", "returned"]
    assert instruments.next_states("given", "paid") == []


def test_account_codes_of_the_uniform_chart():
    assert instruments.account_code("cheque", "portfolio") == "101"
    assert instruments.account_code("promissory_note", "portfolio") == "121"
    assert instruments.account_code("cheque", "given") == "103"
    assert instruments.account_code("promissory_note", "given") == "321"
    assert instruments.account_code("cheque", "receivable") is None


def test_due_date_not_before_issue_date():
    instruments.check_dates(date(2026, 1, 1), date(2026, 3, 1))
    with pytest.raises(InstrumentError, match="before the issue date"):
        instruments.check_dates(date(2026, 3, 1), date(2026, 1, 1))
