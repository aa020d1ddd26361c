from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SiteAccrualPlanTypeAmount(models.Model):
    _name = "site.accrual.plan.type.amount"
    _description = "Accrual Plan Amount per Unit Type"
    _check_company_auto = True

    plan_id = fields.Many2one("site.accrual.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    type_id = fields.Many2one(
        "site.unit.type", string="Unit Type", required=True, check_company=True
    )
    amount = fields.Monetary(required=True)

    _plan_type_uniq = models.Constraint(
        "UNIQUE (plan_id, type_id)", "A plan has one amount per unit type."
    )

    @api.constrains("amount")
    def _check_amount(self):
        for line in self:
            if line.amount < 0:
                raise ValidationError(
                    self.env._(
                        "Plan %(plan)s, unit type %(type)s: the amount cannot be negative.",
                        plan=line.plan_id.name,
                        type=line.type_id.name,
                    )
                )
