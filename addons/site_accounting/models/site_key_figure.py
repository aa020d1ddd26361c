from odoo import fields, models, tools

FIGURES = [
    ("cash", "Cash and Bank"),
    ("receivable", "Receivables from Units"),
    ("payable", "Payables"),
    ("income", "Income"),
    ("expense", "Expenses"),
    ("result", "Result"),
]

# Each site's key figures by month, from the posted lines grouped by account type: the
# month's movement, and the amount to date (cash, receivables and payables: the balance
# at the month's end; income, expenses and result: since the fiscal year's start). Every
# month from a figure's first movement on is present, so the amount to date of any month
# can be read, with or without movements in it. Amounts have their natural sign (money
# owed by the site and income are positive).
KEY_FIGURES_QUERY = """
WITH figure_map (account_type, figure, sign) AS (
    VALUES ('asset_cash', 'cash', 1),
           ('asset_receivable', 'receivable', 1),
           ('liability_payable', 'payable', -1),
           ('income', 'income', -1),
           ('income_other', 'income', -1),
           ('expense', 'expense', 1),
           ('expense_depreciation', 'expense', 1),
           ('expense_direct_cost', 'expense', 1),
           ('income', 'result', -1),
           ('income_other', 'result', -1),
           ('expense', 'result', -1),
           ('expense_depreciation', 'result', -1),
           ('expense_direct_cost', 'result', -1)
),
movement AS (
    SELECT line.company_id, date_trunc('month', line.date)::date AS month, figure_map.figure,
           SUM(figure_map.sign * line.balance) AS amount
      FROM account_move_line line
      JOIN account_account account ON account.id = line.account_id
      JOIN figure_map ON figure_map.account_type = account.account_type
     WHERE line.parent_state = 'posted'
     GROUP BY line.company_id, date_trunc('month', line.date), figure_map.figure
),
months AS (
    SELECT span.company_id, span.figure, month::date AS month
      FROM (SELECT company_id, figure, MIN(month) AS first_month
              FROM movement GROUP BY company_id, figure) span
     CROSS JOIN LATERAL generate_series(
           span.first_month,
           GREATEST((SELECT MAX(month) FROM movement), date_trunc('month', CURRENT_DATE)),
           interval '1 month') AS month
)
SELECT to_dates.*,
       -- the amount to date again in its figure's own column, so that a pivot of the
       -- sites shows each figure as a measure (and adds up only what adds up)
       CASE WHEN figure = 'cash' THEN to_date ELSE 0 END AS cash,
       CASE WHEN figure = 'receivable' THEN to_date ELSE 0 END AS receivable,
       CASE WHEN figure = 'payable' THEN to_date ELSE 0 END AS payable,
       CASE WHEN figure = 'income' THEN to_date ELSE 0 END AS income,
       CASE WHEN figure = 'expense' THEN to_date ELSE 0 END AS expense,
       CASE WHEN figure = 'result' THEN to_date ELSE 0 END AS result
  FROM (
SELECT row_number() OVER (ORDER BY months.company_id, months.figure, months.month) AS id,
       months.company_id, months.month AS date, months.figure,
       COALESCE(movement.amount, 0) AS amount,
       SUM(COALESCE(movement.amount, 0)) OVER (
           PARTITION BY months.company_id, months.figure,
                        CASE WHEN months.figure IN ('cash', 'receivable', 'payable') THEN 0
                             -- the fiscal year the month belongs to
                             ELSE EXTRACT(YEAR FROM months.month + make_interval(
                                  months => 12 - company.fiscalyear_last_month::int))
                        END
           ORDER BY months.month) AS to_date
  FROM months
  JOIN res_company company ON company.id = months.company_id
  LEFT JOIN movement
    ON movement.company_id = months.company_id
   AND movement.figure = months.figure
   AND movement.month = months.month
 WHERE company.is_site
) AS to_dates
"""


class SiteKeyFigure(models.Model):
    """Sites side by side: each site's cash and bank, receivables, payables, income,
    expenses and result by month, for a management company keeping several sites."""

    _name = "site.key.figure"
    _description = "Sites' Key Figures"
    _auto = False
    _order = "date desc, company_id, figure"
    _rec_name = "figure"
    _depends = {
        "account.move.line": ["company_id", "date", "account_id", "balance", "parent_state"],
        "account.account": ["account_type"],
        "res.company": ["fiscalyear_last_month", "is_site"],
    }

    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    date = fields.Date(string="Month", readonly=True)
    figure = fields.Selection(FIGURES, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(string="Movement", readonly=True, help="The month's movement.")
    to_date = fields.Monetary(
        string="To Date",
        readonly=True,
        help="Cash and bank, receivables and payables: the balance at the month's end. "
        "Income, expenses and result: since the start of the fiscal year. Read it for one "
        "month at a time.",
    )
    cash = fields.Monetary(string="Cash and Bank", readonly=True)
    receivable = fields.Monetary(string="Receivables from Units", readonly=True)
    payable = fields.Monetary(string="Payables", readonly=True)
    income = fields.Monetary(readonly=True)
    expense = fields.Monetary(string="Expenses", readonly=True)
    result = fields.Monetary(readonly=True)

    def _site_months(self):
        """These rows as the printed view reads them: per month, newest first, the sites
        side by side and for each figure its movement and amount to date per site."""
        labels = dict(self._fields["figure"]._description_selection(self.env))
        months = []
        for month in sorted(set(self.mapped("date")), reverse=True):
            rows = self.filtered(lambda row, month=month: row.date == month)
            sites = rows.company_id.sorted("name")
            by_key = {(row.company_id, row.figure): row for row in rows}
            figures = []
            for figure, _label in FIGURES:
                cells = [by_key.get((site, figure)) for site in sites]
                if any(cells):
                    figures.append({"label": labels[figure], "cells": cells})
            months.append({"month": month, "sites": sites, "figures": figures})
        return months

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({KEY_FIGURES_QUERY})")
