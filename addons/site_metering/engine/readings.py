"""Meter reading checks, consumption and estimation.

A new reading is checked against the meter's earlier readings (oldest first):

- ``lower_than_last`` (refuse): lower than the last reading, unless the meter was
  replaced (``replacement_start``: the new meter's first register value) or rolls over
  (``rollover_at``: the value at which the register returns to zero, e.g. 100000 for a
  five-digit register), in which case ``rollover`` (info) is reported instead;
- ``above_history`` (review, "awaiting acceptance"): consumption per day above
  ``history_factor`` times the meter's own average per day;
- ``above_building_average`` (review): consumption per m² above ``building_factor``
  times the building's average per m² for the same period;
- ``zero_consumption`` (review): no consumption over the last ``zero_periods`` periods;
- ``outside_window`` (refuse): read on a day outside the site's reading window;
- ``missing`` (review, ``check_missing``): no reading for a period at its end.

Estimation (German §9a HeizkostenV, used here too): from the same meter's earlier
periods, else comparable units, else the building average per m²; where more than 25 %
of the area would be estimated, the bill goes by area only.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.site_residents.engine.dates import day_of_month
from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

REFUSE = "refuse"
REVIEW = "review"
INFO = "info"

LOWER_THAN_LAST = "lower_than_last"
ROLLOVER = "rollover"
ABOVE_HISTORY = "above_history"
ABOVE_BUILDING_AVERAGE = "above_building_average"
ZERO_CONSUMPTION = "zero_consumption"
OUTSIDE_WINDOW = "outside_window"
MISSING = "missing"

OWN_HISTORY = "own_history"
COMPARABLE = "comparable"
BUILDING_AVERAGE = "building_average"

ESTIMATED_AREA_LIMIT = Decimal("0.25")


class ReadingError(ValueError):
    """A reading no consumption can be computed from."""


@dataclass(frozen=True)
class Reading:
    date: datetime.date
    value: Decimal


@dataclass(frozen=True)
class Flag:
    code: str
    severity: str  # refuse | review | info
    message: str  # in English; ``params`` let a caller word it in the reader's language
    params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Estimate:
    value: Decimal
    method: str  # own_history | comparable | building_average


def consumption(previous, current, rollover_at=None):
    """Consumption between two register values.

    A lower current value is a rollover when ``rollover_at`` (the register's modulus,
    e.g. 100000 for 99999 → 00000) is given: rollover_at − previous + current, but only
    when that is less than half the register; a wrap that large is a lower reading (a
    typo or a swapped meter), not a register going round. Otherwise it is an error.
    """
    previous, current = to_decimal(previous), to_decimal(current)
    if rollover_at is not None:
        rollover_at = to_decimal(rollover_at)
        if not (0 <= previous < rollover_at and 0 <= current < rollover_at):
            raise ReadingError(
                f"The readings {previous} and {current} do not fit a register of {rollover_at}."
            )
    if current >= previous:
        return current - previous
    wrapped = None if rollover_at is None else rollover_at - previous + current
    if wrapped is None or wrapped * 2 >= rollover_at:
        raise ReadingError(f"The reading {current} is lower than the last one, {previous}.")
    return wrapped


def _periods(readings, rollover_at):
    """(days, consumption) between consecutive readings."""
    periods = []
    for earlier, later in zip(readings, readings[1:]):
        try:
            used = consumption(earlier.value, later.value, rollover_at)
        except ReadingError:
            continue  # an inconsistent pair in the history is left out of the averages
        periods.append(((later.date - earlier.date).days, used))
    return periods


def in_window(day, window):
    """Whether ``day`` (a date) lies in the window ``(first_day, last_day)`` of the month."""
    first, last = _clip(window, day.year, day.month)
    return first <= day.day <= last


def _clip(window, year, month):
    """The window in a given month: days past the month's end become its last day."""
    month_start = datetime.date(year, month, 1)
    return day_of_month(month_start, window[0]).day, day_of_month(month_start, window[1]).day


def next_window_opening(day, window):
    """The first day of the next reading window on or after ``day``."""
    if in_window(day, window):
        return day
    first = window[0]
    if day.day < first:
        year, month = day.year, day.month
    else:
        year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day_of_month(datetime.date(year, month, 1), first)


def check_reading(
    history,
    new,
    *,
    replacement_start=None,
    rollover_at=None,
    history_factor=Decimal("2"),
    building_avg_per_m2=None,
    area=None,
    building_factor=Decimal("2"),
    zero_periods=1,
    window=None,
    reference_rate=None,
):
    """The flags of a new reading (``Reading``) given the meter's ``history`` (oldest first).

    ``replacement_start``: the meter was replaced since the last reading; the new meter
    started at this value. ``building_avg_per_m2``: the building's consumption per m² over
    the same period, compared with this period's consumption / ``area``.
    ``window``: (first_day, last_day) of the month, inclusive; ``None``: any day.
    ``history_factor``: ``None`` leaves the meter's own history out (heating ramps up
    every autumn: without last year's figures the history says nothing).
    ``reference_rate``: the consumption per day to compare with (e.g. the same season
    last year) instead of the average of the meter's history.
    Returns an empty list when nothing is wrong.
    """
    history = sorted(history, key=lambda reading: reading.date)
    flags = []
    if window is not None and not in_window(new.date, window):
        opening = next_window_opening(new.date, window)
        flags.append(
            Flag(
                OUTSIDE_WINDOW,
                REFUSE,
                f"Readings are taken on days {window[0]}–{window[1]} of the month; "
                f"the next window opens on {opening.isoformat()}.",
                {"first": window[0], "last": window[1], "opening": opening},
            )
        )
    if not history:
        return flags
    last = history[-1]
    value = to_decimal(new.value)
    if replacement_start is not None:
        start = to_decimal(replacement_start)
        if value < start:
            flags.append(
                Flag(
                    LOWER_THAN_LAST,
                    REFUSE,
                    f"The reading {value} is lower than the new meter's start {start}.",
                    {"value": value, "start": start},
                )
            )
            return flags
        used = value - start
    elif value < to_decimal(last.value):
        if rollover_at is None:
            flags.append(
                Flag(
                    LOWER_THAN_LAST,
                    REFUSE,
                    f"The reading {value} is lower than the last one, {last.value}.",
                    {"value": value, "last": last.value},
                )
            )
            return flags
        try:
            used = consumption(last.value, value, rollover_at)
        except ReadingError as error:
            flags.append(Flag(LOWER_THAN_LAST, REFUSE, str(error)))
            return flags
        flags.append(
            Flag(
                ROLLOVER,
                INFO,
                f"The register rolled over at {rollover_at}: {used} used.",
                {"rollover_at": rollover_at, "used": used},
            )
        )
    else:
        used = value - to_decimal(last.value)

    days = (new.date - last.date).days
    periods = _periods(history, rollover_at)
    rates = [period_used / period_days for period_days, period_used in periods if period_days > 0]
    if reference_rate is not None:
        rates = [to_decimal(reference_rate)]
    if history_factor is not None and days > 0 and rates:
        average = sum(rates) / len(rates)
        if average > 0 and used / days > to_decimal(history_factor) * average:
            flags.append(
                Flag(
                    ABOVE_HISTORY,
                    REVIEW,
                    f"{used} in {days} days is more than {history_factor} times this "
                    "meter's usual consumption: awaiting acceptance.",
                    {"used": used, "days": days, "factor": history_factor},
                )
            )
    if building_avg_per_m2 is not None and area:
        average = to_decimal(building_avg_per_m2)
        if average > 0 and used / to_decimal(area) > to_decimal(building_factor) * average:
            flags.append(
                Flag(
                    ABOVE_BUILDING_AVERAGE,
                    REVIEW,
                    f"{used} is more than {building_factor} times the building's average "
                    "per m²: awaiting acceptance.",
                    {"used": used, "factor": building_factor},
                )
            )
    recent = [used] + [period_used for _, period_used in reversed(periods)]
    if zero_periods >= 1 and len(recent) >= zero_periods and not any(recent[:zero_periods]):
        flags.append(
            Flag(
                ZERO_CONSUMPTION,
                REVIEW,
                f"No consumption over the last {zero_periods} period(s): "
                "stuck meter, empty flat or tampering?",
                {"periods": zero_periods},
            )
        )
    return flags


def check_missing(history, period_start, period_end):
    """A ``missing`` flag when no reading falls within [period_start, period_end], else None."""
    if any(period_start <= reading.date <= period_end for reading in history):
        return None
    return Flag(
        MISSING,
        REVIEW,
        f"No reading between {period_start.isoformat()} and {period_end.isoformat()}.",
        {"start": period_start, "end": period_end},
    )


def estimate(meter_history, comparable, building_avg_per_m2, area, digits=3):
    """Estimate a period's consumption (German §9a order of methods).

    ``meter_history``: the same meter's consumptions in earlier comparable periods →
    their average. Else ``comparable``: (consumption, area) pairs of comparable units →
    their consumption per m² · ``area``. Else the building's average per m² · ``area``.
    """
    history = [to_decimal(value) for value in meter_history or ()]
    if history:
        value = sum(history) / len(history)
        return Estimate(round_half_up(value, digits), OWN_HISTORY)
    area = to_decimal(area)
    pairs = [(to_decimal(used), to_decimal(size)) for used, size in comparable or ()]
    comparable_area = sum(size for _, size in pairs)
    if comparable_area > 0:
        value = sum(used for used, _ in pairs) / comparable_area * area
        return Estimate(round_half_up(value, digits), COMPARABLE)
    if building_avg_per_m2 is None:
        raise ReadingError(
            "No history, no comparable unit and no building average to estimate from."
        )
    value = to_decimal(building_avg_per_m2) * area
    return Estimate(round_half_up(value, digits), BUILDING_AVERAGE)


def estimated_area_share(areas, estimated_keys):
    """The share (0–1) of the total area whose consumption is estimated.

    ``areas``: {unit key: area}; ``estimated_keys``: the units with an estimate.
    """
    whole = sum((to_decimal(area) for area in areas.values()), Decimal(0))
    if whole <= 0:
        raise ReadingError("The units have no area.")
    estimated = sum((to_decimal(areas[key]) for key in set(estimated_keys)), Decimal(0))
    return estimated / whole


def bill_by_area_only(share, limit=ESTIMATED_AREA_LIMIT):
    """§9a(2): above 25 % estimated area (strictly), the consumption part goes by area."""
    return to_decimal(share) > to_decimal(limit)


def split_by_readings(readings, segments, tolerance_days=7):
    """Each segment's consumption, measured by the reading nearest each change date.

    DOMAIN §4: when the owner or tenant changes inside a period, metered costs are split
    by the reading nearest the change date. ``readings``: [(date, cumulative consumption
    since the period start)] in date order; ``segments``: consecutive (first day, last
    day) pairs covering the period. A change date is a later segment's first day; the
    reading nearest it (a reading on the change date counts for the newcomer, as the
    sale wizard takes it that morning), within ``tolerance_days``, is the split point.
    Returns one consumption per segment, or None when a change date has no reading close
    enough (the caller then splits by days).
    """
    if not segments:
        return []
    if len(segments) == 1:
        return [readings[-1][1] if readings else Decimal(0)]
    total = readings[-1][1] if readings else Decimal(0)
    marks = [Decimal(0)]
    for first_day, _last_day in segments[1:]:
        nearest = min(
            readings,
            key=lambda reading: (abs((reading[0] - first_day).days), reading[0]),
            default=None,
        )
        if nearest is None or abs((nearest[0] - first_day).days) > tolerance_days:
            return None
        # A reading dated before the change date measures up to the day before it.
        marks.append(nearest[1])
    marks.append(total)
    parts = [later - earlier for earlier, later in zip(marks, marks[1:])]
    if any(part < 0 for part in parts):
        return None
    return parts


def same_season_rate(history, day, rollover_at=None, margin_days=45):
    """Consumption per day a year before ``day`` (± ``margin_days``), or None.

    From the consecutive readings of ``history`` whose later reading falls in that
    window: what the meter used in the same season last year.
    """
    anchor = day - datetime.timedelta(days=365)
    used, days = Decimal(0), 0
    ordered = sorted(history, key=lambda reading: reading.date)
    for earlier, later in zip(ordered, ordered[1:]):
        if abs((later.date - anchor).days) > margin_days:
            continue
        try:
            used += consumption(earlier.value, later.value, rollover_at)
        except ReadingError:
            continue
        days += (later.date - earlier.date).days
    return used / days if days > 0 else None
