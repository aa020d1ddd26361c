from odoo import models


class SiteUnit(models.Model):
    _inherit = "site.unit"

    def write(self, vals):
        # An archived unit leaves its people's portal (site.portal's _relation_rows).
        if "active" in vals:
            self.env["site.portal"]._forget_relations()
        return super().write(vals)
