"""Calendar rules shared by the suite's engines and models: months and days in them."""

import calendar


def month_start(day):
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day):
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def day_of_month(month, day):
    """Day ``day`` of ``month``'s month, kept within it: day 31 of February is its last
    day, day 0 or less its first (a site's due day, a reading day)."""
    return month.replace(day=min(max(day or 1, 1), month_end(month).day))


def is_month_end(day):
    return day == month_end(day)
