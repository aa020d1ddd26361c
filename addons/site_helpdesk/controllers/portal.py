"""The residents' tickets on OCA's helpdesk portal pages, restricted to their units.

A resident sees the tickets they reported and those of the units they hold today
(``helpdesk.ticket._site_portal_domain``, which the record rule repeats for the ORM); a
site's ticket outside them is "not found", whatever access token comes with the link.
They open tickets for the units they hold today only, with photos, write messages,
accept a quote and rate the work once the ticket is closed.
"""

from werkzeug.exceptions import NotFound

from odoo import fields, http
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk
from odoo.addons.site_residents.engine import history

# Site status messages after a form, by the code in the page's address.
SITE_NOTICES = ("accepted", "already_accepted", "declined", "rated")


def site_accesses():
    """{unit id: access} of the caller's own relations (site_portal's rule)."""
    user = request.env.user
    if user._is_public():
        return {}
    return request.env["site.portal"]._access(user.partner_id)


def site_ticket(ticket_id):
    """The caller's ticket of a site (sudo); not found for any other ticket of a site.
    None for a ticket of no site (OCA's own rules then apply)."""
    ticket = request.env["helpdesk.ticket"].sudo().browse(ticket_id).exists()
    if not ticket or not ticket.company_id.is_site:
        return None
    if request.env.user._is_public():
        raise NotFound()
    domain = ticket._site_portal_domain(request.env.user.partner_id)
    if not ticket.search_count(domain & Domain("id", "=", ticket.id)):
        raise NotFound()
    return ticket


class SiteHelpdeskPortal(CustomerPortalHelpdesk):
    @http.route()
    def portal_my_tickets(self, *args, **kwargs):
        # The person's tickets of each of their sites, not only of their main one; the
        # rule chose them, the page reads their units and categories.
        user = request.env.user
        request.update_context(allowed_company_ids=user.company_ids.ids)
        response = super().portal_my_tickets(*args, **kwargs)
        if "grouped_tickets" in getattr(response, "qcontext", {}):
            response.qcontext["grouped_tickets"] = [
                tickets.sudo() for tickets in response.qcontext["grouped_tickets"]
            ]
        return response

    def _prepare_home_portal_values(self, counters):
        # The home page's "Open requests": the person's tickets not closed yet, the
        # newest first, beside their units' notices.
        values = super()._prepare_home_portal_values(counters)
        if counters or request.env.user._is_public():
            return values
        Ticket = request.env["helpdesk.ticket"].sudo()
        domain = Ticket._site_portal_domain(request.env.user.partner_id) & Domain(
            "stage_id.closed", "=", False
        )
        values["site_open_tickets"] = Ticket.search(
            domain, order="create_date desc, id desc", limit=5
        )
        values["site_open_ticket_count"] = Ticket.search_count(domain)
        return values

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kwargs):
        if request.env.user._is_public():
            ticket = request.env["helpdesk.ticket"].sudo().browse(ticket_id).exists()
            if ticket and ticket.company_id.is_site:
                return request.redirect(f"/web/login?redirect=/my/ticket/{ticket_id}")
        ticket = site_ticket(ticket_id)
        if ticket is None:
            return super().portal_my_ticket(ticket_id, access_token=access_token, **kwargs)
        for attachment in ticket.attachment_ids:
            attachment.generate_access_token()
        values = self._ticket_get_page_view_values(ticket, None, **kwargs)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        if not ticket.company_id.is_site:
            return values
        partner = request.env.user.partner_id
        values.update(
            site_history=self._site_stage_history(ticket),
            site_can_accept=ticket.site_service_state == "quoted"
            and self._site_holds_as_payer(ticket.site_unit_id),
            site_can_rate=ticket.closed and ticket.partner_id == partner,
            site_my_rating=ticket.rating_ids.filtered(
                lambda r: r.partner_id == partner and r.consumed
            )[:1],
            site_notice=kwargs.get("site") if kwargs.get("site") in SITE_NOTICES else None,
            site_error=kwargs.get("site_error"),
        )
        return values

    def _site_stage_history(self, ticket):
        """[(date, stage name)] of the ticket's stages, from when it came in (from its
        last change when its stages were not tracked)."""
        trackings = (
            request.env["mail.tracking.value"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", ticket._name),
                    ("mail_message_id.res_id", "=", ticket.id),
                    ("field_id.name", "=", "stage_id"),
                    ("field_id.model", "=", ticket._name),
                ],
                order="create_date, id",
            )
        )
        if not trackings:
            return [(ticket.last_stage_update or ticket.create_date, ticket.stage_id.name)]
        rows = [(ticket.create_date, trackings[0].old_value_char)]
        rows += [(tracking.create_date, tracking.new_value_char) for tracking in trackings]
        return [row for row in rows if row[1]]

    def _site_holds_as_payer(self, unit):
        """Whether the caller owns or rents ``unit`` today: who may accept its charges."""
        if not unit:
            return False
        Relation = request.env["site.unit.relation"].sudo()
        return bool(
            Relation.search_count(
                [
                    ("unit_id", "=", unit.id),
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("role", "in", (history.OWNER, history.TENANT)),
                    *Relation._domain_active_on(fields.Date.context_today(Relation)),
                ],
                limit=1,
            )
        )

    # --- quote and rating ---------------------------------------------------------------

    def _site_redirect(self, ticket, **params):
        query = "&".join(f"{key}={value}" for key, value in params.items())
        return request.redirect(f"/my/ticket/{ticket.id}" + (f"?{query}" if query else ""))

    @http.route(
        "/my/ticket/<int:ticket_id>/quote/accept",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def site_quote_accept(self, ticket_id, amount=None, **kwargs):
        ticket = site_ticket(ticket_id)
        if ticket is None or not self._site_holds_as_payer(ticket.site_unit_id):
            raise NotFound()
        try:
            amount_seen = float(amount or "")
        except ValueError:
            raise NotFound() from None
        partner = request.env.user.partner_id
        try:
            accepted = ticket._site_accept_service(partner, partner, amount_seen)
        except UserError as error:
            return self._site_render_error(ticket, error.args[0])
        return self._site_redirect(ticket, site="accepted" if accepted else "already_accepted")

    @http.route(
        "/my/ticket/<int:ticket_id>/quote/decline",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def site_quote_decline(self, ticket_id, **kwargs):
        ticket = site_ticket(ticket_id)
        if ticket is None or not self._site_holds_as_payer(ticket.site_unit_id):
            raise NotFound()
        try:
            ticket._site_decline_service(request.env.user.partner_id)
        except UserError as error:
            return self._site_render_error(ticket, error.args[0])
        return self._site_redirect(ticket, site="declined")

    @http.route(
        "/my/ticket/<int:ticket_id>/rate",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def site_rate(self, ticket_id, rating=None, feedback=None, **kwargs):
        ticket = site_ticket(ticket_id)
        partner = request.env.user.partner_id
        if ticket is None or ticket.partner_id != partner:
            raise NotFound()
        try:
            value = int(rating or 0)
            ticket._site_rate(partner, value, (feedback or "").strip()[:2000])
        except (ValueError, UserError) as error:
            message = error.args[0] if isinstance(error, UserError) else None
            return self._site_render_error(
                ticket, message or request.env._("A rating is from 1 to 5.")
            )
        return self._site_redirect(ticket, site="rated")

    def _site_render_error(self, ticket, message):
        values = self._ticket_get_page_view_values(ticket, None, site_error=message)
        return request.render("helpdesk_mgmt.portal_helpdesk_ticket_page", values)

    # --- the board's figures ------------------------------------------------------------

    @http.route("/my/site/helpdesk", type="http", auth="user", website=True, methods=["GET"])
    def site_helpdesk_figures(self, months=None, **kwargs):
        user = request.env.user
        if not user.has_group("site_residents.group_site_board"):
            raise NotFound()
        months = int(months) if months in ("1", "3", "12") else 3
        sites = user.company_ids.filtered("is_site")
        figures = (
            request.env["site.helpdesk.performance"]
            .with_context(allowed_company_ids=user.company_ids.ids)
            ._site_board_figures(sites, months)
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_helpdesk_figures", figures=figures, months=months, sites=sites
        )
        return request.render("site_helpdesk.portal_site_helpdesk_figures", values)
