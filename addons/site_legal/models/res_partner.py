from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    site_legal_notice_ids = fields.One2many(
        "site.legal.notice", "partner_id", string="Formal Notices", readonly=True
    )
    site_legal_notice_count = fields.Integer(
        compute="_compute_site_legal_notice_count", string="Formal Notice Count"
    )

    def _compute_site_legal_notice_count(self):
        counts = dict(
            self.env["site.legal.notice"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.site_legal_notice_count = counts.get(partner._origin, 0)

    def action_site_legal_notices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Formal Notices"),
            "res_model": "site.legal.notice",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }
