from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
        return [
            engine.Block(Decimal(str(block.up_to)), Decimal(str(block.price))) for block in blocks
        ]

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
                {key: Decimal(str(used)) for key, used in consumptions.items()},
                self._engine_blocks(),
                Decimal(str(self.fixed_fee)),
                Decimal(str(self.minimum_charge)),
                Decimal(str(self.tax_percent)),
                months,
                self.currency_id.decimal_places,
            )
        except engine.TariffError as error:
            raise ValidationError(
                self.env._("Tariff %(tariff)s: %(error)s", tariff=self.name, error=error)
            ) from error


class SiteMeterTariffBlock(models.Model):
    _name = "site.meter.tariff.block"
    _description = "Tariff Price Block"
    _order = "tariff_id, sequence, up_to, id"

    tariff_id = fields.Many2one("site.meter.tariff", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="tariff_id.company_id", store=True, string="Site")
    currency_id = fields.Many2one(related="tariff_id.currency_id")
    sequence = fields.Integer(default=10)
    up_to = fields.Float(
        string="Up To (per month)",
        digits=(16, 3),
        help="Upper limit of the block, counted from zero (e.g. 10, 20); 0: no limit, the "
        "last block.",
    )
    price = fields.Float(string="Price per Unit", digits=(16, 4), required=True)

    _values_positive = models.Constraint(
        "CHECK (up_to >= 0 AND price >= 0)", "A block's limit and price cannot be negative."
    )
