import datetime

from odoo import models

from ..engine import spreadsheet


class BaseImportImport(models.TransientModel):
    """Odoo's import (units, people, relations…) reads uploads within the suite's limits.

    Odoo's readers trust the sizes a file declares about itself: an XLSX "dimension"
    or an ODS "columns repeated" of a million cells, or an XLS cell at the sheet's far
    corner, makes a few kilobytes fill a worker's memory. The limits are those of
    ``site.spreadsheet``; a refused file shows its reason in the import screen.
    """

    _inherit = "base_import.import"

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
        return len(rows), [row for row in values if any(cell.strip() for cell in map(str, row))]

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
