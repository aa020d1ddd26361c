from odoo import fields, models


class SiteReadingImportWizardLine(models.TransientModel):
    _name = "site.reading.import.wizard.line"
    _description = "Imported Reading Row"
    _order = "row"

    wizard_id = fields.Many2one("site.reading.import.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    row = fields.Integer(readonly=True)
    meter_ref = fields.Char(string="Meter in File", readonly=True)
    meter_id = fields.Many2one("site.meter", readonly=True)
    unit_id = fields.Many2one(related="meter_id.unit_id")
    date = fields.Date(readonly=True)
    value = fields.Float(digits=(16, 3), readonly=True)
    previous_value = fields.Float(
        related="meter_id.last_value", string="Last Value", digits=(16, 3)
    )
    status = fields.Selection([("ok", "OK"), ("error", "Error")], readonly=True)
    message = fields.Char(string="Reason", readonly=True)
