from odoo import models


class SiteUnitChangeWizard(models.TransientModel):
    _inherit = "site.unit.change.wizard"

    def _next_action_after_change(self, ended, started):
        action = super()._next_action_after_change(ended, started)
        return action or self.env["site.unit.readings.wizard"]._action_for(self.unit_id, self.date)
