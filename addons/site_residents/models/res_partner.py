from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import national_id


class ResPartner(models.Model):
    _inherit = "res.partner"

    # Personal data: site managers only. The number is not tracked, so that no old value
    # stays in the chatter; write() logs that it changed instead.
    national_id = fields.Char(
        string="National ID",
        copy=False,
        groups="site_residents.group_site_manager",
        help="Checked by its check digits for Turkey (T.C. Kimlik No), Poland (PESEL) and "
        "Ukraine (RNOKPP), by the person's country or else the site's.",
    )
    national_id_label = fields.Char(compute="_compute_national_id_label")
    blood_group = fields.Selection(
        [
            ("0+", "0 Rh+"),
            ("0-", "0 Rh−"),
            ("A+", "A Rh+"),
            ("A-", "A Rh−"),
            ("B+", "B Rh+"),
            ("B-", "B Rh−"),
            ("AB+", "AB Rh+"),
            ("AB-", "AB Rh−"),
        ],
        # Health data is not carried to a copy (which users outside the group may make).
        copy=False,
        groups="site_residents.group_site_manager",
    )
    profession = fields.Char()
    emergency_contact_ids = fields.One2many(
        "site.emergency.contact", "partner_id", string="Emergency Contacts"
    )
    vehicle_ids = fields.One2many("site.vehicle", "partner_id", string="Vehicles")
    pet_ids = fields.One2many("site.pet", "partner_id", string="Pets")
    privacy_consent_ids = fields.One2many(
        "site.privacy.consent", "partner_id", string="Privacy Consents"
    )
    privacy_consent_state = fields.Selection(
        [("none", "Not Asked"), ("given", "Given"), ("withdrawn", "Withdrawn")],
        string="Privacy Consent",
        compute="_compute_privacy_consent_state",
    )
    site_relation_ids = fields.One2many(
        "site.unit.relation", "partner_id", string="Units and Roles"
    )
    site_unit_count = fields.Integer(string="Units", compute="_compute_site_units")
    site_role_summary = fields.Char(string="Roles Today", compute="_compute_site_units")

    @api.model
    def default_get(self, field_names):
        defaults = super().default_get(field_names)
        # A contact created in the Sites app belongs to the site the user works in.
        if (
            "company_id" in field_names
            and self.env.context.get("site_contact")
            and self.env.company.is_site
        ):
            defaults.setdefault("company_id", self.env.company.id)
        return defaults

    def write(self, vals):
        if "national_id" not in vals:
            return super().write(vals)
        before = {partner.id: partner.national_id for partner in self.sudo()}
        result = super().write(vals)
        self._log_national_id_changes(before)
        return result

    def _log_national_id_changes(self, before):
        bodies = {}
        for partner in self.sudo():
            old, new = before[partner.id], partner.national_id
            if old == new:
                continue
            label = partner.national_id_label
            if not old:
                bodies[partner.id] = self.env._("%(label)s added.", label=label)
            elif not new:
                bodies[partner.id] = self.env._("%(label)s removed.", label=label)
            else:
                bodies[partner.id] = self.env._("%(label)s changed.", label=label)
        if bodies:
            self.browse(list(bodies))._message_log_batch(bodies)

    def _national_id_country(self):
        self.ensure_one()
        return (self.country_id or self.company_id.country_id or self.env.company.country_id).code

    @api.depends("country_id")
    def _compute_national_id_label(self):
        for partner in self:
            scheme = national_id.scheme_for(partner._national_id_country())
            partner.national_id_label = self._national_id_scheme_label(scheme)

    def _national_id_scheme_label(self, scheme):
        labels = {
            "tckn": self.env._("T.C. Kimlik No"),
            "pesel": self.env._("PESEL"),
            "rnokpp": self.env._("RNOKPP"),
        }
        return labels.get(scheme.code) if scheme else self.env._("National ID")

    @api.constrains("national_id", "country_id")
    def _check_national_id(self):
        reasons = {
            "digits_only": self.env._("it may contain digits only"),
            "length": self.env._("it must have %(length)s digits"),
            "checksum": self.env._("its check digit does not match"),
            "impossible": self.env._("it does not encode a possible date or number"),
            "malformed": self.env._("it is not a well-formed number"),
        }
        # Checked as superuser: users who may not read the number still change countries.
        for partner in self.sudo().filtered("national_id"):
            result = national_id.check(partner.national_id, partner._national_id_country())
            if not result.valid:
                raise ValidationError(
                    self.env._(
                        "%(person)s: %(number)s is not a valid %(kind)s: %(reason)s.",
                        person=partner.display_name,
                        number=partner.national_id,
                        kind=self._national_id_scheme_label(result.scheme),
                        reason=reasons[result.reason] % {"length": result.scheme.length},
                    )
                )

    def _compute_privacy_consent_state(self):
        today = fields.Date.context_today(self)
        for partner in self:
            consents = partner.privacy_consent_ids.filtered(lambda c: c.date_given <= today)
            if not consents:
                partner.privacy_consent_state = "none"
            elif any(not c.date_withdrawn or c.date_withdrawn > today for c in consents):
                partner.privacy_consent_state = "given"
            else:
                partner.privacy_consent_state = "withdrawn"

    def _compute_site_units(self):
        relation_model = self.env["site.unit.relation"]
        if not relation_model.has_access("read"):  # contacts are read by users of any app
            self.site_unit_count = 0
            self.site_role_summary = False
            return
        today = fields.Date.context_today(self)
        relations = relation_model.search(
            [("partner_id", "in", self.ids)] + relation_model._domain_active_on(today)
        )
        roles = dict(relation_model._fields["role"]._description_selection(self.env))
        for partner in self:
            mine = relations.filtered(lambda r, p=partner: r.partner_id == p)
            partner.site_unit_count = len(mine.unit_id)
            partner.site_role_summary = ", ".join(f"{roles[r.role]} {r.unit_id.code}" for r in mine)

    def action_site_relations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_residents.action_site_unit_relation"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
