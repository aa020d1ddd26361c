from odoo import api, models
from odoo.fields import Domain


class SiteLateFeeRun(models.Model):
    _inherit = "site.late.fee.run"

    @api.model
    def _excluded_debt_domain(self, company):
        """No late fee on the debts of cases whose fees are frozen, nor on the lines
        that move collections to a case (they are settled the day they are posted)."""
        return (
            super()._excluded_debt_domain(company)
            | Domain("site_legal_case_id.late_fees_frozen", "=", True)
            | Domain("move_id.site_legal_kind", "=", "transfer")
        )
