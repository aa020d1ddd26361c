from odoo import fields, models

from ..models.site_helpdesk_performance import FIGURES


class ReportHelpdeskPerformanceXlsx(models.AbstractModel):
    """Staff performance of the rows chosen (a period, a site, a team...): the figures
    per person, per team and per month, in the same averages as the pivot view."""

    _name = "report.site_helpdesk.report_helpdesk_performance_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Helpdesk Staff Performance XLSX"

    def generate_xlsx_report(self, workbook, data, rows):
        formats = self._formats(workbook)
        formats["hours"] = workbook.add_format({"num_format": "0.0"})
        formats["rating"] = workbook.add_format({"num_format": "0.00"})
        domain = [("id", "in", rows.ids)]
        Performance = self.env["site.helpdesk.performance"]
        aggregates = [aggregate for _key, aggregate in FIGURES]
        total = Performance._read_group(domain, [], aggregates)[0]
        for title, groupby, column, label in (
            (
                self.env._("By Person"),
                "user_id",
                self.env._("Person"),
                lambda user: user.name or self.env._("Unassigned"),
            ),
            (
                self.env._("By Team"),
                "team_id",
                self.env._("Team"),
                lambda team: team.display_name or self.env._("No Team"),
            ),
            (self.env._("By Month"), "date:month", self.env._("Month"), None),
        ):
            sheet = workbook.add_worksheet(title)
            self._write_texts(
                sheet, 0, 0, [self.env._("Helpdesk staff performance")], formats["title"]
            )
            self._write_texts(sheet, 1, 0, [", ".join(rows.company_id.mapped("name"))])
            self._write_texts(
                sheet,
                3,
                0,
                [
                    column,
                    self.env._("Tickets"),
                    self.env._("Closed"),
                    self.env._("Mean Hours to First Response"),
                    self.env._("Mean Hours to Resolution"),
                    self.env._("Deadlines Breached"),
                    self.env._("Average Rating"),
                ],
                formats["header"],
            )
            row_index = 4
            for key, *figures in Performance._read_group(
                domain, [groupby], aggregates, order=groupby
            ):
                if label:
                    self._write_texts(sheet, row_index, 0, [label(key)])
                elif key:
                    sheet.write_datetime(
                        row_index, 0, fields.Datetime.to_datetime(key), formats["month"]
                    )
                self._write_figures(sheet, row_index, figures, formats)
                row_index += 1
            self._write_texts(sheet, row_index, 0, [self.env._("Total")], formats["total_text"])
            self._write_figures(sheet, row_index, total, formats)
            sheet.set_column(0, 0, 28)
            sheet.set_column(1, 6, 16)

    def _write_figures(self, sheet, row_index, figures, formats):
        cell_formats = [None, None, formats["hours"], formats["hours"], None, formats["rating"]]
        for offset, (value, cell_format) in enumerate(zip(figures, cell_formats), start=1):
            if value is not None and value is not False:
                sheet.write_number(row_index, offset, value, cell_format)
