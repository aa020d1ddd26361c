"""The base of the suite's XLSX reports (OCA ``report_xlsx``).

Each export is an ``ir.actions.report`` of type xlsx whose report model inherits this
one and writes its sheets in ``generate_xlsx_report(workbook, data, records)``. Here:
the workbook (every string written as text), a read check of the records, and the
cell formats the exports share.
"""

import io

from odoo import api, models


class SiteXlsxReport(models.AbstractModel):
    _name = "site.xlsx.report"
    _inherit = ["report.report_xlsx.abstract"]
    _description = "Site XLSX Report"

    def create_xlsx_report(self, docids, data):
        records = self._get_objs_for_report(docids, data)
        # Reports render with the caller's rights: another site's record (or another
        # user's wizard) is refused before anything of it is written.
        records.check_access("read")
        output = io.BytesIO()
        workbook = self.env["site.spreadsheet"]._new_workbook(output)
        self.generate_xlsx_report(workbook, data, records)
        workbook.close()
        return output.getvalue(), "xlsx"

    @api.model
    def _write_texts(self, sheet, row, column, texts, cell_format=None):
        """Write ``texts`` from ``column`` on as text cells.

        Names and bank memos come from users: write() would still make an array formula
        of "{=...}" whatever the workbook's options, write_string() never does.
        """
        for offset, text in enumerate(texts):
            sheet.write_string(row, column + offset, text or "", cell_format)

    @api.model
    def _formats(self, workbook):
        display = self.env["site.display"]
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True}
            ),
            "text": workbook.add_format({}),
            "money": workbook.add_format({"num_format": "#,##0.00"}),
            "total_text": workbook.add_format({"bold": True, "top": 1}),
            "total_money": workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"}),
            "date": workbook.add_format({"num_format": display._xlsx_date_format()}),
            "month": workbook.add_format({"num_format": display._xlsx_month_format()}),
        }
