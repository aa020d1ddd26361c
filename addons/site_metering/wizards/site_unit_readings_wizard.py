from odoo import api, fields, models
from odoo.exceptions import UserError


class SiteUnitReadingsWizard(models.TransientModel):
    """Read every meter of some units on one day: at a sale, move-in or move-out.

    The readings of the change date let the metered costs be split between the people
    leaving and arriving; they go through the same checks as any reading.
    """

    _name = "site.unit.readings.wizard"
    _description = "Read a Unit's Meters"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", string="Site", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    unit_ids = fields.Many2many("site.unit", string="Units", required=True, check_company=True)
    line_ids = fields.One2many("site.unit.readings.wizard.line", "wizard_id", string="Meters")

    @api.model
    def _action_for(self, units, day):
        meters = self.env["site.meter"].search(
            [("unit_id", "in", units.ids), ("state", "=", "active")]
        )
        if not meters:
            return False
        if len(units.company_id) > 1:
            raise UserError(self.env._("Read the meters of one site at a time."))
        wizard = self.create(
            {
                "company_id": units.company_id.id,
                "date": day,
                "unit_ids": [fields.Command.set(units.ids)],
                "line_ids": [fields.Command.create({"meter_id": meter.id}) for meter in meters],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Meter Readings on %(date)s", date=day),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_save(self):
        self.ensure_one()
        lines = self.line_ids.filtered("entered")
        if not lines:
            raise UserError(self.env._("Enter at least one reading, or close the window."))
        self.env["site.meter.reading"].create(
            [
                {
                    "meter_id": line.meter_id.id,
                    "date": self.date,
                    "value": line.value,
                    "source": "engineer",
                    "note": self.env._("Read at the change of occupant."),
                }
                for line in lines
            ]
        )
        return {"type": "ir.actions.act_window_close"}
