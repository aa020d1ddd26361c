from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.base_iban.models.res_partner_bank import validate_iban

from ..engine import history
from ..models.res_company import OWNER_PAYS_ALL_COUNTRIES, PAYER_SELECTION, SITE_TYPE_SELECTION

# Odoo's chart for countries without a chart of their own.
GENERIC_CHART = "generic_coa"


class SiteSetupWizard(models.TransientModel):
    """Create a site: a company of its own with the country's chart of accounts.

    Creating companies and loading charts are system rights a Site Administrator does not
    hold: the wizard checks the role, then does those steps as the superuser.
    """

    _name = "site.setup.wizard"
    _description = "New Site"

    country_id = fields.Many2one(
        "res.country",
        required=True,
        help="Decides the site's currency, chart of accounts and taxes, and who pays when a "
        "unit is rented.",
    )
    name = fields.Char(required=True)
    site_type = fields.Selection(
        SITE_TYPE_SELECTION, string="Kind of Site", required=True, default="condominium"
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
    chart_template = fields.Char(
        string="Chart of Accounts Code",
        compute="_compute_chart_template",
        help="The chart of accounts the country's sites get; Odoo's generic chart where the "
        "country has none.",
    )
    bank_acc_number = fields.Char(
        string="IBAN",
        help="The site's account for residents' transfers, printed on every charge notice. "
        "More accounts can be added on the site later.",
    )
    bank_name = fields.Char(string="Bank")
    summary = fields.Html(string="What Will Be Created", compute="_compute_summary", sanitize=False)

    @api.depends("country_id")
    def _compute_currency_id(self):
        for wizard in self:
            wizard.currency_id = wizard.country_id.currency_id

    @api.depends("country_id")
    def _compute_payers(self):
        for wizard in self:
            wizard.payer_running = (
                history.PAYER_OWNER
                if wizard.country_id.code in OWNER_PAYS_ALL_COUNTRIES
                else history.PAYER_TENANT
            )

    @api.depends("country_id")
    def _compute_chart_template(self):
        Chart = self.env["account.chart.template"]
        templates = Chart._get_chart_template_mapping()
        for wizard in self:
            if not wizard.country_id:
                wizard.chart_template = False
                continue
            code = Chart._guess_chart_template(wizard.country_id)
            # Odoo guesses some other country's chart when this one has none.
            if templates[code]["country_id"] != wizard.country_id.id:
                code = GENERIC_CHART
            wizard.chart_template = code

    @api.depends(
        "name",
        "site_type",
        "country_id",
        "currency_id",
        "load_chart",
        "chart_template",
        "bank_acc_number",
        "bank_name",
    )
    def _compute_summary(self):
        for wizard in self:
            rows = Markup().join(
                Markup("<tr><th class='pe-3'>%s</th><td>%s</td></tr>") % (label, value)
                for _key, label, value in wizard._site_summary()
            )
            wizard.summary = Markup("<table class='table table-sm mb-0'>%s</table>") % rows

    def _site_summary(self):
        """What the wizard will create, as (key, label, text) rows; addons add theirs."""
        self.ensure_one()
        kinds = dict(self._fields["site_type"]._description_selection(self.env))
        rows = [
            (
                "company",
                self.env._("Site"),
                self.env._(
                    "%(name)s (%(kind)s), a company of its own",
                    name=self.name or "…",
                    kind=kinds.get(self.site_type, ""),
                ),
            ),
            (
                "currency",
                self.env._("Currency"),
                f"{self.currency_id.full_name} ({self.currency_id.name})"
                if self.currency_id
                else "",
            ),
        ]
        if self.load_chart and self.chart_template:
            chart = self.env["account.chart.template"]._get_chart_template_mapping()[
                self.chart_template
            ]
            rows += [
                (
                    "chart",
                    self.env._("Chart of Accounts"),
                    self.env._("%(chart)s, with its taxes", chart=chart["name"]),
                ),
                (
                    "journals",
                    self.env._("Journals"),
                    ", ".join(self._site_chart_journal_names()),
                ),
            ]
        else:
            rows.append(
                (
                    "chart",
                    self.env._("Chart of Accounts"),
                    self.env._("None: the site keeps no books until a chart is loaded."),
                )
            )
        rows.append(
            (
                "bank",
                self.env._("Bank Account"),
                " · ".join(filter(None, [self.bank_acc_number, self.bank_name]))
                or self.env._("None yet: notices show no IBAN until the site has a bank account."),
            )
        )
        return rows

    def _site_chart_journal_names(self):
        """Names of the journals the chart creates, in the user's language."""
        Chart = self.env["account.chart.template"]
        journals = {}
        for code in [None, *reversed(Chart._get_parent_template(self.chart_template))]:
            for function in Chart._template_register[code].get("account.journal", []):
                for xml_id, values in (function(Chart, self.chart_template) or {}).items():
                    journals.setdefault(xml_id, {}).update(values)
        return [values["name"] for values in journals.values() if values.get("name")]

    @api.constrains("bank_acc_number")
    def _check_bank_acc_number(self):
        for wizard in self.filtered("bank_acc_number"):
            try:
                validate_iban(wizard.bank_acc_number)
            except ValidationError as error:
                raise ValidationError(
                    self.env._(
                        "The IBAN %(number)s is not valid. %(reason)s",
                        number=wizard.bank_acc_number,
                        reason=error.args[0],
                    )
                ) from error

    def _check_can_create(self):
        if not self.env.user.has_group("site_residents.group_site_admin"):
            raise AccessError(self.env._("Only Site Administrators can create sites."))
        Company = self.env["res.company"].sudo().with_context(active_test=False)
        if Company.search_count([("name", "=", self.name)]):
            raise UserError(
                self.env._(
                    "A site or company named %(name)s already exists; choose another name.",
                    name=self.name,
                )
            )
        chart = self.load_chart and self.env[
            "account.chart.template"
        ]._get_chart_template_mapping().get(self.chart_template)
        if chart and not chart["installed"]:
            raise UserError(
                self.env._(
                    "The chart of accounts of %(country)s (module %(module)s) is not installed. "
                    "Ask the Odoo administrator to install it, or untick Set Up the Books.",
                    country=self.country_id.name,
                    module=chart["module"],
                )
            )

    def action_create(self):
        self.ensure_one()
        self._check_can_create()
        site = (
            self.env["res.company"]
            .sudo()
            .create(
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
        )
        self.env.user.sudo().company_ids = [fields.Command.link(site.id)]
        if self.load_chart:
            self.env["account.chart.template"].sudo().try_loading(self.chart_template, site)
        if self.bank_acc_number:
            self._create_bank_account(site)
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.company",
            "res_id": site.id,
            "view_mode": "form",
            "views": [(self.env.ref("site_residents.res_company_view_form_site").id, "form")],
            "target": "current",
        }

    def _create_bank_account(self, site):
        """The site's account for notices; the chart's bank journal pays into it."""
        bank = self.env["res.bank"]
        if self.bank_name:
            bank = self.env["res.bank"].sudo().search(
                [("name", "=ilike", self.bank_name.strip())], limit=1
            ) or self.env["res.bank"].sudo().create(
                {"name": self.bank_name.strip(), "country": self.country_id.id}
            )
        account = (
            self.env["res.partner.bank"]
            .sudo()
            .create(
                {
                    "partner_id": site.partner_id.id,
                    "acc_number": self.bank_acc_number,
                    "bank_id": bank.id,
                }
            )
        )
        site.site_notice_bank_id = account
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    ("company_id", "=", site.id),
                    ("type", "=", "bank"),
                    ("bank_account_id", "=", False),
                ],
                limit=1,
            )
        )
        journal.bank_account_id = account
