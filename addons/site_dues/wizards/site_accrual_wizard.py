from odoo import api, fields, models

from odoo.addons.site_residents.engine.dates import month_start


class SiteAccrualWizard(models.TransientModel):
    """Charge a month by hand: the plans running that month, all or nothing."""

    _name = "site.accrual.wizard"
    _inherit = ["site.company.mixin"]
    _description = "Charge a Month"

    period = fields.Date(
        string="Month", required=True, default=lambda self: month_start(fields.Date.today())
    )
    plan_ids = fields.Many2many(
        "site.accrual.plan",
        string="Plans",
        compute="_compute_plan_ids",
        store=True,
        readonly=False,
        domain="[('company_id', '=', company_id)]",
    )

    @api.depends("company_id", "period")
    def _compute_plan_ids(self):
        for wizard in self:
            period = month_start(wizard.period) if wizard.period else None
            wizard.plan_ids = (
                self.env["site.accrual.plan"]
                .search([("company_id", "=", wizard.company_id.id)])
                .filtered(lambda plan, p=period: p and plan._covers(p))
            )

    def action_accrue(self):
        self.ensure_one()
        runs = (
            self.env["site.accrual.run"]
            .with_company(self.company_id)
            ._accrue(self.plan_ids, self.period)
        )
        action = self.env["ir.actions.act_window"]._for_xml_id("site_dues.action_site_accrual_run")
        action["domain"] = [("id", "in", runs.ids)]
        return action
