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

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .site_accrual_plan import month_start

EXPENSE_TYPES = ("expense", "expense_other", "expense_depreciation", "expense_direct_cost")
EXPENSE_DOMAIN = f"[('account_type', 'in', {EXPENSE_TYPES!r})]"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class SiteBudget(models.Model):
    _name = "site.budget"
    _description = "Site Budget"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "company_id, date_from desc, id desc"
    _check_company_auto = True

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
    amount_planned = fields.Monetary(string="Planned", compute="_compute_amounts")
    amount_actual = fields.Monetary(string="Actual", compute="_compute_amounts")
    amount_variance = fields.Monetary(
        string="Variance", compute="_compute_amounts", help="Planned less actual."
    )
    note = fields.Html()

    _dates_ordered = models.Constraint(
        "CHECK (date_to >= date_from)", "A budget cannot end before it starts."
    )

    def _compute_amounts(self):
        totals = {
            budget: (planned, actual)
            for budget, planned, actual in self.env["site.budget.report"]._read_group(
                [("budget_id", "in", self.ids)], ["budget_id"], ["planned:sum", "actual:sum"]
            )
        }
        for budget in self:
            planned, actual = totals.get(budget, (0.0, 0.0))
            budget.amount_planned = planned
            budget.amount_actual = actual
            budget.amount_variance = budget.currency_id.round(planned - actual)

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
            currency = budget.currency_id
            row = {
                "budget": budget,
                "project": project,
                "category": category,
                "account": account,
                "analytic_account": analytic,
                "planned": currency.round(planned),
                "actual": currency.round(actual),
                "variance": currency.round(planned - actual),
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

    # --- XLSX ----------------------------------------------------------------

    def _xlsx(self):
        """Budget vs actual of this budget as an XLSX file (bytes): a summary sheet
        per project, category and account, and a sheet by month."""
        self.ensure_one()
        output = io.BytesIO()
        workbook = self.env["site.spreadsheet"]._new_workbook(output)
        write_texts = self.env["site.debtor.report"]._write_texts
        title = workbook.add_format({"bold": True, "font_size": 14})
        header = workbook.add_format(
            {"bold": True, "bg_color": "#E9ECEF", "border": 1, "text_wrap": True}
        )
        money = workbook.add_format({"num_format": "#,##0.00"})
        percent = workbook.add_format({"num_format": "0.0%"})
        display = self.env["site.display"]
        month_format = workbook.add_format({"num_format": display._xlsx_month_format()})
        total_text = workbook.add_format({"bold": True, "top": 1})
        total_money = workbook.add_format({"bold": True, "top": 1, "num_format": "#,##0.00"})
        subtitle = self.env._(
            "%(site)s, %(start)s to %(end)s",
            site=self.company_id.name,
            start=display._date_label(self.date_from),
            end=display._date_label(self.date_to),
        )
        text_headers = [
            self.env._("Project"),
            self.env._("Category"),
            self.env._("Account"),
            self.env._("Analytic Account"),
        ]
        amount_headers = [self.env._("Planned"), self.env._("Actual"), self.env._("Variance")]

        def texts(row):
            return [
                row["project"].name or "",
                row["category"].name or "",
                row["account"].display_name or "",
                row["analytic_account"].display_name or "",
            ]

        def write_sheet(sheet, rows, by_month):
            write_texts(
                sheet, 0, 0, [self.env._("Budget vs Actual: %(budget)s", budget=self.name)], title
            )
            write_texts(sheet, 1, 0, [subtitle])
            headers = list(text_headers)
            if by_month:
                headers.append(self.env._("Month"))
            first_amount = len(headers)
            headers += amount_headers
            if not by_month:
                headers.append(self.env._("Used"))
            write_texts(sheet, 3, 0, headers, header)
            totals = [0.0, 0.0, 0.0]
            index = 4
            for row in rows:
                write_texts(sheet, index, 0, texts(row))
                if by_month:
                    sheet.write_datetime(
                        index, 4, fields.Datetime.to_datetime(row["month"]), month_format
                    )
                amounts = [row["planned"], row["actual"], row["variance"]]
                for offset, amount in enumerate(amounts):
                    sheet.write_number(index, first_amount + offset, amount, money)
                    totals[offset] += amount
                if not by_month and row["planned"]:
                    sheet.write_number(
                        index, first_amount + 3, row["actual"] / row["planned"], percent
                    )
                index += 1
            write_texts(sheet, index, 0, [self.env._("Total")], total_text)
            for offset, amount in enumerate(totals):
                sheet.write_number(
                    index, first_amount + offset, self.currency_id.round(amount), total_money
                )
            sheet.set_column(0, 1, 22)
            sheet.set_column(2, 3, 32)
            if by_month:
                sheet.set_column(4, 4, 15)
            sheet.set_column(first_amount, first_amount + 3, 14)
            sheet.freeze_panes(4, first_amount)

        write_sheet(
            workbook.add_worksheet(self.env._("Summary")), self._budget_vs_actual_rows(False), False
        )
        write_sheet(
            workbook.add_worksheet(self.env._("By Month")), self._budget_vs_actual_rows(), True
        )
        workbook.close()
        return output.getvalue()

    def action_export_xlsx(self):
        self.ensure_one()
        content = self._xlsx()  # read with the user's rights
        # Board members export budgets they cannot write to, which attaching a file to
        # needs; reading the budget is enough to download it.
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": self.env["site.display"]._file_name(
                        self.env._("Budget vs Actual"),
                        self.name,
                        fields.Date.context_today(self),
                        extension="xlsx",
                    ),
                    "raw": content,
                    "mimetype": XLSX_MIMETYPE,
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }


class SiteBudgetProject(models.Model):
    _name = "site.budget.project"
    _description = "Site Budget Project"
    _order = "budget_id, sequence, id"
    _check_company_auto = True

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
    amount_planned = fields.Monetary(string="Planned", compute="_compute_amounts")
    amount_actual = fields.Monetary(string="Actual", compute="_compute_amounts")
    amount_variance = fields.Monetary(string="Variance", compute="_compute_amounts")

    def _compute_amounts(self):
        totals = {
            project: (planned, actual)
            for project, planned, actual in self.env["site.budget.report"]._read_group(
                [("project_id", "in", self.ids)], ["project_id"], ["planned:sum", "actual:sum"]
            )
        }
        for project in self:
            planned, actual = totals.get(project, (0.0, 0.0))
            project.amount_planned = planned
            project.amount_actual = actual
            project.amount_variance = project.currency_id.round(planned - actual)

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


class SiteBudgetReport(models.Model):
    """Budget vs actual, live: one row per planned line and one per budget, bucket
    (expense account and analytic account) and month with posted expenses."""

    _name = "site.budget.report"
    _description = "Budget vs Actual"
    _auto = False
    _order = "month, project_id, category_id, account_id"
    _rec_name = "project_id"

    budget_id = fields.Many2one("site.budget", readonly=True)
    budget_state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("closed", "Closed")],
        string="Budget Status",
        readonly=True,
    )
    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    project_id = fields.Many2one("site.budget.project", readonly=True)
    project_kind = fields.Selection(
        [("dues", "Dues Budget"), ("investment", "Investment Project")],
        readonly=True,
    )
    category_id = fields.Many2one("site.budget.category", readonly=True)
    account_id = fields.Many2one("account.account", string="Expense Account", readonly=True)
    analytic_account_id = fields.Many2one("account.analytic.account", readonly=True)
    month = fields.Date(readonly=True)
    planned = fields.Monetary(readonly=True)
    actual = fields.Monetary(readonly=True)
    variance = fields.Monetary(readonly=True, help="Planned less actual.")

    _depends = {
        "site.budget": ["company_id", "date_from", "date_to", "state"],
        "site.budget.project": ["budget_id", "kind"],
        "site.budget.line": [
            "budget_id",
            "project_id",
            "category_id",
            "account_id",
            "analytic_account_id",
            "month",
            "amount",
        ],
        "account.move.line": [
            "account_id",
            "company_id",
            "date",
            "balance",
            "parent_state",
            "analytic_distribution",
        ],
        "res.company": ["currency_id"],
        "res.currency": ["rounding"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            WITH buckets AS (
                -- the accounts (with or without analytic account) each budget plans, and
                -- the project and category they belong to (one, by constraint)
                SELECT DISTINCT ON (line.budget_id, line.account_id,
                                    COALESCE(line.analytic_account_id, 0))
                       line.budget_id, line.project_id, line.category_id, line.account_id,
                       line.analytic_account_id
                  FROM site_budget_line line
              ORDER BY line.budget_id, line.account_id, COALESCE(line.analytic_account_id, 0),
                       line.id
            ),
            expenses AS (
                -- posted lines of the budget's site and period on the accounts it plans
                SELECT budget.id AS budget_id, aml.id AS move_line_id, aml.account_id,
                       date_trunc('month', aml.date)::date AS month, aml.balance,
                       aml.analytic_distribution, currency.rounding
                  FROM site_budget budget
                  JOIN res_company company ON company.id = budget.company_id
                  JOIN res_currency currency ON currency.id = company.currency_id
                  JOIN account_move_line aml
                    ON aml.company_id = budget.company_id
                   AND aml.date BETWEEN budget.date_from AND budget.date_to
                   AND aml.parent_state = 'posted'
                 WHERE EXISTS (SELECT 1 FROM buckets
                                WHERE buckets.budget_id = budget.id
                                  AND buckets.account_id = aml.account_id)
            ),
            distribution AS (
                -- each expense line's analytic distribution, one row per key
                -- (a key is one or more analytic account ids, comma-separated)
                SELECT expenses.move_line_id, expenses.budget_id, expenses.account_id,
                       string_to_array(item.key, ',')::int[] AS analytic_ids,
                       item.value::numeric AS percent
                  FROM expenses
                 CROSS JOIN LATERAL jsonb_each_text(expenses.analytic_distribution)
                       AS item(key, value)
            ),
            shares AS (
                -- the percent of a line that goes to each analytic account budgeted on its
                -- account
                SELECT distribution.move_line_id, distribution.budget_id,
                       buckets.analytic_account_id, SUM(distribution.percent) AS percent
                  FROM distribution
                  JOIN buckets
                    ON buckets.budget_id = distribution.budget_id
                   AND buckets.account_id = distribution.account_id
                   AND buckets.analytic_account_id = ANY(distribution.analytic_ids)
              GROUP BY distribution.move_line_id, distribution.budget_id,
                       buckets.analytic_account_id
            ),
            claimed AS (
                -- the percent of a line taken by any of those analytic accounts
                SELECT distribution.move_line_id, distribution.budget_id,
                       LEAST(SUM(distribution.percent), 100) AS percent
                  FROM distribution
                 WHERE EXISTS (SELECT 1 FROM buckets
                                WHERE buckets.budget_id = distribution.budget_id
                                  AND buckets.account_id = distribution.account_id
                                  AND buckets.analytic_account_id = ANY(distribution.analytic_ids))
              GROUP BY distribution.move_line_id, distribution.budget_id
            ),
            actuals AS (
                SELECT expenses.budget_id, expenses.account_id, shares.analytic_account_id,
                       expenses.month,
                       ROUND(expenses.balance * shares.percent / 100 / expenses.rounding)
                       * expenses.rounding AS amount
                  FROM shares
                  JOIN expenses
                    ON expenses.move_line_id = shares.move_line_id
                   AND expenses.budget_id = shares.budget_id
                 UNION ALL
                SELECT expenses.budget_id, expenses.account_id, NULL, expenses.month,
                       expenses.balance - COALESCE(
                           ROUND(expenses.balance * claimed.percent / 100 / expenses.rounding)
                           * expenses.rounding, 0)
                  FROM expenses
             LEFT JOIN claimed
                    ON claimed.move_line_id = expenses.move_line_id
                   AND claimed.budget_id = expenses.budget_id
                 WHERE EXISTS (SELECT 1 FROM buckets
                                WHERE buckets.budget_id = expenses.budget_id
                                  AND buckets.account_id = expenses.account_id
                                  AND buckets.analytic_account_id IS NULL)
            ),
            report AS (
                SELECT 2 * line.id AS id, line.budget_id, line.project_id, line.category_id,
                       line.account_id, line.analytic_account_id, line.month,
                       line.amount AS planned, 0::numeric AS actual
                  FROM site_budget_line line
                 UNION ALL
                SELECT 2 * ROW_NUMBER() OVER (ORDER BY actuals.budget_id, actuals.account_id,
                                                       actuals.analytic_account_id,
                                                       actuals.month) + 1,
                       actuals.budget_id, buckets.project_id, buckets.category_id,
                       actuals.account_id, actuals.analytic_account_id, actuals.month,
                       0, SUM(actuals.amount)
                  FROM actuals
                  JOIN buckets
                    ON buckets.budget_id = actuals.budget_id
                   AND buckets.account_id = actuals.account_id
                   AND buckets.analytic_account_id IS NOT DISTINCT FROM actuals.analytic_account_id
              GROUP BY actuals.budget_id, buckets.project_id, buckets.category_id,
                       actuals.account_id, actuals.analytic_account_id, actuals.month
                HAVING SUM(actuals.amount) <> 0
            )
            SELECT report.id, report.budget_id, budget.state AS budget_state,
                   budget.company_id, company.currency_id, report.project_id,
                   project.kind AS project_kind, report.category_id, report.account_id,
                   report.analytic_account_id, report.month, report.planned, report.actual,
                   report.planned - report.actual AS variance
              FROM report
              JOIN site_budget budget ON budget.id = report.budget_id
              JOIN res_company company ON company.id = budget.company_id
              JOIN site_budget_project project ON project.id = report.project_id
            """
        )


class SiteAccrualPlan(models.Model):
    _inherit = "site.accrual.plan"

    budget_project_id = fields.Many2one(
        "site.budget.project",
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="Charge the project's planned amounts: each month's amount is the project's "
        "planned total for that month (the monthly amount and the months below are ignored).",
    )

    @api.constrains("budget_project_id", "allocation_key")
    def _check_budget_project(self):
        for plan in self:
            if plan.budget_project_id and plan.allocation_key == "type_fixed":
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s: amounts per unit type cannot come from a budget.",
                        plan=plan.name,
                    )
                )

    @api.onchange("budget_project_id")
    def _onchange_budget_project_id(self):
        project = self.budget_project_id
        if not project:
            return
        start, end = project._period()
        self.date_start = start
        self.date_end = month_start(end)
        code = "DUES" if project.kind == "dues" else "INVEST"
        charge_type = self.env["site.charge.type"].search(
            [("company_id", "=", project.company_id.id), ("code", "=", code)], limit=1
        )
        if charge_type:
            self.charge_type_id = charge_type

    def _amount_for(self, period):
        self.ensure_one()
        project = self.budget_project_id
        if not project:
            return super()._amount_for(period)
        if project.budget_id.state == "draft":
            raise UserError(
                self.env._(
                    "Plan %(plan)s charges budget %(budget)s, which is not approved yet.",
                    plan=self.name,
                    budget=project.budget_id.name,
                )
            )
        return project._planned_for(period)
