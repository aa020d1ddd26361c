from datetime import timedelta
from decimal import Decimal

from markupsafe import Markup

from odoo import api, fields, models

from ..engine import instalments


class SiteLegalSettlementWizard(models.TransientModel):
    """Agree a settlement: the case's open debt re-dated as instalments."""

    _name = "site.legal.settlement.wizard"
    _description = "Settlement with Instalments"

    case_id = fields.Many2one("site.legal.case", required=True)
    company_id = fields.Many2one(related="case_id.company_id")
    currency_id = fields.Many2one(related="case_id.currency_id")
    amount = fields.Monetary(related="case_id.balance", string="Open Amount")
    count = fields.Integer(string="Instalments", required=True, default=3)
    first_due = fields.Date(
        string="First Due On",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=30),
    )
    months_apart = fields.Integer(string="Months Between Instalments", required=True, default=1)
    date = fields.Date(
        string="Agreed On",
        required=True,
        default=fields.Date.context_today,
        help="The date of the entry that re-dates the debts.",
    )
    preview = fields.Html(compute="_compute_preview", sanitize=False)

    @api.depends("amount", "count", "first_due", "months_apart")
    def _compute_preview(self):
        for wizard in self:
            try:
                rows = instalments.schedule(
                    Decimal(str(wizard.amount)),
                    wizard.count,
                    wizard.first_due,
                    wizard.currency_id.decimal_places,
                    wizard.months_apart,
                )
            except (ValueError, TypeError) as error:
                wizard.preview = Markup("<p class='text-danger'>%s</p>") % error
                continue
            display = self.env["site.display"]
            body = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td class='text-end'>%s</td></tr>")
                % (row.number, display._date_label(row.due_date), f"{row.amount:,.2f}")
                for row in rows
            )
            wizard.preview = (
                Markup(
                    "<table class='table table-sm'><thead><tr><th>#</th><th>%s</th>"
                    "<th class='text-end'>%s</th></tr></thead><tbody>"
                )
                % (self.env._("Due On"), self.env._("Amount"))
                + body
                + Markup("</tbody></table>")
            )

    def action_confirm(self):
        self.ensure_one()
        self.case_id._settle_in_instalments(
            self.count, self.first_due, self.date, self.months_apart
        )
        return {"type": "ir.actions.act_window_close"}
