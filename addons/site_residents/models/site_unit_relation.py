from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

from ..engine import history

ROLE_SELECTION = [
    (history.OWNER, "Owner"),
    (history.TENANT, "Tenant"),
    (history.RESIDENT, "Resident"),
    (history.FAMILY, "Family Member"),
]


class SiteUnitRelation(models.Model):
    """One person's role in one unit over a period: the unit's dated history."""

    _name = "site.unit.relation"
    _description = "Unit Owner, Tenant or Resident"
    _inherit = ["mail.thread"]
    _order = "unit_id, date_from desc, role, id"
    _check_company_auto = True

    unit_id = fields.Many2one(
        "site.unit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="unit_id.company_id", store=True, index=True, string="Site", precompute=True
    )
    building_id = fields.Many2one(related="unit_id.building_id", store=True, string="Building")
    partner_id = fields.Many2one(
        "res.partner",
        string="Person",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    role = fields.Selection(ROLE_SELECTION, required=True, default=history.OWNER, tracking=True)
    share = fields.Float(
        string="Ownership Share (%)",
        digits=(5, 2),
        tracking=True,
        compute="_compute_share",
        store=True,
        readonly=False,
        precompute=True,
        help="Owners only: the owners' shares add up to 100 % on every date.",
    )
    date_from = fields.Date(
        string="From", required=True, tracking=True, default=fields.Date.context_today
    )
    date_to = fields.Date(string="To", tracking=True, help="Last day, included; empty: ongoing.")
    lives_here = fields.Boolean(
        compute="_compute_lives_here",
        store=True,
        readonly=False,
        precompute=True,
        help="The person lives in the unit (occupancy, persons and residents' notices).",
    )
    related_partner_id = fields.Many2one(
        "res.partner",
        string="Household Of",
        help="For family members and residents: the owner or tenant whose household it is.",
    )
    state = fields.Selection(
        [("future", "Future"), ("current", "Current"), ("past", "Past")],
        compute="_compute_state",
        search="_search_state",
    )
    active_on = fields.Date(
        string="Valid On",
        compute="_compute_active_on",
        search="_search_active_on",
        help="Search the history on a date: who owned, rented or lived there that day.",
    )
    note = fields.Char()
    phone = fields.Char(related="partner_id.phone")
    email = fields.Char(related="partner_id.email")

    _dates_ordered = models.Constraint(
        "CHECK (date_to IS NULL OR date_to >= date_from)", "A relation cannot end before it starts."
    )
    _share_range = models.Constraint(
        "CHECK (share >= 0 AND share <= 100)", "An ownership share lies between 0 and 100 %."
    )
    _unit_dates_idx = models.Index("(unit_id, date_from, date_to)")

    @api.model_create_multi
    def create(self, vals_list):
        self._check_before_saving([(vals, self.browse()) for vals in vals_list])
        relations = super().create(vals_list)
        relations._set_site_language()
        return relations

    def _set_site_language(self):
        """A person added to a unit reads notices and the portal in the site's language,
        unless theirs was chosen: a partner still in the language new partners get by
        default (that of the user who typed them) takes the site's. Staff are left alone."""
        default = self.env["ir.default"]._get("res.partner", "lang") or self.env.lang
        for relation in self:
            partner, site_lang = relation.partner_id, relation.company_id.partner_id.lang
            if (
                site_lang
                and partner.lang != site_lang
                and partner.lang in (False, default)
                and not partner.user_ids.filtered(lambda user: not user.share)
            ):
                partner.lang = site_lang

    def write(self, vals):
        if {"date_from", "date_to", "share"} & vals.keys():
            self._check_before_saving([(vals, relation) for relation in self])
        return super().write(vals)

    @api.depends("role")
    def _compute_share(self):
        for relation in self:
            if relation.role != history.OWNER:
                relation.share = 0.0
            elif not relation.share:
                relation.share = 100.0

    @api.depends("role")
    def _compute_lives_here(self):
        for relation in self:
            relation.lives_here = relation.role != history.OWNER

    @api.depends("date_from", "date_to")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for relation in self:
            if relation.date_from and relation.date_from > today:
                relation.state = "future"
            elif relation.date_to and relation.date_to < today:
                relation.state = "past"
            else:
                relation.state = "current"

    @api.model
    def _domain_active_on(self, day):
        return ["&", ("date_from", "<=", day), "|", ("date_to", "=", False), ("date_to", ">=", day)]

    def _search_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        today = fields.Date.context_today(self)
        domains = {
            "future": Domain("date_from", ">", today),
            "past": Domain("date_to", "<", today),
            "current": Domain(self._domain_active_on(today)),
        }
        return Domain.OR(domains[state] for state in value if state in domains)

    def _compute_active_on(self):
        self.active_on = False

    def _search_active_on(self, operator, value):
        if operator != "in" or len(value) != 1:
            return NotImplemented
        return self._domain_active_on(next(iter(value)))

    @api.depends("unit_id", "partner_id", "role", "date_from", "date_to")
    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for relation in self:
            relation.display_name = self.env._(
                "%(unit)s · %(role)s · %(person)s",
                unit=relation.unit_id.code or "",
                role=roles.get(relation.role, ""),
                person=relation.partner_id.name or "",
            )

    # --- constraints -------------------------------------------------------

    def _check_before_saving(self, rows):
        """Check what the table's constraints check, naming the unit and the person: the
        database's own message names neither, and an import shows it beside a row the
        user must find.

        ``rows``: (values, relation) of each relation to write, with an empty relation
        for each one to create.
        """
        today = fields.Date.context_today(self)
        for vals, relation in rows:
            unit = (
                self.env["site.unit"].browse(vals["unit_id"])
                if "unit_id" in vals
                else relation.unit_id
            )
            person = (
                self.env["res.partner"].browse(vals["partner_id"])
                if "partner_id" in vals
                else relation.partner_id
            )
            date_from = fields.Date.to_date(vals.get("date_from", relation.date_from)) or today
            date_to = fields.Date.to_date(vals.get("date_to", relation.date_to))
            if date_to and date_to < date_from:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s: %(person)s's period ends on %(end)s, before it starts "
                        "on %(start)s.",
                        unit=unit.code,
                        person=person.name,
                        start=date_from,
                        end=date_to,
                    )
                )
            share = vals.get("share") or 0.0
            if not 0 <= share <= 100:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s: %(person)s's ownership share is %(share)s %%; a share "
                        "lies between 0 and 100 %%.",
                        unit=unit.code,
                        person=person.name,
                        share=f"{share:g}",
                    )
                )

    @api.constrains("role", "share")
    def _check_share_role(self):
        for relation in self:
            if relation.role == history.OWNER and relation.share <= 0:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s: owner %(person)s needs an ownership share above 0 %%.",
                        unit=relation.unit_id.code,
                        person=relation.partner_id.name,
                    )
                )

    @api.constrains("unit_id", "partner_id", "role", "date_from", "date_to")
    def _check_overlap(self):
        units = self.unit_id
        for unit_id, relations in units._relations_by_unit().items():
            found = history.overlaps(relations)
            if found:
                raise ValidationError(
                    self._overlap_message(self.env["site.unit"].browse(unit_id), found[0])
                )

    def _overlap_message(self, unit, overlap):
        roles = dict(self._fields["role"]._description_selection(self.env))
        open_end = self.env._("open end")

        def period(relation):
            return f"{relation.date_from} – {relation.date_to or open_end}"

        return self.env._(
            "Unit %(unit)s: %(person)s is %(role1)s from %(period1)s and %(role2)s from "
            "%(period2)s; one person holds one role in a unit at a time (overlap from "
            "%(start)s to %(end)s).",
            unit=unit.code,
            person=self.env["res.partner"].browse(overlap.first.partner_id).name,
            role1=roles[overlap.first.role],
            period1=period(overlap.first),
            role2=roles[overlap.second.role],
            period2=period(overlap.second),
            start=overlap.date_from,
            end=overlap.date_to or open_end,
        )

    @api.constrains("unit_id", "role", "share", "date_from", "date_to")
    def _check_owner_shares(self):
        self.unit_id._check_owner_shares()

    def unlink(self):
        units = self.unit_id
        result = super().unlink()
        units.exists()._check_owner_shares()
        return result
