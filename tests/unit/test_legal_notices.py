from datetime import date
from decimal import Decimal

from conftest import load_engine

notices = load_engine("site_legal", "notices")
D = Decimal
AS_OF = date(2026, 6, 30)


def test_picks_debtors_by_amount_and_age():
    lines = [
        ("ali", "DUES", date(2026, 3, 10), D("500")),  # 112 days overdue
        ("ali", "HEAT", date(2026, 5, 10), D("250")),
        ("berk", "DUES", date(2026, 6, 10), D("2000")),  # 20 days overdue
        ("cem", "DUES", date(2026, 1, 10), D("100")),  # old but small
    ]
    picked = notices.select_debtors(lines, AS_OF, D("300"), 60)
    assert [debtor.key for debtor in picked] == ["ali"]
    ali = picked[0]
    assert ali.amount == D("750.00")
    assert ali.oldest_due == date(2026, 3, 10)
    assert ali.days_overdue == 112
    assert notices.by_charge_type(ali.items) == {"DUES": D("500"), "HEAT": D("250")}
    assert [d.key for d in notices.select_debtors(lines, AS_OF, D("300"))] == ["ali", "berk"]
    assert [d.key for d in notices.select_debtors(lines, AS_OF, min_days=100)] == ["ali", "cem"]


def test_credits_net_and_debts_not_yet_due_do_not_count():
    lines = [
        ("ali", "DUES", date(2026, 5, 10), D("400")),
        ("ali", False, date(2026, 6, 1), D("-400")),  # a payment not matched yet
        ("berk", "DUES", date(2026, 7, 10), D("900")),  # due after the day
        ("cem", "DUES", date(2026, 6, 29), D("300")),
        ("cem", False, date(2026, 6, 1), D("-100")),
    ]
    picked = notices.select_debtors(lines, AS_OF)
    assert [(d.key, d.amount) for d in picked] == [("cem", D("200.00"))]
    # due on the day itself is not overdue yet
    assert notices.select_debtors([("ali", "DUES", AS_OF, D("10"))], AS_OF) == []
