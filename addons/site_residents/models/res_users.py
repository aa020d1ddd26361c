import logging

from odoo import api, models
from odoo.exceptions import AccessDenied
from odoo.http import request

from ..engine import login_networks

_logger = logging.getLogger(__name__)

# Roles that handle money or people's data: they sign in with a second factor where their
# site asks for it. Roles that include them (manager, administrator) are bound as well.
TWO_FACTOR_GROUPS = ("site_residents.group_site_accountant", "site_residents.group_site_admin")


class ResUsers(models.Model):
    _inherit = "res.users"

    # --- office networks --------------------------------------------------------------

    def _site_login_networks(self):
        """The networks of the user's sites that bind this user; none: no limit."""
        self.ensure_one()
        user = self.sudo()
        networks = self.env["site.login.network"].sudo()
        if user.share:  # residents' portal logins are never limited
            return networks
        return networks.search([("company_id", "in", user.company_ids.ids)]).filtered(
            lambda network: not network.group_ids or network.group_ids & user.all_group_ids
        )

    def _site_check_login_address(self):
        """Refuse a sign-in from outside the office networks that bind the user."""
        self.ensure_one()
        networks = self._site_login_networks()
        if not networks:
            return
        # Odoo's deprecated XML-RPC and JSON-RPC endpoints hide the request and so the
        # caller's address: an account bound to networks is refused there.
        address = request.httprequest.remote_addr if request else None
        if login_networks.address_allowed(address, networks.mapped("network")):
            return
        # The sites are named in the log only: the message goes to whoever tries the login.
        _logger.warning(
            "Login refused for login:%s from %s: outside the sign-in networks of %s",
            self.sudo().login,
            address or "an unknown address",
            ", ".join(networks.company_id.mapped("name")),
        )
        if not address:
            raise AccessDenied(
                self.env._(
                    "Your account can only sign in from your site's office network, and this "
                    "connection does not tell where it comes from: use the JSON-2 API with an "
                    "API key."
                )
            )
        raise AccessDenied(
            self.env._(
                "Your account can only sign in from your site's office network; this "
                "connection comes from %(address)s.",
                address=address,
            )
        )

    def _check_credentials(self, credential, env):
        # Before the password: from outside, a right and a wrong password look the same.
        # change_password() checks the old password on the empty model: that is the user.
        (self or self.env.user)._site_check_login_address()
        return super()._check_credentials(credential, env)

    @api.model
    def _check_uid_passwd(self, uid, passwd):
        # RPC calls: Odoo caches a valid (uid, password), so check the address on each call.
        self.browse(uid)._site_check_login_address()
        return super()._check_uid_passwd(uid, passwd)

    # --- two-factor sign-in ---------------------------------------------------------------

    def _site_requires_2fa(self):
        self.ensure_one()
        user = self.sudo()
        return (
            not user.share
            and any(user.has_group(group) for group in TWO_FACTOR_GROUPS)
            and any(site.is_site and site.site_require_2fa for site in user.company_ids)
        )

    def _mfa_type(self):
        """Without an authenticator app, a code by e-mail: Odoo's own enforced 2FA."""
        mfa_type = super()._mfa_type()
        if mfa_type is None and self._site_requires_2fa():
            return "totp_mail"
        return mfa_type
