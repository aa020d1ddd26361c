"""Value-by-value comparison of our decoding with pymbusparser's (Rust m-bus-parser).

Records are paired by their DIB/VIB bytes in order; numbers are compared in base units
(pymbusparser keeps hours, days and its own unit spellings), dates and text as text.
"""

from decimal import Decimal, InvalidOperation

# pymbusparser's unit -> (our unit, factor to ours)
UNITS = {
    "W.h": ("Wh", 1),
    "J": ("J", 1),
    "m3": ("m^3", 1),
    "kg": ("kg", 1),
    "s": ("s", 1),
    "min": ("s", 60),
    "h": ("s", 3600),
    "d": ("s", 86400),
    "W": ("W", 1),
    "J.h-1": ("J/h", 1),
    "m3.h-1": ("m^3/h", 1),
    "m3.min-1": ("m^3/min", 1),
    "m3.s-1": ("m^3/s", 1),
    "kg.h-1": ("kg/h", 1),
    "Cel": ("°C", 1),
    "K": ("K", 1),
    "bar": ("bar", 1),
    "V": ("V", 1),
    "A": ("A", 1),
}


def _number(text):
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def compare_record(ours, theirs):
    """A reason text if the two records disagree, else None."""
    kind = theirs["value"]["kind"]
    value = theirs["value"].get("value")
    got = ours.get("value")
    if kind == "manufacturer_specific":
        data = theirs.get("data_hex", "").replace(" ", "")
        return None if (got or "").replace(" ", "") == data else f"raw {got!r} vs {data}"
    if kind in ("decimal", "float"):
        expected = _number(value)
        unit = theirs.get("unit")
        if unit in UNITS and expected is not None:
            our_unit, factor = UNITS[unit]
            expected *= factor
            if ours["unit"] not in (our_unit, "-") and not ours["unit"].startswith("Unknown"):
                return f"unit {ours['unit']} vs {unit}"
        if isinstance(got, (int, float)) and expected is not None:
            ok = abs(Decimal(repr(got)) - expected) <= max(
                Decimal("0.000001"), abs(expected) * Decimal("1e-9")
            )
            return None if ok else f"value {got} vs {expected}"
        return f"value {got!r} vs decimal {value}"
    if kind in ("date", "datetime", "time"):
        if isinstance(value, dict):
            value = structured_date(value)
            if value is None:
                return None if got is None else f"date {got!r} vs their invalid date"
        return None if (got or "")[: len(value)] == value else f"date {got!r} vs {value}"
    if kind == "text":
        return None if got == value else f"text {got!r} vs {value!r}"
    return f"their kind {kind} ({value!r}), ours {got!r}"


MONTHS = (
    "January February March April May June July August September October November December"
).split()


def structured_date(value):
    """pymbusparser's date with "every"/"invalid" fields as our text (``*`` = every)."""
    if "invalid" in value.values():
        return None
    parts = []
    for name, width in (("year", 4), ("month", 2), ("day", 2)):
        field = value.get(name)
        if field == "every":
            parts.append("*" * width)
        elif name == "month" and isinstance(field, str):
            parts.append(f"{MONTHS.index(field) + 1:02d}")
        else:
            parts.append(f"{field:0{width}d}")
    text = "-".join(parts)
    if "hour" in value:
        clock = [
            "**" if value.get(n) == "every" else f"{value.get(n, 0):02d}"
            for n in ("hour", "minute", "second")
        ]
        text += "T" + ":".join(clock)
    return text


PROFILE_AS_TEXT = "they read a compact profile (VIFE 0x1E/0x1F/0x13) as text"


def differences(our_records, their_records):
    """[(record index, reason)] of disagreements; records paired by header bytes, in order."""
    found = []
    theirs = [r for r in their_records if r.get("header_hex")]
    pool = {}
    for record in theirs:
        pool.setdefault(record["header_hex"].replace(" ", "").upper(), []).append(record)
    profiles = set()
    for index, ours in enumerate(our_records):
        if "header" not in ours:
            continue
        if ours.get("compact_profile"):
            # One record expanded into many (EN 13757-3 annex F): theirs is one text value.
            if ours["header"] not in profiles and pool.get(ours["header"]):
                profiles.add(ours["header"])
                pool[ours["header"]].pop(0)
                found.append((index, f"{PROFILE_AS_TEXT} ({ours['header']})"))
            continue
        candidates = pool.get(ours["header"], [])
        if not candidates:
            found.append((index, f"no record {ours['header']} in theirs"))
            continue
        reason = compare_record(ours, candidates.pop(0))
        if reason:
            found.append((index, reason))
    for header, rest in pool.items():
        for _ in rest:
            found.append((None, f"their record {header} not in ours"))
    return found
