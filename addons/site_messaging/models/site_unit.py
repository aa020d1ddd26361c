from odoo import models


class SiteUnit(models.Model):
    _inherit = "site.unit"

    def action_view_site_messages(self):
        """The messages about this unit."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_messaging.action_site_message")
        action["domain"] = [("unit_ids", "in", self.ids)]
        action["context"] = {"create": False}
        return action
