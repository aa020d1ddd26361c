from odoo import fields, models

LEGAL_KINDS = [
    ("handover", "Hand-over to a Lawyer"),
    ("instalments", "Instalment Schedule"),
    ("transfer", "Collection Moved to a Case"),
    ("lawyer", "Lawyer's Account"),
    ("writeoff", "Write-off"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    site_legal_case_id = fields.Many2one(
        "site.legal.case", string="Legal Case", index="btree_not_null", copy=False
    )
    site_legal_kind = fields.Selection(LEGAL_KINDS, string="Legal Entry", copy=False)
