from decimal import Decimal

import pytest
from conftest import load_engine

payouts = load_engine("site_accounting", "payouts")


def test_oldest_payments_until_the_payout_is_reached():
    payments = [(1, 500), (2, "300.00"), (3, 200)]
    assert payouts.propose(payments, "780") == [1, 2]
    assert payouts.propose(payments, "500") == [1]
    assert payouts.propose(payments, "1200") == [1, 2, 3]


def test_fee_is_gross_less_net():
    result = payouts.settle([500, "300"], "776.80")
    assert result == (Decimal("800.00"), Decimal("776.80"), Decimal("23.20"))


@pytest.mark.parametrize(
    ("amounts", "net", "reason"),
    [
        ([500], "600", "payments_below_payout"),
        ([], "100", "no_payment"),
        ([500], "-5", "not_money_in"),
    ],
)
def test_refused(amounts, net, reason):
    with pytest.raises(payouts.PayoutError) as error:
        payouts.settle(amounts, net)
    assert error.value.reason == reason
