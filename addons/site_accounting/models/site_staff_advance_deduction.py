from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SiteStaffAdvanceDeduction(models.Model):
    """What a posted payroll line deducted of a salary advance. Made when the payroll is
    posted and removed when it is cancelled, so that what is left of the advance is its
    amount less the deductions of the payrolls in force."""

    _name = "site.staff.advance.deduction"
    _description = "Salary Advance Deducted from a Payroll"
    _order = "date, id"
    _check_company_auto = True

    advance_id = fields.Many2one(
        "site.staff.advance",
        string="Salary Advance",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    payroll_line_id = fields.Many2one(
        "site.staff.payroll.line",
        string="Payroll Line",
        required=True,
        ondelete="restrict",
        index=True,
        check_company=True,
    )
    payroll_id = fields.Many2one(related="payroll_line_id.payroll_id", store=True)
    date = fields.Date(related="payroll_line_id.payroll_id.date", store=True)
    partner_id = fields.Many2one(related="advance_id.partner_id", string="Staff Member")
    company_id = fields.Many2one(related="advance_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="advance_id.currency_id")
    amount = fields.Monetary(required=True)

    @api.constrains("amount", "advance_id")
    def _check_amount(self):
        for deduction in self:
            if deduction.advance_id.kind != "salary":
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a salary advance: payrolls do not deduct it.",
                        name=deduction.advance_id.display_name,
                    )
                )
            if deduction.currency_id.compare_amounts(deduction.amount, 0) <= 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: a deduction must be positive, not %(amount)s.",
                        name=deduction.advance_id.display_name,
                        amount=deduction.amount,
                    )
                )
