import graphlib

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.account.models.chart_template import TEMPLATE_MODELS
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..engine import history

# A site's own accounting records, deleted with it (before its chart).
SITE_ACCOUNTING_MODELS = (
    "account.bank.statement.line",
    "account.payment",
    "account.move",
    "account.analytic.line",
    "account.analytic.account",
)

PAYER_SELECTION = [
    (history.PAYER_TENANT, "Tenant, if there is one"),
    (history.PAYER_OWNER, "Owner"),
]

SITE_TYPE_SELECTION = [
    ("condominium", "Condominium"),
    ("wspolnota", "Homeowners' Association (Wspólnota)"),
    ("osbb", "Co-owners' Association (OSBB)"),
    ("cooperative", "Housing Cooperative"),
    ("dormitory", "Dormitory"),
    ("water_service", "Village Water Service"),
    ("other", "Other"),
]

# Where owners are the members of the association, they pay everything (DOMAIN.md §4).
OWNER_PAYS_ALL_COUNTRIES = ("PL", "UA")


class ResCompany(models.Model):
    _inherit = "res.company"

    is_site = fields.Boolean(
        string="Is a Site",
        help="This company is a managed site (condominium, wspólnota, OSBB, cooperative...) "
        "with its own books.",
    )
    site_type = fields.Selection(SITE_TYPE_SELECTION, string="Kind of Site", default="condominium")
    site_payer_running = fields.Selection(
        PAYER_SELECTION,
        string="Running Costs Paid By",
        default=history.PAYER_TENANT,
        required=True,
        help="Who is charged dues, heating, water and other running costs when a unit is "
        "rented. A unit can override this rule.",
    )
    site_payer_investment = fields.Selection(
        PAYER_SELECTION,
        string="Investments Paid By",
        default=history.PAYER_OWNER,
        required=True,
        help="Who is charged investments, fixtures and extraordinary works when a unit is "
        "rented. A unit can override this rule.",
    )
    site_require_2fa = fields.Boolean(
        string="Two-Factor Sign-in for Accountants and Administrators",
        default=True,
        help="Site Accountants, Managers and Administrators of this site confirm each sign-in "
        "with an authenticator app, or else with a code sent to them by e-mail.",
    )
    site_notice_bank_id = fields.Many2one(
        "res.partner.bank",
        string="Account on Notices",
        domain="[('partner_id', '=', partner_id)]",
        help="The bank account printed on charge notices for transfers; the site's first "
        "account when empty.",
    )
    site_login_network_ids = fields.One2many(
        "site.login.network", "company_id", string="Sign-in Networks"
    )
    site_building_ids = fields.One2many("site.building", "company_id", string="Buildings")
    site_building_count = fields.Integer(compute="_compute_site_counts", string="Building Count")
    site_unit_count = fields.Integer(compute="_compute_site_counts", string="Unit Count")
    site_person_count = fields.Integer(compute="_compute_site_counts", string="People Count")

    @api.depends_context("uid")
    def _compute_site_counts(self):
        # Every site of the user is counted, selected in the company switcher or not (the
        # record rules would only count the selected ones); other sites count nothing.
        companies = self if self.env.su else self & self.env.user.company_ids
        env = self.sudo().env
        buildings = dict(
            env["site.building"]._read_group(
                [("company_id", "in", companies.ids)], ["company_id"], ["__count"]
            )
        )
        units = dict(
            env["site.unit"]._read_group(
                [("company_id", "in", companies.ids)], ["company_id"], ["__count"]
            )
        )
        people = dict(
            env["site.unit.relation"]._read_group(
                [("company_id", "in", companies.ids), ("state", "=", "current")],
                ["company_id"],
                ["partner_id:count_distinct"],
            )
        )
        for company in self:
            company.site_building_count = buildings.get(company, 0)
            company.site_unit_count = units.get(company, 0)
            company.site_person_count = people.get(company, 0)

    @api.onchange("country_id")
    def _onchange_country_site_payers(self):
        if self.is_site and self.country_id.code in OWNER_PAYS_ALL_COUNTRIES:
            self.site_payer_running = history.PAYER_OWNER

    def _site_payer(self, category):
        """The site's rule for a charge category: 'owner' or 'tenant'."""
        self.ensure_one()
        if category == history.INVESTMENT:
            return self.site_payer_investment
        return self.site_payer_running

    def _site_notice_bank(self):
        """The bank account to print on the site's notices: the one chosen for notices if it
        is still one of the site's accounts, else the first; empty when the site has none."""
        self.ensure_one()
        accounts = self.partner_id.bank_ids
        if self.site_notice_bank_id in accounts:
            return self.site_notice_bank_id
        return accounts[:1]

    def write(self, vals):
        archived_sites = (
            self.filtered(lambda c: c.is_site and c.active)
            if vals.get("active") is False and "name" not in vals
            else self.browse()
        )
        result = super().write(vals)
        for site in archived_sites:
            # The company name is unique, archived or not: free it for a new site.
            site.name = site._site_archived_name()
        return result

    def _site_archived_name(self):
        self.ensure_one()
        Company = self.with_context(active_test=False).sudo()
        today = fields.Date.context_today(self)
        name = self.env._("%(name)s (archived %(date)s)", name=self.name, date=today)
        candidate, number = name, 1
        while Company.search_count([("name", "=", candidate), ("id", "!=", self.id)]):
            number += 1
            candidate = f"{name} {number}"
        return candidate

    # --- deleting a site ---------------------------------------------------

    def _site_record_models(self):
        """The site addons' models holding a site's records, each before the models its
        records point to, so that deleting in this order breaks no reference."""
        names = {
            name
            for name, model in self.env.registry.items()
            if name.startswith("site.")
            and not (model._abstract or model._transient)
            and getattr(model._fields.get("company_id"), "comodel_name", None) == "res.company"
            and model._fields["company_id"].store
        }
        referenced_by = {name: set() for name in names}
        for name in names:
            for field in self.env[name]._fields.values():
                if (
                    field.type == "many2one"
                    and field.store
                    and field.comodel_name in names
                    and field.comodel_name != name
                    and field.ondelete != "cascade"
                ):
                    referenced_by[field.comodel_name].add(name)
        return list(graphlib.TopologicalSorter(referenced_by).static_order())

    def _check_site_deletable(self):
        self.ensure_one()
        if not self.env.user.has_group("site_residents.group_site_admin"):
            raise AccessError(self.env._("Only Site Administrators can delete sites."))
        if not self.is_site:
            raise UserError(
                self.env._(
                    "%(company)s is not a site; it cannot be deleted here.", company=self.name
                )
            )
        posted = (
            self.env["account.move"]
            .sudo()
            .search_count([("company_id", "=", self.id), ("state", "=", "posted")])
        )
        if posted:
            raise UserError(
                self.env._(
                    "Site %(site)s has %(count)s posted journal entries: a site with books "
                    "cannot be deleted. Archive it instead.",
                    site=self.name,
                    count=posted,
                )
            )
        users = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", self.id)])
        )
        if users:
            raise UserError(
                self.env._(
                    "Site %(site)s is the default site of %(users)s; give them another default "
                    "site first.",
                    site=self.name,
                    users=", ".join(users.mapped("name")),
                )
            )

    def _site_deletion_models(self):
        """Odoo's models whose records of a site go with it when it is deleted, each
        before the models its records point to; addons add theirs."""
        return list(SITE_ACCOUNTING_MODELS)

    def action_site_delete(self):
        """Delete a site created by mistake, with everything it holds, while it has no
        posted entries."""
        self.ensure_one()
        self._check_site_deletable()
        site = self.sudo().with_context(active_test=False, **{MODULE_UNINSTALL_FLAG: True})
        for model in site._site_record_models():
            site.env[model].search([("company_id", "=", site.id)]).unlink()
        for model in site._site_deletion_models():
            site.env[model].search([("company_id", "=", site.id)]).unlink()
        # The chart, as Odoo removes it before loading another one: shared accounts stay.
        for model in TEMPLATE_MODELS[::-1]:
            if "company_id" in site.env[model]:
                site.env[model].search([("company_id", "=", site.id)]).unlink()
                continue
            records = site.env[model].search([("company_ids", "in", site.id)])
            shared = records.filtered(lambda r: r.company_ids - site)
            shared.write({"company_ids": [fields.Command.unlink(site.id)]})
            (records - shared).unlink()
        partner = site.partner_id
        site.unlink()
        partner.unlink()
        # A full page load: the company switcher forgets the deleted site.
        return {
            "type": "ir.actions.act_url",
            "url": "/odoo/action-site_residents.action_site_company",
            "target": "self",
        }

    def _site_action(self, xml_id):
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["domain"] = [("company_id", "=", self.id)]
        action["context"] = {"default_company_id": self.id}
        return action

    def action_site_buildings(self):
        return self._site_action("site_residents.action_site_building")

    def action_site_units(self):
        return self._site_action("site_residents.action_site_unit")

    def action_site_people(self):
        action = self._site_action("site_residents.action_site_unit_relation")
        action["context"] = dict(action["context"], search_default_filter_current=1)
        return action
