"""Lookup tables of EN 13757-3: value information (VIF) codes, media and data lengths.

Unit and quantity names follow libmbus's normalised output (base units: Wh, J, m^3, kg, s, W,
°C ...) so that decoded records compare one to one with its ``.norm.xml`` files.
Codes: primary VIF 0x00-0x7F, VIF 0xFD + VIFE as 0x100 | VIFE, VIF 0xFB + VIFE as 0x200 | VIFE.
"""

from .errors import DecodeError

MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
MONTH, YEAR = 2629743.83, 31556926.0  # libmbus's mean month and year
TIME_UNITS = (1.0, MINUTE, HOUR, DAY)

RESERVED = (1.0, "Reserved", "Reserved")


def _decades(first, count, start_exponent, unit, quantity, table):
    for n in range(count):
        table[first + n] = (10.0 ** (start_exponent + n), unit, quantity)


def _durations(first, quantity, table, factors=TIME_UNITS):
    for n, factor in enumerate(factors):
        table[first + n] = (factor, "s", quantity)


def _build_vif_table():
    table = {}
    # Primary table (EN 13757-3 table 10)
    _decades(0x00, 8, -3, "Wh", "Energy", table)
    _decades(0x08, 8, 0, "J", "Energy", table)
    _decades(0x10, 8, -6, "m^3", "Volume", table)
    _decades(0x18, 8, -3, "kg", "Mass", table)
    _durations(0x20, "On time", table)
    _durations(0x24, "Operating time", table)
    _decades(0x28, 8, -3, "W", "Power", table)
    _decades(0x30, 8, 0, "J/h", "Power", table)
    _decades(0x38, 8, -6, "m^3/h", "Volume flow", table)
    _decades(0x40, 8, -7, "m^3/min", "Volume flow", table)
    _decades(0x48, 8, -9, "m^3/s", "Volume flow", table)
    _decades(0x50, 8, -3, "kg/h", "Mass flow", table)
    _decades(0x58, 4, -3, "°C", "Flow temperature", table)
    _decades(0x5C, 4, -3, "°C", "Return temperature", table)
    _decades(0x60, 4, -3, "K", "Temperature difference", table)
    _decades(0x64, 4, -3, "°C", "External temperature", table)
    _decades(0x68, 4, -3, "bar", "Pressure", table)
    table[0x6C] = (1.0, "-", "Time point (date)")
    table[0x6D] = (1.0, "-", "Time point (date & time)")
    table[0x6E] = (1.0, "Units for H.C.A.", "H.C.A.")
    table[0x6F] = (0.0, "Reserved", "Reserved")
    _durations(0x70, "Averaging Duration", table)
    _durations(0x74, "Actuality Duration", table)
    table[0x78] = (1.0, "", "Fabrication No")
    table[0x79] = (1.0, "", "(Enhanced) Identification")
    table[0x7A] = (1.0, "", "Bus Address")
    table[0x7E] = (1.0, "", "Any VIF")
    table[0x7F] = (1.0, "", "Manufacturer specific")

    # First extension table, VIF 0xFD (EN 13757-3 table 14)
    _decades(0x100, 4, -3, "Currency units", "Credit", table)
    _decades(0x104, 4, -3, "Currency units", "Debit", table)
    for code, quantity in enumerate(
        (
            "Access Number (transmission count)",
            "Medium",
            "Manufacturer",
            "Parameter set identification",
            "Model / Version",
            "Hardware version",
            "Firmware version",
            "Software version",
            "Customer location",
            "Customer",
            "Access Code User",
            "Access Code Operator",
            "Access Code System Operator",
            "Access Code Developer",
            "Password",
            "Error flags",
            "Error mask",
        ),
        start=0x108,
    ):
        table[code] = (1.0, "", quantity)
    table[0x119] = RESERVED
    table[0x11A] = (1.0, "", "Digital Output")
    table[0x11B] = (1.0, "", "Digital Input")
    table[0x11C] = (1.0, "Baud", "Baudrate")
    table[0x11D] = (1.0, "Bittimes", "Response delay time")
    table[0x11E] = (1.0, "", "Retry")
    table[0x11F] = RESERVED
    table[0x120] = (1.0, "", "First storage # for cyclic storage")
    table[0x121] = (1.0, "", "Last storage # for cyclic storage")
    table[0x122] = (1.0, "", "Size of storage block")
    table[0x123] = RESERVED
    _durations(0x124, "Storage interval", table, TIME_UNITS + (MONTH, YEAR))
    table[0x12A] = table[0x12B] = RESERVED
    _durations(0x12C, "Duration since last readout", table)
    table[0x130] = RESERVED  # start of tariff: a date, see records.DATE_CODES
    _durations(0x131, "Duration of tariff", table, (MINUTE, HOUR, DAY))
    _durations(0x134, "Period of tariff", table, TIME_UNITS + (MONTH, YEAR))
    table[0x13A] = (1.0, "", "Dimensionless")
    for code in range(0x13B, 0x140):
        table[code] = RESERVED
    _decades(0x140, 16, -9, "V", "Voltage", table)
    _decades(0x150, 16, -12, "A", "Current", table)
    for code, quantity in enumerate(
        (
            "Reset counter",
            "Cumulation counter",
            "Control signal",
            "Day of week",
            "Week number",
            "Time point of day change",
            "State of parameter activation",
            "Special supplier information",
        ),
        start=0x160,
    ):
        table[code] = (1.0, "", quantity)
    _durations(0x168, "Duration since last cumulation", table, (HOUR, DAY, MONTH, YEAR))
    _durations(0x16C, "Operating time battery", table, (HOUR, DAY, MONTH, YEAR))
    table[0x170] = (1.0, "", "Date and time of battery change")
    for code in range(0x171, 0x180):
        table[code] = RESERVED

    # Second extension table, VIF 0xFB (EN 13757-3 table 12)
    for code in range(0x200, 0x280):
        table[code] = RESERVED
    _decades(0x200, 2, 5, "Wh", "Energy", table)
    _decades(0x208, 2, 8, "J", "Energy", table)
    _decades(0x210, 2, 2, "m^3", "Volume", table)
    _decades(0x218, 2, 5, "kg", "Mass", table)
    table[0x21A] = (0.1, "%", "Relative humidity")  # EN 13757-3:2018
    table[0x221] = (0.1, "feet^3", "Volume")
    _decades(0x222, 2, -1, "American gallon", "Volume", table)
    table[0x224] = (1.0e-3, "American gallon/min", "Volume flow")
    table[0x225] = (1.0, "American gallon/min", "Volume flow")
    table[0x226] = (1.0, "American gallon/h", "Volume flow")
    _decades(0x228, 2, 5, "W", "Power", table)
    _decades(0x230, 2, 8, "J/h", "Power", table)
    _decades(0x258, 4, -3, "°F", "Flow temperature", table)
    _decades(0x25C, 4, -3, "°F", "Return temperature", table)
    _decades(0x260, 4, -3, "°F", "Temperature difference", table)
    _decades(0x264, 4, -3, "°F", "External temperature", table)
    _decades(0x270, 4, -3, "°F", "Cold / Warm Temperature Limit", table)
    _decades(0x274, 4, -3, "°C", "Cold / Warm Temperature Limit", table)
    _decades(0x278, 8, -3, "W", "Cumul count max power", table)
    return table


VIF_TABLE = _build_vif_table()


# Medium (device type) byte of the data header, names as libmbus prints them.
MEDIA = {
    0x00: "Other",
    0x01: "Oil",
    0x02: "Electricity",
    0x03: "Gas",
    0x04: "Heat: Outlet",
    0x05: "Steam",
    0x06: "Warm water (30-90°C)",
    0x07: "Water",
    0x08: "Heat Cost Allocator",
    0x09: "Compressed Air",
    0x0A: "Cooling load meter: Outlet",
    0x0B: "Cooling load meter: Inlet",
    0x0C: "Heat: Inlet",
    0x0D: "Heat / Cooling load meter",
    0x0E: "Bus/System",
    0x0F: "Unknown Medium",
    0x10: "Irrigation Water",
    0x11: "Water Logger",
    0x12: "Gas Logger",
    0x13: "Gas Converter",
    0x14: "Calorific value",
    0x15: "Hot water (>90°C)",
    0x16: "Cold water",
    0x17: "Dual water",
    0x18: "Pressure",
    0x19: "A/D Converter",
    0x1A: "Smoke Detector",
    0x1B: "Ambient Sensor",
    0x1C: "Gas Detector",
    0x20: "Breaker: Electricity",
    0x21: "Valve: Gas or Water",
    0x25: "Customer Unit: Display Device",
    0x28: "Waste Water",
    0x29: "Garbage",
    0x30: "Service Unit",
    0x36: "Radio Converter: System",
    0x37: "Radio Converter: Meter",
}


def medium_name(code):
    return MEDIA.get(code, "Reserved")


# Medium of a fixed-structure frame (CI 0x73), from the two top bits of each counter's unit.
FIXED_MEDIA = (
    "Other",
    "Oil",
    "Electricity",
    "Gas",
    "Heat",
    "Steam",
    "Hot Water",
    "Water",
    "H.C.A.",
    "Reserved",
    "Gas Mode 2",
    "Heat Mode 2",
    "Hot Water Mode 2",
    "Water Mode 2",
    "H.C.A. Mode 2",
    "Reserved",
)


def _build_fixed_units():
    """Unit codes of fixed-structure counters, already as (scale, base unit, quantity)."""
    table = {}
    _decades(0x02, 9, 0, "Wh", "Energy", table)  # Wh .. MWh*100
    _decades(0x0B, 9, 3, "J", "Energy", table)  # kJ .. GJ*100
    _decades(0x14, 9, 0, "W", "Power", table)  # W .. MW*100
    _decades(0x1D, 9, 3, "J/h", "Power", table)  # kJ/h .. GJ/h*100
    _decades(0x26, 9, -6, "m^3", "Volume", table)  # ml .. m3*100
    _decades(0x2F, 9, -6, "m^3/h", "Volume flow", table)  # ml/h .. m3/h*100
    table[0x38] = (1.0e-3, "°C", "Temperature")
    table[0x39] = (1.0, "Units for H.C.A.", "H.C.A.")
    table[0x3F] = (1.0, "", "Dimensionless")
    return table


FIXED_UNITS = _build_fixed_units()

# Data field (low nibble of the DIF) -> length in bytes; 0x0D (LVAR) is variable.
DATA_LENGTHS = {
    0x0: 0,
    0x1: 1,
    0x2: 2,
    0x3: 3,
    0x4: 4,
    0x5: 4,
    0x6: 6,
    0x7: 8,
    0x8: 0,
    0x9: 1,
    0xA: 2,
    0xB: 3,
    0xC: 4,
    0xE: 6,
}
BCD_TYPES = {0x9, 0xA, 0xB, 0xC, 0xE}

FUNCTIONS = ("Instantaneous value", "Maximum value", "Minimum value", "Value during error state")

# Application errors a slave reports with CI 0x70 (EN 13757-3 table 17).
APPLICATION_ERRORS = {
    0: "unspecified error",
    1: "unimplemented CI field",
    2: "buffer too long, truncated",
    3: "too many records",
    4: "premature end of record",
    5: "more than 10 DIFEs",
    6: "more than 10 VIFEs",
    7: "reserved",
    8: "application busy",
    9: "too many readouts",
}


def lvar_length(lvar):
    """Byte length announced by an LVAR byte (EN 13757-3 table 5); reserved ones refused."""
    if lvar <= 0xBF:
        return lvar  # text, 8-bit characters
    if 0xC0 <= lvar <= 0xC9 or 0xD0 <= lvar <= 0xD9:
        return lvar & 0x0F  # positive / negative BCD, two digits a byte
    if 0xE0 <= lvar <= 0xEF:
        return lvar - 0xE0  # binary number
    if 0xF0 <= lvar <= 0xF4:
        return 4 * (lvar - 0xEC)  # binary number of 16 to 32 bytes
    if lvar == 0xF5:
        return 48
    if lvar == 0xF6:
        return 64
    raise DecodeError(f"reserved LVAR 0x{lvar:02X} (EN 13757-3 table 5): length unknown")


# Record error codes a slave puts in a VIFE 0x00-0x1F (EN 13757-3 table 16).
RECORD_ERRORS = {
    0x00: "no error",
    0x01: "too many DIFEs",
    0x02: "storage number not implemented",
    0x03: "unit number not implemented",
    0x04: "tariff number not implemented",
    0x05: "function not implemented",
    0x06: "data class not implemented",
    0x07: "data size not implemented",
    0x0B: "too many VIFEs",
    0x0C: "illegal VIF-group",
    0x0D: "illegal VIF-exponent",
    0x0E: "VIF/DIF mismatch",
    0x0F: "unimplemented action",
    0x15: "no data available (undefined value)",
    0x16: "data overflow",
    0x17: "data underflow",
    0x18: "data error",
    0x1C: "premature end of record",
}
# Not errors in EN 13757-3:2018 / OMS: inverse compact profile, standard conform data
# content, compact profile with register numbers, compact profile (see .profiles).
NOT_RECORD_ERRORS = {
    0x13: "inverse compact profile",
    0x1D: "standard conform data content",
    0x1E: "compact profile with register numbers",
    0x1F: "compact profile",
}
for _code in range(0x20):
    if _code not in NOT_RECORD_ERRORS:
        RECORD_ERRORS.setdefault(_code, f"reserved record error 0x{_code:02X}")


def _build_combinable():
    """Meanings of the combinable (orthogonal) VIFEs (EN 13757-3 table 15)."""
    table = {}
    for code, per in enumerate(
        ("second", "minute", "hour", "day", "week", "month", "year", "revolution/measurement"),
        start=0x20,
    ):
        table[code] = f"per {per}"
    table.update(
        {
            0x28: "increment per input pulse on input channel 0",
            0x29: "increment per input pulse on input channel 1",
            0x2A: "increment per output pulse on output channel 0",
            0x2B: "increment per output pulse on output channel 1",
            0x2C: "per litre",
            0x2D: "per m^3",
            0x2E: "per kg",
            0x2F: "per K",
            0x30: "per kWh",
            0x31: "per GJ",
            0x32: "per kW",
            0x33: "per (K*l)",
            0x34: "per V",
            0x35: "per A",
            0x36: "multiplied by s",
            0x37: "multiplied by s/V",
            0x38: "multiplied by s/A",
            0x39: "start date(/time) of",
            0x3A: "uncorrected unit",
            0x3B: "accumulation only if positive contributions",
            0x3C: "accumulation of abs value only if negative contributions",
            0x3D: "alternate non-metric unit system",
            0x3E: "value at base conditions",
            0x3F: "OBIS declaration",
            0x7C: "reserved",
            0x7D: "multiplicative correction factor 1000",
            0x7E: "future value",
            0x7F: "manufacturer specific",
            **NOT_RECORD_ERRORS,
        }
    )
    for upper, limit in ((0, "lower"), (8, "upper")):
        table[0x40 | upper] = f"{limit} limit value"
        table[0x41 | upper] = f"number of exceeds of {limit} limit"
        for bits, (which, edge) in enumerate(
            (("first", "begin"), ("first", "end"), ("last", "begin"), ("last", "end"))
        ):
            code = 0x42 | upper | ((bits & 2) << 1) | (bits & 1)
            table[code] = f"date (time) of {edge} of {which} {limit} limit exceed"
        for unit_bits, unit in enumerate(("s", "min", "h", "d")):
            for first_bit, which in ((0, "first"), (4, "last")):
                code = 0x50 | upper | first_bit | unit_bits
                table[code] = f"duration of {which} {limit} limit exceed ({unit})"
    for unit_bits, unit in enumerate(("s", "min", "h", "d")):
        table[0x60 | unit_bits] = f"duration of first ({unit})"
        table[0x64 | unit_bits] = f"duration of last ({unit})"
    table[0x68] = "value during lower value limit exceed"
    table[0x6C] = "value during upper value limit exceed"
    for bits, (which, edge) in enumerate(
        (("first", "begin"), ("first", "end"), ("last", "begin"), ("last", "end"))
    ):
        table[0x6A | ((bits & 2) << 1) | (bits & 1)] = f"date (time) of {edge} of {which}"
    for n in range(8):
        table[0x70 + n] = f"multiplicative correction factor 10^{n - 6}"
    for n in range(4):
        table[0x78 + n] = f"additive correction constant 10^{n - 3} x unit of VIF"
    return table


VIFE_COMBINABLE = _build_combinable()
