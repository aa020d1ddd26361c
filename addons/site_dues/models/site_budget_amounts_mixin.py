from odoo import fields, models

from ..engine import budget


class SiteBudgetAmountsMixin(models.AbstractModel):
    """Planned, actual and variance of a budget or a project: one grouped read of the
    budget vs actual report, by the report's field that points to these records."""

    _name = "site.budget.amounts.mixin"
    _description = "Budget Amounts"
    _budget_report_field = None  # "budget_id" or "project_id" of site.budget.report

    currency_id = fields.Many2one("res.currency")
    amount_planned = fields.Monetary(string="Planned", compute="_compute_amounts")
    amount_actual = fields.Monetary(string="Actual", compute="_compute_amounts")
    amount_variance = fields.Monetary(
        string="Variance", compute="_compute_amounts", help="Planned less actual."
    )

    def _compute_amounts(self):
        field = self._budget_report_field
        totals = {
            record: (planned, actual)
            for record, planned, actual in self.env["site.budget.report"]._read_group(
                [(field, "in", self.ids)], [field], ["planned:sum", "actual:sum"]
            )
        }
        for record in self:
            planned, actual, variance = budget.amounts(
                *totals.get(record, (0.0, 0.0)), record.currency_id.decimal_places
            )
            record.amount_planned = float(planned)
            record.amount_actual = float(actual)
            record.amount_variance = float(variance)
