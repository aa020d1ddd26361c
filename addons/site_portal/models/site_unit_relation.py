from odoo import api, models


class SiteUnitRelation(models.Model):
    _inherit = "site.unit.relation"

    # The portal reads a person's relations once per request (site.portal's
    # _relation_rows): any change within the transaction must be seen afterwards.
    @api.model_create_multi
    def create(self, vals_list):
        self.env["site.portal"]._forget_relations()
        return super().create(vals_list)

    def write(self, vals):
        self.env["site.portal"]._forget_relations()
        return super().write(vals)

    def unlink(self):
        self.env["site.portal"]._forget_relations()
        return super().unlink()
