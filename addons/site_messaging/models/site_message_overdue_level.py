from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SiteMessageOverdueLevel(models.Model):
    """A level of a site's overdue reminders: charges this many days overdue get its
    template, once per charge notice and level (site.message.automation)."""

    _name = "site.message.overdue.level"
    _description = "Overdue Reminder Level"
    _order = "company_id, days"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", string="Site", required=True, index=True, ondelete="cascade"
    )
    days = fields.Integer(string="Days Overdue", required=True)
    template_id = fields.Many2one(
        "site.message.template",
        required=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )

    _company_days_uniq = models.Constraint(
        "UNIQUE (company_id, days)", "A site has one overdue reminder per number of days."
    )

    @api.constrains("days")
    def _check_days(self):
        for level in self:
            if level.days < 1:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: the Days Overdue of a reminder level must be 1 or "
                        "more (now %(days)s).",
                        site=level.company_id.name,
                        days=level.days,
                    )
                )
