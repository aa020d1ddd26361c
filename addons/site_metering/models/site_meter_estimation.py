from datetime import timedelta
from decimal import Decimal

from odoo import models
from odoo.exceptions import UserError

from ..engine import readings as readings_engine


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
        meters = self.filtered(lambda m: m.state == "active" and m.placement == "unit")
        # A meter replaced during the period was read on its predecessor: not missing.
        chains = {meter: meter._chain() for meter in meters}
        taken = Reading._read_on(
            self.browse().union(*chains.values()), date_from + timedelta(days=1), date_to
        )
        taken_ids = set(taken.ids)  # a set: recordset intersections per meter are quadratic
        missing = meters.filtered(lambda meter: taken_ids.isdisjoint(chains[meter].ids))
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
