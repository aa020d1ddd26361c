from odoo import fields, models


class SiteStaffAdvanceExpense(models.Model):
    _name = "site.staff.advance.expense"
    _description = "Expense Receipt of a Work Advance"
    _order = "date, id"
    _check_company_auto = True

    advance_id = fields.Many2one(
        "site.staff.advance", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="advance_id.company_id", store=True, index=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    name = fields.Char(
        string="Receipt", required=True, help="The receipt's number and what it paid."
    )
    account_id = fields.Many2one(
        "account.account",
        string="Expense Account",
        required=True,
        check_company=True,
        domain=[("account_type", "in", ("expense", "expense_direct_cost", "asset_current"))],
    )
    currency_id = fields.Many2one(related="advance_id.currency_id")
    amount = fields.Monetary(required=True)
