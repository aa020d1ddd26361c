from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import readings


class ResCompany(models.Model):
    _inherit = "res.company"

    site_meter_alarm_user_id = fields.Many2one(
        "res.users",
        string="Meter Alarms To",
        domain="[('share', '=', False), ('company_ids', 'in', id)]",
        help="The user the meters' alarms (leak, burst, tampering...) are assigned to as "
        "activities. Empty: the site's first engineer, or else its first manager.",
    )
    site_reading_window_start = fields.Integer(
        string="Reading Window From Day",
        default=20,
        help="First day of the month on which residents and engineers enter readings.",
    )
    site_reading_window_end = fields.Integer(
        string="Reading Window To Day",
        default=25,
        help="Last day of the reading window; a day past the month's end means its last day.",
    )
    site_reading_history_factor = fields.Float(
        string="Flag Above Own History ×",
        default=2.0,
        help="A reading whose consumption per day exceeds this many times the meter's own "
        "average waits for acceptance.",
    )
    site_reading_building_factor = fields.Float(
        string="Flag Above Building Average ×",
        default=2.0,
        help="A reading whose consumption per m² exceeds this many times the building's "
        "average for the same month waits for acceptance.",
    )
    site_reading_zero_periods = fields.Integer(
        string="Flag Zero Consumption After Periods",
        default=2,
        help="Zero consumption over this many reading periods in a row is flagged.",
    )
    site_estimated_area_limit = fields.Float(
        string="Estimated Area Limit (%)",
        default=float(readings.ESTIMATED_AREA_LIMIT * 100),
        help="Above this share of the area estimated, the consumption part may only be "
        "billed by area (German HeizkostenV §9a).",
    )

    @api.constrains("site_reading_window_start", "site_reading_window_end")
    def _check_site_reading_window(self):
        for company in self:
            start, end = company.site_reading_window_start, company.site_reading_window_end
            if not (1 <= start <= 31 and 1 <= end <= 31 and start <= end):
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: the reading window must run from a day 1–31 to a "
                        "later or equal day 1–31 (now %(start)s–%(end)s).",
                        site=company.name,
                        start=start,
                        end=end,
                    )
                )

    def _site_reading_window(self):
        self.ensure_one()
        return (self.site_reading_window_start or 1, self.site_reading_window_end or 31)

    def _site_meter_alarm_user(self):
        """The user this site's meter alarms are assigned to (may be empty)."""
        self.ensure_one()
        if self.site_meter_alarm_user_id.active:
            return self.site_meter_alarm_user_id
        engineer = self.env.ref("site_residents.group_site_engineer")
        manager = self.env.ref("site_residents.group_site_manager")
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", False),
                    ("company_ids", "in", self.id),
                    ("all_group_ids", "in", engineer.id),
                ],
                order="id",
            )
        )
        # An engineer before a manager (a manager is an engineer too).
        return users.sorted(lambda user: (manager in user.all_group_ids, user.id))[:1]
