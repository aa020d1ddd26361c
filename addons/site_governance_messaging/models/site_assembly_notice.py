from odoo import fields, models


class SiteAssemblyNotice(models.Model):
    _inherit = "site.assembly.notice"

    message_id = fields.Many2one("site.message", string="Message", readonly=True, copy=False)
    message_state = fields.Selection(related="message_id.state", string="Message State")
