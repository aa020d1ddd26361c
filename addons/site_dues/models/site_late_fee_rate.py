from odoo import api, fields, models

from odoo.addons.site_residents.engine.money import to_decimal


class SiteLateFeeRate(models.Model):
    """Polish statutory late interest (Civil Code art. 481 § 2: NBP reference rate + 5.5
    points), percent a year, from a date: a manager adds a row when the rate changes."""

    _name = "site.late.fee.rate"
    _description = "Statutory Late Interest Rate"
    _order = "date_from desc"

    date_from = fields.Date(string="Valid From", required=True)
    rate = fields.Float(string="Rate (% a Year)", digits=(6, 4), required=True)
    note = fields.Char(help="e.g. NBP reference rate 4.5 % + 5.5 points.")

    _date_from_uniq = models.Constraint(
        "UNIQUE (date_from)", "Only one statutory rate can start on a given day."
    )
    _rate_positive = models.Constraint("CHECK (rate >= 0)", "A rate cannot be negative.")

    @api.depends("date_from", "rate")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = f"{rate.date_from or ''}: {rate.rate:g} %"

    @api.model
    def _engine_rates(self):
        return tuple(
            (rate.date_from, to_decimal(rate.rate))
            for rate in self.search([("date_from", "!=", False)], order="date_from")
        )
