from odoo import fields, models


class SiteAccrualPlanCoefficient(models.Model):
    _name = "site.accrual.plan.coefficient"
    _description = "Accrual Plan Coefficient per Unit"
    _check_company_auto = True

    plan_id = fields.Many2one("site.accrual.plan", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    unit_id = fields.Many2one("site.unit", required=True, check_company=True)
    coefficient = fields.Float(required=True, default=1.0, digits=(16, 6))

    _plan_unit_uniq = models.Constraint(
        "UNIQUE (plan_id, unit_id)", "A plan has one coefficient per unit."
    )
    _coefficient_positive = models.Constraint(
        "CHECK (coefficient >= 0)", "A coefficient cannot be negative."
    )
