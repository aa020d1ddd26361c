from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    site_vote_change_allowed = fields.Boolean(
        string="Votes May Be Changed",
        help="Owners may change an open-ballot vote they cast on the portal until the vote "
        "closes. A secret vote is final once cast.",
    )
