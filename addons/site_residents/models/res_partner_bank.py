from odoo import api, models
from odoo.exceptions import ValidationError

from odoo.addons.base_iban.models.res_partner_bank import validate_iban


class ResPartnerBank(models.Model):
    _inherit = "res.partner.bank"

    @api.constrains("acc_number", "partner_id")
    def _check_site_iban(self):
        """A site's accounts are printed on its charge notices: they must be valid IBANs."""
        sites = (
            self.env["res.company"]
            .sudo()
            .with_context(active_test=False)
            .search([("is_site", "=", True), ("partner_id", "in", self.partner_id.ids)])
        )
        for account in self.filtered(lambda a: a.partner_id in sites.partner_id):
            try:
                validate_iban(account.acc_number)
            except ValidationError as error:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: the bank account %(number)s is not a valid IBAN. "
                        "%(reason)s",
                        site=account.partner_id.name,
                        number=account.acc_number,
                        reason=error.args[0],
                    )
                ) from error
