from odoo import api, models

from odoo.addons.site_dues.models.account_move_line import SITE_RECEIVABLE


class SiteUnitPaymentMixin(models.AbstractModel):
    _inherit = "site.unit.payment.mixin"

    @api.model
    def _site_receivable_account(self, unit, partner):
        """Never the account for legal follow-up: a payment lands beside the unit's usual
        charges, and what the cases' debts take of it is moved to them when it settles
        (account.move.line._site_legal_move_credits), so that the rest settles the
        unit's other charges."""
        account = super()._site_receivable_account(unit, partner)
        legal_account = unit.company_id.site_legal_receivable_account_id
        if not legal_account or account != legal_account:
            return account
        company = unit.company_id
        charge = self.env["account.move.line"].search(
            [
                ("site_unit_id", "=", unit.id),
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                *SITE_RECEIVABLE,
                ("account_id", "!=", legal_account.id),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date, id",
            limit=1,
        )
        dues = company.site_charge_type_ids.filtered(lambda t: t.code == "DUES")[:1]
        return (
            charge.account_id
            or partner.with_company(company).property_account_receivable_id
            or dues.receivable_account_id
        )
