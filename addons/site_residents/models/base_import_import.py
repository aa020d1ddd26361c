import csv
import datetime
import io

from odoo import models

from ..engine import spreadsheet


class BaseImportImport(models.TransientModel):
    """Odoo's import (units, people, relations…) reads uploads within the suite's limits.

    Odoo's readers trust the sizes a file declares about itself: an XLSX "dimension"
    or an ODS "columns repeated" of a million cells, or an XLS cell at the sheet's far
    corner, makes a few kilobytes fill a worker's memory. The limits are those of
    ``site.spreadsheet``; a refused file shows its reason in the import screen.

    Its messages name refused rows by their numbers in the sheet.
    """

    _inherit = "base_import.import"

    def execute_import(self, fields, columns, options, dryrun=False):
        """Give each message on rows the numbers of those rows in the sheet.

        Odoo locates a message by the index of its record among the data rows read
        (``rows`` from/to, 0-based, without the header and the blank rows), and its
        screen shows that index as the row. ``sheet_rows`` holds the rows as the
        spreadsheet numbers them (the header is row 1), for the screen and callers.
        """
        result = super().execute_import(fields, columns, options, dryrun=dryrun)
        located = [message for message in result.get("messages", []) if message.get("rows")]
        if not located:
            return result
        sheet_rows = self._sheet_rows_of_data(fields, options)
        for message in located:
            first, last = message["rows"]["from"], message["rows"]["to"]
            if 0 <= first <= last < len(sheet_rows):
                message["sheet_rows"] = {"from": sheet_rows[first], "to": sheet_rows[last]}
        result["messages"] = _without_batch_duplicate(result["messages"])
        return result

    def _sheet_rows_of_data(self, fields, options):
        """The sheet's number of each data row the import loaded, in order.

        Read again as the import read it (blank rows, the header, rows with nothing in
        the imported columns and the rows of earlier batches left out), with the sheet's
        numbers where the reader gives them.
        """
        read_options = dict(options, sheet_rows=None)
        _length, rows = self._read_file(read_options)
        numbers = read_options["sheet_rows"]
        if not numbers or len(numbers) != len(rows):  # XLS, ODS: blank rows not counted
            numbers = range(1, len(rows) + 1)
        columns = [index for index, field in enumerate(fields) if field]
        first = 1 if options.get("has_headers") else 0
        loaded = [
            number
            for number, row in zip(numbers[first:], rows[first:])
            if any(row[index] for index in columns)
        ]
        return loaded[options.get("skip") or 0 :]

    def _refuse(self, error):
        message = self.env["site.spreadsheet"]._error_message(error, self.file_name)
        return ValueError(message)

    def _read_file(self, options):
        limits = self.env["site.spreadsheet"]._limits()
        try:
            spreadsheet.check_size(self.file or b"", limits["max_bytes"])
        except spreadsheet.SpreadsheetError as error:
            raise self._refuse(error) from error
        return super()._read_file(options)

    def _read_xlsx(self, options):
        limits = self.env["site.spreadsheet"]._limits()
        data = self.file or b""
        try:
            sheets = spreadsheet.sheet_names(data, limits["max_bytes"])
            sheet = options.get("sheet") or sheets[0]
            rows = spreadsheet.read_xlsx(data, sheet_name=sheet, **limits)
        except spreadsheet.SpreadsheetError as error:
            if error.code == "not_xlsx":
                raise  # not a ValueError: Odoo goes on to read the file as another format
            raise self._refuse(error) from error
        options["sheets"], options["sheet"] = sheets, sheet
        width = max((len(row) for row in rows), default=0)
        values = [[_import_value(cell) for cell in row] + [""] * (width - len(row)) for row in rows]
        # Like Odoo's reader: the file's length, then the rows that hold something.
        kept = [number for number, row in enumerate(values, 1) if _holds_something(row)]
        if "sheet_rows" in options:
            options["sheet_rows"] = kept
        return len(rows), [values[number - 1] for number in kept]

    def _read_csv(self, options):
        result = super()._read_csv(options)
        if result and "sheet_rows" in options:
            # Odoo's reader leaves blank lines out; count them as a spreadsheet does.
            text = (self.file or b"").decode(options["encoding"])
            reader = csv.reader(
                io.StringIO(text),
                quotechar=options["quoting"],
                delimiter=options.get("separator") or ",",
            )
            options["sheet_rows"] = [
                number for number, row in enumerate(reader, 1) if any(x.strip() for x in row)
            ]
        return result

    def _read_xls(self, options):
        import xlrd  # noqa: PLC0415

        limits = self.env["site.spreadsheet"]._limits()
        try:
            # Ragged and on demand, the sheets cost only the cells they hold.
            book = xlrd.open_workbook(
                file_contents=self.file or b"", on_demand=True, ragged_rows=True
            )
            for index in range(book.nsheets):
                sheet = book.sheet_by_index(index)
                if sheet.nrows > limits["max_rows"]:
                    raise spreadsheet.SpreadsheetError("too_many_rows", limit=limits["max_rows"])
                if sheet.ncols > limits["max_columns"]:
                    row = next(
                        r for r in range(sheet.nrows) if sheet.row_len(r) > limits["max_columns"]
                    )
                    raise spreadsheet.SpreadsheetError(
                        "too_many_columns", row=row + 1, limit=limits["max_columns"]
                    )
            book.release_resources()
        except spreadsheet.SpreadsheetError as error:
            raise self._refuse(error) from error
        return super()._read_xls(options)

    def _read_ods(self, options):
        limits = self.env["site.spreadsheet"]._limits()
        try:
            spreadsheet.check_ods(self.file or b"", **limits)
        except spreadsheet.SpreadsheetError as error:
            raise self._refuse(error) from error
        return super()._read_ods(options)


def _holds_something(row):
    return any(cell.strip() for cell in map(str, row))


def _without_batch_duplicate(messages):
    """Odoo's load reports an error that fails a batch twice: located on the batch's first
    row, as the whole batch raised it, then on the row at fault when it retries the rows
    one by one. Keep the second: the screen would merge both into "at multiple rows"."""
    first, rest = messages[0], messages[1:]
    if "field" not in first and any(
        "field" not in other
        and other.get("message") == first.get("message")
        and other.get("rows") != first.get("rows")
        for other in rest
    ):
        return rest
    return messages


def _import_value(cell):
    """A cell as Odoo's own XLSX reader gives it to the import."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date() if cell.time() == datetime.time() else cell
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, (datetime.date, datetime.time)):
        return cell
    return str(cell)
