from odoo import api, fields, models

from ..engine import history

PAYER_SELECTION = [
    (history.PAYER_TENANT, "Tenant, if there is one"),
    (history.PAYER_OWNER, "Owner"),
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
    site_type = fields.Selection(
        [
            ("condominium", "Condominium / Site Yönetimi"),
            ("wspolnota", "Homeowners' Association (Wspólnota)"),
            ("osbb", "Co-owners' Association (OSBB)"),
            ("cooperative", "Housing Cooperative"),
            ("dormitory", "Dormitory"),
            ("water_service", "Village Water Service"),
            ("other", "Other"),
        ],
        string="Kind of Site",
        default="condominium",
    )
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
    site_login_network_ids = fields.One2many(
        "site.login.network", "company_id", string="Sign-in Networks"
    )
    site_building_ids = fields.One2many("site.building", "company_id", string="Buildings")
    site_building_count = fields.Integer(compute="_compute_site_counts", string="Building Count")
    site_unit_count = fields.Integer(compute="_compute_site_counts", string="Unit Count")
    site_person_count = fields.Integer(compute="_compute_site_counts", string="People Count")

    def _compute_site_counts(self):
        buildings = dict(
            self.env["site.building"]._read_group(
                [("company_id", "in", self.ids)], ["company_id"], ["__count"]
            )
        )
        units = dict(
            self.env["site.unit"]._read_group(
                [("company_id", "in", self.ids)], ["company_id"], ["__count"]
            )
        )
        people = dict(
            self.env["site.unit.relation"]._read_group(
                [("company_id", "in", self.ids), ("state", "=", "current")],
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
