from collections import defaultdict

from odoo import fields, models, tools

# Every posted movement of a bank or cash account, split by what it paid: receipts on a
# unit's receivable follow their reconciliation to the charges they settled (so money in
# is shown by charge type), what is not yet allocated shows as an advance, and every other
# counterpart shows on its own account (expenses, payables, suspense...).
CASH_FLOWS_QUERY = """
WITH liquidity_move AS (
    SELECT DISTINCT line.move_id
      FROM account_move_line line
      JOIN account_account account ON account.id = line.account_id
     WHERE account.account_type = 'asset_cash' AND line.parent_state = 'posted'
),
counterpart AS (
    SELECT line.id, line.move_id, line.company_id, line.date, line.journal_id,
           line.account_id, line.partner_id, line.site_unit_id, line.balance,
           line.amount_residual, account.account_type = 'asset_receivable' AS receivable
      FROM account_move_line line
      JOIN account_account account ON account.id = line.account_id
     WHERE line.move_id IN (SELECT move_id FROM liquidity_move)
       AND account.account_type != 'asset_cash'
),
flow AS (
    SELECT part.id, part.move_id, part.company_id, part.date, part.journal_id,
           part.account_id, part.partner_id, part.site_unit_id,
           charge.site_charge_type_id AS charge_type_id, partial.amount AS amount
      FROM counterpart part
      JOIN account_partial_reconcile partial ON partial.credit_move_id = part.id
      JOIN account_move_line charge ON charge.id = partial.debit_move_id
     WHERE part.receivable
    UNION ALL
    SELECT part.id, part.move_id, part.company_id, part.date, part.journal_id,
           part.account_id, part.partner_id, part.site_unit_id,
           other.site_charge_type_id, -partial.amount
      FROM counterpart part
      JOIN account_partial_reconcile partial ON partial.debit_move_id = part.id
      JOIN account_move_line other ON other.id = partial.credit_move_id
     WHERE part.receivable
    UNION ALL
    SELECT part.id, part.move_id, part.company_id, part.date, part.journal_id,
           part.account_id, part.partner_id, part.site_unit_id, NULL,
           CASE WHEN part.receivable THEN -part.amount_residual ELSE -part.balance END
      FROM counterpart part
     WHERE CASE WHEN part.receivable THEN part.amount_residual ELSE part.balance END != 0
)
SELECT row_number() OVER (ORDER BY flow.date, flow.id) AS id,
       flow.company_id, flow.date, flow.move_id, flow.journal_id, flow.account_id,
       flow.partner_id, flow.site_unit_id, flow.charge_type_id,
       CASE WHEN flow.amount >= 0 THEN 'in' ELSE 'out' END AS direction,
       CASE WHEN flow.amount >= 0 THEN flow.amount ELSE 0 END AS amount_in,
       CASE WHEN flow.amount < 0 THEN -flow.amount ELSE 0 END AS amount_out,
       flow.amount AS amount
  FROM flow
"""


class SiteCashReport(models.Model):
    """Receipts and payments ("işletme hesabı"): the site's money in and out without
    double entry, for boards."""

    _name = "site.cash.report"
    _description = "Site Receipts and Payments"
    _auto = False
    _order = "date desc, id desc"
    # Flushed before the view is read, so that entries just posted are in it.
    _depends = {
        "account.move.line": [
            "move_id",
            "company_id",
            "date",
            "journal_id",
            "account_id",
            "partner_id",
            "site_unit_id",
            "site_charge_type_id",
            "balance",
            "amount_residual",
            "parent_state",
        ],
        "account.partial.reconcile": ["debit_move_id", "credit_move_id", "amount"],
        "account.account": ["account_type"],
    }

    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    date = fields.Date(readonly=True)
    move_id = fields.Many2one("account.move", string="Entry", readonly=True)
    journal_id = fields.Many2one("account.journal", readonly=True)
    account_id = fields.Many2one(
        "account.account",
        string="Counterpart Account",
        readonly=True,
        help="For money out, the expense (or payable) account it went to.",
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    site_unit_id = fields.Many2one("site.unit", string="Unit", readonly=True)
    charge_type_id = fields.Many2one(
        "site.charge.type",
        readonly=True,
        help="For money in, the charge type of the charges it settled; empty while the "
        "money is not allocated to a charge (an advance).",
    )
    direction = fields.Selection([("in", "Money In"), ("out", "Money Out")], readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_in = fields.Monetary(string="In", readonly=True)
    amount_out = fields.Monetary(string="Out", readonly=True)
    amount = fields.Monetary(string="Net", readonly=True)

    def _report_file_name(self):
        """ "Receipts and Payments 05.12.2026": the XLSX export's name, in the reader's
        language, dated the day it is made."""
        return self.env["site.display"]._file_name(
            self.env._("Receipts and Payments"), fields.Date.context_today(self)
        )

    def _site_summaries(self):
        """Per site of these rows: its first and last dates, money in by charge type and
        money out by account ([(label, amount)] sorted by label), their totals and the net;
        what the XLSX and the PDF print."""
        summaries = []
        for site in self.company_id.sorted("name"):
            flows = self.filtered(lambda flow, site=site: flow.company_id == site)
            money_in, money_out = defaultdict(float), defaultdict(float)
            for flow in flows:
                if flow.direction == "in":
                    money_in[flow._income_label()] += flow.amount_in
                else:
                    money_out[flow.account_id.display_name or ""] += flow.amount_out
            dates = flows.mapped("date")
            summaries.append(
                {
                    "site": site,
                    "start": min(dates),
                    "end": max(dates),
                    "money_in": sorted(money_in.items()),
                    "money_out": sorted(money_out.items()),
                    "total_in": sum(money_in.values()),
                    "total_out": sum(money_out.values()),
                    "net": sum(money_in.values()) - sum(money_out.values()),
                }
            )
        return summaries

    def _income_label(self):
        """Money in by the charge type it settled; money on a unit's account not yet
        allocated is an advance; anything else by its account (suspense, income...)."""
        self.ensure_one()
        if self.charge_type_id:
            return self.charge_type_id.name
        if self.account_id.account_type == "asset_receivable":
            return self.env._("Advances (not allocated yet)")
        return self.account_id.display_name or ""

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"CREATE OR REPLACE VIEW {self._table} AS ({CASH_FLOWS_QUERY})")
