from odoo import api, models


class SiteAccrualRun(models.Model):
    _inherit = "site.accrual.run"

    @api.model
    def _accrue(self, plans, period):
        """Charge, then queue the job sending the month's charge notices (sites sending
        them): plans charged together send each notice once, with all their charges."""
        runs = super()._accrue(plans, period)
        self.env["site.message.automation"]._site_charge_notices_later(runs)
        return runs
