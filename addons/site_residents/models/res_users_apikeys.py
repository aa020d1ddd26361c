from odoo import models


class ResUsersApikeys(models.Model):
    _inherit = "res.users.apikeys"

    def _check_credentials(self, *, scope, key):
        # API keys sign in staff as their passwords do: from their sites' networks only.
        uid = super()._check_credentials(scope=scope, key=key)
        if uid and scope == "rpc":
            self.env["res.users"].browse(uid)._site_check_login_address()
        return uid
