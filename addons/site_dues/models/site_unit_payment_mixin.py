from collections import defaultdict

from odoo import api, models

from ..engine import payment_codes
from .account_move_line import SITE_RECEIVABLE


class SiteUnitPaymentMixin(models.AbstractModel):
    """Helpers shared by payments and bank statement lines."""

    _name = "site.unit.payment.mixin"
    _description = "Site Unit Payment Helpers"

    @api.model
    def _site_find_unit(self, company, *texts):
        """The unit of ``company`` whose payment reference one of ``texts`` quotes.

        Empty when none does, or when the texts quote the references of several units
        (the transaction must then be assigned by hand).
        """
        candidates = set()
        for text in texts:
            candidates |= payment_codes.reference_candidates(text)
        if not candidates or not company:
            return self.env["site.unit"]
        units = self.env["site.unit"].search(
            [("company_id", "=", company.id), ("payment_reference", "in", sorted(candidates))]
        )
        return units if len(units) == 1 else self.env["site.unit"]

    @api.model
    def _site_receivable_account(self, unit, partner):
        """The receivable account a unit's payment goes to: that of the unit's oldest open
        charge for the partner (so that it can settle it), else the partner's."""
        company = unit.company_id
        charge = self.env["account.move.line"].search(
            [
                ("site_unit_id", "=", unit.id),
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                *SITE_RECEIVABLE,
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date, id",
            limit=1,
        )
        return (
            charge.account_id
            or partner.with_company(company).property_account_receivable_id
            or unit.company_id.site_charge_type_ids.filtered(lambda t: t.code == "DUES")[
                :1
            ].receivable_account_id
        )

    @api.model
    def _site_apply(self, lines):
        """Settle the units of receivable ``lines`` (just posted or re-accounted).

        Debit lines (refunds paid out) first take the unit's open credits, oldest first;
        then every unit's credits settle its charges in the site's order.
        """
        AccountMoveLine = self.env["account.move.line"]
        by_company = defaultdict(set)
        for line in lines.filtered(lambda line: line.site_unit_id and not line.reconciled):
            by_company[line.company_id].add(line.site_unit_id.id)
            if line.balance <= 0:
                continue
            credits = AccountMoveLine.search(
                [
                    ("site_unit_id", "=", line.site_unit_id.id),
                    ("partner_id", "=", line.partner_id.id),
                    ("account_id", "=", line.account_id.id),
                    ("company_id", "=", line.company_id.id),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                    ("id", "!=", line.id),
                ],
                order="date, id",
            )
            for credit in credits:
                if line.reconciled:
                    break
                (line + credit).reconcile()
        for company, unit_ids in by_company.items():
            AccountMoveLine._site_settle(unit_ids, company)
