from odoo import fields, models


class SiteStatementWizard(models.TransientModel):
    _inherit = "site.statement.wizard"

    account_scope = fields.Selection(
        [
            ("all", "All Receivables"),
            ("current", "Without Legal Follow-up"),
            ("legal", "In Legal Follow-up Only"),
        ],
        default="all",
        required=True,
        help="Debts moved to the site's legal follow-up account: with the others, apart from "
        "them, or alone.",
    )

    def _lines(self):
        lines = super()._lines()
        if self.account_scope == "all":
            return lines
        legal = self.company_id.site_legal_receivable_account_id
        in_legal = self.account_scope == "legal"
        return lines.filtered(lambda line: (bool(legal) and line.account_id == legal) == in_legal)
