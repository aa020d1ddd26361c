"""Late fees on one debt: exact, idempotent, and fast enough for a whole site.

The same conventions hold under every rule:

- Start: a debt is overdue from the rule's first day, the day after the due date
  (Turkey, Poland) or the first working day after it (Ukraine).
- Payment day: the fee for a day is charged on what was unpaid at the start of
  that day. A payment dated d still bears the fee for day d and stops it from
  d + 1, so the days charged on a paid amount are (payment date - due date): the
  "days of delay" of KMK art. 20 and the Polish "do dnia zapłaty" (day of payment
  included).
- Grace (``grace_days``): a debt fully paid within grace_days after the due date
  bears no fee; one that is not bears it from the first day, as if there had been
  no grace. While the grace runs nothing accrues.
- Free ranges (a rule's ``free_ranges``, e.g. the Ukrainian martial-law
  suspension) and a legal case (a debt's ``frozen_from``) take their days out.
- ``min_amount``: a run whose fee would be below it posts nothing; the amount is
  not lost but stays in the difference the next run sees (see ``fee_to_post``).
  What never reaches it (a debt paid meanwhile) is never posted.

The fee is summed exactly as residual x days x rate over the stretches where all
three are constant, and rounded once at the end: the fee up to a day does not
depend on how earlier runs cut the time, which is what makes posting idempotent.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from odoo.addons.site_residents.engine.dates import is_month_end, month_start
from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

ZERO = Decimal(0)
ONE_DAY = timedelta(days=1)

TURKEY_LEGAL_MONTHLY_RATE = Decimal("0.05")  # KMK art. 20(2): 5 % a month
UKRAINE_MAX_DAILY_RATE = Decimal("0.0001")  # Law 2189-VIII art. 26: 0.01 % a day
# The most a site's rate may be, in percent (of site_rule's rate_percent): the legal caps.
MAX_RATE_PERCENT = {
    "turkey": TURKEY_LEGAL_MONTHLY_RATE * 100,
    "ukraine": UKRAINE_MAX_DAILY_RATE * 100,
}

# Polish statutory late interest (Civil Code art. 481 § 2: NBP reference rate + 5.5
# points), percent a year, from the day given. Data: append a row when the rate changes.
POLAND_STATUTORY_RATES = tuple(
    (date.fromisoformat(day), Decimal(rate))
    for day, rate in (
        ("2016-01-01", "7.0"),
        ("2020-03-18", "6.5"),
        ("2020-04-09", "6.0"),
        ("2020-05-29", "5.6"),
        ("2021-10-07", "6.0"),
        ("2021-11-04", "6.75"),
        ("2021-12-09", "7.25"),
        ("2022-01-05", "7.75"),
        ("2022-02-09", "8.25"),
        ("2022-03-09", "9.0"),
        ("2022-04-07", "10.0"),
        ("2022-05-06", "10.75"),
        ("2022-06-09", "11.5"),
        ("2022-07-08", "12.0"),
        ("2022-09-08", "12.25"),
        ("2023-09-07", "11.5"),
        ("2023-10-05", "11.25"),
        ("2025-05-08", "10.75"),
        ("2025-07-03", "10.5"),
        ("2025-09-04", "10.25"),
        ("2025-10-09", "10.0"),
    )
)


class Debt(NamedTuple):
    """One charge that can fall overdue.

    ``payments`` are (date, amount) pairs of principal repaid; what they pay beyond
    the principal is ignored here. ``frozen_from``: the day a legal case stopped the
    fee (set it only where the site freezes fees when a case opens). A named tuple: a
    run makes one per overdue charge, a hundred thousand at a time.
    """

    key: object
    due_date: date
    principal: Decimal
    payments: tuple = ()
    frozen_from: date | None = None


@dataclass(frozen=True, kw_only=True)
class LateFeeRule:
    """What every rule takes, as keyword arguments: see the module docstring.

    A rule says from which day a debt is overdue (``first_day``), and the daily
    fee per unit of residual as ``numerator / denominator`` over stretches of days
    (``pieces``), so that sums stay exact until the one division at the end.
    """

    grace_days: int = 0
    min_amount: Decimal = ZERO
    free_ranges: tuple = ()
    denominator = Decimal(1)
    _free: tuple = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self):
        if self.grace_days < 0:
            raise ValueError("grace_days cannot be negative.")
        if self.min_amount < 0:
            raise ValueError("min_amount cannot be negative.")
        ranges = tuple(sorted((first, last) for first, last in self.free_ranges))
        for first, last in ranges:
            if last < first:
                raise ValueError(f"Free range {first} - {last} ends before it starts.")
        object.__setattr__(self, "free_ranges", ranges)
        object.__setattr__(self, "_free", tuple((f.toordinal(), t.toordinal()) for f, t in ranges))

    def first_day(self, due_date):
        return due_date + ONE_DAY

    def pieces(self, first, last):
        """(first, last, numerator) stretches covering ordinals first..last."""
        raise NotImplementedError

    def cap(self, principal):
        """The most all fees of a debt may reach together; None: no cap."""
        return None

    def daily_factor(self, day):
        """The fee of ``day`` per unit of residual (for display and checks)."""
        [(_, _, numerator)] = self.pieces(day.toordinal(), day.toordinal())
        return numerator / self.denominator

    def chargeable(self, first, last):
        """Ordinal stretches of first..last outside the free ranges."""
        for free_first, free_last in self._free:
            if free_last < first:
                continue
            if free_first > last:
                break
            if free_first > first:
                yield first, free_first - 1
            first = max(first, free_last + 1)
        if first <= last:
            yield first, last


@dataclass(frozen=True)
class TurkeyRule(LateFeeRule):
    """KMK art. 20: simple interest, residual x monthly_rate x days / 30.

    A site may decide a lower rate, never a higher one than the legal 5 %.
    """

    monthly_rate: Decimal = TURKEY_LEGAL_MONTHLY_RATE
    denominator = Decimal(30)

    def __post_init__(self):
        super().__post_init__()
        if not ZERO <= self.monthly_rate <= TURKEY_LEGAL_MONTHLY_RATE:
            raise ValueError(
                f"The monthly late-fee rate must be between 0 and the legal "
                f"{TURKEY_LEGAL_MONTHLY_RATE} (KMK art. 20); got {self.monthly_rate}."
            )

    def pieces(self, first, last):
        yield first, last, self.monthly_rate


@dataclass(frozen=True)
class PolandRule(LateFeeRule):
    """Statutory interest: residual x rate / 100 x days / 365, the rate of each day.

    ``rates``: (first day, percent a year) rows, in any order; a period that
    crosses a change is split at it.
    """

    rates: tuple = POLAND_STATUTORY_RATES
    denominator = Decimal(36500)
    _starts: tuple = field(init=False, repr=False, compare=False, default=())

    def __post_init__(self):
        super().__post_init__()
        rows = tuple(sorted(self.rates))
        if not rows:
            raise ValueError("The statutory rate table is empty.")
        for (day, rate), following in zip(rows, rows[1:] + (None,)):
            if rate < 0:
                raise ValueError(f"The rate from {day} is negative: {rate}.")
            if following and following[0] == day:
                raise ValueError(f"Two rates start on {day}.")
        object.__setattr__(self, "rates", rows)
        object.__setattr__(self, "_starts", tuple(day.toordinal() for day, _ in rows))

    def pieces(self, first, last):
        index = bisect_right(self._starts, first) - 1
        if index < 0:
            raise ValueError(
                f"No statutory rate is known before {self.rates[0][0]}; "
                f"the debt is overdue from {date.fromordinal(first)}."
            )
        while first <= last:
            following = index + 1
            end = last if following == len(self._starts) else min(last, self._starts[following] - 1)
            yield first, end, self.rates[index][1]
            first, index = end + 1, following


@dataclass(frozen=True)
class UkraineRule(LateFeeRule):
    """Law 2189-VIII art. 26: at most 0.01 % a day, from the first working day
    after the due date, all penalties of a debt together at most its principal
    (``cap_ratio`` <= 1). ``holidays``: days off besides Saturdays and Sundays.
    """

    daily_rate: Decimal = UKRAINE_MAX_DAILY_RATE
    cap_ratio: Decimal = Decimal(1)
    holidays: frozenset = frozenset()

    def __post_init__(self):
        super().__post_init__()
        if not ZERO <= self.daily_rate <= UKRAINE_MAX_DAILY_RATE:
            raise ValueError(
                f"The daily penalty rate must be between 0 and {UKRAINE_MAX_DAILY_RATE} "
                f"(0.01 %, Law 2189-VIII art. 26); got {self.daily_rate}."
            )
        if not ZERO <= self.cap_ratio <= 1:
            raise ValueError(
                f"Penalties cannot exceed the debt: cap_ratio must be between 0 and 1; "
                f"got {self.cap_ratio}."
            )

    def first_day(self, due_date):
        day = due_date + ONE_DAY
        while day.weekday() >= 5 or day in self.holidays:
            day += ONE_DAY
        return day

    def pieces(self, first, last):
        yield first, last, self.daily_rate

    def cap(self, principal):
        return principal * self.cap_ratio


def _drops(debt):
    """(first ordinal without the amount, amount) for each payment, capped at the principal."""
    drops, paid = [], ZERO
    for day, amount in sorted(debt.payments):
        amount = min(amount, debt.principal - paid)
        if amount > 0:
            drops.append((day.toordinal() + 1, amount))
            paid += amount
    return drops


def _residual_days(principal, drops, first, last):
    """Sum over the days first..last of the residual at the start of each day."""
    total = principal * (last - first + 1)
    for drop_from, amount in drops:
        if drop_from <= last:
            total -= amount * (last - max(first, drop_from) + 1)
    return total


def _weighted_days(debt, until, rule):
    """Sum over the chargeable days of ``debt`` up to ``until`` of the day's numerator x
    the residual at its start; None: no fee (in its grace, or not overdue yet)."""
    if rule.grace_days:
        grace_end = debt.due_date + timedelta(days=rule.grace_days)
        if until <= grace_end:
            return None
        if sum((a for day, a in debt.payments if day <= grace_end), ZERO) >= debt.principal:
            return None
    first = rule.first_day(debt.due_date).toordinal()
    last = until.toordinal()
    if debt.frozen_from is not None:
        last = min(last, debt.frozen_from.toordinal() - 1)
    if last < first:
        return None
    drops = _drops(debt)
    total = ZERO
    for stretch_first, stretch_last in rule.chargeable(first, last):
        for piece_first, piece_last, numerator in rule.pieces(stretch_first, stretch_last):
            total += numerator * _residual_days(debt.principal, drops, piece_first, piece_last)
    return total


def _fee(debt, until, rule, never_paid=None):
    """The fee of ``debt`` up to and including ``until``, not rounded.

    ``never_paid``: a dict kept over the debts of one day and rule, {due date: the
    weighted days of a debt of 1 of that due date}. A debt nothing paid and no case
    froze weighs its principal times that: the sums are exact, so its fee is the one
    computed day by day, once per due date instead of once per debt.
    """
    if never_paid is not None and not debt.payments and debt.frozen_from is None:
        if debt.due_date not in never_paid:
            never_paid[debt.due_date] = _weighted_days(
                Debt(None, debt.due_date, Decimal(1)), until, rule
            )
        per_unit = never_paid[debt.due_date]
        total = None if per_unit is None else debt.principal * per_unit
    else:
        total = _weighted_days(debt, until, rule)
    if total is None:
        return ZERO
    fee = total / rule.denominator
    cap = rule.cap(debt.principal)
    return fee if cap is None else min(fee, cap)


def accrued(debt, until, rule, digits=2, never_paid=None):
    """The whole fee of ``debt`` from its first overdue day up to ``until`` inclusive."""
    return round_half_up(_fee(debt, until, rule, never_paid), digits)


def fee_to_post(debt, until, rule, already_posted=ZERO, digits=2, never_paid=None):
    """What a run on ``until`` posts: accrued(until) - already_posted.

    Never negative, and nothing when below the rule's ``min_amount``. Because
    ``accrued`` depends only on the debt and the day, posting this after every run
    keeps the posted total equal to accrued(last posting day), whichever days the
    runs fall on: a second run the same day posts 0 and no day is charged twice.
    If back-dated payments lower ``accrued`` below what was posted, this returns 0;
    crediting the excess is the caller's decision.
    """
    amount = accrued(debt, until, rule, digits, never_paid) - already_posted
    if amount <= 0 or amount < rule.min_amount:
        return round_half_up(ZERO, digits)
    return amount


def site_rule(
    method,
    rate_percent=ZERO,
    *,
    polish_rates=(),
    grace_days=0,
    min_amount=ZERO,
    pauses=(),
    date_start=None,
):
    """The rule of a site's settings.

    ``method``: "turkey", "poland" or "ukraine" (the law followed); ``rate_percent``:
    the site's rate in percent, a month in Turkey and a day in Ukraine (Poland uses
    ``polish_rates``, (first day, percent a year) rows); ``pauses``: (first, last)
    days without fees; ``date_start``: no fee accrues on the days before it. Raises
    ValueError for settings the law does not allow.
    """
    free_ranges = tuple(pauses)
    if date_start:
        free_ranges += ((date.min, date_start - ONE_DAY),)
    common = {
        "grace_days": grace_days,
        "min_amount": to_decimal(min_amount),
        "free_ranges": free_ranges,
    }
    rate = to_decimal(rate_percent) / 100
    if method == "turkey":
        return TurkeyRule(monthly_rate=rate, **common)
    if method == "poland":
        return PolandRule(rates=tuple(polish_rates), **common)
    if method == "ukraine":
        return UkraineRule(daily_rate=rate, **common)
    raise ValueError(f"No late-fee rule is known as {method!r}.")


def cron_date(today, frequency):
    """The day a scheduled run computes a site's fees up to; ``today`` is the site's
    day (in its time zone), ``frequency`` "daily" or "monthly".

    Daily: today. The fee of a day is charged on what is unpaid at its start (a
    payment dated today still bears today's fee), so today's fee is known in the
    morning and its entry is dated today, never in a closed period. Monthly: the
    month's last day, caught up on any later day (the previous month's last day).
    """
    if frequency == "daily" or is_month_end(today):
        return today
    return month_start(today) - ONE_DAY


def ledger_debt(key, due_date, principal, entry, settlements, frozen_from=None):
    """A charge of the ledger as a Debt.

    ``entry``: the charge's journal entry; ``settlements``: (date, amount, reversed
    entry) of what was matched with the charge, the reversed entry being the one the
    matched entry reverses (None for a payment). A reversal of the charge's own entry
    cancels the charge: it counts as paid on the due date, so that a reversed charge
    never bore a fee, whenever it was reversed.
    """
    return Debt(
        key,
        due_date,
        to_decimal(principal),
        tuple(
            (due_date if reversed_entry == entry else day, to_decimal(amount))
            for day, amount, reversed_entry in settlements
        )
        if settlements
        else (),
        frozen_from,
    )


def by_payer(amounts, payers):
    """A run's fees gathered per payer, as it posts them: one fee line per payer (a
    statement shows a run's fees as one line, and ten thousand lines post in seconds
    where a hundred thousand would not), broken down per debt.

    ``amounts``: {debt key: fee to post}; ``payers``: {debt key: payer}, a payer being
    e.g. (unit, partner). Returns {payer: {debt key: fee}}, the positive fees only,
    payers in the order they first appear and each one's debts in the order of
    ``amounts``.
    """
    fees = {}
    for key, amount in amounts.items():
        if amount > 0:
            payer = payers[key]
            if payer in fees:
                fees[payer][key] = amount
            else:
                fees[payer] = {key: amount}
    return fees


def compute_many(debts, until, rule, posted=None, digits=2):
    """fee_to_post for every debt: {debt.key: amount}, zeros included.

    ``posted``: {debt.key: fee already posted}; missing keys count as 0.
    """
    posted = posted or {}
    never_paid = {}
    return {
        debt.key: fee_to_post(debt, until, rule, posted.get(debt.key, ZERO), digits, never_paid)
        for debt in debts
    }
