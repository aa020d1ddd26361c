"""Data records of the EN 13757-3 application layer: DIB, VIB and value, normalised.

Each record becomes a plain dict::

    {"function": "Instantaneous value", "storage_number": 0, "tariff": 0, "device": 0,
     "quantity": "Volume", "unit": "m^3", "value": 12.345}

Numeric values are scaled exactly (Decimal) to base units (Wh, J, m^3, kg, s, W, °C, ...)
and given as int when whole, else as the float nearest to the exact decimal; ``exact`` holds
the exact decimal as text (``"466.472"``; ``Decimal(record["exact"])`` for billing). Dates are
ISO 8601 strings in the meter's local time (see :mod:`.dates`). ``header``: the record's
DIB/VIB bytes in hex. Optional keys:
``extensions`` (the combinable VIFEs' meanings, e.g. ``["per hour"]``), ``error`` (a record
error VIFE, or why a BCD or LVAR value is not a number), ``manufacturer_specific`` (True:
the VIF or the DIF says the meaning is the manufacturer's; ``data`` then keeps the raw
bytes in hex, as sent).
"""

import struct
from decimal import Decimal

from .dates import decode_date
from .errors import DecodeError, PrematureEndError, TooManyExtensionsError
from .profiles import PROFILE_VIFES, ProfileError, expand, profile_kind
from .tables import (
    BCD_TYPES,
    DATA_LENGTHS,
    FUNCTIONS,
    RECORD_ERRORS,
    VIF_TABLE,
    VIFE_COMBINABLE,
    lvar_length,
)

MAX_EXTENSIONS = 10  # DIFEs or VIFEs per record (EN 13757-3 limit)
DIF_MANUFACTURER = 0x0F
DIF_MORE_RECORDS = 0x1F
DIF_IDLE_FILLER = 0x2F
DIF_GLOBAL_READOUT = 0x7F
VIF_PLAIN_TEXT = 0x7C
VIF_MANUFACTURER = 0x7F
VIF_EXT_FD = 0xFD
VIF_EXT_FB = 0xFB
VIF_EXT_EF = 0xEF  # reserved extension table
VIFE_MANUFACTURER = 0x7F  # the VIFEs and data after it are the manufacturer's
VIFE_START_DATE = 0x39
NO_ERROR = 0x00  # record error VIFE "none"  # "start date(/time) of": the value is a date
# Codes whose value is a date (type G, F, I) or a time (type J).
DATE_CODES = {0x6C, 0x6D, 0x130, 0x170}


class _Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def remaining(self):
        return len(self.data) - self.pos

    def take(self, count, what):
        if count > self.remaining():
            raise PrematureEndError(
                f"premature end of data in {what} at byte {self.pos}: "
                f"{count} bytes needed, {self.remaining()} left"
            )
        chunk = self.data[self.pos : self.pos + count]
        self.pos += count
        return chunk

    def byte(self, what):
        return self.take(1, what)[0]


def parse_records(data, headers=None):
    """Decode the data records of an application-layer payload (after the data header).

    Returns ``(records, more_records_follow)``. Raises a :class:`DecodeError` subclass on
    malformed data; a :class:`PrematureEndError` carries the records read before the cut as
    ``exc.records``. ``headers``: a list that receives each record's DIB/VIB bytes (the
    format of a compact frame).
    """
    reader = _Reader(bytes(data))
    records = []
    more_follow = False
    while reader.remaining():
        start = reader.pos
        dif = reader.byte("DIF")
        if dif == DIF_IDLE_FILLER:
            continue
        if dif in (DIF_MANUFACTURER, DIF_MORE_RECORDS):
            # Everything up to the end of the payload is the manufacturer's own data.
            more_follow = dif == DIF_MORE_RECORDS
            block = reader.take(reader.remaining(), "manufacturer data")
            records.append(_special_record(dif, block))
            break
        try:
            record, header_end = _parse_record(dif, reader)
        except PrematureEndError as exc:
            exc.records = records
            exc.at = start
            raise
        record["header"] = reader.data[start:header_end].hex().upper()
        if "_profile" in record:
            records.extend(_expand_profile(record, records))
        else:
            records.append(record)
        if headers is not None:
            headers.append(reader.data[start:header_end])
    return records, more_follow


def _expand_profile(record, records):
    """The records of a compact profile, or the profile record with the reason it is not."""
    scale = record.pop("_scale")
    try:
        items = expand(record, records, scale)
    except ProfileError as exc:
        record["error"] = str(exc)
        return [record]
    for item in items:
        if isinstance(item["value"], Decimal):
            item["exact"], item["value"] = exact_text(item["value"]), to_number(item["value"])
    return items


def _special_record(dif, block):
    return {
        "function": "More records follow" if dif == DIF_MORE_RECORDS else "Manufacturer specific",
        "storage_number": 0,
        "tariff": 0,
        "device": 0,
        "quantity": "",
        "unit": "",
        "value": block.hex(" ").upper() if block else None,
        "manufacturer_specific": True,
        "header": f"{dif:02X}",
    }


def _parse_record(dif, reader):
    difes = _extensions(dif, reader, "DIFE")
    if dif & 0x0F == 0x0F and dif != DIF_GLOBAL_READOUT:
        raise DecodeError(f"reserved DIF 0x{dif:02X} at byte {reader.pos - 1 - len(difes)}")
    vif = reader.byte("VIF")
    plain_text_unit = None
    if vif & 0x7F == VIF_PLAIN_TEXT:
        length = reader.byte("plain-text VIF length")
        # Plain text is sent last character first.
        plain_text_unit = reader.take(length, "plain-text VIF")[::-1].decode("latin-1")
    vifes = _extensions(vif, reader, "VIFE")
    header_end = reader.pos

    data_type = dif & 0x0F
    if data_type == 0x0D:
        lvar = reader.byte("LVAR")
        raw = reader.take(lvar_length(lvar), "variable-length data")
    else:
        lvar = None
        raw = reader.take(DATA_LENGTHS.get(data_type, 0), "data")

    storage = (dif >> 6) & 0x01
    tariff = device = 0
    for index, dife in enumerate(difes):
        storage |= (dife & 0x0F) << (1 + 4 * index)
        tariff |= ((dife >> 4) & 0x03) << (2 * index)
        device |= ((dife >> 6) & 0x01) << index

    code, scale, unit, quantity = _value_information(vif, vifes, plain_text_unit)
    record = {
        "function": FUNCTIONS[(dif >> 4) & 0x03],
        "storage_number": storage,
        "tariff": tariff,
        "device": device,
        "quantity": quantity,
        "unit": unit,
    }
    combinable = _combinable(vif, vifes)
    manufacturer = vif & 0x7F == VIF_MANUFACTURER or VIFE_MANUFACTURER in combinable
    is_date = code in DATE_CODES or VIFE_START_DATE in combinable
    profile = profile_kind(combinable)
    if profile is not None:
        # A compact profile: expanded by parse_records once its base records are known.
        plain = [c for c in combinable if c not in PROFILE_VIFES]
        value, error = None, None
        if data_type == 0x0D:
            record["_profile"] = (profile, raw)
            record["_scale"] = lambda element: _exact(element, scale, plain)
        else:
            error = "compact profile without a variable-length data field (EN 13757-3 annex F)"
        combinable = plain
    else:
        value, error = _decode_value(data_type, raw, lvar, is_date)
    exact = None
    if isinstance(value, int):
        exact = _exact(value, scale, combinable)
        value = to_number(exact)
    elif isinstance(value, float):  # a real stays a real: no exactness to keep
        value *= float(_exact(1, scale, [c for c in combinable if not 0x78 <= c <= 0x7B]))
    record["value"] = value
    if exact is not None:
        record["exact"] = exact_text(exact)
    meanings = [
        VIFE_COMBINABLE.get(c, f"VIFE 0x{c:02X}") for c in combinable if c not in RECORD_ERRORS
    ]
    errors = [RECORD_ERRORS[c] for c in combinable if c in RECORD_ERRORS and c != NO_ERROR]
    if meanings:
        record["extensions"] = meanings
    if error or errors:
        record["error"] = "; ".join(([error] if error else []) + errors)
    if manufacturer:
        # The meaning is the manufacturer's: the value is read as the DIF types it, and
        # the raw bytes are kept beside it.
        record["manufacturer_specific"] = True
        record["data"] = raw.hex().upper()
    return record, header_end


def _combinable(vif, vifes):
    """Codes (7 bits) of the combinable VIFEs of a VIB, up to a manufacturer-specific one.

    After a manufacturer-specific VIF (0xFF) the VIFEs are the manufacturer's too: none is
    a standard extension (Sontex's FF 2D is not "per m^3")."""
    if vif & 0x7F == VIF_MANUFACTURER:
        return []
    if vif in (VIF_EXT_FD, VIF_EXT_FB, VIF_EXT_EF):
        vifes = vifes[1:]
    codes = []
    for vife in vifes:
        codes.append(vife & 0x7F)
        if vife & 0x7F == VIFE_MANUFACTURER:
            break  # what follows is the manufacturer's
    return codes


def _extensions(first, reader, what):
    extensions = []
    current = first
    while current & 0x80:
        if len(extensions) == MAX_EXTENSIONS:
            raise TooManyExtensionsError(f"more than {MAX_EXTENSIONS} {what}s at byte {reader.pos}")
        current = reader.byte(what)
        extensions.append(current)
    return extensions


def _value_information(vif, vifes, plain_text_unit):
    """Return (code, scale, unit, quantity) of a VIB."""
    if plain_text_unit is not None:
        return None, 1, "-", plain_text_unit
    if vif in (VIF_EXT_FD, VIF_EXT_FB, VIF_EXT_EF):
        if not vifes:
            raise PrematureEndError(f"VIF 0x{vif:02X} without its extension byte")
        if vif == VIF_EXT_EF:
            return None, 1, f"Reserved (VIF=0xEF 0x{vifes[0]:02X})", "Reserved"
        code = (0x100 if vif == VIF_EXT_FD else 0x200) | (vifes[0] & 0x7F)
    else:
        code = vif & 0x7F
    if code not in VIF_TABLE:
        # e.g. 0x7B, 0x7D: extension markers used without the extension bit
        return code, 1, f"Unknown (VIF=0x{code:02X})", "Unknown"
    scale, unit, quantity = VIF_TABLE[code]
    return code, scale, unit, quantity


def _exact(value, scale, combinable):
    """The integer ``value`` in base units as an exact Decimal."""
    value = Decimal(value) * Decimal(repr(scale))
    # Combinable VIFEs: correction factors (EN 13757-3 table 15)
    for code in combinable:
        if 0x70 <= code <= 0x77:
            value *= Decimal(10) ** ((code & 0x07) - 6)
        elif 0x78 <= code <= 0x7B:
            value += Decimal(10) ** ((code & 0x03) - 3)
        elif code == 0x7D:
            value *= 1000
    return value


def exact_text(value):
    """A Decimal as plain text without exponent or trailing zeros ("466.472", "12000")."""
    return format(value.normalize(), "f")


def to_number(value):
    """int when whole, else the float nearest to the exact Decimal (12.345, not 12.3449...)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def scaled(value, factor):
    """value x factor without binary noise for integers (12349 x 0.001 = 12.349)."""
    if isinstance(value, int):
        return to_number(Decimal(value) * Decimal(repr(factor)))
    return value * factor


def _decode_value(data_type, raw, lvar, is_date):
    """(value, error text or None) of a data field."""
    if data_type in (0x0, 0x8, 0xF):
        return None, None  # no data, or a readout selection
    if is_date and data_type in (0x2, 0x3, 0x4, 0x6):
        return decode_date(raw), None
    if data_type == 0x5:
        number = struct.unpack("<f", raw)[0]
        if number != number or number in (float("inf"), float("-inf")):
            return None, "not a finite number"
        return number, None
    if data_type in BCD_TYPES:
        return bcd_value(raw)
    if data_type == 0x0D:
        return _decode_lvar(lvar, raw)
    return int.from_bytes(raw, "little", signed=True), None


def _decode_lvar(lvar, raw):
    if lvar <= 0xBF:
        return raw[::-1].decode("latin-1"), None
    if lvar <= 0xDF:
        # Plain BCD digits (no sign digit); the LVAR range gives the sign.
        digits = raw[::-1].hex().upper()
        if not digits.isdigit():
            return None, f"LVAR BCD with non-decimal digits {digits}"
        value = int(digits) if digits else 0
        return (-value if lvar >= 0xD0 else value), None
    return raw[::-1].hex(" ").upper(), None  # binary: most significant byte first


def bcd_value(raw):
    """(value, error) of a type A BCD field: F as most significant digit means negative;
    other hexadecimal digits are the meter's error marks (EN 13757-3 annex B)."""
    digits = raw[::-1].hex().upper()
    negative = digits.startswith("F")
    body = digits[1:] if negative else digits
    if body.isdigit() or (negative and body == ""):
        value = int(body) if body else 0
        return (-value if negative else value), None
    if set(digits) == {"F"}:
        return None, "no value (all digits F)"
    return None, f"BCD error digits {digits}"


def decode_bcd(raw):
    """A little-endian BCD number (negative with F first), or None if it is not one."""
    return bcd_value(raw)[0]
