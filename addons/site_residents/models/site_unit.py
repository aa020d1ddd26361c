import re
from collections import Counter, defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..engine import history
from .res_company import PAYER_SELECTION

AREA_FIELDS = ("area_gross", "area_net", "area_heated")


class SiteUnit(models.Model):
    _name = "site.unit"
    _description = "Unit"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.import.mixin", "site.company.mixin"]
    _order = "company_id, building_id, code_sort, id"
    _rec_name = "code"
    _rec_names_search = ["code", "name"]
    _check_company_auto = True

    code = fields.Char(
        required=True,
        tracking=True,
        index=True,
        help="Stable code of the unit within the site, e.g. A-12; used by imports and payments.",
    )
    code_sort = fields.Char(
        compute="_compute_code_sort",
        store=True,
        index=True,
        help="The code with its numbers zero-padded, so that A-2 sorts before A-10.",
    )
    name = fields.Char(string="Description", help="Optional description, e.g. 'Flat 12'.")
    building_id = fields.Many2one("site.building", index=True, check_company=True, tracking=True)
    floor = fields.Integer(help="0 is the ground floor; basements are negative.")
    type_id = fields.Many2one(
        "site.unit.type", string="Unit Type", check_company=True, tracking=True
    )
    type_kind = fields.Selection(related="type_id.kind", store=True, string="Kind")
    area_gross = fields.Float(string="Gross Area (m²)", digits=(16, 2), tracking=True)
    area_net = fields.Float(
        string="Closed Area (m²)",
        digits=(16, 2),
        tracking=True,
        help="Net closed usage area; the area key of heat-cost sharing.",
    )
    area_heated = fields.Float(string="Heated Area (m²)", digits=(16, 2), tracking=True)
    land_share_numerator = fields.Integer(tracking=True)
    land_share_denominator = fields.Integer(tracking=True)
    land_share = fields.Float(
        compute="_compute_land_share",
        store=True,
        digits=(16, 8),
        help="Land share (arsa payı) as a fraction of one.",
    )
    voting_share = fields.Float(
        compute="_compute_voting_share",
        store=True,
        readonly=False,
        digits=(16, 8),
        help="Weight of the unit's vote; the land share unless set otherwise.",
    )
    persons_declaration_ids = fields.One2many(
        "site.unit.persons", "unit_id", string="Persons Declarations"
    )
    persons = fields.Integer(
        string="Persons Living",
        compute="_compute_persons",
        help="From the latest declaration on or before today; without one, the people "
        "living there today.",
    )
    relation_ids = fields.One2many("site.unit.relation", "unit_id", string="History")
    current_relation_ids = fields.One2many(
        "site.unit.relation", compute="_compute_current_people", string="People Today"
    )
    owner_names = fields.Char(string="Owners", compute="_compute_current_people")
    tenant_names = fields.Char(string="Tenants", compute="_compute_current_people")
    is_occupied = fields.Boolean(
        string="Occupied",
        compute="_compute_current_people",
        search="_search_is_occupied",
        help="Somebody lives in the unit or rents it today.",
    )
    payer_running = fields.Selection(
        PAYER_SELECTION,
        string="Running Costs Paid By",
        help="Overrides the site's rule for this unit; empty follows the site.",
    )
    payer_investment = fields.Selection(
        PAYER_SELECTION,
        string="Investments Paid By",
        help="Overrides the site's rule for this unit; empty follows the site.",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account",
        readonly=True,
        copy=False,
        check_company=True,
        index="btree_not_null",
    )
    color = fields.Integer()
    note = fields.Html()
    active = fields.Boolean(default=True)

    _code_site_uniq = models.Constraint(
        "UNIQUE (company_id, code)", "The unit code must be unique within a site."
    )
    _areas_positive = models.Constraint(
        "CHECK (area_gross >= 0 AND area_net >= 0 AND area_heated >= 0)",
        "Areas cannot be negative.",
    )

    # --- computes ----------------------------------------------------------

    @api.depends("code")
    def _compute_code_sort(self):
        for unit in self:
            unit.code_sort = re.sub(r"\d+", lambda m: m.group().zfill(8), unit.code or "")

    @api.depends("land_share_numerator", "land_share_denominator")
    def _compute_land_share(self):
        for unit in self:
            denominator = unit.land_share_denominator
            unit.land_share = unit.land_share_numerator / denominator if denominator else 0.0

    @api.depends("land_share")
    def _compute_voting_share(self):
        for unit in self:
            unit.voting_share = unit.land_share

    def _compute_persons(self):
        persons = self._persons_on(fields.Date.context_today(self))
        for unit in self:
            unit.persons = persons.get(unit.id, 0)

    def _compute_current_people(self):
        today = fields.Date.context_today(self)
        relations = self.env["site.unit.relation"].search(
            [("unit_id", "in", self.ids)] + self.env["site.unit.relation"]._domain_active_on(today)
        )
        by_unit = defaultdict(lambda: self.env["site.unit.relation"])
        for relation in relations:
            by_unit[relation.unit_id.id] |= relation
        for unit in self:
            current = by_unit[unit.id]
            unit.current_relation_ids = current
            unit.owner_names = ", ".join(
                current.filtered(lambda r: r.role == history.OWNER).partner_id.mapped("name")
            )
            unit.tenant_names = ", ".join(
                current.filtered(lambda r: r.role == history.TENANT).partner_id.mapped("name")
            )
            unit.is_occupied = any(r.lives_here or r.role == history.TENANT for r in current)

    def _search_is_occupied(self, operator, value):
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        occupied = self.env["site.unit.relation"]._search(
            ["|", ("lives_here", "=", True), ("role", "=", history.TENANT)]
            + self.env["site.unit.relation"]._domain_active_on(today)
        )
        domain = Domain("id", "in", occupied.subselect("unit_id"))
        return domain if True in value else ~domain

    @api.depends("code", "building_id")
    def _compute_display_name(self):
        for unit in self:
            unit.display_name = unit.code

    # --- constraints -------------------------------------------------------

    @api.constrains("land_share_numerator", "land_share_denominator")
    def _check_land_share(self):
        for unit in self:
            numerator, denominator = unit.land_share_numerator, unit.land_share_denominator
            if numerator < 0 or denominator < 0:
                raise ValidationError(
                    self.env._("Unit %(unit)s: the land share cannot be negative.", unit=unit.code)
                )
            if numerator and not denominator:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s: the land share %(numerator)s/… needs a denominator.",
                        unit=unit.code,
                        numerator=numerator,
                    )
                )
            if denominator and numerator > denominator:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s: the land share %(numerator)s/%(denominator)s is more than "
                        "the whole.",
                        unit=unit.code,
                        numerator=numerator,
                        denominator=denominator,
                    )
                )

    # --- create / write ----------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        default_site = None
        if any(not vals.get("company_id") for vals in vals_list):
            default_site = self.default_get(["company_id"]).get("company_id")
        self._check_before_saving(
            [(vals.get("code"), vals.get("company_id") or default_site, vals) for vals in vals_list]
        )
        units = super(SiteUnit, self.with_context(site_defer_share_check=True)).create(vals_list)
        units = units.with_env(self.env)
        units._create_analytic_accounts()
        units._check_owner_shares()
        return units

    def write(self, vals):
        if {"code", "company_id", *AREA_FIELDS} & vals.keys():
            self._check_before_saving(
                [
                    (vals.get("code", unit.code), vals.get("company_id", unit.company_id.id), vals)
                    for unit in self
                ]
            )
        if "relation_ids" not in vals:
            result = super().write(vals)
        else:
            # The form saves several relations at once (a co-owner added while another's
            # share drops): check the shares once, after all of them are written.
            result = super(SiteUnit, self.with_context(site_defer_share_check=True)).write(vals)
            self._check_owner_shares()
        if {"code", "name"} & vals.keys():
            for unit in self.filtered("analytic_account_id"):
                unit.analytic_account_id.write(unit._analytic_account_values())
        return result

    def _check_before_saving(self, rows):
        """Check what the table's constraints check, naming the unit: the database's own
        message names none, and an import shows it beside a row the user must find.

        ``rows``: (code, site id, values) of each unit to create, or of each unit of
        ``self`` to write.
        """
        for code, _site, vals in rows:
            for name in AREA_FIELDS:
                if (vals.get(name) or 0) < 0:
                    raise ValidationError(
                        self.env._(
                            "Unit %(unit)s: the %(area)s cannot be negative (%(value)s).",
                            unit=code,
                            area=self._fields[name]._description_string(self.env),
                            value=vals[name],
                        )
                    )
        keys = [
            (site, code)
            for code, site, vals in rows
            if code and {"code", "company_id"} & vals.keys()
        ]
        if not keys:
            return
        # Archived units keep their codes; units of sites the user has not selected too.
        taken = Counter(keys)
        taken.update(
            (unit.company_id.id, unit.code)
            for unit in self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [
                    ("company_id", "in", [site for site, _code in keys]),
                    ("code", "in", [code for _site, code in keys]),
                    ("id", "not in", self.ids),
                ],
                ["company_id", "code"],
            )
        )
        for site, code in keys:
            if taken[site, code] > 1:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s already exists in %(site)s: a code names one unit of a "
                        "site. To update units from a file, import them with their External "
                        "ID (column “id”).",
                        unit=code,
                        site=self.env["res.company"].browse(site).sudo().name,
                    )
                )

    def _analytic_account_values(self):
        return {"name": f"{self.code} {self.name}" if self.name else self.code, "code": self.code}

    def _create_analytic_accounts(self):
        plan = self.env.ref("site_residents.analytic_plan_site_units")
        units = self.filtered(lambda u: not u.analytic_account_id)
        accounts = (
            self.env["account.analytic.account"]
            .sudo()
            .create(
                [
                    dict(
                        unit._analytic_account_values(),
                        plan_id=plan.id,
                        company_id=unit.company_id.id,
                    )
                    for unit in units
                ]
            )
        )
        for unit, account in zip(units, accounts):
            unit.analytic_account_id = account

    # --- history -----------------------------------------------------------

    def _relations_by_unit(self, roles=None):
        """{unit id: [history.Relation]} for all units in self, in one query."""
        domain = [("unit_id", "in", self.ids)]
        if roles:
            domain.append(("role", "in", list(roles)))
        rows = self.env["site.unit.relation"].search_read(
            domain, ["unit_id", "partner_id", "role", "share", "date_from", "date_to"], load=None
        )
        result = {unit_id: [] for unit_id in self.ids}
        for row in rows:
            result[row["unit_id"]].append(
                history.Relation(
                    row["id"],
                    row["partner_id"],
                    row["role"],
                    row["share"],
                    row["date_from"],
                    row["date_to"] or None,
                )
            )
        return result

    def _check_owner_shares(self):
        if self.env.context.get("site_defer_share_check"):
            return
        for unit_id, relations in self._relations_by_unit([history.OWNER]).items():
            gaps = history.owner_share_gaps(relations)
            if gaps:
                gap = gaps[0]
                unit = self.browse(unit_id)
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s: the owners' shares add up to %(total)s %% from %(start)s "
                        "to %(end)s; on every date they must add up to 100 %%.",
                        unit=unit.code,
                        total=f"{gap.total:g}",
                        start=gap.date_from,
                        end=gap.date_to or self.env._("open end"),
                    )
                )

    def _payer_rule(self, category):
        self.ensure_one()
        override = self.payer_investment if category == history.INVESTMENT else self.payer_running
        return override or self.company_id._site_payer(category)

    def get_liable_partner(self, day, category=history.RUNNING):
        """The partner charged for this unit on ``day`` for a charge ``category``.

        ``category`` is 'running' (dues, heating, water...) or 'investment' (projects,
        fixtures, extraordinary works). The site's rule, or the unit's override, says
        whether a tenant pays it; otherwise, or with no tenant, the main owner does.
        Returns an empty recordset when nobody holds the unit on that day.
        """
        self.ensure_one()
        relations = self._relations_by_unit([history.OWNER, history.TENANT])[self.id]
        relation = history.liable_relation(relations, day, self._payer_rule(category))
        return self.env["res.partner"].browse(relation.partner_id if relation else [])

    def get_liable_segments(self, date_from, date_to, category=history.RUNNING):
        """{unit: [history.Segment]} for every unit in self over a period.

        Each segment names the partner charged (an id, or None where nobody holds the
        unit) for a run of days; billing splits a period's charges pro rata by them.
        One query for all units.
        """
        by_unit = self._relations_by_unit([history.OWNER, history.TENANT])
        return {
            unit: history.liable_segments(
                by_unit[unit.id], date_from, date_to, unit._payer_rule(category)
            )
            for unit in self
        }

    def _persons_on(self, day):
        """{unit id: persons living there on ``day``}: the latest declaration on or before
        ``day``, else the number of people marked as living there that day. Units with
        neither are left out."""
        rows = self.env["site.unit.persons"].search_read(
            [("unit_id", "in", self.ids), ("date", "<=", day)],
            ["unit_id", "persons"],
            order="date desc, id desc",
            load=None,
        )
        result = {}
        for row in rows:
            result.setdefault(row["unit_id"], row["persons"])
        undeclared = [unit_id for unit_id in self.ids if unit_id not in result]
        if undeclared:
            Relation = self.env["site.unit.relation"]
            living = Relation._read_group(
                [("unit_id", "in", undeclared), ("lives_here", "=", True)]
                + Relation._domain_active_on(day),
                ["unit_id"],
                ["partner_id:count_distinct"],
            )
            result.update((unit.id, count) for unit, count in living)
        return result

    # --- actions -----------------------------------------------------------

    def action_change_people(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sale, Move-in or Move-out"),
            "res_model": "site.unit.change.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_unit_id": self.id},
        }
