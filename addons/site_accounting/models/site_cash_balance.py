from odoo import fields, models, tools

# Per site and month with movements: the bank and cash accounts' balance at the start,
# what came in and went out, and the balance at the end.
CASH_BALANCE_QUERY = """
WITH monthly AS (
    SELECT line.company_id, date_trunc('month', line.date)::date AS month,
           SUM(line.balance) AS net,
           SUM(GREATEST(line.balance, 0)) AS amount_in,
           SUM(GREATEST(-line.balance, 0)) AS amount_out
      FROM account_move_line line
      JOIN account_account account ON account.id = line.account_id
     WHERE account.account_type = 'asset_cash' AND line.parent_state = 'posted'
     GROUP BY line.company_id, date_trunc('month', line.date)
)
SELECT row_number() OVER (ORDER BY company_id, month) AS id,
       company_id, month, amount_in, amount_out,
       SUM(net) OVER running - net AS opening,
       SUM(net) OVER running AS closing
  FROM monthly
WINDOW running AS (PARTITION BY company_id ORDER BY month)
"""


class SiteCashBalance(models.Model):
    _name = "site.cash.balance"
    _description = "Site Cash and Bank by Month"
    _auto = False
    _order = "company_id, month desc"
    _depends = {
        "account.move.line": ["company_id", "date", "account_id", "balance", "parent_state"],
        "account.account": ["account_type"],
    }

    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    month = fields.Date(readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    opening = fields.Monetary(string="Cash and Bank at Start", readonly=True)
    amount_in = fields.Monetary(string="Money In", readonly=True)
    amount_out = fields.Monetary(string="Money Out", readonly=True)
    closing = fields.Monetary(string="Cash and Bank at End", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({CASH_BALANCE_QUERY})")
