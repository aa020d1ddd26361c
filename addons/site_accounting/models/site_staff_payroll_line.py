from odoo import fields, models

KINDS = [("salary", "Salary"), ("board_allowance", "Board Allowance")]


class SiteStaffPayrollLine(models.Model):
    _name = "site.staff.payroll.line"
    _description = "Salary or Board Allowance"
    _order = "payroll_id, id"
    _check_company_auto = True

    payroll_id = fields.Many2one(
        "site.staff.payroll", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="payroll_id.company_id", store=True, index=True)
    partner_id = fields.Many2one("res.partner", string="Person", required=True, check_company=True)
    kind = fields.Selection(KINDS, required=True, default="salary")
    account_id = fields.Many2one(
        "account.account",
        string="Expense Account",
        required=True,
        check_company=True,
        domain=[("account_type", "in", ("expense", "expense_direct_cost"))],
    )
    currency_id = fields.Many2one(related="payroll_id.currency_id")
    amount = fields.Monetary(required=True, help="Net amount owed to the person.")
