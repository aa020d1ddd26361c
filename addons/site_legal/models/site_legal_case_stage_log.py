from odoo import fields, models

from .site_legal_case import STAGES


class SiteLegalCaseStageLog(models.Model):
    """One stage change of a case: when, to which stage, why and by whom."""

    _name = "site.legal.case.stage.log"
    _description = "Legal Case Stage Change"
    _order = "date desc, id desc"

    case_id = fields.Many2one("site.legal.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    stage = fields.Selection(STAGES, required=True)
    note = fields.Text()
    user_id = fields.Many2one(
        "res.users", string="By", required=True, default=lambda self: self.env.user
    )
