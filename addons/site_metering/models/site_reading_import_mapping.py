from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import reading_import as import_engine

FILE_TYPES = [("csv", "CSV"), ("xlsx", "Excel (XLSX)")]
ENCODINGS = [
    ("utf-8", "UTF-8"),
    ("cp1254", "Windows-1254 (Turkish)"),
    ("iso-8859-9", "ISO-8859-9 (Turkish)"),
    ("cp1250", "Windows-1250 (Central European)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
    ("cp1252", "Windows-1252 (Western)"),
    ("utf-16", "UTF-16"),
]
MATCH_BY = [
    ("serial", "Serial Number"),
    ("mbus_secondary_address", "M-Bus Secondary Address"),
    ("wmbus_id", "Wireless M-Bus ID"),
]
MAPPING_FIELDS = (
    "file_type",
    "encoding",
    "delimiter",
    "decimal_separator",
    "date_format",
    "header_row",
    "sheet_name",
    "match_by",
    "col_meter",
    "col_date",
    "col_value",
    "col_unit",
    "col_kind",
)
COLUMN_HELP = (
    "The column's name in the header row, its number (1 = first) or its spreadsheet letter "
    "after # (e.g. #C)."
)


class SiteReadingImportMapping(models.AbstractModel):
    """How a reading firm's file is laid out: shared by the saved profiles and the wizard."""

    _name = "site.reading.import.mapping"
    _description = "Reading File Layout"

    file_type = fields.Selection(FILE_TYPES, default="csv", required=True)
    encoding = fields.Selection(ENCODINGS, default="utf-8", help="CSV files only.")
    delimiter = fields.Char(default=";", size=3, help="CSV column separator; \\t for tabs.")
    decimal_separator = fields.Selection(
        [(",", "Comma (1.234,5)"), (".", "Point (1,234.5)")], default=",", required=True
    )
    date_format = fields.Char(
        default="%d.%m.%Y",
        required=True,
        help="How dates are written, in Python's notation: %d.%m.%Y is 21.03.2026, "
        "%Y-%m-%d is 2026-03-21. Date cells of a spreadsheet are read as they are.",
    )
    header_row = fields.Integer(
        default=1, help="The row holding the column names (0: no header, data from row 1)."
    )
    sheet_name = fields.Char(help="XLSX: the sheet to read; empty for the first one.")
    match_by = fields.Selection(
        MATCH_BY,
        string="Meter Identified By",
        default="serial",
        required=True,
        help="What the meter column holds.",
    )
    col_meter = fields.Char(string="Meter Column", help=COLUMN_HELP)
    col_date = fields.Char(string="Date Column", help=COLUMN_HELP)
    col_value = fields.Char(string="Value Column", help=COLUMN_HELP)
    col_unit = fields.Char(
        string="Unit Code Column",
        help=COLUMN_HELP + " Optional: when given, the meter must be in that unit.",
    )
    col_kind = fields.Char(
        string="Meter Kind Column",
        help=COLUMN_HELP + " Optional: tells apart meters of different kinds sharing a serial.",
    )

    def _mapping_values(self):
        self.ensure_one()
        return {name: self[name] for name in MAPPING_FIELDS}

    def _csv_delimiter(self):
        """The CSV delimiter as a character; the layout writes a tab \\t."""
        self.ensure_one()
        if self.delimiter == "\\t":
            return "\t"
        return self.delimiter or ";"

    def _engine_mapping(self):
        self.ensure_one()
        return import_engine.Mapping(
            meter=self.col_meter or "",
            date=self.col_date or "",
            value=self.col_value or "",
            unit=self.col_unit or "",
            kind=self.col_kind or "",
            header_row=self.header_row,
            decimal_separator=self.decimal_separator or ",",
            date_format=self.date_format or "%d.%m.%Y",
        )

    @api.constrains("header_row", "delimiter", "file_type", "date_format")
    def _check_layout(self):
        for layout in self:
            if layout.header_row < 0:
                raise ValidationError(self.env._("The header row cannot be negative."))
            if (
                layout.file_type == "csv"
                and layout.delimiter not in (None, False, "\\t")
                and (len(layout.delimiter) != 1)
            ):
                raise ValidationError(
                    self.env._(
                        "The CSV delimiter is one character (or \\t for tabs), not "
                        '"%(delimiter)s".',
                        delimiter=layout.delimiter,
                    )
                )
            if layout.date_format and "%" not in layout.date_format:
                raise ValidationError(
                    self.env._(
                        'The date format "%(format)s" has no %% codes: write e.g. %%d.%%m.%%Y.',
                        format=layout.date_format,
                    )
                )
