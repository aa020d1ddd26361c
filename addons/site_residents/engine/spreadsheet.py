"""Read uploaded CSV/XLSX files within bounds, and write XLSX without formulas.

An XLSX file declares its own size (the sheet's "dimension"); readers that trust it
build every declared cell, so a few kilobytes can claim a million rows of 16,384
columns and exhaust a worker. Here the declaration is ignored: only rows and cells
present in the file are read, and the file, its unpacked size, its rows and its
columns are checked against limits before they cost memory.

Errors are ``SpreadsheetError`` with a ``code`` and ``params``; the Odoo side
(model ``site.spreadsheet``) words them in the user's language.
"""

import csv
import io
import zipfile

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
DEFAULT_MAX_COLUMNS = 100
# XML compresses about tenfold; a sheet far beyond that is a zip bomb, not data.
UNPACKED_RATIO = 30

# xlsxwriter turns strings starting with "=" into formulas and "http…" into links
# unless told not to: a bank memo "=HYPERLINK(…)" must stay text.
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class SpreadsheetError(Exception):
    """A file that is refused; ``code`` says why, ``params`` fill the message."""

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


def check_size(data, max_bytes=DEFAULT_MAX_BYTES):
    if len(data) > max_bytes:
        raise SpreadsheetError("too_large", size=len(data), limit=max_bytes)


def _check_unpacked_size(data, max_bytes):
    limit = max_bytes * UNPACKED_RATIO
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise SpreadsheetError("not_xlsx", error=error) from error
    if unpacked > limit:
        raise SpreadsheetError("unpacked_too_large", size=unpacked, limit=limit)


def sheet_names(data, max_bytes=DEFAULT_MAX_BYTES):
    return list(_open_workbook(data, max_bytes).sheetnames)


def _open_workbook(data, max_bytes):
    import openpyxl  # noqa: PLC0415  (only XLSX files need it)

    check_size(data, max_bytes)
    _check_unpacked_size(data, max_bytes)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a file it cannot read
        raise SpreadsheetError("not_xlsx", error=error) from error


def read_xlsx(
    data,
    sheet_name=None,
    max_rows=DEFAULT_MAX_ROWS,
    max_columns=DEFAULT_MAX_COLUMNS,
    max_bytes=DEFAULT_MAX_BYTES,
):
    """The rows of one sheet (the first unless named) as lists of cell values.

    Empty cells are None; trailing empty cells of a row are dropped.
    """
    workbook = _open_workbook(data, max_bytes)
    try:
        if sheet_name and sheet_name not in workbook.sheetnames:
            raise SpreadsheetError(
                "no_sheet", sheet=sheet_name, sheets=", ".join(workbook.sheetnames)
            )
        sheet = workbook[sheet_name] if sheet_name else workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size is not to be trusted
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > max_rows:
                raise SpreadsheetError("too_many_rows", limit=max_rows)
            beyond = row[max_columns:]
            # Styled but empty cells far out are harmless; a value there is not.
            if beyond.count(None) != len(beyond):
                raise SpreadsheetError("too_many_columns", row=number, limit=max_columns)
            values = list(row[:max_columns])
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
    finally:
        workbook.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def read_csv(
    data,
    delimiter=None,
    encoding="utf-8",
    max_rows=DEFAULT_MAX_ROWS,
    max_columns=DEFAULT_MAX_COLUMNS,
    max_bytes=DEFAULT_MAX_BYTES,
):
    """The rows of a CSV file as lists of strings; the delimiter is guessed when not given."""
    if isinstance(data, bytes):
        check_size(data, max_bytes)
        try:
            text = data.decode(encoding or "utf-8")
        except (UnicodeDecodeError, LookupError) as error:
            raise SpreadsheetError("encoding", encoding=encoding, error=error) from error
    else:
        check_size(data.encode(), max_bytes)
        text = data
    text = text.lstrip("\ufeff")
    if delimiter is None:
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text), dialect)
    else:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for number, row in enumerate(reader, start=1):
            if number > max_rows:
                raise SpreadsheetError("too_many_rows", limit=max_rows)
            if len(row) > max_columns:
                raise SpreadsheetError("too_many_columns", row=number, limit=max_columns)
            rows.append(row)
    except csv.Error as error:
        raise SpreadsheetError("not_csv", error=error) from error
    return rows


TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def check_ods(
    data,
    max_rows=DEFAULT_MAX_ROWS,
    max_columns=DEFAULT_MAX_COLUMNS,
    max_bytes=DEFAULT_MAX_BYTES,
):
    """Refuse an ODS file whose cells, once their repetitions are expanded, pass the limits.

    A reader expands "columns repeated" of every cell but a row's last, so a cell
    declared repeated a billion times is a billion cells: count them before.
    """
    from xml.etree.ElementTree import iterparse  # noqa: PLC0415

    check_size(data, max_bytes)
    _check_unpacked_size(data, max_bytes)
    row_tag, cell_tags = (
        f"{{{TABLE_NS}}}table-row",
        (
            f"{{{TABLE_NS}}}table-cell",
            f"{{{TABLE_NS}}}covered-table-cell",
        ),
    )
    repeated = f"{{{TABLE_NS}}}number-columns-repeated"
    rows = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as content:
            for _event, element in iterparse(content):
                if element.tag != row_tag:
                    continue
                rows += 1
                if rows > max_rows:
                    raise SpreadsheetError("too_many_rows", limit=max_rows)
                repeats = [
                    int(cell.get(repeated) or 1) for cell in element if cell.tag in cell_tags
                ]
                if sum(repeats[:-1]) + 1 > max_columns:
                    raise SpreadsheetError("too_many_columns", row=rows, limit=max_columns)
                element.clear()
    except (KeyError, ValueError, zipfile.BadZipFile, SyntaxError) as error:
        if isinstance(error, SpreadsheetError):
            raise
        raise SpreadsheetError("not_ods", error=error) from error


def _write_text(worksheet, row, col, *args):
    return worksheet.write_string(row, col, *args)


def new_workbook(output):
    """An xlsxwriter workbook whose write() puts every string down as text.

    The options cover "=…" and links; an array formula "{=…}" is made by write()
    whatever the options, so strings are routed to write_string() on every sheet.
    """
    import xlsxwriter  # noqa: PLC0415

    class TextWorkbook(xlsxwriter.Workbook):
        def add_worksheet(self, name=None, worksheet_class=None):
            worksheet = super().add_worksheet(name, worksheet_class)
            worksheet.add_write_handler(str, _write_text)
            return worksheet

    return TextWorkbook(output, WORKBOOK_OPTIONS)
