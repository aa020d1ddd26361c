"""A budget's projects: its dues budget (the whole period) and investment projects
with their own months."""

from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.site_residents.engine.dates import month_start


class SiteBudgetProject(models.Model):
    _name = "site.budget.project"
    _description = "Site Budget Project"
    _inherit = ["site.budget.amounts.mixin"]
    _order = "budget_id, sequence, id"
    _check_company_auto = True
    _budget_report_field = "project_id"

    budget_id = fields.Many2one(
        "site.budget", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="budget_id.company_id", store=True, index=True, string="Site", precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    budget_state = fields.Selection(related="budget_id.state", string="Budget Status")
    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("dues", "Dues Budget"), ("investment", "Investment Project")],
        required=True,
        default="investment",
    )
    date_from = fields.Date(
        string="First Month", help="Empty: the budget's start. Within the budget's period."
    )
    date_to = fields.Date(
        string="Last Month", help="Empty: the budget's end. Within the budget's period."
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        check_company=True,
        help="Proposed on the project's lines: their actual is then the expenses booked "
        "to this analytic account.",
    )
    line_ids = fields.One2many(
        "site.budget.line", "project_id", string="Planned Amounts", copy=True
    )

    @api.depends("name", "budget_id.name")
    def _compute_display_name(self):
        for project in self:
            project.display_name = (
                f"{project.budget_id.name} / {project.name}" if project.budget_id else project.name
            )

    def _period(self):
        """(first, last) day of the project's months."""
        self.ensure_one()
        start = month_start(self.date_from or self.budget_id.date_from)
        return start, self.date_to or self.budget_id.date_to

    @api.constrains("date_from", "date_to", "budget_id")
    def _check_period(self):
        for project in self:
            budget = project.budget_id
            start, end = project._period()
            if end < start or start < month_start(budget.date_from) or end > budget.date_to:
                raise ValidationError(
                    self.env._(
                        "Project %(project)s: its months must lie within the budget's period "
                        "(%(start)s to %(end)s).",
                        project=project.name,
                        start=budget.date_from,
                        end=budget.date_to,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        budgets = self.env["site.budget"].browse(
            [vals["budget_id"] for vals in vals_list if vals.get("budget_id")]
        )
        budgets._check_draft()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"name", "sequence"}:
            self.budget_id._check_draft()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_draft(self):
        self.budget_id._check_draft()

    def _planned_for(self, period):
        """Decimal total the project plans for the month of ``period``."""
        self.ensure_one()
        period = month_start(period)
        return sum(
            (Decimal(str(line.amount)) for line in self.line_ids if line.month == period),
            Decimal(0),
        )
