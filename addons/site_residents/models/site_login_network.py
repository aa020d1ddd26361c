from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.http import request

from ..engine import login_networks


class SiteLoginNetwork(models.Model):
    """An office network the staff of a site sign in from (residents' portal logins are free)."""

    _name = "site.login.network"
    _inherit = ["site.company.mixin"]
    _description = "Allowed Sign-in Network"
    _order = "company_id, network, id"

    name = fields.Char(string="Description", help="e.g. Management office")
    network = fields.Char(
        required=True,
        help="An address (203.0.113.7) or a network in CIDR notation (192.168.1.0/24, "
        "2001:db8::/32).",
    )
    group_ids = fields.Many2many(
        "res.groups",
        string="Applies To",
        help="Staff with one of these roles, or a role that includes one, sign in only from "
        "the site's networks listed for them. Empty: every internal user of the site.",
    )
    active = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "network" in vals:
                vals["network"] = self._normalise_network(vals["network"])
        return super().create(vals_list)

    def write(self, vals):
        if "network" in vals:
            vals["network"] = self._normalise_network(vals["network"])
        return super().write(vals)

    @api.model
    def _normalise_network(self, text):
        try:
            return login_networks.parse_network(text)
        except ValueError:
            raise ValidationError(
                self.env._(
                    "%(network)s is not an IP address or a network in CIDR notation "
                    "(e.g. 192.168.1.0/24).",
                    network=text,
                )
            ) from None

    @api.constrains("network", "group_ids", "company_id", "active")
    def _check_editor_keeps_access(self):
        """Refuse a change that would lock out the user making it from where they are."""
        if not request:  # data files, shell
            return
        address = request.httprequest.remote_addr
        networks = self.env.user._site_login_networks()
        if not login_networks.address_allowed(address, networks.mapped("network")):
            raise ValidationError(
                self.env._(
                    "You are connected from %(address)s, outside the networks this would allow "
                    "for your account: you could not sign in again. Add the network you are "
                    "connected from first.",
                    address=address,
                )
            )
