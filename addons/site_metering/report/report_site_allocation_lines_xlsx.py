from odoo import fields, models

from odoo.addons.site_residents.engine.money import round_half_up


class ReportSiteAllocationLinesXlsx(models.AbstractModel):
    """The computed and posted cost allocations' lines of the metering export wizard's
    months, with each line's step-by-step computation."""

    _name = "report.site_metering.report_site_allocation_lines_xlsx"
    _inherit = ["site.metering.xlsx.report"]
    _description = "Cost Allocation Lines XLSX"

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        lines = wizard._allocation_lines()
        Part = self.env["site.cost.allocation.part"]
        part_types = dict(Part._fields["part_type"]._description_selection(self.env))
        formats = self._formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Allocation Lines"))
        self._title(sheet, formats, wizard, self.env._("Cost Allocation Lines"))
        headers = [
            self.env._("Allocation"),
            self.env._("Month"),
            self.env._("Building"),
            self.env._("Unit"),
            self.env._("Part"),
            self.env._("Type"),
            self.env._("Area (m²)"),
            self.env._("Consumption"),
            self.env._("Billed Consumption"),
            self.env._("Raised to Minimum"),
            self.env._("Estimated"),
            self.env._("Consumption Amount"),
            self.env._("Area Amount"),
            self.env._("Amount"),
            self.env._("Computation"),
        ]
        sheet.write_row(3, 0, headers, formats["header"])
        row_index, total = 4, 0.0
        for line in lines:
            allocation = line.allocation_id
            sheet.write(row_index, 0, allocation.name or "")
            sheet.write_datetime(
                row_index, 1, fields.Datetime.to_datetime(allocation.period), formats["month"]
            )
            sheet.write(row_index, 2, line.building_id.display_name or "")
            sheet.write(row_index, 3, line.unit_id.code or "")
            sheet.write(row_index, 4, line.part_id.name or "")
            sheet.write(row_index, 5, part_types.get(line.part_type, line.part_type or ""))
            sheet.write_number(row_index, 6, line.area, formats["area"])
            sheet.write_number(row_index, 7, line.consumption, formats["quantity"])
            sheet.write_number(row_index, 8, line.billed_consumption, formats["quantity"])
            sheet.write(row_index, 9, self.env._("Yes") if line.raised else "")
            sheet.write(row_index, 10, self.env._("Estimated") if line.estimated else "")
            sheet.write_number(row_index, 11, line.consumption_amount, formats["money"])
            sheet.write_number(row_index, 12, line.area_amount, formats["money"])
            sheet.write_number(row_index, 13, line.amount, formats["money"])
            sheet.write(row_index, 14, line.computation or "", formats["wrap"])
            total += line.amount
            row_index += 1
        sheet.write(row_index, 0, self.env._("Total"), formats["total_text"])
        sheet.write_number(row_index, 13, float(round_half_up(total, 2)), formats["total_money"])
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 15)
        sheet.set_column(2, 3, 11)
        sheet.set_column(4, 5, 16)
        sheet.set_column(6, 13, 13)
        sheet.set_column(14, 14, 80)
        sheet.freeze_panes(4, 4)
