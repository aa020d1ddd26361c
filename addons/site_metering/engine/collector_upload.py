"""What a site_collector may upload, as a declarative schema, and its check.

``UPLOAD`` is the envelope ``{"collector", "readings"}``, ``READING`` one reading of the
list and ``RECORD`` one decoded M-Bus record; a reading's ``alarms`` and
``previous_alarms`` are codes of site_collector's ``ALARM_CODES`` (the package this server
decodes with), its ``formats`` the compact-frame formats of its meter
(``FormatSignatures.export()``), each signature checked against its headers.
``check_upload(body, now)`` checks the envelope (a wrong envelope raises
``UploadError``: nothing of it can be read), then each reading on its own: the readings
that pass come back normalised (timestamp as a naive UTC datetime, raw telegram as
upper-case hex, keys the schema does not name dropped), each refused one as a
``Refusal`` naming its index, key, field and reason. One bad reading never stops the
others.
"""

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from site_collector import ALARM_CODES, FormatSignatures
from site_collector.upload import MAX_FORMAT_BYTES, MAX_FORMATS

MAX_READINGS = 5000
MAX_KEY_LENGTH = 200
# Readings stamped before this are from a collector whose clock was never set.
EARLIEST = datetime(2000, 1, 1)
# A collector's clock may run this much ahead of the server's.
CLOCK_SKEW = timedelta(hours=1)
# The largest value a meter can show: a 48-bit integer with the largest VIF scale (J).
MAX_MAGNITUDE = 1e21
MISSING = object()


class UploadError(ValueError):
    """The envelope is malformed: nothing of the upload can be read."""


class Invalid(ValueError):
    """A value does not fit its field; ``path`` names the field inside the reading."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Refusal:
    index: int
    key: str | None
    field: str
    reason: str

    def as_dict(self):
        return {"index": self.index, "key": self.key, "field": self.field, "reason": self.reason}


def _join(path, name):
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name


class Field:
    """A value of the schema: ``required`` when it must be present, ``nullable`` when
    ``null`` is allowed (it then becomes ``default``, as a missing value does)."""

    expected = "a value"
    types = (object,)

    def __init__(self, *, required=False, nullable=False, default=None):
        self.required = required
        self.nullable = nullable
        self.default = default

    def check(self, value, path, now):
        if value is MISSING:
            if self.required:
                raise Invalid(path, "is required")
            return self.default
        if value is None:
            if not self.nullable:
                raise Invalid(path, f"must be {self.expected}, not null")
            return self.default
        return self.convert(value, path, now)

    def accepts_type(self, value):
        return isinstance(value, self.types) and not (
            isinstance(value, bool) and bool not in self.types
        )

    def convert(self, value, path, now):
        raise NotImplementedError


class Text(Field):
    """A string of at most ``max_length`` characters; never a NUL (PostgreSQL refuses
    it); ``printable``: no control character at all (identifiers and keys)."""

    types = (str,)

    def __init__(self, max_length, *, printable=False, allow_empty=True, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.printable = printable
        self.allow_empty = allow_empty
        self.expected = f"a string of at most {max_length} characters"

    def convert(self, value, path, now):
        if not isinstance(value, str) or len(value) > self.max_length:
            raise Invalid(path, f"must be {self.expected}")
        if not self.allow_empty and not value.strip():
            raise Invalid(path, "must not be empty")
        if "\x00" in value or (
            self.printable and any(unicodedata.category(char) == "Cc" for char in value)
        ):
            raise Invalid(path, "must not contain control characters")
        return value


class Integer(Field):
    def __init__(self, minimum, maximum, **kwargs):
        super().__init__(**kwargs)
        self.minimum = minimum
        self.maximum = maximum
        self.expected = f"an integer from {minimum} to {maximum}"

    def convert(self, value, path, now):
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(path, f"must be {self.expected}")
        if not self.minimum <= value <= self.maximum:
            raise Invalid(path, f"must be {self.expected}")
        return value


class Number(Field):
    """A finite number (JSON's NaN and Infinity are not)."""

    expected = "a finite number"
    types = (int, float)

    def convert(self, value, path, now):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Invalid(path, f"must be {self.expected}")
        try:
            number = float(value)
        except OverflowError:
            raise Invalid(path, "is out of range") from None
        if not math.isfinite(number):
            raise Invalid(path, f"must be {self.expected}")
        if abs(number) >= MAX_MAGNITUDE:
            raise Invalid(path, "is out of range")
        return value


class Boolean(Field):
    expected = "true or false"

    def convert(self, value, path, now):
        if not isinstance(value, bool):
            raise Invalid(path, f"must be {self.expected}")
        return value


class Hex(Field):
    """Bytes in hexadecimal (spaces allowed); returned upper-case without spaces."""

    def __init__(self, max_length, **kwargs):
        super().__init__(**kwargs)
        self.max_length = max_length
        self.expected = f"a hexadecimal string of at most {max_length} digits"

    def convert(self, value, path, now):
        if not isinstance(value, str) or len(value) > 2 * self.max_length:
            raise Invalid(path, f"must be {self.expected}")
        digits = "".join(value.split()).upper()
        if len(digits) > self.max_length:
            raise Invalid(path, f"must be {self.expected}")
        try:
            bytes.fromhex(digits)
        except ValueError:
            raise Invalid(path, "is not hexadecimal") from None
        return digits


class Timestamp(Field):
    """ISO 8601 date and time (UTC when no zone is given) → naive UTC datetime, from
    ``EARLIEST`` up to ``CLOCK_SKEW`` after ``now``."""

    expected = "an ISO 8601 date and time"

    def convert(self, value, path, now):
        if not isinstance(value, str) or len(value) > 64:
            raise Invalid(path, f"must be {self.expected}")
        try:
            moment = parse_timestamp(value)
        except (ValueError, OverflowError):
            raise Invalid(path, f"{value!r} is not {self.expected}") from None
        if moment < EARLIEST:
            raise Invalid(path, f"{value} is before {EARLIEST:%Y-%m-%d}: is the clock set?")
        if moment > now + CLOCK_SKEW:
            raise Invalid(path, f"{value} is in the future")
        return moment


class Choice(Field):
    """One of ``choices`` (strings)."""

    types = (str,)

    def __init__(self, choices, what, **kwargs):
        super().__init__(**kwargs)
        self.choices = frozenset(choices)
        self.what = what
        self.expected = f"a string, {what}"

    def convert(self, value, path, now):
        if not isinstance(value, str):
            raise Invalid(path, f"must be {self.expected}")
        if value not in self.choices:
            known = ", ".join(sorted(self.choices))
            shown = value if len(value) <= 64 else value[:64] + "…"
            raise Invalid(path, f"{shown!r} is not {self.what} (known: {known})")
        return value


class Anything(Field):
    """Any JSON value: checked later, on its own."""

    def convert(self, value, path, now):
        return value


class OneOf(Field):
    """The first of ``choices`` of the value's type decides."""

    def __init__(self, *choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.expected = " or ".join(choice.expected for choice in choices)

    def convert(self, value, path, now):
        for choice in self.choices:
            if choice.accepts_type(value):
                return choice.convert(value, path, now)
        raise Invalid(path, f"must be {self.expected}")


class ListOf(Field):
    def __init__(self, item, max_items, **kwargs):
        super().__init__(**kwargs)
        self.item = item
        self.max_items = max_items
        self.expected = f"a list of at most {max_items} items"

    def convert(self, value, path, now):
        if not isinstance(value, list) or len(value) > self.max_items:
            raise Invalid(path, f"must be {self.expected}")
        return [self.item.check(item, _join(path, index), now) for index, item in enumerate(value)]


class Formats(Field):
    """Compact-frame formats ``{"A8ED": "02FF2004...", ...}``: at most ``max_items``
    signatures of 4 hexadecimal digits, each with the DIB/VIB headers (at most
    ``max_bytes``) whose CRC it is; returned upper-case without spaces."""

    def __init__(self, max_items, max_bytes, **kwargs):
        super().__init__(**kwargs)
        self.max_items = max_items
        self.headers = Hex(2 * max_bytes)
        self.expected = (
            f"an object of at most {max_items} format signatures (4 hexadecimal digits) "
            "and their headers"
        )

    def convert(self, value, path, now):
        if not isinstance(value, dict) or len(value) > self.max_items:
            raise Invalid(path, f"must be {self.expected}")
        formats = {}
        for signature, headers in value.items():
            if len(signature) != 4 or any(c not in "0123456789abcdefABCDEF" for c in signature):
                shown = signature if len(signature) <= 16 else signature[:16] + "…"
                raise Invalid(path, f"{shown!r} is not a format signature (4 hexadecimal digits)")
            signature = signature.upper()
            where = _join(path, signature)
            if signature in formats:
                raise Invalid(where, "is given twice")
            headers = self.headers.check(headers, where, now)
            if not headers:
                raise Invalid(where, "must not be empty")
            try:
                FormatSignatures({signature: headers})
            except ValueError as error:
                raise Invalid(where, str(error)) from None
            formats[signature] = headers
        return formats


class Object(Field):
    """A JSON object with these ``fields``; other keys are dropped. ``any_of``: names of
    which at least one must be given (not null, not empty)."""

    expected = "an object"

    def __init__(self, fields, *, any_of=(), **kwargs):
        super().__init__(**kwargs)
        self.fields = fields
        self.any_of = any_of

    def convert(self, value, path, now):
        if not isinstance(value, dict):
            raise Invalid(path, f"must be {self.expected}")
        result = {
            name: field.check(value.get(name, MISSING), _join(path, name), now)
            for name, field in self.fields.items()
        }
        if self.any_of and all(result[name] in (None, "") for name in self.any_of):
            names = ", ".join(f'"{name}"' for name in self.any_of)
            raise Invalid(path, f"needs one of {names}")
        return result


def parse_timestamp(text):
    """ISO 8601 → naive UTC datetime; a timestamp without zone is taken as UTC."""
    moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if moment.tzinfo:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)


RECORD = Object(
    {
        "function": Text(64, nullable=True),
        # EN 13757-3: storage numbers up to 41 bits, tariffs 20 bits, subunits 10 bits.
        "storage_number": Integer(0, 2**41 - 1, nullable=True, default=0),
        "tariff": Integer(0, 2**20 - 1, nullable=True, default=0),
        "device": Integer(0, 2**10 - 1, nullable=True, default=0),
        "quantity": Text(64, nullable=True, default=""),
        "unit": Text(64, nullable=True, default=""),
        # Numbers; dates, text and binary values as strings; null for an invalid date.
        "value": OneOf(Number(), Text(1000), nullable=True),
    }
)

METER = Object(
    {
        "secondary_address": Text(32, printable=True, nullable=True),
        "id": Text(32, printable=True, nullable=True),
        "address": Integer(0, 255, nullable=True),
        "manufacturer": Text(16, nullable=True),
        "medium": Text(64, nullable=True),
        "wmbus": Boolean(nullable=True, default=False),
    },
    any_of=("secondary_address", "id", "address"),
    required=True,
)

READING = Object(
    {
        "key": Text(MAX_KEY_LENGTH, printable=True, allow_empty=False, required=True),
        "meter": METER,
        "timestamp": Timestamp(required=True),
        "records": ListOf(RECORD, 1000, nullable=True, default=[]),
        # A multi-telegram reply: at most 16 frames of 261 bytes.
        "raw": Hex(2 * 16 * 261, nullable=True),
        "error": Text(64, printable=True, allow_empty=False, nullable=True),
        "message": Text(500, nullable=True),
        # What the telegram says is wrong now (leak, low battery...); none: no alarm.
        "alarms": ListOf(
            Choice(ALARM_CODES, "an alarm code of site_collector"),
            len(ALARM_CODES),
            nullable=True,
            default=[],
        ),
        # What it reports as past (Diehl's previous alarms): each recorded once.
        "previous_alarms": ListOf(
            Choice(ALARM_CODES, "an alarm code of site_collector"),
            len(ALARM_CODES),
            nullable=True,
            default=[],
        ),
        # The formats the meter's full telegrams taught the collector: its compact frames
        # then decode here too. As many as a meter keeps, as the collector sends them.
        "formats": Formats(MAX_FORMATS, MAX_FORMAT_BYTES, nullable=True, default={}),
    }
)

UPLOAD = Object(
    {
        "collector": Text(MAX_KEY_LENGTH, printable=True, allow_empty=False, required=True),
        "readings": ListOf(Anything(nullable=True), MAX_READINGS, required=True),
    }
)


def check_reading(item, now):
    """One reading normalised, or Invalid naming the field."""
    reading = READING.check(item, "", now)
    reading["alarms"] = sorted(set(reading["alarms"]))
    reading["previous_alarms"] = sorted(set(reading["previous_alarms"]))
    if not reading["error"] and not reading["records"] and not reading["raw"]:
        raise Invalid("records", 'neither "records", "raw" nor "error" given')
    return reading


def check_upload(body, now):
    """(collector name, [(index, reading)], [Refusal]) of a parsed JSON body.

    ``now``: the server's naive UTC time, the upper bound of the timestamps.
    """
    try:
        collector = UPLOAD.check(body, "", now)["collector"]
    except Invalid as error:
        where = f'"{error.path}"' if error.path else "the body"
        raise UploadError(f"{where} {error.reason}") from None
    accepted, refused = [], []
    for index, item in enumerate(body["readings"]):
        try:
            accepted.append((index, check_reading(item, now)))
        except Invalid as error:
            key = item.get("key") if isinstance(item, dict) else None
            key = key if isinstance(key, str) and len(key) <= MAX_KEY_LENGTH else None
            refused.append(Refusal(index, key, error.path, error.reason))
    return collector, accepted, refused
