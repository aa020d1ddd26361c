from odoo import api, models
from odoo.exceptions import UserError

from ..engine import spreadsheet


class SiteSpreadsheet(models.AbstractModel):
    """Every uploaded CSV/XLSX file and every XLSX export of the suite goes through here.

    The limits are system parameters so that a site with a large file can raise them:
    site_residents.import_max_bytes, site_residents.import_max_rows and
    site_residents.import_max_columns.
    """

    _name = "site.spreadsheet"
    _description = "Bounded Spreadsheet Reading and Safe Export"

    @api.model
    def _limits(self):
        parameters = self.env["ir.config_parameter"].sudo()

        def limit(key, default):
            try:
                return max(1, int(parameters.get_param(f"site_residents.{key}", default)))
            except ValueError:
                return default

        return {
            "max_bytes": limit("import_max_bytes", spreadsheet.DEFAULT_MAX_BYTES),
            "max_rows": limit("import_max_rows", spreadsheet.DEFAULT_MAX_ROWS),
            "max_columns": limit("import_max_columns", spreadsheet.DEFAULT_MAX_COLUMNS),
        }

    @api.model
    def _read_rows(
        self, data, file_type, filename=None, sheet_name=None, delimiter=None, encoding=None
    ):
        """The rows of an uploaded file (bytes); a refused file raises a UserError naming it.

        ``file_type`` is "xlsx" or "csv"; a CSV's delimiter is guessed when not given.
        """
        try:
            if file_type == "xlsx":
                return spreadsheet.read_xlsx(data, sheet_name=sheet_name, **self._limits())
            return spreadsheet.read_csv(
                data, delimiter=delimiter, encoding=encoding or "utf-8", **self._limits()
            )
        except spreadsheet.SpreadsheetError as error:
            raise UserError(self._error_message(error, filename)) from error

    @api.model
    def _error_message(self, error, filename=None):
        _ = self.env._
        messages = {
            "too_large": _("The file is %(size)s bytes; the limit is %(limit)s bytes."),
            "unpacked_too_large": _(
                "The workbook unpacks to %(size)s bytes; the limit is %(limit)s bytes."
            ),
            "not_xlsx": _("The file is not a readable XLSX workbook (%(error)s)."),
            "not_ods": _("The file is not a readable ODS spreadsheet (%(error)s)."),
            "no_sheet": _('The workbook has no sheet "%(sheet)s" (sheets: %(sheets)s).'),
            "too_many_rows": _(
                "The sheet has more than %(limit)s rows. Split the file, or ask an "
                "administrator to raise the limit."
            ),
            "too_many_columns": _("Row %(row)s has more than %(limit)s columns."),
            "encoding": _("The file is not in the %(encoding)s encoding (%(error)s)."),
            "not_csv": _("The file is not a readable CSV file (%(error)s)."),
        }
        message = messages[error.code] % error.params
        if filename:
            return _("%(file)s: %(reason)s", file=filename, reason=message)
        return message

    @api.model
    def _new_workbook(self, output):
        """An XLSX workbook writing every string as text: a name or memo starting with
        "=" never becomes a formula in the accountant's spreadsheet."""
        return spreadsheet.new_workbook(output)
