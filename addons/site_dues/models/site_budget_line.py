from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.site_residents.engine.dates import month_start

from .site_budget_category import EXPENSE_DOMAIN


class SiteBudgetLine(models.Model):
    """A planned amount of one month."""

    _name = "site.budget.line"
    _description = "Site Budget Line"
    _order = "budget_id, project_id, month, category_id, id"
    _check_company_auto = True

    budget_id = fields.Many2one(
        "site.budget",
        compute="_compute_budget_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    project_id = fields.Many2one(
        "site.budget.project",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('budget_id', '=', budget_id)]",
    )
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, string="Site", precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    budget_state = fields.Selection(related="budget_id.state", string="Budget Status")
    project_kind = fields.Selection(related="project_id.kind", store=True, string="Project Kind")
    category_id = fields.Many2one("site.budget.category", required=True, check_company=True)
    account_id = fields.Many2one(
        "account.account",
        string="Expense Account",
        compute="_compute_account_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        check_company=True,
        domain=EXPENSE_DOMAIN,
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        compute="_compute_analytic_account_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
    )
    month = fields.Date(required=True, help="The month planned (stored as its first day).")
    name = fields.Char(string="Description")
    amount = fields.Monetary(string="Planned Amount", required=True)

    _amount_positive = models.Constraint(
        "CHECK (amount >= 0)", "A planned amount cannot be negative."
    )

    @api.depends("project_id")
    def _compute_budget_id(self):
        for line in self:
            line.budget_id = line.project_id.budget_id or line.budget_id

    @api.depends("category_id")
    def _compute_account_id(self):
        for line in self:
            line.account_id = line.category_id.account_id or line.account_id

    @api.depends("project_id")
    def _compute_analytic_account_id(self):
        for line in self:
            line.analytic_account_id = (
                line.project_id.analytic_account_id or line.analytic_account_id
            )

    @api.constrains("month", "project_id", "budget_id")
    def _check_month(self):
        for line in self:
            if line.project_id.budget_id != line.budget_id:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s is not a project of budget %(budget)s.",
                        project=line.project_id.name,
                        budget=line.budget_id.name,
                    )
                )
            start, end = line.project_id._period()
            if not start <= line.month <= end:
                display = self.env["site.display"]
                raise ValidationError(
                    self.env._(
                        "Project %(project)s runs from %(start)s to %(end)s: it cannot plan "
                        "%(month)s.",
                        project=line.project_id.name,
                        start=display._month_label(start),
                        end=display._month_label(end),
                        month=display._month_label(line.month),
                    )
                )

    @api.constrains("budget_id", "project_id", "category_id", "account_id", "analytic_account_id")
    def _check_buckets(self):
        """An account (with or without analytic account) belongs to one project and
        category of a budget: the actual expenses could not be told apart otherwise."""
        lines = self.search([("budget_id", "in", self.budget_id.ids)])
        owners = defaultdict(set)
        for line in lines:
            bucket = (line.budget_id, line.account_id, line.analytic_account_id)
            owners[bucket].add((line.project_id, line.category_id))
        for (budget, account, analytic), pairs in owners.items():
            if len(pairs) > 1:
                raise ValidationError(
                    self.env._(
                        "Budget %(budget)s plans account %(account)s%(analytic)s under more "
                        "than one project or category (%(places)s). Its expenses could not be "
                        "told apart: use one category, or an analytic account per project.",
                        budget=budget.name,
                        account=account.display_name,
                        analytic=f" / {analytic.display_name}" if analytic else "",
                        places=", ".join(sorted(f"{p.name} / {c.name}" for p, c in pairs)),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        budgets = self.env["site.budget"]
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = month_start(fields.Date.to_date(vals["month"]))
            if vals.get("project_id"):
                budgets |= self.env["site.budget.project"].browse(vals["project_id"]).budget_id
            if vals.get("budget_id"):
                budgets |= budgets.browse(vals["budget_id"])
        budgets._check_draft()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("month"):
            vals["month"] = month_start(fields.Date.to_date(vals["month"]))
        self.budget_id._check_draft()
        result = super().write(vals)
        if "budget_id" in vals or "project_id" in vals:
            self.budget_id._check_draft()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        self.budget_id._check_draft()
