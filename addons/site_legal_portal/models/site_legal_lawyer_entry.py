from odoo import fields, models


class SiteLegalLawyerEntry(models.Model):
    _inherit = "site.legal.lawyer.entry"

    portal_token = fields.Char(
        readonly=True,
        copy=False,
        help="The token of the lawyer's portal form that made the entry: the same form sent "
        "twice makes one entry.",
    )

    _portal_token_uniq = models.UniqueIndex("(portal_token) WHERE portal_token IS NOT NULL")
