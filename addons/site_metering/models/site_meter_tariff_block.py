from odoo import fields, models


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
