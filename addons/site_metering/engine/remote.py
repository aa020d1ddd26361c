"""Remote reading's rules, the same for gateways Odoo polls and collectors that upload.

- Which meter a reading is of: ``Identity`` (what the reading, or a gateway's scan, says of
  its meter) looked up in a ``MeterIndex`` of candidate meters, in one order for every
  path: a wireless meter by its wireless M-Bus ID, then its serial number; a wired one by
  its 16-digit secondary address, its 8-digit identification number, its serial number,
  and its primary address only when nothing else is known. Leading zeros of a serial
  number do not count. Two meters found: ambiguous; a replaced or removed one: retired.
- ``local_day`` and ``one_per_day``: a meter keeps its first remote reading of a day (in
  the timezone of the gateway or collector); later reads of that day are acknowledged.
- ``failure``: the error code a failed read is stored under (``ERROR_CODES``);
  ``telegram_failure``: the code and words of a telegram that decoded but gives no values
  (encrypted without key, compact without a known format, unknown layout...).
- ``meter_status``: a meter's last good read, last error and failed reads in a row.
- ``MEDIUM_KINDS``: the meter kind a scan creates for a medium site_collector names.
"""

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timezone
from zoneinfo import ZoneInfo

ERROR_CODES = [
    ("no_answer", "No Answer"),
    ("checksum", "Checksum Error"),
    ("decryption_failed", "Decryption Failed"),
    ("encrypted", "Encrypted, No Key"),
    ("collision", "Collision"),
    ("slave_error", "Meter Reports an Error"),
    ("decode_error", "Cannot Decode"),
    ("unsupported", "Unsupported Telegram"),
    ("compact_unknown", "Compact Frame, Format Unknown"),
    ("unknown_layout", "Unknown Manufacturer Layout"),
    ("truncated", "Telegram Cut Short"),
    ("no_records", "No Data Records"),
    ("address_mismatch", "Another Meter Answered"),
    ("no_register", "Billing Register Missing"),
    ("no_address", "No M-Bus Address"),
    ("connection", "Gateway Unreachable"),
    ("other", "Other"),
]
ERROR_CODE_KEYS = {code for code, _label in ERROR_CODES}
# site_collector's DecodeError reasons that are decoding failures of one kind.
DECODE_REASONS = {
    "length",
    "premature_end",
    "too_many_extensions",
    "too_many_frames",
}
# site_collector's status of a wireless telegram that gives no values: its error code.
TELEGRAM_STATUSES = {
    "encrypted": "encrypted",
    "compact_frame": "compact_unknown",
    "manufacturer_specific": "unknown_layout",
    "truncated": "truncated",
    "unsupported": "unsupported",
    "no_records": "no_records",
}
RETIRED_STATES = ("replaced", "removed")
# site_collector's medium names (EN 13757-3 table 3) of the meters a scan may create.
MEDIUM_KINDS = {
    "Electricity": "electricity",
    "Gas": "gas",
    "Heat: Outlet": "heat",
    "Heat: Inlet": "heat",
    "Warm water (30-90°C)": "hot_water",
    "Hot water (>90°C)": "hot_water",
    "Water": "cold_water",
    "Cold water": "cold_water",
    "Heat Cost Allocator": "hca",
}
UNKNOWN, AMBIGUOUS, RETIRED = "unknown", "ambiguous", "retired"
TABLES = ("secondary", "ident", "wmbus", "serial", "primary")


def normalise_address(text):
    """An address or serial number without separators, upper-case."""
    return re.sub(r"[\s.:-]", "", str(text or "")).upper()


@dataclass(frozen=True)
class Identity:
    """What a reading or a scan says of its meter."""

    wmbus: bool
    secondary: str
    ident: str
    primary: int | None

    @classmethod
    def of(cls, meter):
        """The identity of an upload's ``meter`` object (``collector_upload.METER``)."""
        secondary = normalise_address(meter.get("secondary_address"))
        primary = meter.get("address")
        return cls(
            wmbus=bool(meter.get("wmbus")),
            secondary=secondary,
            ident=normalise_address(meter.get("id")) or secondary[:8],
            primary=primary if isinstance(primary, int) else None,
        )

    @property
    def label(self):
        if self.secondary or self.ident:
            return self.secondary or self.ident
        return f"primary address {self.primary}" if self.primary else "?"

    def lookups(self):
        """(table, value) in the order the meter is looked for."""
        serial = self.ident.lstrip("0")
        if self.wmbus:
            return [("wmbus", self.ident), ("serial", serial)]
        return [
            ("secondary", self.secondary),
            ("ident", self.ident),
            ("serial", serial),
            ("primary", None if self.ident else self.primary),
        ]


def search_keys(identities):
    """{table: values} that ``identities`` look meters up by (``Identity.lookups``): a
    search of the meters whose keys (``MeterIndex``) are among them finds every meter
    they may name."""
    keys = {table: set() for table in TABLES}
    for identity in identities:
        for table, value in identity.lookups():
            if value not in (None, ""):
                keys[table].add(value)
    return {table: sorted(values) for table, values in keys.items()}


@dataclass(frozen=True)
class Candidate:
    """A meter a reading may be of, as stored."""

    id: int
    secondary: str = ""
    serial: str = ""
    wmbus_id: str = ""
    primary: int = 0
    retired: bool = False


@dataclass(frozen=True)
class Match:
    """The meter found (``meter_ids`` of one), or why none: ``problem`` is ``UNKNOWN``,
    ``AMBIGUOUS`` (``meter_ids``: those found) or ``RETIRED`` (the retired meter)."""

    meter_ids: tuple = ()
    problem: str | None = None

    @property
    def meter_id(self):
        return None if self.problem else self.meter_ids[0]


class MeterIndex:
    """Candidate meters by each key a reading may name them by: the normalised secondary
    address (16 digits) and its first 8 digits (identification number), the last 8
    digits of the wireless M-Bus ID, the serial number without leading zeros, the
    primary address."""

    def __init__(self, candidates):
        self.tables = {name: defaultdict(list) for name in TABLES}
        for meter in candidates:
            secondary = normalise_address(meter.secondary)
            if len(secondary) == 16:
                self.tables["secondary"][secondary].append(meter)
            if secondary:
                self.tables["ident"][secondary[:8]].append(meter)
            if meter.wmbus_id:
                self.tables["wmbus"][normalise_address(meter.wmbus_id)[-8:]].append(meter)
            self.tables["serial"][normalise_address(meter.serial).lstrip("0")].append(meter)
            if meter.primary:
                self.tables["primary"][meter.primary].append(meter)

    def find(self, identity):
        found = []
        for table, value in identity.lookups():
            if value not in (None, ""):
                found = self.tables[table].get(value)
                if found:
                    break
        if not found:
            return Match(problem=UNKNOWN)
        ids = tuple(meter.id for meter in found)
        if len(found) > 1:
            return Match(ids, AMBIGUOUS)
        return Match(ids, RETIRED if found[0].retired else None)


def local_day(moment, tz_name):
    """The day a naive UTC ``moment`` falls on in the timezone ``tz_name`` (UTC if empty)."""
    return moment.replace(tzinfo=timezone.utc).astimezone(ZoneInfo(tz_name or "UTC")).date()


def one_per_day(reads, taken):
    """The first read of each meter and day that ``taken`` does not hold already.

    ``reads``: (key, meter, day, moment); ``taken``: {(meter, day)} stored before.
    Returns (keys kept, by moment; keys of the later reads of a day already read).
    """
    taken = set(taken)
    kept, skipped = [], []
    for key, meter, day, _moment in sorted(reads, key=lambda read: read[3]):
        if (meter, day) in taken:
            skipped.append(key)
        else:
            taken.add((meter, day))
            kept.append(key)
    return kept, skipped


def failure(reason, message=None):
    """(error code, message) of a failed read that site_collector gave ``reason`` for.

    A reason of no known kind is stored as "other", its words as the message.
    """
    if reason in ERROR_CODE_KEYS:
        code = reason
    else:
        code = "decode_error" if reason in DECODE_REASONS else "other"
    return code, message or (reason if code == "other" else None)


def telegram_failure(decoded):
    """(error code, message) of a decoded telegram that gives no values, or None.

    A wireless telegram says why in its ``status`` and ``detail`` (site_collector); a
    wired frame only that it is encrypted (its ``status`` is the status byte). A telegram
    with records gives values, even one cut short (``partial``).
    """
    if decoded.get("records"):
        return None
    status = decoded.get("status")
    detail = decoded.get("detail")
    if isinstance(status, str) and status in TELEGRAM_STATUSES:
        return TELEGRAM_STATUSES[status], detail or None
    if decoded.get("encrypted"):
        mode = decoded.get("security_mode")
        return "encrypted", detail or (f"security mode {mode}: no key" if mode else None)
    return "no_records", detail or "the telegram holds no data records"


@dataclass(frozen=True)
class MeterStatus:
    """A meter's remote status after a batch; ``None``: unchanged by it."""

    last_read: object = None
    error: tuple | None = None  # (moment, code, message) of the last failed read
    error_count: int | None = None


def meter_status(reads, errors, counts):
    """{meter: MeterStatus} of the meters a batch read or failed to read.

    ``reads``: (meter, moment) of the readings stored; ``errors``: (meter, moment, code,
    message) of the failed reads stored; ``counts``: {meter: failed reads in a row before
    the batch}. A good read resets the count; only failed reads after a meter's last good
    read of the batch count and give its last error.
    """
    good = {}
    for meter, moment in reads:
        if moment and (meter not in good or good[meter] < moment):
            good[meter] = moment
    failed = defaultdict(list)
    for error in sorted(errors, key=lambda error: error[1]):
        failed[error[0]].append(error)
    status = {}
    for meter in set(good) | set(failed):
        last_good = good.get(meter)
        after = [error for error in failed[meter] if not last_good or error[1] > last_good]
        count = 0 if last_good else None
        last_error = None
        if after:
            _meter, moment, code, message = after[-1]
            last_error = (moment, code, message)
            count = (count if last_good else counts.get(meter, 0)) + len(after)
        status[meter] = MeterStatus(last_good, last_error, count)
    return status
