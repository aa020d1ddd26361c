from odoo import fields, models


class SiteLateFeePause(models.Model):
    """Days on which a site charges no late fee, e.g. the Ukrainian suspension of
    penalties under martial law (Cabinet resolution No. 206 of 05.03.2022)."""

    _name = "site.late.fee.pause"
    _inherit = ["site.company.mixin"]
    _description = "Late-Fee Pause"
    _order = "company_id, date_from desc"
    _check_company_auto = True

    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True, help="Last day without late fees, included.")
    reason = fields.Char(required=True)

    _dates_check = models.Constraint(
        "CHECK (date_to >= date_from)", "A late-fee pause cannot end before it starts."
    )
