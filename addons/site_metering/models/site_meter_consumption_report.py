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
        # The rows of a window over every reading partitioned by unit, kind and month,
        # without the window, which kept PostgreSQL from filtering by building, placement
        # or month before grouping the whole database's readings: a filter on any column
        # now reaches the readings first (one unit's page reads that unit's readings).
        # A unit's area is divided among its meters of the kind read that month: a
        # unit's only meter of the kind (all meters grouped by unit and kind take a few
        # milliseconds) is the one read; others are counted by a subquery of that unit,
        # kind and month. The site, building, unit and kind stay the meter's: a reading's
        # own copies can differ (a meter moved, readings written in SQL without them).
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT g.id, g.company_id, g.building_id, g.unit_id, g.unit_type_id,
                           g.meter_id, g.kind, g.placement, g.room, g.month, g.date,
                           g.consumption, g.consumption_value, g.consumption_avg,
                           CASE WHEN g.placement = 'unit' AND g.area_net > 0
                                THEN g.area_net / CASE
                                    WHEN siblings.count = 1
                                    THEN 1
                                    ELSE (
                                    SELECT COUNT(DISTINCT other_reading.meter_id)
                                      FROM site_meter other
                                      JOIN site_meter_reading other_reading
                                        ON other_reading.meter_id = other.id
                                     WHERE other.unit_id = g.unit_id
                                       AND other.kind = g.kind
                                       AND other_reading.state = 'validated'
                                       AND other_reading.previous_reading_id IS NOT NULL
                                       AND NOT COALESCE(other_reading.is_initial, FALSE)
                                       AND other_reading.date >= g.month
                                       AND other_reading.date
                                           < (g.month_start + INTERVAL '1 month')::date
                                       AND DATE_TRUNC('month', other_reading.date)
                                           = g.month_start)
                                    END
                                ELSE 0 END AS area,
                           g.consumption_per_m2, g.reading_count, g.estimated
                      FROM (
                        SELECT MIN(r.id) AS id,
                               m.company_id,
                               m.building_id,
                               m.unit_id,
                               u.type_id AS unit_type_id,
                               r.meter_id,
                               m.kind,
                               m.placement,
                               m.room,
                               u.area_net,
                               DATE_TRUNC('month', r.date) AS month_start,
                               DATE_TRUNC('month', r.date)::date AS month,
                               MAX(r.date) AS date,
                               SUM(r.consumption) AS consumption,
                               SUM(r.consumption_value) AS consumption_value,
                               SUM(r.consumption_value) AS consumption_avg,
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
                      ) g
                 LEFT JOIN (SELECT unit_id, kind, COUNT(*) AS count FROM site_meter
                             GROUP BY unit_id, kind) siblings
                        ON siblings.unit_id = g.unit_id AND siblings.kind = g.kind
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
