from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    site_auto_helpdesk = fields.Boolean(
        string="Ticket Status Changes",
        help="When a ticket changes status, the resident who reported it gets a message.",
    )
    site_auto_helpdesk_template_id = fields.Many2one(
        "site.message.template",
        string="Ticket Status Template",
        domain="[('company_id', '=', id)]",
    )

    def _site_auto_messages(self):
        return super()._site_auto_messages() + [
            ("site_auto_helpdesk", "site_auto_helpdesk_template_id")
        ]

    @api.constrains("site_auto_helpdesk", "site_auto_helpdesk_template_id")
    def _check_site_auto_helpdesk(self):
        self._check_site_auto_messages()
