from odoo import fields, models


class SiteDebtorReportLine(models.TransientModel):
    _name = "site.debtor.report.line"
    _description = "Debtor Line"
    _order = "id"

    wizard_id = fields.Many2one("site.debtor.report.wizard", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_id = fields.Many2one("site.unit", readonly=True)
    building_id = fields.Many2one(related="unit_id.building_id")
    partner_id = fields.Many2one("res.partner", readonly=True)
    charge_type_id = fields.Many2one("site.charge.type", readonly=True)
    not_due = fields.Monetary(readonly=True)
    days_0_30 = fields.Monetary(string="1-30 Days", readonly=True)
    days_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    days_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    days_90_plus = fields.Monetary(string="Over 90 Days", readonly=True)
    credit = fields.Monetary(readonly=True, help="Payments not used yet (negative).")
    legal = fields.Monetary(
        string="In Legal Follow-up",
        readonly=True,
        help="Debts handed to the site's lawyer: on the receivable account for legal follow-up.",
    )
    total = fields.Monetary(readonly=True)
