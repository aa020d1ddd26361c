"""XLSX exports of the metering reports: consumption per unit and month, allocation lines."""

import io
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.site_meter import METER_KINDS, uom_label


class SiteMeteringExportWizard(models.TransientModel):
    _name = "site.metering.export.wizard"
    _description = "Metering XLSX Export"
    _check_company_auto = True

    export_type = fields.Selection(
        [
            ("consumption", "Consumption per Unit and Month"),
            ("allocation_lines", "Cost Allocation Lines"),
        ],
        string="Export",
        default="consumption",
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", string="Site", required=True, default=lambda self: self.env.company
    )
    building_id = fields.Many2one(
        "site.building", check_company=True, help="Leave empty for every building of the site."
    )
    date_from = fields.Date(
        string="From Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(
        string="To Month",
        required=True,
        default=lambda self: fields.Date.context_today(self),
    )
    kind = fields.Selection(METER_KINDS, help="Leave empty for every kind of meter.")

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._(
                        "The export period starts on %(start)s, after its end %(end)s.",
                        start=self.env["site.display"]._month_label(wizard.date_from),
                        end=self.env["site.display"]._month_label(wizard.date_to),
                    )
                )

    def _months(self):
        return self.date_from.replace(day=1), self.date_to.replace(day=1)

    def _months_label(self):
        """ "Ocak 2026 - Aralık 2026" in the user's language."""
        display = self.env["site.display"]
        first, last = self._months()
        return f"{display._month_label(first)} - {display._month_label(last)}"

    def action_export(self):
        self.ensure_one()
        if self.export_type == "consumption":
            content, name = self._consumption_xlsx(), self.env._("Consumption")
        else:
            content, name = self._allocation_lines_xlsx(), self.env._("Cost Allocation")
        filename = self.env["site.display"]._file_name(
            name, self.company_id.name, self._months_label(), extension="xlsx"
        )
        return self.env["site.debtor.report"]._download_action(content, filename, self)

    # --- consumption -----------------------------------------------------------

    def _consumption_rows(self):
        """[dict] per building, unit, kind and month of the consumption report."""
        first, last = self._months()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("placement", "=", "unit"),
            ("month", ">=", first),
            ("month", "<=", last),
        ]
        if self.building_id:
            domain.append(("building_id", "=", self.building_id.id))
        if self.kind:
            domain.append(("kind", "=", self.kind))
        groups = self.env["site.meter.consumption.report"]._read_group(
            domain,
            ["building_id", "unit_id", "kind", "month:month"],
            ["consumption_value:sum", "area:sum", "consumption_per_m2:sum", "estimated:bool_or"],
        )
        rows = [
            {
                "building": building,
                "unit": unit,
                "kind": kind,
                "month": month,
                "consumption": consumption,
                "area": area,
                "per_m2": per_m2,
                "estimated": estimated,
            }
            for building, unit, kind, month, consumption, area, per_m2, estimated in groups
        ]
        rows.sort(
            key=lambda row: (
                row["building"].code or "",
                row["unit"].code_sort or "",
                row["kind"],
                row["month"],
            )
        )
        return rows

    def _consumption_xlsx(self):
        rows = self._consumption_rows()
        kinds = dict(self.env["site.meter"]._fields["kind"]._description_selection(self.env))
        output = io.BytesIO()
        workbook = self.env["site.spreadsheet"]._new_workbook(output)
        formats = self._formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Consumption"))
        self._title(sheet, formats, self.env._("Consumption per Unit and Month"))
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
        workbook.close()
        return output.getvalue()

    # --- allocation lines ------------------------------------------------------

    def _allocation_lines(self):
        first, last = self._months()
        domain = [
            ("allocation_id.company_id", "=", self.company_id.id),
            ("allocation_id.state", "in", ("computed", "posted")),
            ("allocation_id.period", ">=", first),
            ("allocation_id.period", "<=", last),
        ]
        if self.building_id:
            domain.append(("building_id", "=", self.building_id.id))
        lines = self.env["site.cost.allocation.line"].search(domain)
        return lines._sorted_by_unit()

    def _allocation_lines_xlsx(self):
        lines = self._allocation_lines()
        Part = self.env["site.cost.allocation.part"]
        part_types = dict(Part._fields["part_type"]._description_selection(self.env))
        output = io.BytesIO()
        workbook = self.env["site.spreadsheet"]._new_workbook(output)
        formats = self._formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Allocation Lines"))
        self._title(sheet, formats, self.env._("Cost Allocation Lines"))
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
        sheet.write_number(row_index, 13, round(total, 2), formats["total_money"])
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 15)
        sheet.set_column(2, 3, 11)
        sheet.set_column(4, 5, 16)
        sheet.set_column(6, 13, 13)
        sheet.set_column(14, 14, 80)
        sheet.freeze_panes(4, 4)
        workbook.close()
        return output.getvalue()

    # --- formatting ------------------------------------------------------------

    def _formats(self, workbook):
        formats = self.env["site.debtor.report"]._xlsx_formats(workbook)
        formats.update(
            {
                "area": workbook.add_format({"num_format": "#,##0.00"}),
                "quantity": workbook.add_format({"num_format": "#,##0.000"}),
                "ratio": workbook.add_format({"num_format": "#,##0.0000"}),
                "total_quantity": workbook.add_format(
                    {"bold": True, "top": 1, "num_format": "#,##0.000"}
                ),
                "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            }
        )
        return formats

    def _title(self, sheet, formats, title):
        sheet.write(0, 0, title, formats["title"])
        where = self.company_id.name
        if self.building_id:
            where = f"{where} / {self.building_id.display_name}"
        sheet.write(1, 0, f"{where}: {self._months_label()}")
