from odoo import api, models
from odoo.exceptions import UserError


class AccountStatementImportSheetParser(models.TransientModel):
    _inherit = "account.statement.import.sheet.parser"

    @api.model
    def parse(self, data_file, mapping, filename):
        """Read the file in the mapping's encoding.

        The OCA parser guesses the encoding of CSV files, and a short Windows-1250 or
        Windows-1254 file is easily taken for another code page, which garbles the
        names; the encoding saved with the bank's mapping is known, so the file is
        re-encoded to UTF-8 from it first.
        """
        encoding = mapping.file_encoding
        if encoding and encoding not in ("utf-8", "utf-8-sig") and self._is_text(data_file):
            try:
                data_file = data_file.decode(encoding).encode("utf-8")
            except UnicodeDecodeError as error:
                raise UserError(
                    self.env._(
                        "The file is not in the encoding of the mapping %(mapping)s "
                        "(%(encoding)s): %(error)s",
                        mapping=mapping.name,
                        encoding=encoding,
                        error=error,
                    )
                ) from error
        return super().parse(data_file, mapping, filename)

    @api.model
    def _is_text(self, data_file):
        return self._get_sheet_type(data_file) == "csv"
