"""A resident's request to change their contact details or who lives in their unit.

Residents ask on the portal; the site's managers approve or reject. Approving applies the
change through site_residents' own models (the contact, the unit's dated relations, the
persons declarations) in one step: all of it or nothing, and only once.
"""

import re

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import email_normalize

from odoo.addons.site_residents.engine import history

KIND_SELECTION = [
    ("contact", "Contact Details"),
    ("member_add", "Household Member Moves In"),
    ("member_leave", "Household Member Leaves"),
    ("persons", "Number of Persons"),
]
STATE_SELECTION = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
MEMBER_ROLES = (history.RESIDENT, history.FAMILY)
# The contact fields a resident may change, as (request field, partner field).
CONTACT_FIELDS = (
    ("new_phone", "phone"),
    ("new_email", "email"),
    ("new_street", "street"),
    ("new_zip", "zip"),
    ("new_city", "city"),
)
# The field holding each kind's date: an error while applying names it.
KIND_DATE_FIELD = {
    "member_add": "member_date_from",
    "member_leave": "leave_date",
    "persons": "persons_date",
}
PHONE_CHARS = re.compile(r"\+?[0-9 ()./-]+")
ZIP_CHARS = re.compile(r"[0-9A-Za-z -]{2,12}")
MAX_PERSONS = 50


class SiteChangeRequest(models.Model):
    _name = "site.change.request"
    _description = "Change Request"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    unit_id = fields.Many2one(
        "site.unit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="unit_id.company_id", store=True, index=True, string="Site", precompute=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Requested By",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Submitted By",
        default=lambda self: self.env.user,
        readonly=True,
        help="The user who submitted the request: the resident on the portal, or the staff "
        "member who typed it in.",
    )
    kind = fields.Selection(KIND_SELECTION, required=True, default="contact", tracking=True)
    state = fields.Selection(
        STATE_SELECTION, required=True, default="draft", readonly=True, tracking=True, index=True
    )
    note = fields.Text(string="Remark", help="What the resident adds for the staff.")
    reject_reason = fields.Text(
        string="Reason for Rejection", tracking=True, help="The resident reads it on the portal."
    )
    date_submitted = fields.Datetime(readonly=True)
    decided_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    date_decided = fields.Datetime(string="Decided On", readonly=True)

    # Contact details: only what is filled in changes.
    new_phone = fields.Char(string="New Phone")
    new_email = fields.Char(string="New E-mail")
    new_street = fields.Char(string="New Street")
    new_zip = fields.Char(string="New ZIP")
    new_city = fields.Char(string="New City")
    current_phone = fields.Char(related="partner_id.phone", string="Current Phone")
    current_email = fields.Char(related="partner_id.email", string="Current E-mail")
    current_street = fields.Char(related="partner_id.street", string="Current Street")
    current_zip = fields.Char(related="partner_id.zip", string="Current ZIP")
    current_city = fields.Char(related="partner_id.city", string="Current City")

    # A household member moves in.
    member_name = fields.Char(string="Member's Name")
    member_phone = fields.Char(string="Member's Phone")
    member_role = fields.Selection(
        [(history.FAMILY, "Family Member"), (history.RESIDENT, "Resident")],
        string="Member Is",
        default=history.FAMILY,
    )
    member_date_from = fields.Date(string="Moves In On")
    member_partner_id = fields.Many2one(
        "res.partner",
        string="Member's Contact",
        check_company=True,
        help="The contact registered as the new member. Choose one if the person is already "
        "known; empty: a contact is created from the name and phone when approving.",
    )

    # A household member leaves.
    relation_id = fields.Many2one(
        "site.unit.relation",
        string="Leaving Member",
        check_company=True,
        domain="[('unit_id', '=', unit_id), ('role', 'in', ('resident', 'family'))]",
    )
    leave_date = fields.Date(string="Last Day in the Unit")

    # The number of persons living in the unit.
    persons = fields.Integer(string="Persons Living in the Unit")
    persons_date = fields.Date(string="Persons Valid From")

    # What approving created, for the staff to follow.
    result_relation_id = fields.Many2one(
        "site.unit.relation", string="Relation Created", readonly=True
    )
    result_persons_id = fields.Many2one(
        "site.unit.persons", string="Declaration Created", readonly=True
    )

    _persons_range = models.Constraint(
        "CHECK (persons IS NULL OR persons >= 0)", "The number of persons cannot be negative."
    )

    @api.depends("unit_id", "kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for request in self:
            request.display_name = self.env._(
                "Request %(number)s · %(unit)s · %(kind)s",
                number=request.id or "",
                unit=request.unit_id.code or "",
                kind=kinds.get(request.kind, ""),
            )

    # --- checks ----------------------------------------------------------------

    def _field_label(self, name):
        return self._fields[name]._description_string(self.env)

    def _required(self, *names):
        for name in names:
            if not self[name]:
                raise ValidationError(
                    self.env._(
                        "%(field)s: fill this in for a request of this kind.",
                        field=self._field_label(name),
                    )
                )

    def _check_phone(self, name):
        value = self[name]
        digits = sum(char.isdigit() for char in value or "")
        if value and (not PHONE_CHARS.fullmatch(value) or not 7 <= digits <= 15):
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is not a phone number (7 to 15 digits, "
                    "optionally with +, spaces and dashes).",
                    field=self._field_label(name),
                    value=value,
                )
            )

    @api.constrains(
        "kind",
        "new_phone",
        "new_email",
        "new_street",
        "new_zip",
        "new_city",
        "member_name",
        "member_phone",
        "member_role",
        "member_date_from",
        "member_partner_id",
        "relation_id",
        "leave_date",
        "persons",
        "persons_date",
    )
    def _check_request(self):
        for request in self:
            getattr(request, f"_check_{request.kind}")()

    def _check_contact(self):
        if not any(self[name] for name, _partner_field in CONTACT_FIELDS):
            raise ValidationError(self.env._("Fill in at least one of the new contact details."))
        self._check_phone("new_phone")
        if self.new_email and not email_normalize(self.new_email):
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is not an e-mail address.",
                    field=self._field_label("new_email"),
                    value=self.new_email,
                )
            )
        if self.new_zip and not ZIP_CHARS.fullmatch(self.new_zip):
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)s is not a postal code.",
                    field=self._field_label("new_zip"),
                    value=self.new_zip,
                )
            )

    def _check_member_add(self):
        if not self.member_partner_id:
            self._required("member_name")
        self._required("member_role", "member_date_from")
        if self.member_role not in MEMBER_ROLES:
            raise ValidationError(
                self.env._(
                    "%(field)s: a household member is a family member or a resident.",
                    field=self._field_label("member_role"),
                )
            )
        self._check_phone("member_phone")

    def _check_member_leave(self):
        self._required("relation_id", "leave_date")
        relation = self.relation_id
        if relation.unit_id != self.unit_id or relation.role not in MEMBER_ROLES:
            raise ValidationError(
                self.env._(
                    "%(field)s: choose a family member or resident of unit %(unit)s.",
                    field=self._field_label("relation_id"),
                    unit=self.unit_id.code,
                )
            )
        if self.leave_date < relation.date_from:
            raise ValidationError(
                self.env._(
                    "%(field)s: %(person)s only moved in on %(start)s; the last day cannot be "
                    "before it.",
                    field=self._field_label("leave_date"),
                    person=relation.partner_id.name,
                    start=relation.date_from,
                )
            )

    def _check_persons(self):
        self._required("persons_date")
        if not 0 <= self.persons <= MAX_PERSONS:
            raise ValidationError(
                self.env._(
                    "%(field)s: give a number from 0 to %(max)s.",
                    field=self._field_label("persons"),
                    max=MAX_PERSONS,
                )
            )

    # --- workflow --------------------------------------------------------------

    def _lock_in_state(self, state):
        """Lock the requests' rows and make sure they are all in ``state``: two managers
        approving at once cannot both apply a change."""
        self.flush_recordset(["state"])
        self.env.cr.execute(
            "SELECT id FROM site_change_request WHERE id IN %s AND state = %s FOR UPDATE",
            (tuple(self.ids), state),
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset(["state"])
        wrong = self.filtered(lambda request: request.id not in locked)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(request)s is %(state)s; only a %(expected)s request can do this.",
                    request=wrong[0].display_name,
                    state=states[wrong[0].state].lower(),
                    expected=states[state].lower(),
                )
            )

    def _site_manager(self):
        """The user who handles the request: a manager of its site, before an administrator."""
        self.ensure_one()
        manager = self.env.ref("site_residents.group_site_manager")
        admin = self.env.ref("site_residents.group_site_admin")
        users = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.id),
                    ("all_group_ids", "in", manager.id),
                ],
                order="id",
            )
        )
        return users.sorted(lambda user: (admin in user.all_group_ids, user.id))[:1]

    def action_submit(self):
        self._lock_in_state("draft")
        self.write({"state": "submitted", "date_submitted": fields.Datetime.now()})
        for request in self:
            request.message_subscribe(partner_ids=request.partner_id.ids)
            manager = request._site_manager()
            if manager:
                request.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=self.env._(
                        "Approve or reject %(request)s", request=request.display_name
                    ),
                )
        return True

    def action_approve(self):
        self.check_access("write")
        self._lock_in_state("submitted")
        # One savepoint for the batch: if a change fails, none of them is applied.
        with self.env.cr.savepoint():
            for request in self:
                request._apply()
            self.write(
                {
                    "state": "approved",
                    "decided_by_id": self.env.uid,
                    "date_decided": fields.Datetime.now(),
                }
            )
        for request in self:
            request.activity_feedback(["mail.mail_activity_data_todo"])
            request.message_post(
                body=self.env._("Your request was approved and the change recorded."),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    def action_reject(self):
        self.check_access("write")
        missing = self.filtered(lambda request: not (request.reject_reason or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "%(request)s: write the %(field)s first; the resident reads it.",
                    request=missing[0].display_name,
                    field=self._field_label("reject_reason"),
                )
            )
        self._lock_in_state("submitted")
        self.write(
            {
                "state": "rejected",
                "decided_by_id": self.env.uid,
                "date_decided": fields.Datetime.now(),
            }
        )
        for request in self:
            request.activity_feedback(["mail.mail_activity_data_todo"])
            request.message_post(
                body=self.env._(
                    "Your request was rejected: %(reason)s", reason=request.reject_reason
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return True

    # --- applying ---------------------------------------------------------------

    def _apply(self):
        """Make the requested change with the approving user's rights; a refusal by
        site_residents' rules names the request's field it comes from."""
        self.ensure_one()
        try:
            getattr(self, f"_apply_{self.kind}")()
        except ValidationError as error:
            if self.kind not in KIND_DATE_FIELD:
                raise
            raise ValidationError(
                self.env._(
                    "%(request)s, %(field)s: %(error)s",
                    request=self.display_name,
                    field=self._field_label(KIND_DATE_FIELD[self.kind]),
                    error=error.args[0],
                )
            ) from error

    def _apply_contact(self):
        values = {
            partner_field: self[name].strip()
            for name, partner_field in CONTACT_FIELDS
            if self[name] and self[name].strip()
        }
        changes = [
            f"{self._field_label(name)}: {self.partner_id[partner_field] or '—'} → "
            f"{values[partner_field]}"
            for name, partner_field in CONTACT_FIELDS
            if partner_field in values
        ]
        self.partner_id.write(values)
        self.message_post(body=Markup("<br/>").join(changes))

    def _apply_member_add(self):
        member = self.member_partner_id
        if not member:
            member = self.env["res.partner"].create(
                {
                    "name": self.member_name.strip(),
                    "phone": (self.member_phone or "").strip() or False,
                    "company_id": self.company_id.id,
                    "country_id": self.company_id.country_id.id,
                }
            )
            self.member_partner_id = member
        self.result_relation_id = self.env["site.unit.relation"].create(
            {
                "unit_id": self.unit_id.id,
                "partner_id": member.id,
                "role": self.member_role,
                "date_from": self.member_date_from,
                "related_partner_id": self.partner_id.id,
                "lives_here": True,
            }
        )

    def _apply_member_leave(self):
        relation = self.relation_id
        if relation.date_to and relation.date_to < self.leave_date:
            raise ValidationError(
                self.env._(
                    "%(person)s already left unit %(unit)s on %(end)s.",
                    person=relation.partner_id.name,
                    unit=relation.unit_id.code,
                    end=relation.date_to,
                )
            )
        relation.write({"date_to": self.leave_date})

    def _apply_persons(self):
        Persons = self.env["site.unit.persons"]
        if Persons.search_count(
            [("unit_id", "=", self.unit_id.id), ("date", "=", self.persons_date)], limit=1
        ):
            raise ValidationError(
                self.env._(
                    "Unit %(unit)s already has a persons declaration valid from %(date)s; "
                    "correct that one instead.",
                    unit=self.unit_id.code,
                    date=self.persons_date,
                )
            )
        self.result_persons_id = Persons.create(
            {
                "unit_id": self.unit_id.id,
                "date": self.persons_date,
                "persons": self.persons,
                "declared_by_id": self.partner_id.id,
                "note": self.display_name,
            }
        )
