from datetime import timedelta
from decimal import Decimal

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.site_residents.sql import id_array

from ..engine import readings as readings_engine
from .site_meter_reading import COUNTED


class SiteMeterEstimation(models.Model):
    _inherit = "site.meter"

    def _estimate_missing(self, date_from, date_to):
        """Estimate the period's consumption of those meters with no reading in it.

        German HeizkostenV §9a order: the meter's own earlier periods scaled to this
        period's days, else comparable units (same building, kind and unit type) per m²,
        else the building's average per m². Creates validated readings marked
        ``estimated`` on ``date_to``; returns them.
        """
        Reading = self.env["site.meter.reading"]
        self.flush_model(["state", "placement"])
        Reading.flush_model(["meter_id", "state", "date"])
        # One query for a site's 50,000 allocators: the active unit meters, and those of
        # them not read in the period themselves.
        self.env.cr.execute(
            SQL(
                """
                SELECT meter.id, NOT EXISTS(
                           SELECT FROM site_meter_reading reading
                            WHERE reading.meter_id = meter.id AND reading.state IN %(counted)s
                              AND reading.date > %(date_from)s AND reading.date <= %(date_to)s)
                  FROM site_meter meter
                 WHERE meter.id = ANY(%(ids)s) AND meter.state = 'active'
                   AND meter.placement = 'unit'
                """,
                counted=COUNTED,
                date_from=date_from,
                date_to=date_to,
                ids=id_array(self.ids),
            )
        )
        unread_of = dict(self.env.cr.fetchall())  # meter id: not read in the period
        meters = self.browse([meter_id for meter_id in self.ids if meter_id in unread_of])
        unread = self.browse([meter_id for meter_id in meters.ids if unread_of[meter_id]])
        # A meter replaced during the period was read on its predecessor: not missing.
        predecessors = unread._predecessor_ids()
        taken = Reading._read_meter_ids(
            {member for chain in predecessors.values() for member in chain},
            date_from + timedelta(days=1),
            date_to,
        )
        missing = self.browse(
            [
                meter_id
                for meter_id in unread.ids
                if taken.isdisjoint(predecessors.get(meter_id, ()))
            ]
        )
        if not missing:
            return Reading
        days = (date_to - date_from).days
        read = meters - missing
        used = Reading._period_consumption(read, date_from, date_to)
        last = Reading._last_readings(missing.ids)
        values = []
        for meter in missing:
            if meter.id not in last:
                raise UserError(
                    self.env._(
                        "Meter %(meter)s has never been read: record its initial reading "
                        "before its consumption can be estimated.",
                        meter=meter.display_name,
                    )
                )
            factor = meter._consumption_factor()
            comparable = [
                (Decimal(str(used[other.id])), Decimal(str(other.unit_id.area_net)))
                for other in read
                if other.kind == meter.kind
                and other.building_id == meter.building_id
                and meter.unit_id.type_id
                and other.unit_id.type_id == meter.unit_id.type_id
            ]
            building = [
                (Decimal(str(used[other.id])), Decimal(str(other.unit_id.area_net)))
                for other in read
                if other.kind == meter.kind and other.building_id == meter.building_id
            ]
            building_area = sum(area for _used, area in building)
            estimate = readings_engine.estimate(
                meter._daily_history(date_from, days),
                comparable,
                sum(u for u, _area in building) / building_area if building_area else None,
                meter.unit_id.area_net,
            )
            values.append(
                {
                    "meter_id": meter.id,
                    "date": date_to,
                    # The estimate is in billing units; the register counts before the factors.
                    "value": last[meter.id].value + float(estimate.value / factor),
                    "source": "estimate",
                    "estimated": True,
                    "estimate_method": estimate.method,
                    "note": self.env._("Estimated: no reading for this period."),
                }
            )
        return Reading._create_trusted(values)

    def _daily_history(self, before, days):
        """The meter chain's earlier consumptions (billing units), each scaled to ``days``."""
        self.ensure_one()
        result = []
        for reading in self.env["site.meter.reading"].search(
            [
                ("meter_id", "in", self._chain().ids),
                ("state", "=", "validated"),
                ("date", "<=", before),
                ("previous_reading_id", "!=", False),
                ("is_initial", "=", False),
                ("estimated", "=", False),
            ],
            order="date desc",
            limit=12,
        ):
            span = (reading.date - reading.previous_reading_id.date).days
            if span > 0:
                result.append(Decimal(str(reading.consumption_value)) / span * days)
        return result
