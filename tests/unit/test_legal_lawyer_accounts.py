from decimal import Decimal

import pytest
from conftest import load_engine

accounts = load_engine("site_legal", "lawyer_accounts")
D = Decimal


@pytest.mark.parametrize(
    ("kind", "charge_to", "debit", "credit"),
    [
        ("advance", None, "lawyer", "money"),
        ("expense", "debtor", "debtor", "lawyer"),
        ("expense", "site", "cost", "lawyer"),
        ("fee", "debtor", "debtor", "lawyer"),
        ("fee", "site", "cost", "lawyer"),
        ("collection", None, "lawyer", "debtor"),
        ("remittance", None, "money", "lawyer"),
    ],
)
def test_legs_balance(kind, charge_to, debit, credit):
    legs = accounts.legs(kind, "250.005", charge_to)
    assert [(leg.role, leg.amount) for leg in legs] == [
        (debit, D("250.01")),
        (credit, D("-250.01")),
    ]
    assert sum(leg.amount for leg in legs) == 0


def test_legs_refuse_bad_input():
    with pytest.raises(ValueError, match="Unknown operation"):
        accounts.legs("bribe", 10)
    with pytest.raises(ValueError, match="positive"):
        accounts.legs("advance", 0)
    with pytest.raises(ValueError, match="charged on to the debtor or the site"):
        accounts.legs("expense", 10)


def test_a_lawyers_account_over_a_case():
    # advance 1000, court fee 300 charged on, fee 500 borne by the site, 2000 collected,
    # 1200 passed on: the lawyer still holds 1000 of the site's money
    operations = [
        ("advance", 1000, None),
        ("expense", 300, "debtor"),
        ("fee", 500, "site"),
        ("collection", 2000, None),
        ("remittance", 1200, None),
    ]
    rows = []
    for index, (kind, amount, charge_to) in enumerate(operations):
        for leg in accounts.legs(kind, amount, charge_to):
            if leg.role == "lawyer":
                rows.append((index, max(leg.amount, 0), max(-leg.amount, 0)))
    lines = accounts.running(rows)
    assert [line[3] for line in lines] == [D(1000), D(700), D(200), D(2200), D(1000)]
    assert accounts.totals([("case", debit, credit) for _k, debit, credit in rows]) == {
        "case": (D(3000), D(2000), D(1000))
    }
