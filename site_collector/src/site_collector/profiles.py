"""Compact profiles (EN 13757-3:2018 annex F; OMS): many values of one register in one
variable-length record, marked by the combinable VIFE 0x1E (with register numbers), 0x1F
(compact profile) or 0x13 (inverse compact profile).

The record's data: a spacing control byte (element size as a DIF's low nibble; spacing
unit: seconds, minutes, hours, days; increment mode: absolute, positive increments,
negative increments, signed difference younger minus older), a spacing value (for days:
0xFD half a month, 0xFE a month), then the elements. Element ``i`` is the register of
storage number ``storage + i + 1`` of the profile's DIB; its time is the base time (the
date record of the profile's own storage number) moved on by ``(i + 1)`` spacings, back
for an inverse profile (months from a 31st end on each month's last day). Incremental
elements count from the base value (the record of the same storage, tariff, subunit and
quantity without the profile VIFE). A value preset as "illegal" (the lowest signed or
highest unsigned number of its size) is ``None``.

A profile is expanded into plain records (a date record, where a base time exists, then
the value), each with the profile's ``header`` and ``compact_profile: True``; one that
cannot be expanded stays one record with ``value`` None and an ``error`` saying why.
"""

import calendar
from datetime import date, datetime, timedelta
from decimal import Decimal

from .tables import BCD_TYPES, DATA_LENGTHS

PROFILE_WITH_REGISTERS = 0x1E
PROFILE = 0x1F
PROFILE_INVERSE = 0x13
PROFILE_VIFES = (PROFILE_WITH_REGISTERS, PROFILE, PROFILE_INVERSE)
ABSOLUTE, INCREMENTS, DECREMENTS, DIFFERENCE = range(4)
HALF_MONTH, MONTH = 0xFD, 0xFE
UNIT_SECONDS = (1, 60, 3600, 86400)
DAYS = 3


def profile_kind(combinable):
    """The profile VIFE among a record's combinable VIFEs, or None."""
    return next((code for code in combinable if code in PROFILE_VIFES), None)


class ProfileError(ValueError):
    pass


def _elements(raw, mode):
    """Integer (or None) elements of a profile's data after its two header bytes."""
    kind = raw[0] & 0x0F
    size = DATA_LENGTHS.get(kind)
    if not size or kind in (0x5, 0xD, 0xF) or kind & 0x08 and kind not in BCD_TYPES:
        raise ProfileError(f"compact profile: element type 0x{kind:X} not supported")
    data = raw[2:]
    if len(data) % size:
        raise ProfileError(f"compact profile: {len(data)} bytes are not elements of {size}")
    values = []
    for start in range(0, len(data), size):
        chunk = data[start : start + size]
        if kind in BCD_TYPES:
            digits = chunk[::-1].hex()
            values.append(int(digits) if digits.isdigit() else None)
            continue
        number = int.from_bytes(chunk, "little")
        if mode in (ABSOLUTE, DIFFERENCE):
            if number == 1 << (8 * size - 1):
                values.append(None)  # "illegal": the lowest signed number
                continue
            number = int.from_bytes(chunk, "little", signed=True)
        elif number == (1 << (8 * size)) - 1:
            values.append(None)  # "illegal": the highest unsigned number
            continue
        values.append(number)
    return values


def _parse_time(text):
    if not isinstance(text, str) or "*" in text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _months(moment, count):
    """``count`` months on; a day past a month's end is its last day (31 Jan + 1 month =
    28/29 Feb): month-end registers stay month ends."""
    month = moment.month - 1 + count
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _shift(moment, unit, spacing, steps):
    """The base time moved by ``steps`` spacings (negative: back), or None."""
    if moment is None:
        return None
    if unit == DAYS and spacing == MONTH:
        return _months(moment, steps)
    if unit == DAYS and spacing == HALF_MONTH:
        return _half_step(moment, steps)
    if spacing > 250:
        return None
    return moment + timedelta(seconds=UNIT_SECONDS[unit] * spacing * steps)


def _half_step(moment, steps):
    for _ in range(abs(steps)):
        if moment.day == 1:
            moment = moment.replace(day=16) if steps > 0 else _months(moment, -1).replace(day=16)
        elif moment.day == 16:
            moment = _months(moment.replace(day=1), 1) if steps > 0 else moment.replace(day=1)
        else:
            return None
    return moment


def _text(moment, like):
    if moment is None:
        return None
    if "T" in like:
        return moment.isoformat(timespec="seconds")
    return date(moment.year, moment.month, moment.day).isoformat()


def _same_register(a, b):
    return all(a.get(k) == b.get(k) for k in ("storage_number", "tariff", "device"))


def expand(record, records, scale):
    """Records of one profile ``record`` (its ``_profile`` data), given the records before
    it and ``scale(int) -> Decimal``, a function putting an element in base units."""
    kind, raw = record.pop("_profile")
    if len(raw) < 2:
        raise ProfileError("compact profile: spacing control and spacing value missing")
    mode, unit, spacing = raw[0] >> 6, (raw[0] >> 4) & 0x03, raw[1]
    elements = _elements(raw, mode)
    base = None
    if mode != ABSOLUTE:
        base = next(
            (
                r
                for r in reversed(records)
                if _same_register(r, record)
                and r.get("quantity") == record["quantity"]
                and r.get("unit") == record["unit"]
                and r.get("exact") is not None
            ),
            None,
        )
        if base is None:
            raise ProfileError("compact profile of increments without its base value")
        base = Decimal(base["exact"])
    times = [
        r
        for r in records
        if r.get("storage_number") == record["storage_number"]
        and str(r.get("quantity", "")).startswith("Time point")
        and isinstance(r.get("value"), str)
    ]
    time_record = times[-1] if times else None
    base_time = _parse_time(time_record["value"]) if time_record else None
    direction = -1 if kind == PROFILE_INVERSE else 1
    sign = -1 if kind == PROFILE_INVERSE else 1
    out, current = [], base
    for index, element in enumerate(elements):
        storage = record["storage_number"] + index + 1
        if time_record is not None:
            moment = _shift(base_time, unit, spacing, direction * (index + 1))
            out.append(
                {
                    **{k: v for k, v in time_record.items() if k not in ("header", "exact")},
                    "storage_number": storage,
                    "value": _text(moment, time_record["value"]),
                    "header": record["header"],
                    "compact_profile": True,
                }
            )
        if element is None:
            value, current = None, None if mode != ABSOLUTE else current
        elif mode == ABSOLUTE:
            value = scale(element)
        elif current is None:
            value = None  # an illegal element before: the chain of increments is broken
        else:
            step = scale(element) * sign
            current = current - step if mode == DECREMENTS else current + step
            value = current
        item = {k: v for k, v in record.items() if k not in ("exact", "error", "value")}
        item.update(storage_number=storage, value=value, compact_profile=True)
        out.append(item)
    return out
