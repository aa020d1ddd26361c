from collections import defaultdict

from odoo import fields, models

from ..models.site_meter import uom_label


class ReportSiteConsumptionXlsx(models.AbstractModel):
    """Consumption per unit and month, as the metering export wizard selects it."""

    _name = "report.site_metering.report_site_consumption_xlsx"
    _inherit = ["site.metering.xlsx.report"]
    _description = "Consumption XLSX"

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        rows = wizard._consumption_rows()
        kinds = dict(self.env["site.meter"]._fields["kind"]._description_selection(self.env))
        formats = self._formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Consumption"))
        self._title(sheet, formats, wizard, self.env._("Consumption per Unit and Month"))
        headers = [
            self.env._("Building"),
            self.env._("Unit"),
            self.env._("Kind"),
            self.env._("Month"),
            self.env._("Area (m²)"),
            self.env._("Consumption"),
            self.env._("Unit of Measure"),
            self.env._("Per m²"),
            self.env._("Estimated"),
        ]
        sheet.write_row(3, 0, headers, formats["header"])
        totals = defaultdict(float)
        row_index = 4
        for row in rows:
            sheet.write(row_index, 0, row["building"].display_name or "")
            sheet.write(row_index, 1, row["unit"].code or "")
            sheet.write(row_index, 2, kinds.get(row["kind"], row["kind"]))
            sheet.write_datetime(
                row_index, 3, fields.Datetime.to_datetime(row["month"]), formats["month"]
            )
            sheet.write_number(row_index, 4, row["area"], formats["area"])
            sheet.write_number(row_index, 5, row["consumption"], formats["quantity"])
            sheet.write(row_index, 6, uom_label(self.env, row["kind"]))
            sheet.write_number(row_index, 7, row["per_m2"], formats["ratio"])
            sheet.write(row_index, 8, self.env._("Estimated") if row["estimated"] else "")
            totals[row["kind"]] += row["consumption"]
            row_index += 1
        row_index += 1
        for kind, total in sorted(totals.items()):
            sheet.write(row_index, 0, self.env._("Total"), formats["total_text"])
            sheet.write(row_index, 2, kinds.get(kind, kind), formats["total_text"])
            sheet.write_number(row_index, 5, total, formats["total_quantity"])
            sheet.write(row_index, 6, uom_label(self.env, kind), formats["total_text"])
            row_index += 1
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 1, 10)
        sheet.set_column(2, 2, 22)
        sheet.set_column(3, 3, 15)
        sheet.set_column(4, 8, 13)
        sheet.freeze_panes(4, 2)
