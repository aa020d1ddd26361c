from odoo import fields, models
from odoo.exceptions import UserError


class SiteUnit(models.Model):
    _inherit = "site.unit"

    meter_ids = fields.One2many("site.meter", "unit_id", string="Meters")

    volume_heated = fields.Float(
        string="Heated Volume (m³)",
        digits=(16, 2),
        help="Heated volume of the unit, a key of heat-cost sharing where a site shares the "
        "non-consumption part by volume.",
    )

    def action_view_consumption(self):
        """The unit's consumption history: graph and pivot by month and kind."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_meter_consumption_report_unit"
        )
        action["domain"] = [("unit_id", "=", self.id)]
        action["display_name"] = self.env._("Consumption of %(unit)s", unit=self.display_name)
        return action

    def action_print_expense_notice(self):
        """The expense notice of this unit's latest computed or posted allocation."""
        self.ensure_one()
        lines = self.env["site.cost.allocation.line"].search(
            [
                ("unit_id", "=", self.id),
                ("allocation_id.state", "in", ("computed", "posted")),
            ]
        )
        if not lines:
            raise UserError(
                self.env._("Unit %(unit)s has no computed cost allocation yet.", unit=self.code)
            )
        latest = max(lines.allocation_id, key=lambda allocation: (allocation.period, allocation.id))
        return self.env.ref("site_metering.action_report_expense_notice_line").report_action(
            lines.filtered(lambda line: line.allocation_id == latest), config=False
        )

    def action_read_meters(self):
        action = self.env["site.unit.readings.wizard"]._action_for(
            self, fields.Date.context_today(self)
        )
        if not action:
            raise UserError(self.env._("These units have no meter in service."))
        return action
