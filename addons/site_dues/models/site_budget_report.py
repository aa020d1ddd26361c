from odoo import fields, models
from odoo.tools import SQL


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
