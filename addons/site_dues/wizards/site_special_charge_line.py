from odoo import fields, models


class SiteSpecialChargeWizardLine(models.TransientModel):
    """One charge the wizard shows before posting: a unit, who pays it, how much."""

    _name = "site.special.charge.wizard.line"
    _description = "Special Charge"
    _check_company_auto = True

    wizard_id = fields.Many2one("site.special.charge.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="wizard_id.company_id", store=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    unit_id = fields.Many2one("site.unit", required=True, check_company=True)
    partner_id = fields.Many2one("res.partner", string="Charged To", required=True)
    charge_type_id = fields.Many2one("site.charge.type", required=True, check_company=True)
    amount = fields.Monetary(required=True)
    description = fields.Char()
    due_date = fields.Date(required=True)
