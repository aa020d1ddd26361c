from odoo import fields, models
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# The charge types of the water services' fees, created per site by _site_legal_setup.
REOPENING_CHARGE_TYPE = ("REOPEN", _lt("Reopening Fee"))
PENALTY_CHARGE_TYPE = ("PENALTY", _lt("Inspection Penalty"))


class ResCompany(models.Model):
    """The site's tariff of shut-off reopening fees and inspection penalties."""

    _inherit = "res.company"

    site_legal_reopening_fee = fields.Monetary(
        string="Reopening Fee",
        help="Charged once to the unit when its water is reopened after a shut-off.",
    )
    site_legal_reopening_charge_type_id = fields.Many2one(
        "site.charge.type",
        string="Reopening Fee Charge Type",
        check_company=True,
        domain="[('kind', '=', 'charge')]",
    )
    site_legal_penalty_leak = fields.Monetary(
        string="Penalty for a Leak",
        help="Charged to the unit when an inspection finds a leak on its side; 0: none.",
    )
    site_legal_penalty_illegal = fields.Monetary(
        string="Penalty for Illegal Use",
        help="Charged to the unit when an inspection finds illegal use (a bypass, a "
        "tampered meter or seal); 0: none.",
    )
    site_legal_penalty_charge_type_id = fields.Many2one(
        "site.charge.type",
        string="Penalty Charge Type",
        check_company=True,
        domain="[('kind', '=', 'charge')]",
    )

    def _site_legal_setup(self):
        """Also give sites their 'Reopening Fee' and 'Inspection Penalty' charge types."""
        result = super()._site_legal_setup()
        for site in self.filtered(lambda c: c.is_site and c.chart_template).sudo():
            values = {}
            if not site.site_legal_reopening_charge_type_id:
                values["site_legal_reopening_charge_type_id"] = site._site_legal_fee_type(
                    *REOPENING_CHARGE_TYPE
                ).id
            if not site.site_legal_penalty_charge_type_id:
                values["site_legal_penalty_charge_type_id"] = site._site_legal_fee_type(
                    *PENALTY_CHARGE_TYPE
                ).id
            if values:
                site.write(values)
        return result

    def _site_legal_fee_type(self, code, name):
        """The site's charge type ``code``, created if missing; fees bear no late fee
        and are the owner's (an investment-category charge)."""
        self.ensure_one()
        ChargeType = self.env["site.charge.type"].sudo().with_context(active_test=False)
        charge_type = ChargeType.search(
            [("company_id", "=", self.id), ("code", "=", code)], limit=1
        )
        if charge_type:
            return charge_type
        charge_type = ChargeType.create(
            {
                "code": code,
                "name": name._translate("en_US"),
                "category": "investment",
                "kind": "charge",
                "late_fee_applies": False,
                "sequence": 95,
                "company_id": self.id,
            }
        )
        languages = [lang for lang, _name in self.env["res.lang"].get_installed()]
        charge_type.update_field_translations(
            "name", {lang: name._translate(lang) for lang in languages}
        )
        return charge_type
