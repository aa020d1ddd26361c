from odoo import models


class SiteCostAllocation(models.Model):
    _inherit = "site.cost.allocation"

    def _post(self):
        """Post, then queue the job sending the expense notices (sites sending them)."""
        result = super()._post()
        self.env["site.message.automation"]._site_expense_notices_later(self)
        return result
