from odoo import fields, models


class SiteLegalNotice(models.Model):
    _inherit = "site.legal.notice"

    message_count = fields.Integer(compute="_compute_message_count", string="Messages")

    def _message_ref(self):
        """The document reference of the messages about this notice."""
        return f"{self._name},{self.id}"

    def _compute_message_count(self):
        counts = dict(
            self.env["site.message"]._read_group(
                [("document_ref", "in", [n._message_ref() for n in self])],
                ["document_ref"],
                ["__count"],
            )
        )
        for notice in self:
            notice.message_count = counts.get(notice._message_ref(), 0)

    def action_view_messages(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Messages"),
            "res_model": "site.message",
            "view_mode": "list,form",
            "domain": [("document_ref", "=", self._message_ref())],
        }
