"""Date and time types of EN 13757-3 annex A: F, G, I, J and K.

Results are ISO 8601 strings in the meter's local time (M-Bus carries no zone). A field the
meter marks "every" (e.g. day 0 = every day, month 15 = every month) is written as ``*``
digits (``****-12-31`` is "every 31 December"); a value the meter marks invalid, or one that
is not a calendar date, is None. Nothing is guessed.
"""

import calendar

EVERY_YEAR_G = 127
EVERY_MONTH = 15
EVERY_DAY = 0
EVERY_HOUR = 31
EVERY_MINUTE = 63
EVERY_SECOND = 63


def _field(value, every, width):
    return "*" * width if value == every else f"{value:0{width}d}"


def _date_text(year, month, day, every_year):
    """ISO date with ``*`` for "every" fields, or None if not a date."""
    if not (1 <= month <= 12 or month == EVERY_MONTH) or day > 31:
        return None
    concrete = year != every_year and month != EVERY_MONTH and day != EVERY_DAY
    if concrete and day > calendar.monthrange(year, month)[1]:
        return None
    return (
        f"{_field(year, every_year, 4)}-{_field(month, EVERY_MONTH, 2)}-{_field(day, EVERY_DAY, 2)}"
    )


def _time_text(hour, minute, second=None):
    if (hour != EVERY_HOUR and hour > 23) or (minute != EVERY_MINUTE and minute > 59):
        return None
    text = f"{_field(hour, EVERY_HOUR, 2)}:{_field(minute, EVERY_MINUTE, 2)}"
    if second is None:
        return text + ":00"
    if second != EVERY_SECOND and second > 59:
        return None
    return text + f":{_field(second, EVERY_SECOND, 2)}"


def _year(low, high):
    """The 7-bit year of types F, G and I from its two 3- and 4-bit parts."""
    return ((low & 0xE0) >> 5) | ((high & 0xF0) >> 1)


def date_g(raw):
    """Type G (2 bytes): day, month, year; 0xFFFF is "no date"."""
    if raw == b"\xff\xff":
        return None
    day, month, year = raw[0] & 0x1F, raw[1] & 0x0F, _year(raw[0], raw[1])
    if year == EVERY_YEAR_G:
        return _date_text(year, month, day, EVERY_YEAR_G)
    return _date_text(2000 + year, month, day, EVERY_YEAR_G + 2000)


def date_time_f(raw):
    """Type F (4 bytes): minute with the invalid bit, hour, day, month, year (+ century)."""
    if raw[0] & 0x80:
        return None
    minute, hour = raw[0] & 0x3F, raw[1] & 0x1F
    day, month, year = raw[2] & 0x1F, raw[3] & 0x0F, _year(raw[2], raw[3])
    century = (raw[1] & 0x60) >> 5
    if century == 0 and year <= 80:  # meters that send no century count from 2000
        century = 1
    full_year = 1900 + 100 * century + year
    date = _date_text(full_year, month, day, None if year != EVERY_YEAR_G else full_year)
    time = _time_text(hour, minute)
    return None if date is None or time is None else f"{date}T{time}"


def date_time_i(raw):
    """Type I (6 bytes): second, minute with the invalid bit, hour, day, month, year, ..."""
    if raw[1] & 0x80:
        return None
    second, minute, hour = raw[0] & 0x3F, raw[1] & 0x3F, raw[2] & 0x1F
    day, month, year = raw[3] & 0x1F, raw[4] & 0x0F, _year(raw[3], raw[4])
    full_year = 2000 + year
    date = _date_text(full_year, month, day, None if year != EVERY_YEAR_G else full_year)
    time = _time_text(hour, minute, second)
    return None if date is None or time is None else f"{date}T{time}"


def time_j(raw):
    """Type J (3 bytes): second, minute, hour; a time of day."""
    return _time_text(raw[2] & 0x1F, raw[1] & 0x3F, raw[0] & 0x3F)


def daylight_saving_k(raw):
    """Type K (4 bytes): begin hour, begin day, begin month, end day/month, deviation.

    Returned as ``"begin MM-DDTHH, end MM-DD, deviation +N h"``, or None if not a date.
    """
    begin_hour, begin_day, begin_month = raw[0] & 0x1F, raw[1] & 0x1F, raw[2] & 0x0F
    end_day, end_month = raw[3] & 0x1F, (raw[2] >> 4) & 0x0F
    deviation = ((raw[1] >> 5) & 0x03) * (-1 if raw[1] & 0x80 else 1)
    for month, day in ((begin_month, begin_day), (end_month, end_day)):
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
    if begin_hour > 23:
        return None
    return (
        f"begin {begin_month:02d}-{begin_day:02d}T{begin_hour:02d}, "
        f"end {end_month:02d}-{end_day:02d}, deviation {deviation:+d} h"
    )


def decode_date(raw):
    """Date or date-time by length: G (2), J (3), F (4) or I (6 bytes)."""
    raw = bytes(raw)
    return {2: date_g, 3: time_j, 4: date_time_f, 6: date_time_i}.get(len(raw), lambda r: None)(raw)
