from odoo import api, fields, models
from odoo.exceptions import UserError

WATER_KINDS = ("cold_water", "hot_water")


class SiteLegalShutoff(models.Model):
    """The unit's water meter is read when the water is shut off and when it is
    reopened; both readings go to the meter's history as ``site.meter.reading``."""

    _inherit = "site.legal.shutoff"

    meter_id = fields.Many2one(
        "site.meter",
        string="Water Meter",
        compute="_compute_meter_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('unit_id', '=', unit_id), ('kind', 'in', ('cold_water', 'hot_water'))]",
    )
    shutoff_value = fields.Float(string="Reading at Shut-off", digits=(16, 3))
    reopen_value = fields.Float(string="Reading at Reopening", digits=(16, 3))
    shutoff_reading_id = fields.Many2one(
        "site.meter.reading", string="Shut-off Reading", readonly=True, copy=False
    )
    reopen_reading_id = fields.Many2one(
        "site.meter.reading", string="Reopening Reading", readonly=True, copy=False
    )

    @api.depends("unit_id")
    def _compute_meter_id(self):
        meters = self.env["site.meter"].search(
            [("unit_id", "in", self.unit_id.ids), ("kind", "in", WATER_KINDS)],
            order="kind, id",
        )
        first = {}
        for meter in meters:
            first.setdefault(meter.unit_id, meter)
        for shutoff in self:
            if shutoff.meter_id.unit_id != shutoff.unit_id:
                shutoff.meter_id = first.get(shutoff.unit_id, False)

    def action_shut_off(self):
        self._check_reading_values("shutoff_reading_id", "shutoff_value")
        result = super().action_shut_off()
        self._record_reading("shutoff_reading_id", "shutoff_value", "order_date")
        return result

    def action_reopen(self):
        self._check_reading_values("reopen_reading_id", "reopen_value")
        result = super().action_reopen()
        self._record_reading("reopen_reading_id", "reopen_value", "reopen_date")
        return result

    def _check_reading_values(self, link, value_field):
        """Each shut-off with a meter and no reading yet needs the reading's value."""
        missing = self.filtered(lambda s: s.meter_id and not s[link] and not s[value_field])
        if missing:
            raise UserError(
                self.env._(
                    "%(shutoffs)s: fill in the %(field)s of the water meter first.",
                    shutoffs=", ".join(missing.mapped("display_name")),
                    field=self._fields[value_field]._description_string(self.env),
                )
            )

    def _record_reading(self, link, value_field, date_field):
        """A reading of each shut-off's meter, once: the one already linked is kept."""
        todo = self.filtered(lambda s: s.meter_id and not s[link])
        if not todo:
            return
        readings = self.env["site.meter.reading"].create(
            [
                {
                    "meter_id": shutoff.meter_id.id,
                    "date": shutoff[date_field] or fields.Date.context_today(shutoff),
                    "value": shutoff[value_field],
                    "source": "engineer",
                    "note": self.env._(
                        "%(what)s, seal %(seal)s",
                        what=self._fields[value_field]._description_string(self.env),
                        seal=shutoff.seal_number or "-",
                    ),
                }
                for shutoff in todo
            ]
        )
        for shutoff, reading in zip(todo, readings):
            shutoff[link] = reading
