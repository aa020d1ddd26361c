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


class SiteUnitReadingsWizardLine(models.TransientModel):
    _name = "site.unit.readings.wizard.line"
    _description = "Meter to Read"
    _check_company_auto = True

    wizard_id = fields.Many2one("site.unit.readings.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    meter_id = fields.Many2one("site.meter", required=True, readonly=True, check_company=True)
    unit_id = fields.Many2one(related="meter_id.unit_id")
    room = fields.Char(related="meter_id.room")
    last_value = fields.Float(related="meter_id.last_value", string="Last Reading")
    last_date = fields.Date(related="meter_id.last_date", string="Last Read On")
    uom = fields.Char(related="meter_id.uom", string="UoM")
    value = fields.Float(digits=(16, 3), string="Reading")
    entered = fields.Boolean(
        string="Read", help="Tick when the meter was read; unticked meters are left out."
    )

    @api.onchange("value")
    def _onchange_value(self):
        if self.value:
            self.entered = True


class SiteUnitChangeWizard(models.TransientModel):
    _inherit = "site.unit.change.wizard"

    def _next_action_after_change(self, ended, started):
        action = super()._next_action_after_change(ended, started)
        return action or self.env["site.unit.readings.wizard"]._action_for(self.unit_id, self.date)
