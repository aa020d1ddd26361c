"""Payments and bank transactions of site units.

A payment or a bank statement line that names a unit (directly, or through the
unit's payment reference quoted in its memo) becomes a receivable credit with
``site_unit_id`` set; ``account.move.line._site_settle`` then matches it with the
unit's open charges in the site's order. What is left stays an open credit that
the next charges use. An outgoing payment to the unit's partner (a refund) is
matched with the unit's open credits instead.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    site_unit_id = fields.Many2one(
        "site.unit",
        check_company=True,
        index="btree_not_null",
        tracking=True,
        help="The unit paid for. Left empty, it is taken from the unit's payment reference "
        "when the memo quotes it.",
    )

    @api.onchange("site_unit_id")
    def _onchange_site_unit_id(self):
        if self.site_unit_id and not self.partner_id:
            self.partner_id = self.site_unit_id.get_liable_partner(
                self.date or fields.Date.context_today(self)
            )

    def _site_assign_units(self):
        """Units from the memo or payment reference; the liable partner where none is set."""
        for payment in self.filtered(lambda p: p.state == "draft" and p.partner_type == "customer"):
            # A new partner recomputes the payment method and, in Community, empties the
            # outstanding account that create() set: keep it.
            outstanding = payment.outstanding_account_id
            payment._site_assign_unit()
            if outstanding and not payment.outstanding_account_id:
                payment.outstanding_account_id = outstanding

    def _site_assign_unit(self):
        for payment in self:
            if not payment.site_unit_id:
                unit = self.env["site.unit.payment.mixin"]._site_find_unit(
                    payment.company_id, payment.memo, payment.payment_reference
                )
                if unit:
                    payment.site_unit_id = unit
            if payment.site_unit_id and not payment.partner_id:
                partner = payment.site_unit_id.get_liable_partner(payment.date)
                if not partner:
                    raise UserError(
                        self.env._(
                            "Unit %(unit)s has no owner or tenant on %(date)s: choose the "
                            "partner of the payment.",
                            unit=payment.site_unit_id.code,
                            date=payment.date,
                        )
                    )
                payment.partner_id = partner
            if payment.site_unit_id:
                payment.destination_account_id = self.env[
                    "site.unit.payment.mixin"
                ]._site_receivable_account(payment.site_unit_id, payment.partner_id)

    def _prepare_move_line_default_vals(self, write_off_line_vals=None, force_balance=None):
        line_vals_list = super()._prepare_move_line_default_vals(
            write_off_line_vals=write_off_line_vals, force_balance=force_balance
        )
        if self.site_unit_id and len(line_vals_list) > 1:
            line_vals_list[1]["site_unit_id"] = self.site_unit_id.id
        return line_vals_list

    def action_post(self):
        self._site_assign_units()
        result = super().action_post()
        site_payments = self.filtered(lambda p: p.site_unit_id and p.move_id.state == "posted")
        lines = self.env["account.move.line"]
        for payment in site_payments:
            _liquidity, counterparts, _writeoff = payment._seek_for_lines()
            receivables = counterparts.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            receivables.filtered(
                lambda line: not line.site_unit_id
            ).site_unit_id = payment.site_unit_id
            lines |= receivables
        if lines:
            self.env["site.unit.payment.mixin"]._site_apply(lines)
        return result
