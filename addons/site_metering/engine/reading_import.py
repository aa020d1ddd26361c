"""Reading firms' files: map columns, parse values; report every bad row.

A reading firm sends a CSV or XLSX file with one reading a row; the caller reads its
rows (within bounds, with site_residents' spreadsheet reader) and hands them over. A
``Mapping`` says where each field is: a column number (1-based, "3"), an Excel column
letter prefixed with ``#`` ("#C") or a header name ("Serial No") matched without regard
to case and surrounding spaces. Nothing here touches the database: the caller resolves the meter
references and checks the values against the meters' histories.

``parse(rows, mapping)`` returns a ``ParseResult``: the good rows (``ImportRow``) and
one ``RowError`` per bad row, with the row number as the firm's spreadsheet shows it.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

FIELDS = ("meter", "date", "value", "unit", "kind")
REQUIRED = ("meter", "date", "value")
LABELS = {
    "meter": "meter",
    "date": "date",
    "value": "value",
    "unit": "unit code",
    "kind": "meter kind",
}
# Words a firm may write in the kind column, mapped to site.meter kinds.
KIND_ALIASES = {
    "hca": "hca",
    "allocator": "hca",
    "heat cost allocator": "hca",
    "pay olcer": "hca",
    "payölçer": "hca",
    "heat": "heat",
    "heat meter": "heat",
    "kalorimetre": "heat",
    "cold_water": "cold_water",
    "cold water": "cold_water",
    "water": "cold_water",
    "soguk su": "cold_water",
    "soğuk su": "cold_water",
    "hot_water": "hot_water",
    "hot water": "hot_water",
    "sicak su": "hot_water",
    "sıcak su": "hot_water",
    "gas": "gas",
    "gaz": "gas",
    "electricity": "electricity",
    "elektrik": "electricity",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be used (missing column or header row, no readings)."""


@dataclass(frozen=True)
class Mapping:
    meter: str
    date: str
    value: str
    unit: str = ""
    kind: str = ""
    header_row: int = 1  # the row holding the column names; 0: none, data from row 1
    decimal_separator: str = ","
    date_format: str = "%d.%m.%Y"


@dataclass(frozen=True)
class ImportRow:
    row: int
    meter_ref: str
    date: datetime.date
    value: Decimal
    unit_code: str = ""
    kind: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    message: str
    meter_ref: str = ""


@dataclass
class ParseResult:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    header: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def column_index(spec, header):
    """The 0-based column a mapping entry designates, or None when it is empty.

    "3" → 2; "#C" → 2 (spreadsheet letters); otherwise a header name.
    """
    spec = (spec or "").strip()
    if not spec:
        return None
    if spec.isdigit():
        if int(spec) < 1:
            raise ImportFileError(f"Column numbers start at 1, not {spec}.")
        return int(spec) - 1
    if spec.startswith("#") and re.fullmatch(r"#[A-Za-z]{1,3}", spec):
        index = 0
        for letter in spec[1:].upper():
            index = index * 26 + ord(letter) - ord("A") + 1
        return index - 1
    names = [_norm(name) for name in header]
    if _norm(spec) in names:
        return names.index(_norm(spec))
    shown = ", ".join(str(name) for name in header if str(name or "").strip()) or "none"
    raise ImportFileError(f'No column named "{spec}" in the header (columns: {shown}).')


def _norm(name):
    return re.sub(r"\s+", " ", str(name if name is not None else "")).strip().casefold()


def _cell_text(cell):
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def parse_number(cell, decimal_separator=","):
    """A Decimal from a cell: numbers as they are, text with the firm's decimal separator.

    Thousands separators (the other one of "." and ",", spaces, apostrophes) are dropped.
    Raises ValueError with a message for anything else.
    """
    if isinstance(cell, bool):
        raise ValueError(f"{cell!r} is not a number")
    if isinstance(cell, (int, float, Decimal)):
        return Decimal(str(cell))
    text = _cell_text(cell).replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not text:
        raise ValueError("the value is empty")
    thousands = "." if decimal_separator == "," else ","
    if decimal_separator == thousands:
        raise ValueError("the decimal separator must be . or ,")
    if (
        decimal_separator in text
        and thousands in text
        and (text.rindex(thousands) > text.rindex(decimal_separator))
    ):
        raise ValueError(f'"{text}" does not use "{decimal_separator}" as decimal separator')
    if text.count(decimal_separator) > 1:
        raise ValueError(f'"{text}" is not a number')
    text = text.replace(thousands, "").replace(decimal_separator, ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ValueError(f'"{_cell_text(cell)}" is not a number')
    try:
        return Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern rules it out
        raise ValueError(f'"{_cell_text(cell)}" is not a number') from error


def parse_date(cell, date_format="%d.%m.%Y"):
    """A date from a cell: dates and datetimes as they are, text in ``date_format``."""
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = _cell_text(cell)
    if not text:
        raise ValueError("the date is empty")
    try:
        return datetime.datetime.strptime(text, date_format).date()
    except ValueError:
        pass
    # A spreadsheet may hand over a date cell as text "2026-03-21 00:00:00".
    try:
        return datetime.datetime.fromisoformat(text).date()
    except ValueError as error:
        example = datetime.date(2026, 3, 21).strftime(date_format)
        raise ValueError(
            f'"{text}" is not a date in the format {date_format} (e.g. {example})'
        ) from error


def parse_kind(cell):
    text = _norm(_cell_text(cell))
    if not text:
        return ""
    if text in KIND_ALIASES:
        return KIND_ALIASES[text]
    raise ValueError(f'unknown meter kind "{_cell_text(cell)}"')


def parse(rows, mapping, today=None):
    """Map and parse the rows of a sheet (lists of cells) with ``mapping``.

    Blank rows are skipped. A row is bad when a required cell is empty, a date or
    number does not parse, a date lies in the future (after ``today``), a value is
    negative, or it repeats an earlier row's meter and date (a duplicate row).
    """
    rows = [list(row) for row in rows]
    result = ParseResult()
    header_row = mapping.header_row or 0
    if header_row < 0:
        raise ImportFileError("The header row cannot be negative.")
    if header_row > len(rows):
        raise ImportFileError(f"The file has no row {header_row} to read the column names from.")
    header = [_cell_text(cell) for cell in rows[header_row - 1]] if header_row else []
    result.header = header
    columns = {}
    for name in FIELDS:
        columns[name] = column_index(getattr(mapping, name), header)
        if columns[name] is None and name in REQUIRED:
            raise ImportFileError(f"Map the column that holds the {LABELS[name]}.")
    seen = {}
    for number, cells in enumerate(rows[header_row:], start=header_row + 1):
        if not any(_cell_text(cell) for cell in cells):
            continue

        def cell(name, cells=cells):
            index = columns[name]
            if index is None or index >= len(cells):
                return None
            return cells[index]

        meter_ref = _cell_text(cell("meter"))
        problems = []
        if not meter_ref:
            problems.append("the meter is empty")
        try:
            day = parse_date(cell("date"), mapping.date_format)
            if today and day > today:
                problems.append(f"the date {day.isoformat()} is in the future")
        except ValueError as error:
            day = None
            problems.append(str(error))
        try:
            value = parse_number(cell("value"), mapping.decimal_separator)
            if value < 0:
                problems.append(f"the value {value} is negative")
        except ValueError as error:
            value = None
            problems.append(str(error))
        try:
            kind = parse_kind(cell("kind")) if columns["kind"] is not None else ""
        except ValueError as error:
            kind = ""
            problems.append(str(error))
        if not problems:
            key = (meter_ref.casefold(), kind, day)
            if key in seen:
                problems.append(
                    f"duplicate row: meter {meter_ref} on {day.isoformat()} is already "
                    f"in row {seen[key]}"
                )
            else:
                seen[key] = number
        if problems:
            result.errors.append(RowError(number, "; ".join(problems), meter_ref))
            continue
        result.rows.append(
            ImportRow(
                row=number,
                meter_ref=meter_ref,
                date=day,
                value=value,
                unit_code=_cell_text(cell("unit")),
                kind=kind,
            )
        )
    if not result.rows and not result.errors:
        raise ImportFileError("The file has no readings.")
    return result


def _fmt(value):
    """A Decimal as people write it: 110, 12.5 (not 110.0 or 1.1E+2)."""
    text = format(Decimal(value).normalize(), "f")
    return text


def _plain_consumption(previous, current, _rollover_at=None):
    if current < previous:
        raise ValueError(f"{current} is lower than {previous}")
    return current - previous


def check_sequence(history, new_rows, rollover_at=None, consumption=None):
    """Check the file's readings of one meter against its history, in date order.

    ``history``: [(date, value)] of the meter's counted readings; ``new_rows``:
    [ImportRow] of the same meter. ``consumption``: the readings engine's function
    (previous, current, rollover_at) raising ValueError for a lower value.
    Returns {row number: message} of the rows that must be refused.
    """
    if consumption is None:
        consumption = _plain_consumption
    errors = {}
    known = {day for day, _value in history}
    timeline = [(day, 0, Decimal(str(value)), None) for day, value in history]
    for row in new_rows:
        if row.date in known:
            errors[row.row] = f"the meter already has a reading on {row.date.isoformat()}"
            continue
        timeline.append((row.date, 1, row.value, row))
    timeline.sort(key=lambda item: (item[0], item[1]))
    previous = None
    for day, _order, value, row in timeline:
        if row is not None and previous is not None and row.row not in errors:
            try:
                consumption(previous[1], value, rollover_at)
            except ValueError:
                errors[row.row] = (
                    f"the reading {_fmt(value)} of {day.isoformat()} is lower than the "
                    f"previous one, {_fmt(previous[1])} of {previous[0].isoformat()}"
                )
                continue
        elif row is None and previous is not None and previous[2] is not None:
            # An existing reading after a new one must not become lower than it.
            try:
                consumption(previous[1], value, rollover_at)
            except ValueError:
                errors[previous[2].row] = (
                    f"the reading {_fmt(previous[1])} of {previous[0].isoformat()} is higher "
                    f"than the meter's later reading {_fmt(value)} of {day.isoformat()}"
                )
        previous = (day, value, row)
    return errors
