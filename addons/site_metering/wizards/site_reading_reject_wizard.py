from odoo import fields, models


class SiteReadingRejectWizard(models.TransientModel):
    _name = "site.reading.reject.wizard"
    _description = "Reject Readings"

    reading_ids = fields.Many2many(
        "site.meter.reading",
        default=lambda self: self.env.context.get("active_ids"),
        required=True,
    )
    reason = fields.Text(required=True, help="Shown to the resident who entered the reading.")

    def action_reject(self):
        self.reading_ids._reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
