from odoo import models


class AccountPayment(models.Model):
    _inherit = "account.payment"

    # One payment per confirmed transaction, whatever the provider's notifications.
    _site_portal_transaction_uniq = models.UniqueIndex(
        "(payment_transaction_id) WHERE payment_transaction_id IS NOT NULL"
    )
