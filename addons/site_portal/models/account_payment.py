from odoo import fields, models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    site_portal_fee = fields.Boolean(
        string="Provider Fee Paid by the Resident",
        readonly=True,
        copy=False,
        help="The part of an online payment that covers the provider's fee, passed to the "
        "payer by the site: booked on the site's fee income account, not on a unit.",
    )

    # One payment per unit and partner of a confirmed transaction (and one for its fee),
    # whatever the provider's notifications.
    _site_portal_transaction_uniq = models.UniqueIndex(
        "(payment_transaction_id, COALESCE(site_unit_id, 0), partner_id) "
        "WHERE payment_transaction_id IS NOT NULL"
    )

    def _site_assign_unit(self):
        # The fee part names the transaction's units in its memo but settles none.
        return super(AccountPayment, self - self.filtered("site_portal_fee"))._site_assign_unit()
