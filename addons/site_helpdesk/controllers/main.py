"""OCA's new-ticket form and its closing buttons, for the sites' residents.

A person who holds units today opens a ticket for one of them (and no other unit), in
one of the suite's categories, with photos or PDFs; the ticket goes to the unit's site
and is routed to its team. Closing a ticket is a form with the CSRF token, for the
caller's own tickets only.
"""

import werkzeug
from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.http import request
from odoo.tools.mimetypes import guess_mimetype

from odoo.addons.helpdesk_type.controllers.main import HelpdeskTicketControllerTypes
from odoo.addons.site_portal.engine import throttle

from .portal import site_accesses, site_ticket

# Photos and documents a resident attaches: camera images and PDFs (no SVG: it could
# carry script), at most this many of at most this size each.
ATTACHMENT_TYPES = (
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "image/heif",
    "application/pdf",
)
ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 5
# A resident may open this many tickets an hour (system parameter
# site_helpdesk.ticket_limit overrides the number).
TICKET_LIMIT = 10
TICKET_WINDOW_SECONDS = 3600


class SiteHelpdeskTicketController(HelpdeskTicketControllerTypes):
    def _site_units(self):
        """The units the caller holds today (sudo), for which they open tickets."""
        unit_ids = [unit_id for unit_id, access in site_accesses().items() if access.current]
        return request.env["site.unit"].sudo().browse(unit_ids).sorted(lambda u: u.code_sort)

    def _site_categories(self, sites):
        return (
            request.env["helpdesk.ticket.category"]
            .sudo()
            .search(
                [
                    ("site_kind", "!=", False),
                    ("show_in_portal", "=", True),
                    ("company_id", "in", [False, *sites.ids]),
                ]
            )
        )

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        units = self._site_units()
        if units:
            values.update(
                site_units=units,
                categories=self._site_categories(units.company_id),
                teams=False,
                ticket_category_id_required=True,
                site_form=kw.get("site_form") or {},
                site_error=kw.get("site_error"),
            )
        return values

    @http.route()
    def submit_ticket(self, **kw):
        units = self._site_units()
        if units:
            error = self._site_check_submission(units, kw)
            if error:
                values = self._get_create_new_ticket_values(
                    site_form={
                        k: kw.get(k) for k in ("site_unit", "category", "subject", "description")
                    },
                    site_error=error,
                )
                return request.render("helpdesk_mgmt.portal_create_ticket", values)
        return super().submit_ticket(**kw)

    def _site_check_submission(self, units, kw):
        """The message of what is wrong with a resident's new ticket, or None; a unit or
        category that is not theirs to choose is not found."""
        unit_id = int(kw["site_unit"]) if (kw.get("site_unit") or "").isdigit() else 0
        if not unit_id:
            return request.env._("Choose the unit.")
        unit = units.filtered(lambda u: u.id == unit_id)
        if not unit:
            raise NotFound()
        category_id = int(kw["category"]) if (kw.get("category") or "").isdigit() else 0
        if not category_id:
            return request.env._("Choose the category.")
        if category_id not in self._site_categories(unit.company_id).ids:
            raise NotFound()
        if not (kw.get("subject") or "").strip() or not (kw.get("description") or "").strip():
            return request.env._("Write the subject and what happened.")
        files = [f for f in request.httprequest.files.getlist("attachment") if f.filename]
        if len(files) > ATTACHMENT_MAX_COUNT:
            return request.env._(
                "Attach at most %(count)s photos or documents.", count=ATTACHMENT_MAX_COUNT
            )
        for upload in files:
            data = upload.read()
            upload.seek(0)
            if len(data) > ATTACHMENT_MAX_BYTES or guess_mimetype(data) not in ATTACHMENT_TYPES:
                return request.env._(
                    "%(file)s: attach photos (JPEG, PNG, WebP, HEIC) or PDFs of at most %(mb)s MB.",
                    file=upload.filename,
                    mb=ATTACHMENT_MAX_BYTES // (1024 * 1024),
                )
        if self._site_ticket_wait():
            return request.env._(
                "You have opened many tickets in a short time; try again later or call the "
                "site's management."
            )
        return None

    def _site_ticket_wait(self):
        """Seconds the caller must wait before opening another ticket."""
        now = fields.Datetime.now()
        limit = int(
            request.env["ir.config_parameter"].sudo().get_param("site_helpdesk.ticket_limit")
            or TICKET_LIMIT
        )
        times = (
            request.env["helpdesk.ticket"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("create_uid", "=", request.env.user.id),
                    (
                        "create_date",
                        ">",
                        fields.Datetime.subtract(now, seconds=TICKET_WINDOW_SECONDS),
                    ),
                ]
            )
            .mapped("create_date")
        )
        return throttle.wait_seconds(times, now, limit, TICKET_WINDOW_SECONDS)

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        units = self._site_units()
        if units:
            unit = units.filtered(lambda u: u.id == int(kw["site_unit"]))
            vals.update(company_id=unit.company_id.id, site_unit_id=unit.id, team_id=False)
            # the routed team's first stage, set when the ticket is created
            vals.pop("stage_id", None)
            if kw.get("site_urgent"):
                vals["priority"] = "2"
        return vals

    def _site_stages(self, ticket):
        """The stages ``ticket`` may take: its team's, or those of no team."""
        if ticket.team_id:
            return ticket.team_id._get_applicable_stages()
        return (
            request.env["helpdesk.ticket.stage"]
            .sudo()
            .search([("company_id", "in", [False, ticket.company_id.id]), ("team_ids", "=", False)])
        )

    @http.route("/ticket/close", type="http", auth="user", methods=["POST"])
    def support_ticket_close(self, **kw):
        """Close the caller's own ticket in a stage that may be chosen on the portal."""
        ticket_id = int(kw["ticket_id"]) if (kw.get("ticket_id") or "").isdigit() else 0
        stage_id = int(kw["stage_id"]) if (kw.get("stage_id") or "").isdigit() else 0
        ticket = site_ticket(ticket_id)
        if ticket is None:
            # a ticket of no site: OCA's rules say whose it is
            ticket = request.env["helpdesk.ticket"].search([("id", "=", ticket_id)]).sudo()
            if not ticket:
                raise NotFound()
        stage = request.env["helpdesk.ticket.stage"].sudo().browse(stage_id).exists()
        if stage.close_from_portal and not ticket.closed and stage in self._site_stages(ticket):
            ticket.stage_id = stage
        return werkzeug.utils.redirect(f"/my/ticket/{ticket.id}")
