"""Meters whose readings look wrong: an SQL view over the readings (``_auto = False``)."""

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .site_meter import METER_KINDS
from .site_meter_reading import STATES

FAULT_REASONS = [
    ("stuck", "Stuck"),
    ("zero", "Zero Consumption"),
    ("lower", "Lower Than Last"),
    ("outlier", "Outlier"),
]
# Stable row ids: reading id · 4 + the reason's index.
FAULT_INDEX = {reason: index for index, (reason, _label) in enumerate(FAULT_REASONS)}


class SiteMeterFaultReport(models.Model):
    """Meters whose readings look wrong, one row per meter and reason.

    - ``stuck``: the register has not moved for the site's "zero consumption" number of
      reading periods or more (at least two);
    - ``zero``: no consumption in the latest period(s), fewer than that;
    - ``lower``: a rejected reading below the meter's earlier value;
    - ``outlier``: a reading flagged far above the meter's history or the building's
      average per m² (awaiting acceptance, or accepted).
    Only meters in service count for stuck and zero.
    """

    _name = "site.meter.fault.report"
    _description = "Faulty Meter Report"
    _auto = False
    _order = "date desc, building_id, unit_id, meter_id"
    _rec_name = "meter_id"

    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    building_id = fields.Many2one("site.building", readonly=True)
    unit_id = fields.Many2one("site.unit", readonly=True)
    meter_id = fields.Many2one("site.meter", readonly=True)
    meter_state = fields.Selection(
        [
            ("active", "In Service"),
            ("faulty", "Faulty"),
            ("replaced", "Replaced"),
            ("removed", "Removed"),
        ],
        readonly=True,
    )
    kind = fields.Selection(METER_KINDS, readonly=True)
    room = fields.Char(readonly=True)
    reason = fields.Selection(FAULT_REASONS, readonly=True)
    reading_id = fields.Many2one("site.meter.reading", readonly=True)
    reading_state = fields.Selection(STATES, readonly=True)
    date = fields.Date(readonly=True)
    value = fields.Float(digits=(16, 3), readonly=True, aggregator=None)
    previous_value = fields.Float(digits=(16, 3), readonly=True, aggregator=None)
    periods = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Reading periods in a row without consumption (stuck, zero).",
    )
    check_reasons = fields.Text(string="Checks", readonly=True)
    reject_reason = fields.Text(readonly=True)
    detail = fields.Char(compute="_compute_detail")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        index = FAULT_INDEX
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH counted AS (
                        SELECT r.id, r.meter_id, r.value,
                               ROW_NUMBER() OVER w AS rn,
                               FIRST_VALUE(r.value) OVER w AS last_value
                          FROM site_meter_reading r
                         WHERE r.state IN ('validated', 'to_accept')
                        WINDOW w AS (PARTITION BY r.meter_id ORDER BY r.date DESC, r.id DESC)
                    ), runs AS (
                        SELECT meter_id,
                               MIN(id) FILTER (WHERE rn = 1) AS reading_id,
                               COALESCE(MIN(rn) FILTER (WHERE value <> last_value),
                                        COUNT(*) + 1) - 2 AS periods
                          FROM counted
                      GROUP BY meter_id
                    ), found AS (
                        SELECT runs.reading_id,
                               CASE WHEN runs.periods >= GREATEST(c.site_reading_zero_periods, 2)
                                    THEN 'stuck' ELSE 'zero' END AS reason,
                               runs.periods,
                               NULL::numeric AS previous_value
                          FROM runs
                          JOIN site_meter m ON m.id = runs.meter_id
                          JOIN res_company c ON c.id = m.company_id
                         WHERE runs.periods >= 1 AND m.active AND m.state IN ('active', 'faulty')
                        UNION ALL
                        SELECT low.id, 'lower', 0, low.previous_value
                          FROM (
                              SELECT r.id, r.value, r.check_codes,
                                     (SELECT p.value FROM site_meter_reading p
                                       WHERE p.meter_id = r.meter_id
                                         AND p.state IN ('validated', 'to_accept')
                                         AND p.date <= r.date
                                    ORDER BY p.date DESC, p.id DESC LIMIT 1) AS previous_value
                                FROM site_meter_reading r
                               WHERE r.state = 'rejected'
                          ) low
                         WHERE low.check_codes LIKE '%%lower_than_last%%'
                            OR low.value < low.previous_value
                        UNION ALL
                        SELECT r.id, 'outlier', 0, NULL
                          FROM site_meter_reading r
                         WHERE r.state <> 'rejected'
                           AND (r.check_codes LIKE '%%above_history%%'
                                OR r.check_codes LIKE '%%above_building_average%%')
                    )
                    SELECT found.reading_id * 4 + CASE found.reason
                               WHEN 'stuck' THEN %(stuck)s WHEN 'zero' THEN %(zero)s
                               WHEN 'lower' THEN %(lower)s ELSE %(outlier)s END AS id,
                           m.company_id,
                           m.building_id,
                           m.unit_id,
                           r.meter_id,
                           m.state AS meter_state,
                           m.kind,
                           m.room,
                           found.reason,
                           r.id AS reading_id,
                           r.state AS reading_state,
                           r.date,
                           r.value,
                           COALESCE(found.previous_value, prev.value, r.value) AS previous_value,
                           found.periods,
                           r.check_reasons,
                           r.reject_reason
                      FROM found
                      JOIN site_meter_reading r ON r.id = found.reading_id
                      JOIN site_meter m ON m.id = r.meter_id
                 LEFT JOIN site_meter_reading prev ON prev.id = r.previous_reading_id
                )
                """,
                table=SQL.identifier(self._table),
                stuck=index["stuck"],
                zero=index["zero"],
                lower=index["lower"],
                outlier=index["outlier"],
            )
        )

    @api.depends("reason", "value", "previous_value", "periods", "check_reasons")
    def _compute_detail(self):
        for row in self:
            if row.reason == "stuck":
                row.detail = self.env._(
                    "The register has shown %(value)s for %(periods)s reading periods in a row.",
                    value=f"{row.value:g}",
                    periods=row.periods,
                )
            elif row.reason == "zero":
                row.detail = self.env._(
                    "No consumption in the last %(periods)s reading period(s).",
                    periods=row.periods,
                )
            elif row.reason == "lower":
                row.detail = self.env._(
                    "Read %(value)s, lower than the earlier %(previous)s.",
                    value=f"{row.value:g}",
                    previous=f"{row.previous_value:g}",
                )
            else:
                row.detail = (row.check_reasons or "").replace("\n", " ")

    def action_open_meter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "site.meter",
            "res_id": self.meter_id.id,
            "view_mode": "form",
        }

    def action_mark_faulty(self):
        """Set the meters of the selected rows to Faulty (for the engineers' round)."""
        meters = self.meter_id.filtered(lambda meter: meter.state == "active")
        meters.write({"state": "faulty"})
        return True
