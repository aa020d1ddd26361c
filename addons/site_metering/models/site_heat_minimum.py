from odoo import api, fields, models
from odoo.exceptions import ValidationError

MONTHS = [
    (1, "January"),
    (2, "February"),
    (3, "March"),
    (4, "April"),
    (5, "May"),
    (6, "June"),
    (7, "July"),
    (8, "August"),
    (9, "September"),
    (10, "October"),
    (11, "November"),
    (12, "December"),
]


class SiteHeatMinimum(models.Model):
    """The 15 °C minimum of the Turkish regulation: factor f for one month of a site.

    Annex 2 of the 2008 regulation lists, per region and month, the ratio f of the
    outdoor-temperature load; a unit whose consumption per m² stays below
    f · the building's average is billed as if it had used that much ("penalised").
    """

    _name = "site.heat.minimum"
    _description = "Minimum Heating Factor"
    _inherit = ["site.company.mixin"]
    _order = "company_id, month"
    _check_company_auto = True

    month = fields.Integer(required=True, help="Month of the year, 1–12.")
    month_name = fields.Char(string="Month Name", compute="_compute_month_name")
    factor = fields.Float(
        string="Factor f",
        digits=(16, 4),
        required=True,
        help="Regional monthly ratio of the regulation's Annex 2: a unit's consumption per m² "
        "below f times the building's average is raised to it.",
    )
    note = fields.Char(help="Region or source of the factor.")

    _company_month_uniq = models.Constraint(
        "UNIQUE (company_id, month)", "A site has one minimum heating factor per month."
    )

    @api.depends("month")
    def _compute_month_name(self):
        names = dict(MONTHS)
        for row in self:
            row.month_name = names.get(row.month, "")

    @api.constrains("month", "factor")
    def _check_values(self):
        for row in self:
            if not 1 <= row.month <= 12:
                raise ValidationError(
                    self.env._(
                        "Minimum heating of %(site)s: the month must be 1–12, not %(month)s.",
                        site=row.company_id.name,
                        month=row.month,
                    )
                )
            if not 0 <= row.factor <= 1:
                raise ValidationError(
                    self.env._(
                        "Minimum heating of %(site)s, month %(month)s: the factor f is a ratio "
                        "between 0 and 1, not %(factor)s.",
                        site=row.company_id.name,
                        month=row.month,
                        factor=row.factor,
                    )
                )

    def _compute_display_name(self):
        for row in self:
            row.display_name = f"{row.month_name} f={row.factor:g}"

    @api.model
    def _factors(self, companies):
        """{(site id, month): factor f} of ``companies``, in one query; a month without a
        factor is missing."""
        return {
            (row.company_id.id, row.month): row.factor
            for row in self.search([("company_id", "in", companies.ids)])
        }
