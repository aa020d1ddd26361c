from odoo import fields, models


class SiteLegalNoticeBatchLine(models.Model):
    """A debtor of a notice batch, as previewed: what they owe overdue on the day."""

    _name = "site.legal.notice.batch.line"
    _description = "Debtor of a Notice Batch"
    _order = "batch_id, id"

    batch_id = fields.Many2one(
        "site.legal.notice.batch", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="batch_id.company_id", store=True, string="Site")
    unit_id = fields.Many2one("site.unit", required=True, readonly=True)
    partner_id = fields.Many2one("res.partner", string="Debtor", required=True, readonly=True)
    currency_id = fields.Many2one(related="batch_id.currency_id")
    amount = fields.Monetary(string="Overdue", readonly=True)
    oldest_due = fields.Date(string="Oldest Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    # [{"charge_type_id": id, "due": ISO date, "amount": float}]
    detail = fields.Json(readonly=True)
    notice_id = fields.Many2one("site.legal.notice", readonly=True, ondelete="set null")
