import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from conftest import load_engine

late_fees = load_engine("site_dues", "late_fees")
D = Decimal
Debt = late_fees.Debt
ONE_DAY = timedelta(days=1)


def d(text):
    return date.fromisoformat(text)


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += ONE_DAY


# Turkey: residual x 5 % x days / 30 (KMK art. 20)


def test_turkey_45_days():
    # 2025-02-01 .. 2025-03-17 = 28 + 17 = 45 days: 1,000 x 0.05 x 45 / 30 = 75.00
    debt = Debt("D1", d("2025-01-31"), D("1000.00"))
    assert late_fees.accrued(debt, d("2025-03-17"), late_fees.TurkeyRule()) == D("75.00")


def test_turkey_partial_payment_lowers_the_residual_from_the_next_day():
    # 400 paid on 2025-02-15: the 15 days 02-01 .. 02-15 on 1,000 (the payment day still
    # counts), the 30 days 02-16 .. 03-17 on 600:
    # (15 x 1,000 + 30 x 600) x 0.05 / 30 = 33,000 x 0.05 / 30 = 55.00
    debt = Debt("D1", d("2025-01-31"), D("1000.00"), ((d("2025-02-15"), D("400.00")),))
    assert late_fees.accrued(debt, d("2025-03-17"), late_fees.TurkeyRule()) == D("55.00")


def test_turkey_days_charged_are_payment_date_minus_due_date():
    rule = late_fees.TurkeyRule()
    on_time = Debt("D1", d("2025-01-31"), D("1000.00"), ((d("2025-01-31"), D("1000.00")),))
    one_day_late = Debt("D2", d("2025-01-31"), D("1000.00"), ((d("2025-02-01"), D("1000.00")),))
    assert late_fees.accrued(on_time, d("2025-12-31"), rule) == D("0.00")
    # 1 day: 1,000 x 0.05 / 30 = 1.666.. -> 1.67, and nothing after the payment
    assert late_fees.accrued(one_day_late, d("2025-12-31"), rule) == D("1.67")


def test_turkey_site_rate_of_two_percent():
    # 1,000 x 0.02 x 45 / 30 = 30.00
    debt = Debt("D1", d("2025-01-31"), D("1000.00"))
    rule = late_fees.TurkeyRule(D("0.02"))
    assert late_fees.accrued(debt, d("2025-03-17"), rule) == D("30.00")


@pytest.mark.parametrize("rate", ["0.0501", "0.06", "-0.01"])
def test_turkey_rate_outside_the_legal_range_is_refused(rate):
    with pytest.raises(ValueError, match="KMK art. 20"):
        late_fees.TurkeyRule(D(rate))


def test_nothing_accrues_on_or_before_the_due_date():
    debt = Debt("D1", d("2025-01-31"), D("1000.00"))
    assert late_fees.accrued(debt, d("2025-01-31"), late_fees.TurkeyRule()) == D("0.00")
    assert late_fees.accrued(debt, d("2024-12-01"), late_fees.TurkeyRule()) == D("0.00")


# Poland: statutory interest, rate / 100 x days / 365, the rate of each day


def test_poland_rate_table_is_the_published_one():
    rates = late_fees.POLAND_STATUTORY_RATES
    assert len(rates) == 21
    assert rates[0] == (d("2016-01-01"), D("7.0"))
    assert (d("2023-10-05"), D("11.25")) in rates
    assert rates[-1] == (d("2025-10-09"), D("10.0"))
    assert [day for day, _ in rates] == sorted(day for day, _ in rates)


def test_poland_period_across_two_rate_changes():
    # 10,000.00 due 2025-04-30, until 2025-07-31 (92 days):
    #   05-01 .. 05-07   7 days at 11.25 %: 10,000 x 11.25 x  7 / 36,500 =  21.5753..
    #   05-08 .. 07-02  56 days at 10.75 %: 10,000 x 10.75 x 56 / 36,500 = 164.9315..
    #   07-03 .. 07-31  29 days at 10.50 %: 10,000 x 10.50 x 29 / 36,500 =  83.4246..
    #   total (787,500 + 6,020,000 + 3,045,000) / 36,500 = 269.9315.. -> 269.93
    debt = Debt("F1", d("2025-04-30"), D("10000.00"))
    rule = late_fees.PolandRule()
    assert late_fees.accrued(debt, d("2025-07-31"), rule) == D("269.93")
    assert rule.daily_factor(d("2025-05-07")) == D("11.25") / 36500
    assert rule.daily_factor(d("2025-05-08")) == D("10.75") / 36500


def test_poland_payment_inside_a_rate_period():
    # as above, 4,000 paid on 2025-06-30:
    #   05-01 .. 05-07   7 days x 10,000 x 11.25 =   787,500
    #   05-08 .. 06-30  54 days x 10,000 x 10.75 = 5,805,000
    #   07-01 .. 07-02   2 days x  6,000 x 10.75 =   129,000
    #   07-03 .. 07-31  29 days x  6,000 x 10.50 = 1,827,000
    #   8,548,500 / 36,500 = 234.2054.. -> 234.21
    debt = Debt("F1", d("2025-04-30"), D("10000.00"), ((d("2025-06-30"), D("4000.00")),))
    assert late_fees.accrued(debt, d("2025-07-31"), late_fees.PolandRule()) == D("234.21")


def test_poland_site_table_and_unknown_early_rate():
    rule = late_fees.PolandRule([(d("2025-01-01"), D("10")), (d("2024-01-01"), D("20"))])
    # 2024-12-31 at 20 %, 2025-01-01 .. 01-02 at 10 %: 36,500 x (20 + 2 x 10) / 36,500 = 40.00
    debt = Debt("F1", d("2024-12-30"), D("36500.00"))
    assert late_fees.accrued(debt, d("2025-01-02"), rule) == D("40.00")
    with pytest.raises(ValueError, match="No statutory rate"):
        late_fees.accrued(Debt("F2", d("2023-06-30"), D("1")), d("2025-01-02"), rule)
    with pytest.raises(ValueError, match="Two rates"):
        late_fees.PolandRule([(d("2025-01-01"), D("10")), (d("2025-01-01"), D("11"))])


# Ukraine: at most 0.01 % a day from the first working day, capped at the debt


def test_ukraine_penalty_starts_on_the_first_working_day():
    # due Friday 2025-01-31: Saturday and Sunday are free, Monday 02-03 is day one;
    # 02-03 .. 02-28 = 26 days x 5,000 x 0.0001 = 13.00
    assert d("2025-01-31").weekday() == 4
    debt = Debt("U1", d("2025-01-31"), D("5000.00"))
    rule = late_fees.UkraineRule()
    assert late_fees.accrued(debt, d("2025-02-02"), rule) == D("0.00")
    assert late_fees.accrued(debt, d("2025-02-03"), rule) == D("0.50")
    assert late_fees.accrued(debt, d("2025-02-28"), rule) == D("13.00")


def test_ukraine_holiday_moves_the_start():
    # due Thursday 2025-01-30, Friday a holiday: the penalty starts on Monday 02-03
    debt = Debt("U1", d("2025-01-30"), D("5000.00"))
    rule = late_fees.UkraineRule(holidays=frozenset({d("2025-01-31")}))
    assert rule.first_day(d("2025-01-30")) == d("2025-02-03")
    assert late_fees.accrued(debt, d("2025-02-03"), rule) == D("0.50")
    assert late_fees.accrued(debt, d("2025-02-03"), late_fees.UkraineRule()) == D("2.00")


def test_ukraine_cap_at_the_whole_debt():
    # 1,000 overdue 12,000 days at 0.01 %: 1,200.00 uncapped, capped at 1,000.00
    debt = Debt("U1", d("2000-01-03"), D("1000.00"))
    rule = late_fees.UkraineRule()
    start = rule.first_day(debt.due_date)
    assert start == d("2000-01-04")
    assert late_fees.accrued(debt, start + timedelta(days=4999), rule) == D("500.00")
    assert late_fees.accrued(debt, start + timedelta(days=11999), rule) == D("1000.00")
    half = late_fees.UkraineRule(cap_ratio=D("0.5"))
    assert late_fees.accrued(debt, start + timedelta(days=11999), half) == D("500.00")


def test_ukraine_free_range_suspends_the_penalty():
    # 02-10 .. 02-16 suspended (e.g. the martial-law resolution): 26 - 7 = 19 days -> 9.50
    debt = Debt("U1", d("2025-01-31"), D("5000.00"))
    rule = late_fees.UkraineRule(free_ranges=[(d("2025-02-10"), d("2025-02-16"))])
    assert late_fees.accrued(debt, d("2025-02-28"), rule) == D("9.50")


@pytest.mark.parametrize(
    "kwargs", [{"daily_rate": D("0.00011")}, {"cap_ratio": D("1.5")}, {"daily_rate": D("-1")}]
)
def test_ukraine_limits_of_the_law_are_enforced(kwargs):
    with pytest.raises(ValueError):
        late_fees.UkraineRule(**kwargs)


# Options common to every rule


def test_grace_period():
    rule = late_fees.TurkeyRule(grace_days=10)  # grace ends 2025-02-10
    unpaid = Debt("D1", d("2025-01-31"), D("1000.00"))
    assert late_fees.accrued(unpaid, d("2025-02-10"), rule) == D("0.00")
    # past the grace: from the day after the due date, 11 days -> 18.33
    assert late_fees.accrued(unpaid, d("2025-02-11"), rule) == D("18.33")
    paid_in_grace = Debt("D2", d("2025-01-31"), D("1000.00"), ((d("2025-02-05"), D("1000.00")),))
    assert late_fees.accrued(paid_in_grace, d("2025-12-31"), rule) == D("0.00")
    # paid after the grace: all 15 days count -> 25.00
    paid_late = Debt("D3", d("2025-01-31"), D("1000.00"), ((d("2025-02-15"), D("1000.00")),))
    assert late_fees.accrued(paid_late, d("2025-12-31"), rule) == D("25.00")


def test_legal_case_freezes_the_fee():
    # frozen from 2025-03-01: 02-01 .. 02-28 = 28 days -> 1,000 x 0.05 x 28 / 30 = 46.67
    debt = Debt("D1", d("2025-01-31"), D("1000.00"), frozen_from=d("2025-03-01"))
    assert late_fees.accrued(debt, d("2025-12-31"), late_fees.TurkeyRule()) == D("46.67")


def test_free_ranges_must_be_ordered():
    with pytest.raises(ValueError, match="ends before"):
        late_fees.TurkeyRule(free_ranges=[(d("2025-02-10"), d("2025-02-01"))])


def test_overpayment_does_not_make_a_negative_fee():
    debt = Debt("D1", d("2025-01-31"), D("100.00"), ((d("2025-02-10"), D("150.00")),))
    # 10 days on 100: 100 x 0.05 x 10 / 30 = 1.666.. -> 1.67
    assert late_fees.accrued(debt, d("2025-12-31"), late_fees.TurkeyRule()) == D("1.67")


# Posting: idempotent, no drift


def post_daily(debt, first, last, rule):
    posted, postings = D("0.00"), []
    for day in days(first, last):
        amount = late_fees.fee_to_post(debt, day, rule, posted)
        if amount:
            postings.append((day, amount))
        posted += amount
    return posted, postings


@pytest.mark.parametrize(
    "rule",
    [late_fees.TurkeyRule(), late_fees.PolandRule(), late_fees.UkraineRule()],
    ids=["turkey", "poland", "ukraine"],
)
def test_posting_day_by_day_sums_to_the_accrued_total(rule):
    debt = Debt(
        "D1",
        d("2025-04-30"),
        D("3333.33"),
        ((d("2025-05-13"), D("1000.01")), (d("2025-06-20"), D("7.77"))),
    )
    posted, _ = post_daily(debt, d("2025-05-01"), d("2025-07-31"), rule)
    assert posted == late_fees.accrued(debt, d("2025-07-31"), rule)
    assert late_fees.fee_to_post(debt, d("2025-07-31"), rule, posted) == D("0.00")


def test_any_cut_of_the_period_gives_the_same_total():
    debt = Debt("D1", d("2025-01-31"), D("1234.56"), ((d("2025-03-03"), D("234.56")),))
    rule = late_fees.PolandRule()
    rng = random.Random(3)
    run_days = sorted(rng.sample(list(days(d("2025-02-01"), d("2025-09-30"))), 12))
    posted = D("0")
    for day in [*run_days, d("2025-09-30")]:
        posted += late_fees.fee_to_post(debt, day, rule, posted)
    assert posted == late_fees.accrued(debt, d("2025-09-30"), rule)


def test_min_amount_carries_the_small_fees_over():
    # 1.666.. a day: nothing on days 1 and 2, 5.00 on day 3, and so on; on 02-28
    # 45.00 is posted and the 1.67 of day 28 waits for the next run.
    debt = Debt("D1", d("2025-01-31"), D("1000.00"))
    rule = late_fees.TurkeyRule(min_amount=D("5.00"))
    posted, postings = post_daily(debt, d("2025-02-01"), d("2025-02-28"), rule)
    assert postings[:2] == [(d("2025-02-03"), D("5.00")), (d("2025-02-06"), D("5.00"))]
    assert all(amount >= D("5.00") for _, amount in postings)
    assert posted == D("45.00")
    assert late_fees.accrued(debt, d("2025-02-28"), rule) == D("46.67")
    assert late_fees.fee_to_post(debt, d("2025-03-03"), rule, posted) == D("6.67")


def test_back_dated_payment_never_makes_a_negative_posting():
    debt = Debt("D1", d("2025-01-31"), D("1000.00"), ((d("2025-02-01"), D("1000.00")),))
    # 75.00 was posted before the payment, dated the day after the due date, was recorded
    rule = late_fees.TurkeyRule()
    assert late_fees.fee_to_post(debt, d("2025-03-17"), rule, D("75.00")) == D("0.00")


# The closed form against a day-by-day loop


def day_by_day(debt, until, rule):
    if rule.grace_days:
        grace_end = debt.due_date + timedelta(days=rule.grace_days)
        paid = sum((a for day, a in debt.payments if day <= grace_end), D(0))
        if until <= grace_end or paid >= debt.principal:
            return D(0)
    total = D(0)
    for day in days(rule.first_day(debt.due_date), until):
        if debt.frozen_from and day >= debt.frozen_from:
            break
        if any(first <= day <= last for first, last in rule.free_ranges):
            continue
        paid = min(debt.principal, sum((a for p, a in debt.payments if p < day), D(0)))
        total += (debt.principal - paid) * rule.daily_factor(day)
    cap = rule.cap(debt.principal)
    return total if cap is None else min(total, cap)


# a rule of each law with its options: grace, minimum, free ranges, holidays and cap
VARIED_RULES = pytest.mark.parametrize(
    "rule",
    [
        late_fees.TurkeyRule(D("0.03"), grace_days=5, min_amount=D("1.00")),
        late_fees.PolandRule(free_ranges=[(d("2025-05-01"), d("2025-05-10"))]),
        late_fees.UkraineRule(
            cap_ratio=D("0.01"),
            holidays=frozenset({d("2025-03-10")}),
            free_ranges=[(d("2025-02-01"), d("2025-02-03")), (d("2025-06-01"), d("2025-06-30"))],
        ),
    ],
    ids=["turkey", "poland", "ukraine"],
)


@VARIED_RULES
def test_closed_form_matches_a_day_by_day_sum(rule):
    rng = random.Random(5)
    for index in range(150):
        due = d("2025-01-01") + timedelta(days=rng.randrange(200))
        payments = tuple(
            (due + timedelta(days=rng.randrange(-5, 150)), D(rng.randrange(1, 90000)).scaleb(-2))
            for _ in range(rng.randrange(4))
        )
        frozen = due + timedelta(days=rng.randrange(1, 200)) if index % 5 == 0 else None
        debt = Debt(index, due, D(rng.randrange(100, 100000)).scaleb(-2), payments, frozen)
        until = due + timedelta(days=rng.randrange(-3, 300))
        exact = late_fees.accrued(debt, until, rule, digits=8)
        assert abs(exact - day_by_day(debt, until, rule)) <= D("1E-8"), debt


# Batches


def test_compute_many_handles_a_hundred_thousand_debts():
    rng = random.Random(7)
    debts = []
    for index in range(100_000):
        due = d("2024-01-01") + timedelta(days=rng.randrange(500))
        payments = tuple(
            (due + timedelta(days=rng.randrange(1, 200)), D(rng.randrange(100, 20000)).scaleb(-2))
            for _ in range(rng.randrange(4))
        )
        debts.append(Debt(index, due, D(rng.randrange(1000, 500000)).scaleb(-2), payments))
    rule = late_fees.PolandRule()
    posted = {0: D("5.00"), 1: D("100000.00")}
    result = late_fees.compute_many(debts, d("2025-10-31"), rule, posted)
    assert len(result) == 100_000
    assert result[1] == D("0.00")
    for debt in rng.sample(debts, 200) + debts[:2]:
        expected = late_fees.fee_to_post(debt, d("2025-10-31"), rule, posted.get(debt.key, D(0)))
        assert result[debt.key] == expected


@VARIED_RULES
def test_compute_many_shares_a_due_dates_sum_without_changing_a_fee(rule):
    # debts nothing paid share their due date's sum: each fee is still the one
    # fee_to_post computes alone, to the cent, capped and graced as the rule says
    rng = random.Random(11)
    until = d("2025-09-30")
    debts = []
    for index in range(3000):
        due = d("2025-01-01") + timedelta(days=rng.randrange(280))
        payments = ((due + timedelta(days=3), D("10.00")),) if index % 7 == 0 else ()
        frozen = due + timedelta(days=20) if index % 11 == 0 else None
        principal = D(rng.randrange(1, 1000000)).scaleb(-2)
        debts.append(Debt(index, due, principal, payments, frozen))
    posted = {debt.key: D("0.50") for debt in debts[::13]}
    result = late_fees.compute_many(debts, until, rule, posted)
    assert any(result.values()) and not all(result.values())
    for debt in debts:
        alone = late_fees.fee_to_post(debt, until, rule, posted.get(debt.key, D(0)))
        assert result[debt.key] == alone, debt


# From a site's settings and ledger to the engine's terms


def test_site_rule_of_each_law():
    rule = late_fees.site_rule("turkey", 3.0, grace_days=5, min_amount=2.5)
    assert (rule.monthly_rate, rule.grace_days, rule.min_amount) == (D("0.03"), 5, D("2.5"))
    assert late_fees.site_rule("ukraine", 0.01).daily_rate == D("0.0001")
    table = ((d("2025-01-01"), D("10.0")),)
    assert late_fees.site_rule("poland", polish_rates=table).rates == table
    with pytest.raises(ValueError, match="empty"):
        late_fees.site_rule("poland")
    with pytest.raises(ValueError, match="legal"):
        late_fees.site_rule("turkey", 5.5)
    with pytest.raises(ValueError, match="known"):
        late_fees.site_rule("none")


def test_site_rule_start_date_and_pauses_are_free_days():
    rule = late_fees.site_rule(
        "turkey",
        5,
        pauses=[(d("2025-03-10"), d("2025-03-19"))],
        date_start=d("2025-03-01"),
    )
    assert rule.free_ranges == (
        (date.min, d("2025-02-28")),
        (d("2025-03-10"), d("2025-03-19")),
    )
    # 1,000.00 due 2025-01-31, up to 2025-03-31: 1 to 9 and 20 to 31 March = 21 days
    debt = Debt("D1", d("2025-01-31"), D("1000.00"))
    assert late_fees.accrued(debt, d("2025-03-31"), rule) == D("35.00")


@pytest.mark.parametrize(
    "today, frequency, expected",
    [
        ("2025-03-17", "daily", "2025-03-17"),
        ("2025-03-31", "daily", "2025-03-31"),
        ("2025-03-31", "monthly", "2025-03-31"),
        ("2025-03-17", "monthly", "2025-02-28"),
        ("2024-03-01", "monthly", "2024-02-29"),
        ("2025-01-05", "monthly", "2024-12-31"),
    ],
)
def test_cron_date(today, frequency, expected):
    assert late_fees.cron_date(d(today), frequency) == d(expected)


def test_ledger_debt_counts_a_reversal_as_paid_on_the_due_date():
    settlements = [
        (d("2025-02-15"), 400.0, None),  # a payment
        (d("2025-03-20"), 600.0, "MOVE-1"),  # the reversal of the charge's entry
    ]
    debt = late_fees.ledger_debt(7, d("2025-01-31"), 1000.0, "MOVE-1", settlements)
    assert debt == Debt(
        7,
        d("2025-01-31"),
        D("1000.0"),
        ((d("2025-02-15"), D("400.0")), (d("2025-01-31"), D("600.0"))),
    )
    # 15 days on 400.00 only: the reversed 600.00 never bore a fee
    assert late_fees.accrued(debt, d("2025-03-31"), late_fees.TurkeyRule()) == D("10.00")


def test_ledger_debt_a_reversal_of_another_entry_is_a_payment():
    settlements = [(d("2025-02-10"), 1000.0, "OTHER")]
    debt = late_fees.ledger_debt(7, d("2025-01-31"), 1000.0, "MOVE-1", settlements, d("2025-06-01"))
    assert debt.payments == ((d("2025-02-10"), D("1000.0")),)
    assert debt.frozen_from == d("2025-06-01")


def test_by_payer_one_fee_per_unit_and_partner():
    amounts = {1: D("75.00"), 2: D("0.00"), 3: D("16.67"), 4: D("5.00")}
    payers = {1: ("A-1", "Ali"), 2: ("A-1", "Ali"), 3: ("A-2", "Berk"), 4: ("A-1", "Ali")}
    fees = late_fees.by_payer(amounts, payers)
    assert fees == {
        ("A-1", "Ali"): {1: D("75.00"), 4: D("5.00")},
        ("A-2", "Berk"): {3: D("16.67")},
    }
    assert list(fees) == [("A-1", "Ali"), ("A-2", "Berk")]
    assert list(fees[("A-1", "Ali")]) == [1, 4]
    assert late_fees.by_payer({}, {}) == {}
