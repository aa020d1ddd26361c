from odoo import models


class SiteSetupWizard(models.TransientModel):
    _inherit = "site.setup.wizard"

    def action_create(self):
        action = super().action_create()
        self.env["res.company"].browse(action["res_id"])._site_dues_setup()
        return action
