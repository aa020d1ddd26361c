from odoo import fields, models


class SiteUnitChangeWizardLine(models.TransientModel):
    _name = "site.unit.change.wizard.line"
    _description = "New Owner or Tenant"

    wizard_id = fields.Many2one("site.unit.change.wizard", required=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", string="Person", required=True)
    share = fields.Float(string="Share (%)", digits=(5, 2), default=100.0)
    lives_here = fields.Boolean(default=True)
