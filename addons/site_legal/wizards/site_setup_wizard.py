from odoo import models


class SiteSetupWizard(models.TransientModel):
    _inherit = "site.setup.wizard"

    def action_create(self):
        action = super().action_create()
        # The role was checked by the New Site wizard; the user may not create accounts.
        self.env["res.company"].browse(action["res_id"]).sudo()._site_legal_setup()
        return action
