"""Alarms a telegram carries, as a list of codes in ``reading["alarms"]``.

Codes (sorted, each once):

- from the status byte of the transport header (EN 13757-3 / OMS): ``application_busy``,
  ``application_error``, ``abnormal_condition``, ``low_battery`` (power low),
  ``permanent_error``, ``temporary_error``;
- from an "Error flags" record (VIF 0xFD 0x17) that is not zero: ``error_flags``;
- from the manufacturers' layouts (:mod:`.manufacturers`, Kamstrup's info codes here):
  ``leak``, ``burst``, ``backflow``, ``dry``, ``tamper``, ``magnet``, ``low_battery``,
  ``removed``, ``sensor_error``, ``manufacturer_error``, ``blocked``, ``underflow``,
  ``overflow``, ``submerged`` (Diehl IZAR); ``leak``, ``backflow``, ``magnet``, ``tamper``,
  ``removed`` (BMeters Hydrodigit); ``manufacturer_error`` when a Qundis allocator sends a
  date of its error state (record 32 6C or its walk-by data set). Alarms a meter reports as
  past (Diehl's "previous") are in ``reading["previous_alarms"]``.

A code says an alarm is set now; durations and history stay in the records.
"""

ALARM_CODES = (
    "abnormal_condition",
    "application_busy",
    "application_error",
    "backflow",
    "blocked",
    "burst",
    "dry",
    "error_flags",
    "leak",
    "low_battery",
    "magnet",
    "manufacturer_error",
    "overflow",
    "permanent_error",
    "removed",
    "sensor_error",
    "submerged",
    "tamper",
    "temporary_error",
    "underflow",
)
APPLICATION_STATUS = {1: "application_busy", 2: "application_error", 3: "abnormal_condition"}
# Kamstrup water meters (Multical 21, flowIQ): info codes in record 02 FF 20.
KAMSTRUP_INFO = {0x01: "dry", 0x02: "backflow", 0x04: "leak", 0x08: "burst"}
# Qundis (and Siemens, LSE) allocators send the date they entered an error state.
ERROR_DATE_MANUFACTURERS = {"QDS", "LSE"}


def status_alarms(status):
    """Alarm codes of the status byte of a transport header."""
    if status is None:
        return []
    codes = []
    if status & 0x03:
        codes.append(APPLICATION_STATUS[status & 0x03])
    if status & 0x04:
        codes.append("low_battery")
    if status & 0x08:
        codes.append("permanent_error")
    if status & 0x10:
        codes.append("temporary_error")
    return codes


def record_alarms(reading):
    """Alarm codes of the records: error flags, Kamstrup info codes, Qundis error dates."""
    codes = []
    for record in reading.get("records", []):
        value = record.get("value")
        if record.get("quantity") == "Error flags" and value not in (None, 0, "", "00"):
            if not isinstance(value, str) or set(value) - {"0", " "}:
                codes.append("error_flags")
        if (
            reading.get("manufacturer") == "KAM"
            and record.get("header") == "02FF20"
            and record.get("data")
        ):
            info = int.from_bytes(bytes.fromhex(record["data"]), "little")
            codes += [code for bit, code in KAMSTRUP_INFO.items() if info & bit]
        if (
            reading.get("manufacturer") in ERROR_DATE_MANUFACTURERS
            and record.get("function") == "Value during error state"
            and record.get("quantity") == "Time point (date)"
            and value
        ):
            codes.append("manufacturer_error")
    return codes


def add_alarms(reading):
    """Fill ``reading["alarms"]`` from the status byte, the records and what is there."""
    status = reading.get("meter_status")
    if status is None and not reading.get("wmbus"):
        status = reading.get("status") if isinstance(reading.get("status"), int) else None
    codes = set(reading.get("alarms") or ())
    codes.update(status_alarms(status))
    codes.update(record_alarms(reading))
    reading["alarms"] = sorted(codes)
    return reading
