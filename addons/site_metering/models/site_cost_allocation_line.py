from odoo import fields, models


class SiteCostAllocationLine(models.Model):
    """One unit's share of one part of a cost allocation, with how it was computed."""

    _name = "site.cost.allocation.line"
    _description = "Cost Allocation Share"
    _order = "allocation_id, part_id, unit_id"
    _check_company_auto = True

    allocation_id = fields.Many2one(
        "site.cost.allocation", required=True, index=True, ondelete="cascade"
    )
    part_id = fields.Many2one(
        "site.cost.allocation.part", required=True, index=True, ondelete="cascade"
    )
    part_type = fields.Selection(related="part_id.part_type", store=True)
    unit_id = fields.Many2one("site.unit", required=True, index=True, check_company=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True)
    company_id = fields.Many2one(related="allocation_id.company_id", store=True, string="Site")
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    period = fields.Date(related="allocation_id.period", string="Billed Month")
    state = fields.Selection(related="allocation_id.state")
    area = fields.Float(string="Area (m²)", digits=(16, 2))
    uom = fields.Char(related="part_id.uom")
    consumption = fields.Float(digits=(16, 4), help="Measured, in billing units.")
    billed_consumption = fields.Float(
        digits=(16, 4), help="The consumption billed: raised to the minimum where penalised."
    )
    raised = fields.Boolean(string="Penalised", help="Raised to the minimum heating.")
    estimated = fields.Boolean(help="The unit's consumption includes an estimated reading.")
    consumption_amount = fields.Monetary(string="By Consumption")
    area_amount = fields.Monetary(string="By Area / Key")
    amount = fields.Monetary()
    computation = fields.Text()

    def _report_file_name(self):
        """ "Gider Bildirimi A-1 Aralık 2026": one unit's printed notice."""
        self.ensure_one()
        display = self.env["site.display"]
        return display._file_name(
            self.env._("Expense Notice"),
            self.unit_id.code,
            display._month_label(self.allocation_id.period),
        )

    def _sorted_by_unit(self):
        """Per allocation, in unit order, then part order: as documents list shares."""
        return self.sorted(
            lambda line: (
                line.allocation_id.period,
                line.allocation_id.id,
                line.unit_id.code_sort or "",
                line.part_id.sequence,
                line.part_id.id,
            )
        )
