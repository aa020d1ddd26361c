from odoo import fields, models

from ..models.site_legal_case import STAGES

MONEY_STAGES = ("settlement", "collected", "closed", "written_off")


class SiteLegalStageWizard(models.TransientModel):
    """Move a case to another stage, dated, with a note in its history."""

    _name = "site.legal.stage.wizard"
    _description = "Change a Legal Case's Stage"

    case_id = fields.Many2one("site.legal.case", required=True)
    company_id = fields.Many2one(related="case_id.company_id")
    stage = fields.Selection(
        [stage for stage in STAGES if stage[0] not in MONEY_STAGES],
        required=True,
        help="Settlement, collected, closed and written off follow from the case's money: "
        "they are set by Settlement, when nothing is open, by Close and by Write Off.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    note = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        self.case_id._check_open()
        self.case_id._change_stage(self.stage, self.date, self.note)
        return {"type": "ir.actions.act_window_close"}
