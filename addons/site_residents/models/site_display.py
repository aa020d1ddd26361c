import datetime

from odoo import api, models
from odoo.tools.misc import format_date, get_lang

from ..engine import display


class SiteDisplay(models.AbstractModel):
    """Dates as the current user (or the document's reader, through the context's lang)
    reads them: months as month and year, spreadsheet formats and download names in
    their language and date format. One place, so that screens, PDFs and XLSX agree."""

    _name = "site.display"
    _description = "Dates and File Names in the Reader's Language"

    @api.model
    def _month_label(self, day):
        """ "Aralık 2026" for any day of December 2026; "" for no day."""
        return format_date(self.env, day, date_format=display.MONTH_PATTERN) if day else ""

    @api.model
    def _date_label(self, day):
        """The day in the reader's date format (04.12.2026 in Turkish)."""
        return format_date(self.env, day) if day else ""

    @api.model
    def _xlsx_date_format(self):
        return display.xlsx_date_format(get_lang(self.env).date_format)

    @api.model
    def _xlsx_month_format(self):
        return display.XLSX_MONTH_FORMAT

    @api.model
    def _file_name(self, *parts, extension=None):
        """A download's name from its parts; dates among them in the reader's date format."""
        texts = [
            self._date_label(part) if isinstance(part, datetime.date) else part for part in parts
        ]
        return display.file_name(texts, extension)

    @api.model
    def _notification(self, message, next_action=None):
        """A client action showing ``message`` as a notification, then ``next_action``
        (an action dict: e.g. close the dialog or reload the view)."""
        params = {"message": message, "type": "info", "sticky": False}
        if next_action:
            params["next"] = next_action
        return {"type": "ir.actions.client", "tag": "display_notification", "params": params}
