"""Data records of the EN 13757-3 application layer: DIB, VIB and value, normalised.

Each record becomes a plain dict::

    {"function": "Instantaneous value", "storage_number": 0, "tariff": 0, "device": 0,
     "quantity": "Volume", "unit": "m^3", "value": 12.345}

Numeric values are scaled to base units (Wh, J, m^3, kg, s, W, °C, ...). Dates are ISO 8601
strings in the meter's local time (no zone: M-Bus carries none). A date the meter marks
invalid, or one that is not a calendar date, is ``None``; nothing is guessed.
"""

import struct
from decimal import Decimal

from .errors import DecodeError, PrematureEndError, TooManyExtensionsError
from .tables import BCD_TYPES, DATA_LENGTHS, FUNCTIONS, VIF_TABLE

MAX_EXTENSIONS = 10  # DIFEs or VIFEs per record (EN 13757-3 limit)
DIF_MANUFACTURER = 0x0F
DIF_MORE_RECORDS = 0x1F
DIF_IDLE_FILLER = 0x2F
DIF_GLOBAL_READOUT = 0x7F
VIF_PLAIN_TEXT = 0x7C
VIF_EXT_FD = 0xFD
VIF_EXT_FB = 0xFB
# Codes whose value is a date (type G, 2 bytes) or a date and time (type F or I).
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


def parse_records(data):
    """Decode the data records of an application-layer payload (after the data header).

    Returns ``(records, more_records_follow)``. Raises a :class:`DecodeError` subclass on
    malformed data.
    """
    reader = _Reader(bytes(data))
    records = []
    more_follow = False
    while reader.remaining():
        dif = reader.byte("DIF")
        if dif == DIF_IDLE_FILLER:
            continue
        if dif in (DIF_MANUFACTURER, DIF_MORE_RECORDS):
            # Everything up to the end of the payload is the manufacturer's own data.
            more_follow = dif == DIF_MORE_RECORDS
            block = reader.take(reader.remaining(), "manufacturer data")
            records.append(_special_record(dif, block))
            break
        records.append(_parse_record(dif, reader))
    return records, more_follow


def _special_record(dif, block):
    return {
        "function": "More records follow" if dif == DIF_MORE_RECORDS else "Manufacturer specific",
        "storage_number": 0,
        "tariff": 0,
        "device": 0,
        "quantity": "",
        "unit": "",
        "value": block.hex(" ").upper() if block else None,
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

    data_type = dif & 0x0F
    if data_type == 0x0D:
        lvar = reader.byte("LVAR")
        raw = reader.take(_lvar_length(lvar), "variable-length data")
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
    value = _decode_value(data_type, raw, lvar, code)
    if isinstance(value, (int, float)):
        value = _scale(value, scale, vif, vifes)
    return {
        "function": FUNCTIONS[(dif >> 4) & 0x03],
        "storage_number": storage,
        "tariff": tariff,
        "device": device,
        "quantity": quantity,
        "unit": unit,
        "value": value,
    }


def _extensions(first, reader, what):
    extensions = []
    current = first
    while current & 0x80:
        if len(extensions) == MAX_EXTENSIONS:
            raise TooManyExtensionsError(f"more than {MAX_EXTENSIONS} {what}s at byte {reader.pos}")
        current = reader.byte(what)
        extensions.append(current)
    return extensions


def _lvar_length(lvar):
    """Byte length announced by an LVAR byte (EN 13757-3 table 5)."""
    if lvar <= 0xBF:
        return lvar  # text
    if 0xC0 <= lvar <= 0xCF or 0xD0 <= lvar <= 0xDF:
        return lvar & 0x0F  # positive / negative BCD, two digits a byte
    if 0xE0 <= lvar <= 0xEF:
        return lvar - 0xE0  # binary number
    raise DecodeError(f"unsupported LVAR 0x{lvar:02X} (floating point or reserved)")


def _value_information(vif, vifes, plain_text_unit):
    """Return (code, scale, unit, quantity) of a VIB."""
    if plain_text_unit is not None:
        return None, 1.0, "-", plain_text_unit
    if vif in (VIF_EXT_FD, VIF_EXT_FB):
        if not vifes:
            raise PrematureEndError(f"VIF 0x{vif:02X} without its extension byte")
        code = (0x100 if vif == VIF_EXT_FD else 0x200) | (vifes[0] & 0x7F)
    else:
        code = vif & 0x7F
    if code not in VIF_TABLE:
        # e.g. 0x7B, 0x7D: extension markers used without the extension bit
        return code, 1.0, f"Unknown (VIF=0x{code:02X})", "Unknown"
    scale, unit, quantity = VIF_TABLE[code]
    return code, scale, unit, quantity


def _scale(value, scale, vif, vifes):
    value = scaled(value, scale)
    if vif & 0x80 and vif not in (VIF_EXT_FD, VIF_EXT_FB) and vifes:
        # Combinable VIFE right after a primary VIF: correction factors (table 15)
        code = vifes[0] & 0x7F
        if 0x70 <= code <= 0x77:
            value = scaled(value, 10.0 ** ((code & 0x07) - 6))
        elif 0x78 <= code <= 0x7B:
            value = value + 10.0 ** ((code & 0x03) - 3)
        elif code == 0x7D:
            value = scaled(value, 1000.0)
    return value


def scaled(value, factor):
    """value x factor without binary noise for integers (12349 x 0.001 = 12.349)."""
    if isinstance(value, int):
        product = Decimal(value) * Decimal(repr(factor))
        return int(product) if product == product.to_integral_value() else float(product)
    return value * factor


def _decode_value(data_type, raw, lvar, code):
    if data_type in (0x0, 0x8) or data_type == 0x0F:
        return None  # no data, or a readout selection
    if code in DATE_CODES and data_type in (0x2, 0x4, 0x6):
        return decode_date(raw)
    if data_type == 0x5:
        return struct.unpack("<f", raw)[0]
    if data_type in BCD_TYPES:
        return decode_bcd(raw)
    if data_type == 0x0D:
        return _decode_lvar(lvar, raw)
    return int.from_bytes(raw, "little", signed=True)


def _decode_lvar(lvar, raw):
    if lvar <= 0xBF:
        return raw[::-1].decode("latin-1")
    if lvar <= 0xDF:
        value = decode_bcd(raw + b"\x00") if raw else 0  # pad: no sign nibble in LVAR BCD
        return -value if lvar >= 0xD0 else value
    return raw[::-1].hex(" ").upper()  # binary: most significant byte first


def decode_bcd(raw):
    """Decode a little-endian BCD number; 0xF as most significant digit means negative.

    Returns None if a digit is not decimal (meters send e.g. FF FF FF FF for "no value").
    """
    digits = raw[::-1].hex().upper()
    negative = digits.startswith("F")
    if negative:
        digits = digits[1:]
    if not digits.isdigit():
        return None
    value = int(digits) if digits else 0
    return -value if negative else value


def decode_date(raw):
    """Decode a type G date (2 bytes), type F (4 bytes) or type I (6 bytes) date-time."""
    if len(raw) == 2:
        day, month = raw[0] & 0x1F, raw[1] & 0x0F
        year = 2000 + (((raw[0] & 0xE0) >> 5) | ((raw[1] & 0xF0) >> 1))
        return _iso(year, month, day)
    if len(raw) == 4:
        if raw[0] & 0x80:  # the "invalid" bit
            return None
        minute, hour = raw[0] & 0x3F, raw[1] & 0x1F
        day, month = raw[2] & 0x1F, raw[3] & 0x0F
        year = ((raw[2] & 0xE0) >> 5) | ((raw[3] & 0xF0) >> 1)
        century = (raw[1] & 0x60) >> 5
        if century == 0 and year <= 80:  # old meters count two digits from 2000
            century = 1
        return _iso(1900 + 100 * century + year, month, day, hour, minute)
    if raw[1] & 0x80:
        return None
    second, minute, hour = raw[0] & 0x3F, raw[1] & 0x3F, raw[2] & 0x1F
    day, month = raw[3] & 0x1F, raw[4] & 0x0F
    year = 2000 + (((raw[3] & 0xE0) >> 5) | ((raw[4] & 0xF0) >> 1))
    return _iso(year, month, day, hour, minute, second)


def _iso(year, month, day, hour=None, minute=0, second=0):
    if (
        not (1 <= month <= 12 and 1 <= day <= 31)
        or hour is not None
        and (hour > 23 or minute > 59 or second > 59)
    ):
        return None
    if hour is None:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
