from odoo import fields, models


class PaymentProvider(models.Model):
    """How the site's bank statements show this provider's payouts (providers are per
    site): the payer's partner, or a text the transaction's label carries."""

    _inherit = "payment.provider"

    site_payout_partner_id = fields.Many2one(
        "res.partner",
        string="Payout Payer",
        help="A bank transaction from this partner is a payout of this provider.",
    )
    site_payout_label = fields.Char(
        string="Payout Label Contains",
        help="A bank transaction whose label contains this text (case ignored) is a payout "
        "of this provider.",
    )
    site_bank_fee_account_id = fields.Many2one(
        related="company_id.site_bank_fee_account_id", readonly=False
    )

    def _site_is_payout(self, st_line):
        """Whether bank transaction ``st_line`` is a payout of this provider."""
        self.ensure_one()
        if st_line.company_id != self.company_id or st_line.amount <= 0:
            return False
        if self.site_payout_partner_id and st_line.partner_id == self.site_payout_partner_id:
            return True
        label = (self.site_payout_label or "").strip().casefold()
        return bool(label) and label in (st_line.payment_ref or "").casefold()
