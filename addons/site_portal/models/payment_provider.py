from odoo import fields, models


class PaymentProvider(models.Model):
    _inherit = "payment.provider"

    site_setup_note = fields.Text(
        string="Setup Note",
        help="For the site's staff: what to enter to enable this provider for the site "
        "(e.g. the API keys the provider gives the site's merchant account).",
    )
