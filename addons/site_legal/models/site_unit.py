from odoo import api, fields, models


class SiteUnit(models.Model):
    _inherit = "site.unit"

    legal_case_ids = fields.One2many("site.legal.case", "unit_id", string="Legal Cases")
    legal_case_count = fields.Integer(compute="_compute_legal_case_count")

    @api.depends("legal_case_ids")
    def _compute_legal_case_count(self):
        counts = dict(
            self.env["site.legal.case"]._read_group(
                [("unit_id", "in", self.ids)], ["unit_id"], ["__count"]
            )
        )
        for unit in self:
            unit.legal_case_count = counts.get(unit, 0)

    def action_hand_over_to_lawyer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over to a Lawyer"),
            "res_model": "site.legal.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_unit_id": self.id, "default_company_id": self.company_id.id},
        }

    def action_view_legal_cases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_legal.action_site_legal_case")
        action["domain"] = [("unit_id", "=", self.id)]
        action["context"] = {"default_unit_id": self.id, "default_company_id": self.company_id.id}
        return action
