from odoo import fields, models


class ResPartner(models.Model):
    """Opt-outs per channel: a person who opted out of a channel gets nothing by it."""

    _inherit = "res.partner"

    site_sms_opt_out = fields.Boolean(string="No SMS", help="Sends this person no SMS.")
    site_email_opt_out = fields.Boolean(
        string="No E-mail", help="Sends this person no e-mail from the sites."
    )
    site_letter_opt_out = fields.Boolean(
        string="No Letters", help="Prints no letters to this person."
    )
    site_message_ids = fields.One2many("site.message", "partner_id", string="Site Messages")
    site_message_count = fields.Integer(compute="_compute_site_message_count")

    def _compute_site_message_count(self):
        counts = dict(
            self.env["site.message"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.site_message_count = counts.get(partner, 0)

    def _site_opted_out(self, channel):
        """Whether this person opted out of ``channel``."""
        self.ensure_one()
        return bool(self[f"site_{channel}_opt_out"])

    def action_view_site_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_messaging.action_site_message")
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
