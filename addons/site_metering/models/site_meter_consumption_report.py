"""Validated consumption per meter and month: an SQL view over the readings
(``_auto = False``), so it needs no upkeep and stays right whenever a reading is
recorded, accepted, rejected or corrected."""

from odoo import fields, models, tools
from odoo.tools import SQL

from .site_meter import METER_KINDS, PLACEMENTS


class SiteMeterConsumptionReport(models.Model):
    """Validated consumption per meter and month, with the unit's area.

    One row per meter and month of the reading. ``area`` is the unit's closed area
    divided among the unit's meters of that kind read that month, so summing it over
    any grouping inside one kind gives the area of the units concerned; consumption per
    m² is aggregated as sum(consumption) / sum(area), never as a sum of ratios.
    """

    _name = "site.meter.consumption.report"
    _description = "Meter Consumption Report"
    _auto = False
    _order = "month desc, building_id, unit_id, kind, room"
    _rec_name = "meter_id"

    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    building_id = fields.Many2one("site.building", readonly=True)
    unit_id = fields.Many2one("site.unit", readonly=True)
    unit_type_id = fields.Many2one("site.unit.type", string="Unit Type", readonly=True)
    meter_id = fields.Many2one("site.meter", readonly=True)
    kind = fields.Selection(METER_KINDS, readonly=True)
    placement = fields.Selection(PLACEMENTS, readonly=True)
    room = fields.Char(readonly=True)
    month = fields.Date(readonly=True)
    date = fields.Date(string="Last Read On", readonly=True)
    consumption = fields.Float(
        string="Register Units",
        digits=(16, 3),
        readonly=True,
        help="Difference of the register values, before any allocator factors.",
    )
    consumption_value = fields.Float(
        string="Consumption",
        digits=(16, 3),
        readonly=True,
        help="Consumption in billing units: for allocators, display units · KQ · KC · KT.",
    )
    consumption_avg = fields.Float(
        string="Average per Meter",
        digits=(16, 3),
        aggregator="avg",
        readonly=True,
        help="Average consumption of one meter (one radiator for allocators) in a month.",
    )
    area = fields.Float(string="Area (m²)", digits=(16, 2), readonly=True)
    consumption_per_m2 = fields.Float(
        string="Consumption per m²",
        digits=(16, 4),
        readonly=True,
        help="Consumption divided by the closed area of the units concerned.",
    )
    reading_count = fields.Integer(string="Readings", readonly=True)
    estimated = fields.Boolean(readonly=True, help="At least one reading was estimated.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT MIN(r.id) AS id,
                           m.company_id,
                           m.building_id,
                           m.unit_id,
                           u.type_id AS unit_type_id,
                           r.meter_id,
                           m.kind,
                           m.placement,
                           m.room,
                           DATE_TRUNC('month', r.date)::date AS month,
                           MAX(r.date) AS date,
                           SUM(r.consumption) AS consumption,
                           SUM(r.consumption_value) AS consumption_value,
                           SUM(r.consumption_value) AS consumption_avg,
                           CASE WHEN m.placement = 'unit' AND u.area_net > 0
                                THEN u.area_net / COUNT(*) OVER (
                                    PARTITION BY m.unit_id, m.kind, DATE_TRUNC('month', r.date))
                                ELSE 0 END AS area,
                           CASE WHEN m.placement = 'unit' AND u.area_net > 0
                                THEN SUM(r.consumption_value) / u.area_net
                                ELSE 0 END AS consumption_per_m2,
                           COUNT(*) AS reading_count,
                           BOOL_OR(COALESCE(r.estimated, FALSE)) AS estimated
                      FROM site_meter_reading r
                      JOIN site_meter m ON m.id = r.meter_id
                 LEFT JOIN site_unit u ON u.id = m.unit_id
                     WHERE r.state = 'validated'
                       AND r.previous_reading_id IS NOT NULL
                       AND NOT COALESCE(r.is_initial, FALSE)
                  GROUP BY r.meter_id, m.company_id, m.building_id, m.unit_id, u.type_id,
                           m.kind, m.placement, m.room, u.area_net,
                           DATE_TRUNC('month', r.date)
                )
                """,
                table=SQL.identifier(self._table),
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        # Per m² of a group is its consumption over its area, not a sum of ratios.
        if aggregate_spec.startswith("consumption_per_m2:"):
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0), 0)",
                self._field_to_sql(self._table, "consumption_value", query),
                self._field_to_sql(self._table, "area", query),
            )
        return super()._read_group_select(aggregate_spec, query)
