from odoo import fields, models

from .site_meter import METER_KINDS, SCALES
from .site_meter_register import default_specs


class SiteMeterModel(models.Model):
    """A meter model of a manufacturer: what every meter of that model shares."""

    _name = "site.meter.model"
    _description = "Meter Model"
    _order = "manufacturer, name"

    name = fields.Char(string="Model", required=True)
    manufacturer = fields.Char(
        required=True, help="Manufacturer, e.g. its three-letter M-Bus code (KAM, TCH, QDS)."
    )
    kind = fields.Selection(METER_KINDS, required=True)
    scale = fields.Selection(
        SCALES,
        default="uniform",
        help="Heat cost allocators: a uniform scale counts the same for every radiator and "
        "the billing applies KQ · KC; a product scale applies them in the device.",
    )
    register_digits = fields.Integer(
        help="Digits of the register before it returns to zero (e.g. 5 for 99999); "
        "0 when it never rolls over."
    )
    register_decimals = fields.Integer(default=3)
    meter_ids = fields.One2many("site.meter", "model_id", string="Meters")
    meter_count = fields.Integer(compute="_compute_meter_count")
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint(
        "UNIQUE (manufacturer, name)", "This manufacturer already has a model of that name."
    )

    register_ids = fields.One2many("site.meter.register", "model_id", string="Registers")

    def _compute_meter_count(self):
        counts = dict(
            self.env["site.meter"]._read_group(
                [("model_id", "in", self.ids)], ["model_id"], ["__count"]
            )
        )
        for meter_model in self:
            meter_model.meter_count = counts.get(meter_model, 0)

    def _compute_display_name(self):
        for meter_model in self:
            meter_model.display_name = f"{meter_model.manufacturer} {meter_model.name}"

    def action_default_registers(self):
        """Fill the register lines with the defaults of the model's kind."""
        for meter_model in self.filtered(lambda m: not m.register_ids):
            meter_model.register_ids = [
                fields.Command.create(dict(spec, sequence=10 * (index + 1)))
                for index, spec in enumerate(default_specs(meter_model.kind))
            ]
