from odoo import api, fields, models
from odoo.exceptions import UserError


class PaymentTransaction(models.Model):
    """A resident's online payment for one or several units of a site: once confirmed,
    one payment is posted per unit (and partner whose debts it settles), which
    site_dues settles against the unit's debts by the site's rule; the provider's fee
    passed to the payer is a payment of its own on the site's fee income account."""

    _inherit = "payment.transaction"

    site_unit_id = fields.Many2one("site.unit", string="Site Unit", readonly=True, index=True)
    site_unit_ids = fields.Many2many(
        "site.unit", string="Site Units", readonly=True, help="The units this payment is for."
    )
    site_split = fields.Json(
        string="Amounts per Unit",
        readonly=True,
        copy=False,
        help="[[unit id, partner id, amount]]: what each unit's payment will be.",
    )
    site_fee_amount = fields.Monetary(
        string="Provider Fee Paid by the Resident",
        currency_field="currency_id",
        readonly=True,
        copy=False,
    )
    site_payment_ids = fields.One2many(
        "account.payment", "payment_transaction_id", string="Unit Payments", readonly=True
    )
    site_split_summary = fields.Text(string="Paid for", compute="_compute_site_split_summary")

    @api.depends("site_split", "site_fee_amount")
    def _compute_site_split_summary(self):
        units = self.env["site.unit"].browse({row[0] for tx in self for row in tx.site_split or ()})
        codes = {unit.id: unit.code for unit in units.exists()}
        for tx in self:
            rows = [
                f"{codes.get(unit_id, unit_id)}: {tx.currency_id.format(amount)}"
                for unit_id, _partner_id, amount in tx.site_split or ()
            ]
            if tx.site_fee_amount:
                rows.append(
                    self.env._(
                        "Provider fee: %(fee)s", fee=tx.currency_id.format(tx.site_fee_amount)
                    )
                )
            tx.site_split_summary = "\n".join(rows) or False

    def _post_process(self):
        # Providers may notify a transaction several times, also at once: the row lock
        # makes a second post-processing wait, then fail to serialise and retry, by which
        # time the first one's payments exist and none is created again.
        if self.ids:
            self.env.cr.execute(
                "SELECT id FROM payment_transaction WHERE id IN %s FOR NO KEY UPDATE",
                [tuple(self.ids)],
            )
        return super()._post_process()

    def _create_payment(self, **extra_create_values):
        """One payment per unit and partner of the split, then the fee's, all posted in
        the same database transaction: all of them or none."""
        split = self.site_split or (
            [[self.site_unit_id.id, self.partner_id.id, self.amount]] if self.site_unit_id else []
        )
        if not split:
            return super()._create_payment(**extra_create_values)
        payments = self.env["account.payment"]
        for unit_id, partner_id, amount in split:
            payments |= super()._create_payment(
                site_unit_id=unit_id,
                partner_id=partner_id,
                amount=amount,
                **extra_create_values,
            )
        if self.site_fee_amount:
            account = self.company_id.site_payment_fee_account_id
            if not account:
                raise UserError(
                    self.env._(
                        "Site %(site)s: choose the Provider Fee Income Account to book the fee "
                        "of transaction %(reference)s.",
                        site=self.company_id.name,
                        reference=self.reference,
                    )
                )
            super()._create_payment(
                amount=self.site_fee_amount,
                partner_id=self.partner_id.id,
                destination_account_id=account.id,
                site_portal_fee=True,
                memo=self.env._("%(reference)s - provider fee", reference=self.reference),
                **extra_create_values,
            )
        # Odoo's link to one payment: the first unit's (the receipt shows them all).
        self.payment_id = payments[:1]
        return payments[:1]
