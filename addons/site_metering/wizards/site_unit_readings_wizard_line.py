from odoo import api, fields, models


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
