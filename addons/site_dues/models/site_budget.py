"""Budgets of a site: projects, planned amounts per month, budget vs actual.

A budget covers a period of a site; its projects are the dues budget (the running
costs, the whole period) and investment projects with their own months. Its lines
are the planned amounts: one row per project, expense category, expense account
(optionally an analytic account) and month, so months may differ.

Budget vs actual (``site.budget.report``, a live query) puts the planned rows next
to the posted expenses of the site. The actual of a budget is read per *bucket*:
an expense account, with or without an analytic account. Within a budget a bucket
belongs to one project and category (a constraint), so every posted amount lands
in exactly one place:

* a bucket with an analytic account takes the share of each posted line on its
  account that the line's analytic distribution gives that analytic account;
* a bucket without one takes the rest of the account: the lines' balances less
  the shares taken by the budget's analytic buckets on the same account.

An accrual plan may take its monthly amounts from a budget project: the month's
charge is then the project's planned total for that month.
"""

from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..engine import budget as budget_engine


class SiteBudget(models.Model):
    _name = "site.budget"
    _description = "Site Budget"
    _inherit = ["mail.thread", "site.company.mixin", "site.budget.amounts.mixin"]
    _order = "company_id, date_from desc, id desc"
    _check_company_auto = True
    _budget_report_field = "budget_id"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="Start", required=True, tracking=True)
    date_to = fields.Date(string="End", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    project_ids = fields.One2many("site.budget.project", "budget_id", string="Projects", copy=True)
    line_ids = fields.One2many("site.budget.line", "budget_id", string="Planned Amounts")
    note = fields.Html()

    _dates_ordered = models.Constraint(
        "CHECK (date_to >= date_from)", "A budget cannot end before it starts."
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Every budget has its dues project (the running costs of the whole period).
            if not vals.get("project_ids"):
                vals["project_ids"] = [
                    Command.create({"name": self.env._("Dues"), "kind": "dues", "sequence": 1})
                ]
        return super().create(vals_list)

    def write(self, vals):
        if {"company_id", "date_from", "date_to"} & set(vals):
            self._check_draft()
        return super().write(vals)

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        for budget, vals in zip(self, vals_list):
            vals.setdefault("name", self.env._("%(name)s (copy)", name=budget.name))
        return vals_list

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(budget.state != "draft" for budget in self):
            raise UserError(self.env._("Only draft budgets can be deleted."))

    @api.constrains("date_from", "date_to")
    def _check_periods(self):
        self.project_ids._check_period()
        self.line_ids._check_month()

    def _check_draft(self):
        locked = self.filtered(lambda budget: budget.state != "draft")
        if locked:
            raise UserError(
                self.env._(
                    "Budget %(budget)s is %(state)s: set it back to draft to change it.",
                    budget=locked[0].display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        locked[0].state
                    ],
                )
            )

    # --- states --------------------------------------------------------------

    def action_approve(self):
        for budget in self:
            if budget.state != "draft":
                raise UserError(self.env._("Only draft budgets can be approved."))
            if not budget.line_ids:
                raise UserError(
                    self.env._("Budget %(budget)s plans nothing yet.", budget=budget.name)
                )
        self.state = "approved"

    def action_close(self):
        if any(budget.state != "approved" for budget in self):
            raise UserError(self.env._("Only approved budgets can be closed."))
        self.state = "closed"

    def action_reset_to_draft(self):
        self.state = "draft"

    # --- budget vs actual ----------------------------------------------------

    def _budget_vs_actual_rows(self, by_month=True):
        """Planned against actual of these budgets, from one grouped read of the report.

        Returns a list of dicts: ``budget``, ``project``, ``category``, ``account``,
        ``analytic_account`` (records), ``month`` (a month's first day; only when
        ``by_month``), ``planned``, ``actual``, ``variance`` (planned less actual) as
        floats rounded to the site's currency. Ordered by budget, project, category,
        account, analytic account and month.
        """
        groupby = [
            "budget_id",
            "project_id",
            "category_id",
            "account_id",
            "analytic_account_id",
        ]
        if by_month:
            groupby.append("month:month")
        groups = self.env["site.budget.report"]._read_group(
            [("budget_id", "in", self.ids)], groupby, ["planned:sum", "actual:sum"]
        )
        rows = []
        for *keys, planned, actual in groups:
            budget, project, category, account, analytic = keys[:5]
            amounts = budget_engine.amounts(planned, actual, budget.currency_id.decimal_places)
            row = {
                "budget": budget,
                "project": project,
                "category": category,
                "account": account,
                "analytic_account": analytic,
                **{name: float(amount) for name, amount in amounts._asdict().items()},
            }
            if by_month:
                row["month"] = keys[5]
            rows.append(row)
        rows.sort(
            key=lambda r: (
                r["budget"].date_from,
                r["budget"].id,
                r["project"].sequence,
                r["project"].id,
                r["category"].sequence,
                r["category"].name or "",
                r["account"].code or "",
                r["analytic_account"].id,
                r.get("month") or date.min,
            )
        )
        return rows

    def action_view_report(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_dues.action_site_budget_report"
        )
        action["domain"] = [("budget_id", "=", self.id)]
        action["context"] = {"search_default_group_project": 1}
        action["display_name"] = self.env._("Budget vs Actual: %(budget)s", budget=self.name)
        return action

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_dues.action_site_budget_line")
        action["domain"] = [("budget_id", "=", self.id)]
        action["context"] = {"default_budget_id": self.id}
        return action

    def _report_file_name(self):
        """ "Budget vs Actual Bütçe 2026 04.12.2026": the XLSX export's name, in the
        reader's language, dated the day it is made."""
        return self.env["site.display"]._file_name(
            self.env._("Budget vs Actual"), self.name, fields.Date.context_today(self)
        )
