import datetime
from decimal import Decimal

import pytest
from conftest import load_engine

ri = load_engine("site_metering", "reading_import")
spreadsheet = load_engine("site_residents", "spreadsheet")
readings = load_engine("site_metering", "readings")
D = Decimal
TODAY = datetime.date(2026, 4, 1)

CSV = (
    "Seri No;Tarih;Endeks;Daire\n"
    "W-A-1;21.03.2026;1.234,5;A-1\n"
    "W-A-2;21.03.2026;12,25;A-2\n"
    "\n"
    "W-A-3;22.03.2026;7;A-3\n"
)


def mapping(**values):
    base = {"meter": "Seri No", "date": "Tarih", "value": "Endeks", "unit": "Daire"}
    base.update(values)
    return ri.Mapping(**base)


def rows_of(text):
    """The rows as the import wizard gets them: read by the shared bounded reader."""
    return spreadsheet.read_csv(text.encode("utf-8"), delimiter=";")


def test_parse_happy_path_skips_blank_rows_and_numbers_rows_as_the_sheet():
    result = ri.parse(rows_of(CSV), mapping(), today=TODAY)
    assert result.ok
    assert [row.row for row in result.rows] == [2, 3, 5]
    first = result.rows[0]
    assert first.meter_ref == "W-A-1"
    assert first.date == datetime.date(2026, 3, 21)
    assert first.value == D("1234.5")
    assert first.unit_code == "A-1"
    assert result.rows[1].value == D("12.25")


def test_columns_by_number_letter_and_no_header():
    rows = [["W-1", "2026-03-21", "10.5"], ["W-2", "2026-03-21", "3"]]
    by_number = ri.Mapping(
        meter="1", date="2", value="#C", header_row=0, decimal_separator=".", date_format="%Y-%m-%d"
    )
    result = ri.parse(rows, by_number, today=TODAY)
    assert [(r.row, r.meter_ref, r.value) for r in result.rows] == [
        (1, "W-1", D("10.5")),
        (2, "W-2", D("3")),
    ]


def test_unknown_column_is_a_file_error_naming_the_columns():
    with pytest.raises(ri.ImportFileError, match='No column named "Serial".*Seri No, Tarih'):
        ri.parse(rows_of(CSV), mapping(meter="Serial"))
    with pytest.raises(ri.ImportFileError, match="meter"):
        ri.parse(rows_of(CSV), mapping(meter=""))


def test_every_bad_row_listed_with_its_number_and_reason():
    text = (
        "Seri No;Tarih;Endeks;Daire\n"
        "W-A-1;21.03.2026;10;A-1\n"
        "W-A-2;31.02.2026;10;A-2\n"  # no such day
        "W-A-3;21.03.2026;abc;A-3\n"  # not a number
        ";21.03.2026;5;A-3\n"  # no meter
        "W-A-1;21.03.2026;11;A-1\n"  # duplicate of row 2
        "W-A-4;21.05.2026;1;A-1\n"  # future
        "W-A-5;21.03.2026;-1;A-1\n"  # negative
    )
    result = ri.parse(rows_of(text), mapping(), today=TODAY)
    assert [row.row for row in result.rows] == [2]
    errors = {error.row: error.message for error in result.errors}
    assert sorted(errors) == [3, 4, 5, 6, 7, 8]
    assert "not a date in the format %d.%m.%Y" in errors[3]
    assert '"abc" is not a number' in errors[4]
    assert "the meter is empty" in errors[5]
    assert "duplicate row" in errors[6] and "row 2" in errors[6]
    assert "in the future" in errors[7]
    assert "negative" in errors[8]
    assert not result.ok


def test_numbers_with_either_separator_and_spreadsheet_cells():
    assert ri.parse_number("1.234,56", ",") == D("1234.56")
    assert ri.parse_number("1,234.56", ".") == D("1234.56")
    assert ri.parse_number("1 234,5", ",") == D("1234.5")
    assert ri.parse_number(12.5, ",") == D("12.5")
    assert ri.parse_number(7, ".") == D("7")
    with pytest.raises(ValueError, match="decimal separator"):
        ri.parse_number("1,234.5", ",")
    with pytest.raises(ValueError, match="not a number"):
        ri.parse_number("12,3,4", ",")
    with pytest.raises(ValueError):
        ri.parse_number(True)


def test_dates_from_cells_and_text():
    assert ri.parse_date(datetime.datetime(2026, 3, 21, 0, 0)) == datetime.date(2026, 3, 21)
    assert ri.parse_date(datetime.date(2026, 3, 21)) == datetime.date(2026, 3, 21)
    assert ri.parse_date("21/03/2026", "%d/%m/%Y") == datetime.date(2026, 3, 21)
    assert ri.parse_date("2026-03-21 00:00:00", "%d.%m.%Y") == datetime.date(2026, 3, 21)
    with pytest.raises(ValueError, match=r"e\.g\. 21\.03\.2026"):
        ri.parse_date("03/21/2026", "%d.%m.%Y")


def test_kind_column_and_duplicates_per_kind():
    rows = [
        ["Serial", "Kind", "Date", "Value"],
        ["100", "Soğuk Su", "21.03.2026", "5"],
        ["100", "sıcak su", "21.03.2026", "2"],  # same serial, other kind: not a duplicate
        ["101", "steam", "21.03.2026", "2"],
    ]
    result = ri.parse(rows, ri.Mapping(meter="Serial", date="Date", value="Value", kind="Kind"))
    assert [(r.meter_ref, r.kind) for r in result.rows] == [
        ("100", "cold_water"),
        ("100", "hot_water"),
    ]
    assert result.errors[0].row == 4 and "unknown meter kind" in result.errors[0].message


def test_empty_file_and_missing_header_row():
    with pytest.raises(ri.ImportFileError, match="no readings"):
        ri.parse([["Seri No", "Tarih", "Endeks", "Daire"]], mapping())
    with pytest.raises(ri.ImportFileError, match="no row 3"):
        ri.parse([["a"]], mapping(header_row=3))


def row(number, day, value):
    return ri.ImportRow(number, "W", day, D(value))


def test_check_sequence_lower_than_last_and_same_day():
    history = [(datetime.date(2026, 1, 20), 100.0), (datetime.date(2026, 2, 20), 110.0)]
    new = [
        row(2, datetime.date(2026, 3, 20), "105"),  # lower than 110
        row(3, datetime.date(2026, 2, 20), "111"),  # a reading on that day exists
        row(4, datetime.date(2026, 4, 20), "120"),  # fine: 120 > 110 (row 2 is refused)
    ]
    errors = ri.check_sequence(history, new, None, readings.consumption)
    assert sorted(errors) == [2, 3]
    assert "lower than the previous one, 110" in errors[2]
    assert "already has a reading on 2026-02-20" in errors[3]


def test_check_sequence_inserted_before_a_later_reading():
    history = [(datetime.date(2026, 1, 20), 100.0), (datetime.date(2026, 3, 20), 120.0)]
    new = [row(2, datetime.date(2026, 2, 20), "130")]
    errors = ri.check_sequence(history, new, None, readings.consumption)
    assert "higher than the meter's later reading 120" in errors[2]


def test_check_sequence_rollover_allowed_and_rows_in_file_order_of_dates():
    history = [(datetime.date(2026, 1, 20), 99990.0)]
    new = [row(3, datetime.date(2026, 3, 20), "30"), row(2, datetime.date(2026, 2, 20), "10")]
    assert ri.check_sequence(history, new, 100000, readings.consumption) == {}
    # Without a rollover both are lower: each compared with the last good reading.
    errors = ri.check_sequence(history, new, None)
    assert sorted(errors) == [2, 3]
    assert "the reading 30 of 2026-03-20 is lower than the previous one, 99990 of" in errors[3]
