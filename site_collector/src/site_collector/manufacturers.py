"""Manufacturers' own wireless layouts (CI 0xA0-0xB7) that public documentation and
published test telegrams describe. Each decoder fills ``reading["records"]`` in the same
record form as EN 13757-3 records (base units) and may add alarm codes; a layout we do not
know leaves ``status`` ``"manufacturer_specific"`` with a ``detail`` naming it.

Known here (from telegrams checked byte by byte against their published readings):
Techem MK Radio 3 (water), FHKV data III/IV (heat cost allocators), Compact V and
Vario 451 (heat); Diehl IZAR (PRIOS, CI 0xA0-0xA7, payload scrambled with a 32-bit LFSR
seeded from a published default key and the telegram's header); Apator 162's register
fields inside its manufacturer data (DIF 0x0F); Apator 08's total; Qundis Q caloric's
walk-by data set (record 0D FF 5F); BMeters Hydrodigit's manufacturer data (DIF 0x0F).
"""

from datetime import date
from decimal import Decimal

from .dates import date_g
from .records import bcd_value, exact_text, to_number

WH_PER_MJ = Decimal(1000000) / Decimal(3600)


def _record(quantity, unit, value, storage=0, function="Instantaneous value"):
    """A record like EN 13757-3's; a Decimal value also gives its ``exact`` text."""
    exact = None
    if isinstance(value, Decimal):
        exact, value = exact_text(value), to_number(value)
    record = {
        "function": function,
        "storage_number": storage,
        "tariff": 0,
        "device": 0,
        "quantity": quantity,
        "unit": unit,
        "value": value,
        "manufacturer_specific": True,
    }
    if exact is not None:
        record["exact"] = exact
    return record


def _u16(data, pos):
    return int.from_bytes(data[pos : pos + 2], "little")


def _techem_date(value, shift):
    """(day, month, year or None) of Techem's packed dates."""
    value >>= shift
    return value & 0x1F, (value >> 5) & 0x0F, (value >> 9) & 0x3F


def _techem_dates(data):
    """(previous date, current date) ISO strings of a Techem telegram, bytes 1-2 and 5-6."""
    pday, pmonth, pyear = _techem_date(_u16(data, 1), 0)
    cday, cmonth, _ = _techem_date(_u16(data, 5), 4)
    previous_year = 2000 + pyear
    year = previous_year + 1 if (cmonth, cday) <= (pmonth, pday) else previous_year
    if not (1 <= pmonth <= 12 and 1 <= cmonth <= 12 and pday and cday):
        return None, None
    return (f"{previous_year:04d}-{pmonth:02d}-{pday:02d}", f"{year:04d}-{cmonth:02d}-{cday:02d}")


def _techem_pair(reading, data, quantity, unit, previous, current):
    """Records of a Techem meter: total, current period, previous period and its date."""
    before, now = _techem_dates(data)
    reading["records"] = [
        _record(quantity, unit, previous + current),
        _record(quantity, unit, current, function="Instantaneous value"),
        _record(quantity, unit, previous, storage=1),
        _record("Time point (date)", "-", before, storage=1),
        _record("Time point (date)", "-", now),
    ]
    reading["records"][1]["quantity"] = f"{quantity} (current period)"


def techem_mkradio3(reading, data):
    _techem_pair(
        reading, data, "Volume", "m^3", Decimal(_u16(data, 3)) / 10, Decimal(_u16(data, 7)) / 10
    )


def techem_compact5(reading, data):
    previous = int.from_bytes(data[3:6], "little")
    current = int.from_bytes(data[7:10], "little")
    _techem_pair(reading, data, "Energy", "Wh", Decimal(previous) * 1000, Decimal(current) * 1000)


def techem_vario451(reading, data):
    # MJ (GJ with three decimals), given in Wh like every energy record
    previous = (Decimal(_u16(data, 3)) * WH_PER_MJ).quantize(Decimal("0.001"))
    current = (Decimal(_u16(data, 7)) * WH_PER_MJ).quantize(Decimal("0.001"))
    _techem_pair(reading, data, "Energy", "Wh", previous, current)


def techem_fhkv(reading, data):
    """FHKV data III/IV: HCA units now and at the last due date, room and radiator °C."""
    before, now = _techem_dates(data)
    temps = 10 if reading["version"] == 0x94 else 9
    reading["records"] = [
        _record("H.C.A.", "Units for H.C.A.", _u16(data, 7)),
        _record("H.C.A.", "Units for H.C.A.", _u16(data, 3), storage=1),
        _record("Time point (date)", "-", before, storage=1),
        _record("Time point (date)", "-", now),
        _record("External temperature", "°C", Decimal(_u16(data, temps)) / 100),
        _record("Flow temperature", "°C", Decimal(_u16(data, temps + 2)) / 100),
    ]
    reading["records"][4]["quantity"] = "Room temperature"
    reading["records"][5]["quantity"] = "Radiator temperature"


# Diehl's published default keys of PRIOS meters (8 bytes; the seed is the XOR of halves).
PRIOS_DEFAULT_KEYS = (bytes.fromhex("39BC8A10E66D83F8"), bytes.fromhex("51728910E66D83F8"))
PRIOS_MARK = 0x4B  # first byte of a descrambled PRIOS payload
# Alarm bits of a PRIOS telegram: (telegram byte, bit) -> (code, current or previous)
PRIOS_ALARMS = {
    (11, 7): ("manufacturer_error", True),
    (12, 7): ("leak", True),
    (12, 6): ("leak", False),
    (12, 5): ("blocked", True),
    (13, 7): ("backflow", True),
    (13, 6): ("underflow", True),
    (13, 5): ("overflow", True),
    (13, 4): ("submerged", True),
    (13, 3): ("tamper", True),  # sensor fraud
    (13, 2): ("tamper", False),
    (13, 1): ("tamper", True),  # mechanical fraud
    (13, 0): ("tamper", False),
}


def _u32be(data, pos):
    return int.from_bytes(data[pos : pos + 4], "big")


def prios_descramble(telegram, default_key):
    """Diehl's PRIOS LFSR over the telegram's bytes from 15 on (taps 1, 2, 11, 31)."""
    state = _u32be(default_key, 0) ^ _u32be(default_key, 4)
    for pos in (2, 6, 10):
        state ^= _u32be(telegram, pos)
    out = bytearray()
    for byte in telegram[15:]:
        for _ in range(8):
            bit = ((state >> 1) ^ (state >> 2) ^ (state >> 11) ^ (state >> 31)) & 1
            state = ((state << 1) | bit) & 0xFFFFFFFF
        out.append(byte ^ (state & 0xFF))
    return bytes(out)


def diehl_izar(reading, telegram):
    """IZAR water meter: total and last month's total in litres, its date, alarms."""
    for key in PRIOS_DEFAULT_KEYS:
        plain = prios_descramble(telegram, key)
        if len(plain) >= 11 and plain[0] == PRIOS_MARK:
            break
    else:
        reading["status"] = "encrypted"
        reading["detail"] = "Diehl PRIOS: no default key descrambles it (meter-specific key)"
        return
    total = int.from_bytes(plain[1:5], "little")
    previous = int.from_bytes(plain[5:9], "little")
    reading["records"] = [
        _record("Volume", "m^3", Decimal(total) / 1000),
        _record("Volume", "m^3", Decimal(previous) / 1000, storage=1),
        _record("Time point (date)", "-", date_g(plain[9:11]), storage=1),
    ]
    current, previous_alarms = set(), set()
    for (pos, bit), (code, now) in PRIOS_ALARMS.items():
        if telegram[pos] >> bit & 1:
            (current if now else previous_alarms).add(code)
    reading["alarms"] = sorted(current)
    reading["previous_alarms"] = sorted(previous_alarms)


def apator08(reading, data):
    """Apator 08: the total is the first 4 bytes, in thirds of a litre (one published
    telegram: 2,614,713 / 3 l = 871.571 m^3); to 6 decimals like libmbus."""
    thirds = int.from_bytes(data[0:4], "little")
    volume = (Decimal(thirds) / 3000).quantize(Decimal("0.000001"))
    reading["records"] = [_record("Volume", "m^3", volume)]


# (manufacturer, device type or version) -> (name, decoder, medium, minimum payload bytes)
LAYOUTS = {
    ("TCH", 0x62): ("Techem MK Radio 3", techem_mkradio3, "Warm water (30-90°C)", 9),
    ("TCH", 0x72): ("Techem MK Radio 3", techem_mkradio3, "Cold water", 9),
    ("TCH", 0x43): ("Techem Compact V", techem_compact5, "Heat: Outlet", 10),
    ("TCH", 0xC3): ("Techem Vario 451", techem_vario451, "Heat: Outlet", 9),
    ("TCH", 0x80): ("Techem FHKV data III/IV", techem_fhkv, "Heat Cost Allocator", 15),
    ("APT", 0x03): ("Apator 08", apator08, "Gas", 4),
    ("DME", 0x07): ("Diehl IZAR", None, "Water", 15),
    ("SAP", 0x07): ("Diehl IZAR", None, "Water", 15),
}


def decode_manufacturer(reading, ci, data, telegram):
    """Decode a manufacturer-specific application layer, or name what is not known.

    ``data``: the bytes after the CI field; ``telegram``: the whole telegram as received
    (length byte first), which some layouts need (Diehl's descrambling).
    """
    layout = LAYOUTS.get((reading["manufacturer"], reading["medium_code"]))
    if layout is None:
        reading["status"] = "manufacturer_specific"
        reading["detail"] = (
            f"CI 0x{ci:02X}: unknown manufacturer layout of {reading['manufacturer']} "
            f"device type 0x{reading['medium_code']:02X}"
        )
        return
    name, decoder, medium, minimum = layout
    reading["layout"] = name
    if len(data) < minimum:
        reading["status"] = "manufacturer_specific"
        reading["detail"] = f"{name}: {len(data)} bytes, layout needs {minimum}"
        return
    reading["medium"] = medium
    if decoder is None:  # Diehl PRIOS: needs the telegram as received
        if len(telegram) < 26:
            reading["status"] = "manufacturer_specific"
            reading["detail"] = f"{name}: {len(telegram)} bytes, layout needs 26"
            return
        diehl_izar(reading, bytes(telegram))
        return
    decoder(reading, bytes(data))


# Apator 162 manufacturer data: 4 bytes, 3 bytes, then fields of one type byte and a
# length that the type gives; 0x10 holds the total volume in litres. Only sizes that
# published telegrams prove are here (walking past them reaches the total wmbusmeters
# publishes, tests/data/wmbusmeters): a wrong size would put the total at a wrong byte.
APATOR162_SIZES = {
    0x10: 4,
    0x40: 6,
    0x41: 2,
    0x42: 4,
    0x43: 2,
    0x44: 3,
    0x71: 9,
    0xA0: 4,
    0xF0: 4,
    **dict.fromkeys((0x80, 0x81, 0x83, 0x84, 0x87), 10),
}
APATOR162_TOTAL = 0x10


def apator162(reading, data):
    """The total volume of an Apator 162's DIF 0x0F block, or a detail saying why not."""
    pos = 7
    while pos < len(data):
        kind = data[pos]
        size = APATOR162_SIZES.get(kind)
        if size is None:
            return f"Apator 162: field type 0x{kind:02X} at byte {pos} not known"
        if pos + 1 + size > len(data):
            return f"Apator 162: field 0x{kind:02X} cut short"
        if kind == APATOR162_TOTAL:
            litres = int.from_bytes(data[pos + 1 : pos + 5], "little")
            reading["records"].insert(0, _record("Volume", "m^3", Decimal(litres) / 1000))
            return None
        pos += 1 + size
    return "Apator 162: no total volume field"


# Qundis Q caloric walk-by data set (record 0D FF 5F, type 0x82, HCA VIF 0x6E at byte 9):
# error date, current units, set date and its units, last month's end and its units, as
# the same meter's standard telegram carries them (records 32 6C, 0B 6E, 42 6C, 4B 6E,
# C2 08 6C, CB 08 6E: storage numbers 0, 1 and 17).
QUNDIS_WBDS_TYPE = 0x82
QUNDIS_HCA_VIF = 0x6E
QUNDIS_WBDS_BYTES = 28


def qundis_wbds(reading, data):
    """HCA values and dates of a Qundis walk-by data set, or a detail saying why not."""
    if len(data) < 10 or data[1] != QUNDIS_WBDS_TYPE or data[9] != QUNDIS_HCA_VIF:
        kind = f"0x{data[1]:02X}" if len(data) > 1 else "(empty)"
        return f"Qundis walk-by data set of type {kind} not known (no HCA block at byte 9)"
    if len(data) < QUNDIS_WBDS_BYTES:
        return f"Qundis walk-by data set: {len(data)} bytes, layout needs {QUNDIS_WBDS_BYTES}"
    records = []
    error_date = date_g(data[10:12])
    for storage, date_at, units_at in ((0, None, 12), (1, 16, 18), (17, 22, 24)):
        units, error = bcd_value(data[units_at : units_at + 4])
        record = _record("H.C.A.", "Units for H.C.A.", units, storage=storage)
        if error:
            record["error"] = error
        records.append(record)
        if date_at is not None:
            when = date_g(data[date_at : date_at + 2])
            records.append(_record("Time point (date)", "-", when, storage=storage))
    # an error date makes the alarm "manufacturer_error" (alarms.record_alarms)
    records.append(
        _record("Time point (date)", "-", error_date, function="Value during error state")
    )
    reading["records"][:0] = records
    return None


# BMeters Hydrodigit manufacturer data (DIF 0x0F): a content byte whose bits say which
# fields follow, in this order: battery (1 byte), fraud (type byte, date), leak date,
# backflow volume (4 bytes, litres), 12 month-end totals (3 bytes each, tens of litres).
HYDRODIGIT_BATTERY, HYDRODIGIT_FRAUD, HYDRODIGIT_BACKFLOW = 0x01, 0x02, 0x04
HYDRODIGIT_MONTHLY, HYDRODIGIT_LEAK = 0x10, 0x80
HYDRODIGIT_FRAUD_TYPES = {0x80: "magnet", 0x40: "tamper", 0x20: "removed"}
HYDRODIGIT_INVALID = 10_000_000  # a month-end total of 0xFFFFFF: not recorded yet
HYDRODIGIT_VERSIONS = (0x13, 0x15, 0x17)  # the versions of the published telegrams
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def _bcd_date(raw):
    """Year, month, day as BCD bytes (YY MM DD) in ISO form, or None."""
    digits = raw.hex()
    if not digits.isdigit():
        return None
    year, month, day = (int(digits[i : i + 2]) for i in (0, 2, 4))
    try:
        return date(2000 + year, month, day).isoformat()
    except ValueError:
        return None


def hydrodigit(reading, data):
    """Records and alarms of a Hydrodigit's DIF 0x0F block, or a detail saying why not."""
    if reading.get("version") not in HYDRODIGIT_VERSIONS:
        return f"BMeters version 0x{reading.get('version') or 0:02X}: manufacturer data not known"
    content = data[0] if data else 0
    sizes = (
        (HYDRODIGIT_BATTERY, 1),
        (HYDRODIGIT_FRAUD, 4),
        (HYDRODIGIT_LEAK, 3),
        (HYDRODIGIT_BACKFLOW, 4),
        (HYDRODIGIT_MONTHLY, 36),
    )
    needed = 1 + sum(size for bit, size in sizes if content & bit)
    if len(data) < needed:
        return f"Hydrodigit: content 0x{content:02X} needs {needed} bytes, {len(data)} received"
    fields, pos = {}, 1
    for bit, size in sizes:
        if content & bit:
            fields[bit], pos = data[pos : pos + size], pos + size
    records, alarms = [], set()
    if HYDRODIGIT_FRAUD in fields:
        kind, when = fields[HYDRODIGIT_FRAUD][0], _bcd_date(fields[HYDRODIGIT_FRAUD][1:])
        alarms.update(code for bit, code in HYDRODIGIT_FRAUD_TYPES.items() if kind & bit)
        records.append(_record("Time point (date) of fraud", "-", when))
    if HYDRODIGIT_LEAK in fields:
        when = _bcd_date(fields[HYDRODIGIT_LEAK])
        if when:
            alarms.add("leak")
        records.append(_record("Time point (date) of leak", "-", when))
    if HYDRODIGIT_BACKFLOW in fields:
        litres = int.from_bytes(fields[HYDRODIGIT_BACKFLOW], "little")
        if litres:
            alarms.add("backflow")
        records.append(_record("Volume (backflow)", "m^3", Decimal(litres) / 1000))
    if HYDRODIGIT_MONTHLY in fields:
        block = fields[HYDRODIGIT_MONTHLY]
        for index, month in enumerate(MONTHS):
            tens = int.from_bytes(block[3 * index : 3 * index + 3], "little")
            value = Decimal(tens) / 100 if tens < HYDRODIGIT_INVALID else None
            records.append(_record(f"Volume (end of {month})", "m^3", value))
    reading["records"].extend(records)
    reading["alarms"] = sorted(set(reading.get("alarms") or ()) | alarms)
    return None


# (manufacturer, device type) -> decoder of the DIF 0x0F block of a standard telegram
DATA_LAYOUTS = {
    ("APA", 0x07): ("Apator 162", apator162),
    **{("BMT", kind): ("BMeters Hydrodigit", hydrodigit) for kind in (0x06, 0x07)},
}
# (manufacturer, device type, record header) -> decoder of a manufacturer's record's data
RECORD_LAYOUTS = {
    (maker, 0x08, "0DFF5F"): ("Qundis Q caloric walk-by data set", qundis_wbds)
    for maker in ("QDS", "LSE")
}


def decode_manufacturer_data(reading):
    """Decode the manufacturer's data (DIF 0x0F block, known records) of a known meter."""
    maker, kind = reading.get("manufacturer"), reading.get("medium_code")
    for record in list(reading["records"]):
        layout = RECORD_LAYOUTS.get((maker, kind, record.get("header")))
        if layout and record.get("data") is not None:
            _apply(reading, layout, bytes.fromhex(record["data"]))
    layout = DATA_LAYOUTS.get((maker, kind))
    tail = [r for r in reading["records"] if r.get("header") == "0F" and r.get("value")]
    if layout is None or not tail:
        return
    _apply(reading, layout, bytes.fromhex(tail[-1]["value"].replace(" ", "")))


def _apply(reading, layout, data):
    name, decoder = layout
    reading["layout"] = name
    problem = decoder(reading, data)
    if problem:
        reading["status"] = "manufacturer_specific"
        reading["detail"] = problem


# (manufacturer, device type, version) -> what its standard-looking transport layer carries:
# an application layer that is not EN 13757-3 records and that no public document describes.
PROPRIETARY_PAYLOADS = {
    ("BMT", 0x07, 0x05): "BMeters RFM-TX1: obfuscated proprietary payload (not decoded)",
}


def proprietary_payload(reading):
    """The ``detail`` for a meter whose records are a proprietary payload, else None."""
    return PROPRIETARY_PAYLOADS.get(
        (reading.get("manufacturer"), reading.get("medium_code"), reading.get("version"))
    )
