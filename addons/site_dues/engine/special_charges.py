"""Check the rows of a file of special charges (one unit each) and say what is wrong
with every row.

A file is all or nothing: ``parse`` returns the good rows only when no row is bad,
and otherwise every bad row with its reasons, so the person fixes the file once.
Columns: unit code, charge type code, amount, description, due date. The rows come
from the suite's bounded CSV/XLSX reader (empty XLSX cells are None).
"""

from collections import namedtuple
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

COLUMNS = ("unit", "charge_type", "amount", "description", "due_date")
ALIASES = {
    "unit": ("unit", "unit code", "unit_code", "code"),
    "charge_type": ("charge type", "charge_type", "type", "charge type code"),
    "amount": ("amount",),
    "description": ("description", "label", "name"),
    "due_date": ("due date", "due_date", "due"),
}

SpecialCharge = namedtuple("SpecialCharge", "row unit charge_type amount description due_date")
RowError = namedtuple("RowError", "row reasons")


class FileError(ValueError):
    """The file as a whole cannot be used (no header, no rows)."""


def _header_map(header):
    names = [_text(cell).lower() for cell in header]
    mapping = {}
    for column, aliases in ALIASES.items():
        for index, name in enumerate(names):
            if name in aliases:
                mapping[column] = index
                break
    missing = [column for column in ("unit", "charge_type", "amount") if column not in mapping]
    if missing:
        raise FileError(f"the header lacks the column(s): {', '.join(missing)}")
    return mapping


def _text(value):
    return "" if value is None else str(value).strip()


def _amount(value):
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value))
    text = str(value).strip().replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # decimal comma (tr, pl, uk)
    return Decimal(text)


def _date(value, default):
    if value in ("", None):
        return default
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse(rows, unit_codes, charge_type_codes, default_due_date):
    """(charges, errors) from rows whose first row is the header.

    ``unit_codes`` and ``charge_type_codes`` map the codes of the site to ids. Row
    numbers count the header as row 1, as a spreadsheet shows them.
    """
    if not rows:
        raise FileError("the file is empty")
    mapping = _header_map(rows[0])
    charges, errors = [], []
    for number, row in enumerate(rows[1:], start=2):
        cells = {
            column: (row[index] if index < len(row) and row[index] is not None else "")
            for column, index in mapping.items()
        }
        if not any(_text(value) for value in cells.values()):
            continue
        reasons = []
        unit = _text(cells["unit"])
        if unit not in unit_codes:
            reasons.append(f"unknown unit {unit!r}" if unit else "no unit")
        charge_type = _text(cells["charge_type"])
        if charge_type not in charge_type_codes:
            reasons.append(
                f"unknown charge type {charge_type!r}" if charge_type else "no charge type"
            )
        try:
            amount = _amount(cells["amount"])
            if not amount.is_finite():
                raise InvalidOperation
            if amount <= 0:
                reasons.append(f"the amount {cells['amount']} is not positive")
        except (InvalidOperation, ValueError):
            reasons.append(f"the amount {cells['amount']!r} is not a number")
        try:
            due_date = _date(cells.get("due_date", ""), default_due_date)
        except ValueError as error:
            reasons.append(f"the due date {error} is not a date (use YYYY-MM-DD or DD.MM.YYYY)")
        if reasons:
            errors.append(RowError(number, reasons))
        else:
            charges.append(
                SpecialCharge(
                    number,
                    unit_codes[unit],
                    charge_type_codes[charge_type],
                    amount,
                    _text(cells.get("description")),
                    due_date,
                )
            )
    if not charges and not errors:
        raise FileError("the file has no rows below its header")
    return (charges, []) if not errors else ([], errors)
