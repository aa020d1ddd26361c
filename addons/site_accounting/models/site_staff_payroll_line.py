from odoo import api, fields, models

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
    amount = fields.Monetary(
        string="Gross",
        required=True,
        help="What the person earns for the period: the expense booked. The person's open "
        "salary advances are deducted from it.",
    )
    deduction_ids = fields.One2many(
        "site.staff.advance.deduction",
        "payroll_line_id",
        string="Salary Advances Deducted",
        readonly=True,
    )
    amount_deducted = fields.Monetary(
        compute="_compute_amount_net",
        string="Advance Deducted",
        help="Posted: what the payroll deducted of the person's salary advances. Draft: what "
        "posting it now would deduct.",
    )
    amount_net = fields.Monetary(
        compute="_compute_amount_net",
        string="Net Payable",
        help="Gross less the salary advances deducted: what is owed to the person.",
    )

    @api.depends(
        "amount",
        "partner_id",
        "deduction_ids.amount",
        "payroll_id.state",
        "payroll_id.date",
        "payroll_id.line_ids",
    )
    def _compute_amount_net(self):
        proposed = {}
        for payroll in self.payroll_id.filtered(lambda payroll: payroll.state == "draft"):
            proposed.update(payroll._site_proposed_deductions())
        for line in self:
            if line.payroll_id.state == "draft":
                deducted = float(proposed.get(line.id, 0))
            else:
                deducted = sum(line.deduction_ids.mapped("amount"))
            line.amount_deducted = deducted
            line.amount_net = line.amount - deducted
