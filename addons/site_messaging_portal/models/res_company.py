from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    site_auto_announcement = fields.Boolean(
        string="Announcements Published",
        help="When an announcement goes live on the portal, its audience gets a message.",
    )
    site_auto_announcement_template_id = fields.Many2one(
        "site.message.template",
        string="Announcement Template",
        domain="[('company_id', '=', id)]",
    )

    def _site_auto_messages(self):
        return super()._site_auto_messages() + [
            ("site_auto_announcement", "site_auto_announcement_template_id")
        ]

    @api.constrains("site_auto_announcement", "site_auto_announcement_template_id")
    def _check_site_auto_announcement(self):
        self._check_site_auto_messages()
