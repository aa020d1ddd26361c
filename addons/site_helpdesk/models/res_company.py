from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The charge type accepted paid-service quotes are charged with: code, name.
SERVICE_CHARGE_TYPE = ("SERVICE", _lt("Paid Services"))


class ResCompany(models.Model):
    _inherit = "res.company"

    site_helpdesk_service_charge_type_id = fields.Many2one(
        "site.charge.type",
        string="Paid Services Charged As",
        domain="[('company_id', '=', id), ('kind', '=', 'charge')]",
        help="The charge type an accepted paid-service quote is charged to the unit with, "
        "unless the ticket names another.",
    )

    def _site_dues_setup(self):
        super()._site_dues_setup()
        self._site_helpdesk_setup()

    def _site_helpdesk_setup(self):
        """Give sites a Paid Services charge type, for accepted quotes (idempotent)."""
        ChargeType = self.env["site.charge.type"].sudo()
        code, name = SERVICE_CHARGE_TYPE
        languages = [lang for lang, _name in self.env["res.lang"].get_installed()]
        for site in self.filtered(
            lambda c: c.is_site and not c.site_helpdesk_service_charge_type_id
        ):
            charge_type = ChargeType.search(
                [("company_id", "=", site.id), ("code", "=", code)], limit=1
            )
            if not charge_type:
                charge_type = ChargeType.create(
                    {"code": code, "name": name._translate("en_US"), "company_id": site.id}
                )
                charge_type.update_field_translations(
                    "name", {lang: name._translate(lang) for lang in languages}
                )
            site.sudo().site_helpdesk_service_charge_type_id = charge_type
