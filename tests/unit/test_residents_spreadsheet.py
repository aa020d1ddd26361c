import io
import re
import time
import zipfile

import openpyxl
import pytest
from conftest import load_engine

spreadsheet = load_engine("site_residents", "spreadsheet")


def _xlsx(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _declare_dimension(data, ref):
    """The same workbook, its first sheet claiming to span ``ref``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), content
                )
                assert ref.encode() in content
            target.writestr(info, content)
    return output.getvalue()


def test_xlsx_rows_are_read_with_types():
    rows = spreadsheet.read_xlsx(_xlsx([["unit", "amount"], ["A-1", 12.5], ["A-2", None]]))
    assert rows == [["unit", "amount"], ["A-1", 12.5], ["A-2"]]


def test_declared_huge_dimension_is_ignored():
    data = _declare_dimension(_xlsx([["unit", "amount"], ["A-1", 10]]), "A1:XFD1048576")
    started = time.monotonic()
    rows = spreadsheet.read_xlsx(data)
    assert time.monotonic() - started < 2
    assert rows == [["unit", "amount"], ["A-1", 10]]


def test_too_many_rows_is_refused():
    data = _xlsx([[n] for n in range(30)])
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_xlsx(data, max_rows=20)
    assert caught.value.code == "too_many_rows"
    assert caught.value.params == {"limit": 20}


def test_a_far_row_counts_against_the_limit():
    book = openpyxl.Workbook()
    book.active["A1"] = "unit"
    book.active["A900000"] = "x"
    output = io.BytesIO()
    book.save(output)
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_xlsx(output.getvalue(), max_rows=1000)
    assert caught.value.code == "too_many_rows"


def test_too_many_columns_is_refused_with_the_row():
    data = _xlsx([["a", "b"], ["x"] * 5])
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_xlsx(data, max_columns=4)
    assert caught.value.code == "too_many_columns"
    assert caught.value.params["row"] == 2


def test_too_large_file_is_refused_before_reading():
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_xlsx(b"x" * 2000, max_bytes=1000)
    assert caught.value.code == "too_large"


def test_zip_bomb_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 5_000_000)
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_xlsx(output.getvalue(), max_bytes=100_000)
    assert caught.value.code == "unpacked_too_large"


def test_not_a_workbook():
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_xlsx(b"unit;amount\nA-1;3\n")
    assert caught.value.code == "not_xlsx"


def test_missing_sheet_names_the_sheets():
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_xlsx(_xlsx([["a"]]), sheet_name="Readings")
    assert caught.value.code == "no_sheet"
    assert caught.value.params["sheets"] == "Sheet"


def test_csv_delimiter_guessed_and_bom_dropped():
    rows = spreadsheet.read_csv("\ufeffunit;amount\nA-1;3,50\n".encode())
    assert rows == [["unit", "amount"], ["A-1", "3,50"]]


def test_csv_bounds_and_encoding():
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_csv(b"a\n" * 11, max_rows=10)
    assert caught.value.code == "too_many_rows"
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.read_csv("Ğ;1\n".encode("cp1254"), delimiter=";")
    assert caught.value.code == "encoding"


def test_exported_strings_never_become_formulas():
    output = io.BytesIO()
    book = spreadsheet.new_workbook(output)
    sheet = book.add_worksheet()
    memo = '=HYPERLINK("http://example.invalid","pay")'
    sheet.write(0, 0, memo)
    sheet.write(0, 1, "http://example.invalid")
    sheet.write(0, 2, "0012")
    sheet.write_row(1, 0, ['{=HYPERLINK("http://example.invalid")}'])
    book.close()
    read_back = openpyxl.load_workbook(io.BytesIO(output.getvalue())).active
    assert read_back["A1"].data_type == "s"
    assert read_back["A1"].value == memo
    assert read_back["B1"].hyperlink is None
    assert read_back["C1"].value == "0012"
    assert read_back["A2"].data_type == "s"
    assert read_back["A2"].value.startswith("{=")


def _ods(rows_xml):
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{rows_xml}'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)
    return output.getvalue()


def test_ods_with_a_billion_repeated_cells_is_refused():
    row = (
        '<table:table-row><table:table-cell table:number-columns-repeated="1000000000"/>'
        "<table:table-cell/></table:table-row>"
    )
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.check_ods(_ods(row))
    assert caught.value.code == "too_many_columns"


def test_ods_trailing_repeats_are_what_editors_write():
    row = (
        "<table:table-row><table:table-cell/>"
        '<table:table-cell table:number-columns-repeated="16383"/></table:table-row>'
    )
    spreadsheet.check_ods(_ods(row * 3))
    with pytest.raises(spreadsheet.SpreadsheetError) as caught:
        spreadsheet.check_ods(_ods(row * 3), max_rows=2)
    assert caught.value.code == "too_many_rows"
