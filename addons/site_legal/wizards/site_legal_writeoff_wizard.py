from odoo import api, fields, models


class SiteLegalWriteoffWizard(models.TransientModel):
    """Write a case's uncollectable debts off."""

    _name = "site.legal.writeoff.wizard"
    _description = "Write Off a Legal Case"

    case_id = fields.Many2one("site.legal.case", required=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount = fields.Monetary(related="case_id.balance", string="Open Amount")
    date = fields.Date(required=True, default=fields.Date.context_today)
    account_id = fields.Many2one(
        "account.account",
        string="Write Off To",
        compute="_compute_account_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        check_company=True,
        domain="[('account_type', 'not in', ('asset_receivable', 'liability_payable'))]",
    )
    note = fields.Text(string="Reason", required=True)

    @api.depends("case_id")
    def _compute_account_id(self):
        for wizard in self:
            wizard.account_id = (
                wizard.account_id or wizard.case_id.company_id.site_legal_writeoff_account_id
            )

    def action_confirm(self):
        self.ensure_one()
        self.case_id._write_off(self.date, self.account_id, self.note)
        return {"type": "ir.actions.act_window_close"}
