from odoo import api, fields, models

from ..engine import history
from ..models.res_company import OWNER_PAYS_ALL_COUNTRIES, PAYER_SELECTION


class SiteSetupWizard(models.TransientModel):
    """Create a site: a company of its own with the country's chart of accounts."""

    _name = "site.setup.wizard"
    _description = "New Site"

    name = fields.Char(required=True)
    site_type = fields.Selection(
        selection=lambda self: self.env["res.company"]._fields["site_type"].selection,
        required=True,
        default="condominium",
    )
    country_id = fields.Many2one(
        "res.country", required=True, default=lambda self: self.env.company.country_id
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    street = fields.Char()
    city = fields.Char()
    zip = fields.Char()
    vat = fields.Char(string="Tax ID")
    email = fields.Char()
    phone = fields.Char()
    payer_running = fields.Selection(
        PAYER_SELECTION,
        string="Running Costs Paid By",
        required=True,
        compute="_compute_payers",
        store=True,
        readonly=False,
        precompute=True,
    )
    payer_investment = fields.Selection(
        PAYER_SELECTION, string="Investments Paid By", required=True, default=history.PAYER_OWNER
    )
    load_chart = fields.Boolean(
        string="Set Up the Books",
        default=True,
        help="Load the country's chart of accounts, taxes and journals for the new site.",
    )

    @api.depends("country_id")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.country_id.currency_id or self.env.company.currency_id

    @api.depends("country_id")
    def _compute_payers(self):
        for wizard in self:
            wizard.payer_running = (
                history.PAYER_OWNER
                if wizard.country_id.code in OWNER_PAYS_ALL_COUNTRIES
                else history.PAYER_TENANT
            )

    def action_create(self):
        self.ensure_one()
        site = self.env["res.company"].create(
            {
                "name": self.name,
                "is_site": True,
                "site_type": self.site_type,
                "country_id": self.country_id.id,
                "currency_id": self.currency_id.id,
                "street": self.street,
                "city": self.city,
                "zip": self.zip,
                "vat": self.vat,
                "email": self.email,
                "phone": self.phone,
                "site_payer_running": self.payer_running,
                "site_payer_investment": self.payer_investment,
            }
        )
        self.env.user.sudo().company_ids = [fields.Command.link(site.id)]
        if self.load_chart:
            chart = self.env["account.chart.template"]
            chart.try_loading(chart._guess_chart_template(self.country_id), site)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.company",
            "res_id": site.id,
            "view_mode": "form",
            "views": [(self.env.ref("site_residents.res_company_view_form_site").id, "form")],
            "target": "current",
        }
