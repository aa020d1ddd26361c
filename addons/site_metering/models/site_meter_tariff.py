from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.site_residents.engine.money import to_decimal

from ..engine import tariffs as engine
from .site_meter import METER_KINDS


class SiteMeterTariff(models.Model):
    """A price list for metered consumption where there is no bill to split.

    E.g. a village water service: a price per m³ in blocks, a fixed monthly fee, a
    minimum charge and tax. Allocation parts with the ``tariff`` method apply it to
    each unit's consumption (``engine.tariffs``).
    """

    _name = "site.meter.tariff"
    _description = "Meter Tariff"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    meter_kind = fields.Selection(METER_KINDS, required=True, default="cold_water", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    block_ids = fields.One2many("site.meter.tariff.block", "tariff_id", string="Price Blocks")
    fixed_fee = fields.Monetary(
        string="Fixed Monthly Fee", tracking=True, help="Charged every month, used or not."
    )
    minimum_charge = fields.Monetary(
        string="Minimum Monthly Charge",
        tracking=True,
        help="Consumption and fee together are charged at least this much a month.",
    )
    tax_percent = fields.Float(string="Tax (%)", digits=(16, 2), tracking=True)
    note = fields.Html()
    active = fields.Boolean(default=True)

    _amounts_positive = models.Constraint(
        "CHECK (fixed_fee >= 0 AND minimum_charge >= 0 AND tax_percent >= 0)",
        "The fee, the minimum charge and the tax cannot be negative.",
    )

    def _engine_blocks(self):
        """The blocks as the engine takes them: limited ones rising, the unlimited one last."""
        self.ensure_one()
        blocks = sorted(self.block_ids, key=lambda b: (not b.up_to, b.up_to, b.sequence, b.id))
        return [engine.Block(to_decimal(block.up_to), to_decimal(block.price)) for block in blocks]

    @api.constrains("block_ids")
    def _check_blocks(self):
        for tariff in self:
            try:
                engine.check_blocks(tariff._engine_blocks())
            except engine.TariffError as error:
                raise ValidationError(
                    self.env._("Tariff %(tariff)s: %(error)s", tariff=tariff.name, error=error)
                ) from error

    def _charges(self, consumptions, months=1):
        """{key: engine.TariffCharge} for {key: consumption}."""
        self.ensure_one()
        try:
            return engine.apply_to_units(
                {key: to_decimal(used) for key, used in consumptions.items()},
                self._engine_blocks(),
                to_decimal(self.fixed_fee),
                to_decimal(self.minimum_charge),
                to_decimal(self.tax_percent),
                months,
                self.currency_id.decimal_places,
            )
        except engine.TariffError as error:
            raise ValidationError(
                self.env._("Tariff %(tariff)s: %(error)s", tariff=self.name, error=error)
            ) from error
