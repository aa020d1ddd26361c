from datetime import date
from decimal import Decimal

import pytest
from conftest import load_engine

special = load_engine("site_dues", "special_charges")
spreadsheet = load_engine("site_residents", "spreadsheet")

UNITS = {"A-1": 1, "A-2": 2}
TYPES = {"REPAIR": 10, "DUES": 11}
DUE = date(2026, 12, 10)


def parse(text):
    return special.parse(spreadsheet.read_csv(text.encode()), UNITS, TYPES, DUE)


def test_good_file_with_semicolons_and_decimal_commas():
    charges, errors = parse(
        "Unit;Charge Type;Amount;Description;Due Date\n"
        "A-1;REPAIR;1250,50;Roof;2026-12-20\n"
        "A-2;REPAIR;99;Roof;\n"
    )
    assert errors == []
    assert [(c.row, c.unit, c.charge_type, c.amount, c.due_date) for c in charges] == [
        (2, 1, 10, Decimal("1250.50"), date(2026, 12, 20)),
        (3, 2, 10, Decimal("99"), DUE),
    ]


def test_every_bad_row_is_named_and_nothing_is_kept():
    charges, errors = parse(
        "unit,charge_type,amount,description,due_date\n"
        "A-1,REPAIR,100,ok,\n"
        "Z-9,REPAIR,100,unknown unit,\n"
        "A-1,NOPE,-5,two faults,\n"
        "A-2,DUES,abc,not a number,31.02.2026\n"
    )
    assert charges == []
    assert errors == [
        special.RowError(3, ["unknown unit 'Z-9'"]),
        special.RowError(4, ["unknown charge type 'NOPE'", "the amount -5 is not positive"]),
        special.RowError(
            5,
            [
                "the amount 'abc' is not a number",
                "the due date 31.02.2026 is not a date (use YYYY-MM-DD or DD.MM.YYYY)",
            ],
        ),
    ]


def test_header_without_amount_is_a_file_error():
    with pytest.raises(special.FileError, match="amount"):
        parse("unit,charge_type\nA-1,REPAIR\n")


def test_empty_rows_are_skipped_but_an_empty_file_is_an_error():
    with pytest.raises(special.FileError, match="no rows"):
        parse("unit,charge_type,amount\n,,\n")


def test_xlsx_rows_with_empty_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Unit", "Charge Type", "Amount", "Description", "Due Date"])
    sheet.append(["A-2", "DUES", 75.5, "Cleaning", date(2026, 12, 15)])
    sheet.append([None, None, None, None, None])
    sheet.append(["A-1", "REPAIR", 10, None, None])
    path = tmp_path / "charges.xlsx"
    book.save(path)
    rows = spreadsheet.read_xlsx(path.read_bytes())
    charges, errors = special.parse(rows, UNITS, TYPES, DUE)
    assert errors == []
    assert [(c.row, c.amount, c.description, c.due_date) for c in charges] == [
        (2, Decimal("75.5"), "Cleaning", date(2026, 12, 15)),
        (4, Decimal("10"), "", DUE),
    ]


def test_missing_cells_are_reported_not_read_as_none():
    rows = [["unit", "charge type", "amount"], ["A-1", None, None]]
    charges, errors = special.parse(rows, UNITS, TYPES, DUE)
    assert charges == []
    assert errors == [special.RowError(2, ["no charge type", "the amount '' is not a number"])]
