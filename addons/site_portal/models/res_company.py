from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _site_deletion_models(self):
        """A site's payment providers (Odoo gives every company its own) go with it,
        before the journals they post to."""
        return ["payment.provider", *super()._site_deletion_models()]
