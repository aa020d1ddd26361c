from decimal import Decimal

from odoo import models
from odoo.exceptions import ValidationError

from ..engine import allocators
from ..engine import readings as engine
from .site_meter_reading import COUNTED


class SiteMeterConsumption(models.Model):
    _inherit = "site.meter"

    def _consumption_factor(self):
        """Billing units per register unit: KQ · KC · KT for allocators, else 1."""
        self.ensure_one()
        if self.kind != "hca":
            return Decimal(1)
        return allocators.consumption_value(1, self.kq, self.kc, self.kt, self.scale)

    def _consumption_value(self, used):
        if used is None:
            return Decimal(0)
        return Decimal(used) * self._consumption_factor()

    def _recompute_consumption(self):
        """Recompute previous reading and consumption of these meters' counted readings."""
        Reading = self.env["site.meter.reading"]
        for meter in self:
            rollover = meter._rollover_at()
            previous = None
            for reading in Reading.search(
                [("meter_id", "=", meter.id), ("state", "in", COUNTED)], order="date, id"
            ):
                used = Decimal(0)
                if previous is not None and not reading.is_initial:
                    try:
                        used = engine.consumption(previous.value, reading.value, rollover)
                    except engine.ReadingError as error:
                        raise ValidationError(
                            self.env._(
                                "Meter %(meter)s, reading of %(date)s: %(reason)s",
                                meter=meter.display_name,
                                date=reading.date,
                                reason=str(error),
                            )
                        ) from error
                values = {
                    "previous_reading_id": previous.id if previous else False,
                    "consumption": float(used),
                    "consumption_value": float(meter._consumption_value(used)),
                }
                if any(
                    (reading[name].id if name == "previous_reading_id" else reading[name]) != value
                    for name, value in values.items()
                ):
                    reading.with_context(site_reading_recomputing=True).write(values)
                previous = reading
            Reading.search(
                [("meter_id", "=", meter.id), ("state", "=", "rejected"), ("consumption", "!=", 0)]
            ).with_context(site_reading_recomputing=True).write(
                {"consumption": 0.0, "consumption_value": 0.0, "previous_reading_id": False}
            )
