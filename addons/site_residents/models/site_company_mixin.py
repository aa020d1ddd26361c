from odoo import fields, models


class SiteCompanyMixin(models.AbstractModel):
    """Records that belong to one site: the site is their company."""

    _name = "site.company.mixin"
    _description = "Belongs to a Site"

    company_id = fields.Many2one(
        "res.company",
        string="Site",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        domain=[("is_site", "=", True)],
    )
