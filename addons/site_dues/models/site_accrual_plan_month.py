from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.site_residents.engine.dates import month_start


class SiteAccrualPlanMonth(models.Model):
    _name = "site.accrual.plan.month"
    _description = "Accrual Plan Month"
    _order = "plan_id, month"

    plan_id = fields.Many2one("site.accrual.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    month = fields.Date(required=True, help="Any day of the month.")
    amount = fields.Monetary(required=True)

    _plan_month_uniq = models.Constraint(
        "UNIQUE (plan_id, month)", "A plan has one amount per month."
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("month"):
                vals["month"] = month_start(fields.Date.to_date(vals["month"]))
        return super().create(vals_list)

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if line.amount < 0:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s, month %(month)s: the amount cannot be negative.",
                        plan=line.plan_id.name,
                        month=self.env["site.display"]._month_label(line.month),
                    )
                )
