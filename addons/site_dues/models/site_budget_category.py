"""Expense categories of a site's budgets, each proposing an expense account."""

from odoo import fields, models

EXPENSE_TYPES = ("expense", "expense_other", "expense_depreciation", "expense_direct_cost")
EXPENSE_DOMAIN = f"[('account_type', 'in', {EXPENSE_TYPES!r})]"


class SiteBudgetCategory(models.Model):
    _name = "site.budget.category"
    _inherit = ["site.company.mixin"]
    _description = "Budget Expense Category"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    account_id = fields.Many2one(
        "account.account",
        string="Expense Account",
        check_company=True,
        domain=EXPENSE_DOMAIN,
        help="The account proposed for the category's budget lines.",
    )
    active = fields.Boolean(default=True)

    _company_name_uniq = models.Constraint(
        "UNIQUE (company_id, name)", "An expense category name must be unique per site."
    )
