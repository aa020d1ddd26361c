import math
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import payment_codes
from .account_move_line import SITE_RECEIVABLE


class SiteUnit(models.Model):
    _inherit = "site.unit"

    payment_reference = fields.Char(
        compute="_compute_payment_reference",
        store=True,
        index="btree_not_null",
        copy=False,
        help="Reference residents quote on bank transfers; it matches payments to the unit.",
    )
    charge_line_ids = fields.One2many("account.move.line", "site_unit_id", string="Charges")
    balance = fields.Monetary(compute="_compute_balance", currency_field="currency_id")
    currency_id = fields.Many2one(related="company_id.currency_id")

    @api.depends("company_id")
    def _compute_payment_reference(self):
        for unit in self:
            if unit.id and not unit.payment_reference:
                unit.payment_reference = payment_codes.numeric_reference(f"{unit.id:07d}")

    def _compute_balance(self):
        balances = dict(
            self.env["account.move.line"]._read_group(
                [
                    ("site_unit_id", "in", self.ids),
                    *SITE_RECEIVABLE,
                ],
                ["site_unit_id"],
                ["amount_residual:sum"],
            )
        )
        for unit in self:
            unit.balance = balances.get(unit, 0.0)

    def _allocation_weights(self, key, day, coefficients=None):
        """{unit id: weight} by an allocation key; exact integers for land shares."""
        if key == "equal":
            return dict.fromkeys(self.ids, 1)
        if key in ("area_net", "area_gross", "area_heated"):
            return {unit.id: Decimal(str(unit[key])) for unit in self}
        if key == "land_share":
            scale = math.lcm(*(unit.land_share_denominator or 1 for unit in self))
            return {
                unit.id: unit.land_share_numerator * (scale // unit.land_share_denominator)
                if unit.land_share_denominator
                else 0
                for unit in self
            }
        if key == "persons":
            persons = self._persons_on(day)
            return {unit.id: persons.get(unit.id, 0) for unit in self}
        if key == "coefficient":
            coefficients = coefficients or {}
            return {unit.id: Decimal(str(coefficients.get(unit.id, 0.0))) for unit in self}
        raise UserError(self.env._("Unknown allocation key %(key)s.", key=key))
