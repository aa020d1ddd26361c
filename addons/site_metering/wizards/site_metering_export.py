"""XLSX exports of the metering reports: consumption per unit and month, allocation lines.

The wizard selects the rows; the XLSX reports of site_metering/report write them.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.site_meter import METER_KINDS

XLSX_REPORTS = {
    "consumption": "site_metering.action_report_site_consumption_xlsx",
    "allocation_lines": "site_metering.action_report_site_allocation_lines_xlsx",
}


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
        return self.env.ref(XLSX_REPORTS[self.export_type]).report_action(self, config=False)

    def _report_file_name(self):
        """ "Tüketim Site Adı Ocak 2026 - Aralık 2026" in the user's language."""
        if self.export_type == "consumption":
            name = self.env._("Consumption")
        else:
            name = self.env._("Cost Allocation")
        return self.env["site.display"]._file_name(name, self.company_id.name, self._months_label())

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
