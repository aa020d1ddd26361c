"""Residents' change requests on the portal: their contact details, who lives in their
unit and how many, applied by the site's staff after approval.

Anyone with a unit today may ask to change their own contact details; only the owner or
tenant of a unit today may ask for changes to its household. A unit or household member
outside those is not found, before anything is written with ``sudo()``.
"""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.site_residents.engine import history

from ..models.site_change_request import MEMBER_ROLES
from .portal import SitePortal

HOUSEHOLD_KINDS = ("member_add", "member_leave", "persons")
KINDS = ("contact", *HOUSEHOLD_KINDS)
# The form's inputs of each kind, as posted.
KIND_INPUTS = {
    "contact": ("new_phone", "new_email", "new_street", "new_zip", "new_city"),
    "member_add": ("member_name", "member_phone", "member_role", "member_date_from"),
    "member_leave": ("relation_id", "leave_date"),
    "persons": ("persons", "persons_date"),
}
DATE_INPUTS = ("member_date_from", "leave_date", "persons_date")
MAX_INPUT = 200


class SiteRequestsPortal(SitePortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "site_request_count" in counters:
            # The entry on /my shows for whoever holds a unit today: requests are made
            # for one of those.
            values["site_request_count"] = len(self._site_request_units("contact"))
        return values

    # --- what the person may ask for --------------------------------------------

    def _site_today(self):
        return fields.Date.context_today(request.env.user)

    def _site_held_relations(self):
        """The caller's relations of today as owner or tenant (sudo)."""
        Relation = request.env["site.unit.relation"].sudo()
        return Relation.search(
            Domain(
                [
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("role", "in", (history.OWNER, history.TENANT)),
                    ("unit_id.active", "=", True),
                ]
            )
            & Domain(Relation._domain_active_on(self._site_today()))
        )

    def _site_request_units(self, kind):
        """The units the caller may ask ``kind`` for (sudo): any unit they hold today for
        their contact details, a unit they own or rent today for its household."""
        if kind == "contact":
            unit_ids = [uid for uid, access in self._site_accesses().items() if access.current]
            return request.env["site.unit"].sudo().browse(unit_ids).sorted("code")
        return self._site_held_relations().unit_id.sorted("code")

    def _site_leaving_relations(self):
        """Household members of the caller, in units they own or rent, living there today
        or from a later day (sudo)."""
        units = self._site_request_units("member_leave")
        if not units:
            return request.env["site.unit.relation"].sudo()
        today = self._site_today()
        return (
            request.env["site.unit.relation"]
            .sudo()
            .search(
                [
                    ("unit_id", "in", units.ids),
                    ("role", "in", MEMBER_ROLES),
                    ("related_partner_id", "=", request.env.user.partner_id.id),
                    "|",
                    ("date_to", "=", False),
                    ("date_to", ">=", today),
                ],
                order="unit_id, date_from",
            )
        )

    # --- pages ------------------------------------------------------------------

    @http.route("/my/site/requests", type="http", auth="user", website=True, methods=["GET"])
    def site_requests(self, submitted=None, **kwargs):
        requests_sudo = (
            request.env["site.change.request"]
            .sudo()
            .search(
                [("partner_id", "=", request.env.user.partner_id.id)],
                order="date_submitted desc, id desc",
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_requests",
            change_requests=requests_sudo,
            submitted=requests_sudo.filtered(lambda r: str(r.id) == str(submitted)),
            can_request_contact=bool(self._site_request_units("contact")),
            can_request_household=bool(self._site_request_units("persons")),
        )
        return request.render("site_portal.portal_site_requests", values)

    def _site_request_form(self, kind, form=None, error=None):
        units = self._site_request_units(kind)
        Request = request.env["site.change.request"]
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_request_new",
            kind=kind,
            kind_label=dict(Request._fields["kind"]._description_selection(request.env))[kind],
            units=units,
            leaving=self._site_leaving_relations() if kind == "member_leave" else None,
            partner=request.env.user.partner_id,
            form=form or {},
            error=error,
            today=self._site_today(),
        )
        return request.render("site_portal.portal_site_request_form", values)

    @http.route(
        "/my/site/requests/new/<string:kind>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_request_new(self, kind, unit_id=None, **kwargs):
        if kind not in KINDS:
            raise NotFound()
        form = {"unit_id": unit_id} if unit_id else {}
        return self._site_request_form(kind, form=form)

    @http.route(
        "/my/site/requests/new/<string:kind>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def site_request_submit(self, kind, **post):
        if kind not in KINDS:
            raise NotFound()
        form = {
            name: (post.get(name) or "").strip()[:MAX_INPUT]
            for name in ("unit_id", "note", *KIND_INPUTS[kind])
        }
        vals = self._site_request_vals(kind, form)
        if isinstance(vals, str):
            return self._site_request_form(kind, form=form, error=vals)
        try:
            with request.env.cr.savepoint():
                change_request = request.env["site.change.request"].sudo().create(vals)
                change_request.action_submit()
        except (UserError, ValidationError) as error:
            return self._site_request_form(kind, form=form, error=error.args[0])
        return request.redirect(f"/my/site/requests?submitted={change_request.id}")

    def _site_request_vals(self, kind, form):
        """The request's values from the posted form, the unit and member checked to be
        the caller's (not found otherwise); or the message of a missing or malformed
        input."""
        Request = request.env["site.change.request"]
        if kind == "member_leave":
            relation_id = int(form["relation_id"]) if form["relation_id"].isdigit() else 0
            if not relation_id:
                return request.env._("Choose the household member who leaves.")
            relation = self._site_leaving_relations().filtered(lambda r: r.id == relation_id)
            if not relation:
                raise NotFound()
            unit = relation.unit_id
        else:
            units = self._site_request_units(kind)
            unit_id = int(form["unit_id"]) if form["unit_id"].isdigit() else 0
            if not unit_id and len(units) == 1:
                unit_id = units.id
            if not unit_id:
                return request.env._("Choose the unit.")
            unit = units.filtered(lambda u: u.id == unit_id)
            if not unit:
                raise NotFound()
        vals = {
            "kind": kind,
            "unit_id": unit.id,
            "partner_id": request.env.user.partner_id.id,
            "note": form["note"] or False,
        }
        for name in KIND_INPUTS[kind]:
            value = form[name]
            label = Request._fields[name]._description_string(request.env)
            if name in DATE_INPUTS:
                try:
                    value = fields.Date.to_date(value) if value else False
                except ValueError:
                    return request.env._("%(field)s: give a date.", field=label)
            elif name == "persons":
                if not value.isdigit():
                    return request.env._("%(field)s: give a whole number.", field=label)
                value = int(value)
            elif name == "relation_id":
                value = relation.id
            elif name == "member_role" and value not in MEMBER_ROLES:
                return request.env._(
                    "%(field)s: a household member is a family member or a resident.",
                    field=label,
                )
            vals[name] = value or False
        if kind == "persons":
            vals["persons"] = int(form["persons"])  # 0 is a valid answer
        return vals
