"""Votes on the residents' portal.

A person sees the open and closed votes of the units they vote for today (among the
units they own, from their own relations: ``site.portal._access``) and of the votes they
cast; anything else, another unit's vote included, is not found before ``sudo()``
reads it. The choice travels in the body of a POST carrying Odoo's CSRF token, never in
a URL (the server's access log has URLs only).
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.site_portal.controllers.portal import SitePortal


class SiteGovernancePortal(SitePortal):
    def _site_resolution(self, resolution_id):
        """The caller's resolution (sudo) and their roll rows in it; not found otherwise."""
        partner = request.env.user.partner_id
        resolution = request.env["site.resolution"].sudo().browse(resolution_id).exists()
        votes = (
            request.env["site.portal"]._site_votes(partner, resolution)
            if resolution
            else request.env["site.vote"]
        )
        if not votes:
            raise NotFound()
        return resolution, votes

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if request.env.user._is_public():
            return values
        if "site_vote_count" in counters or not counters:
            partner = request.env.user.partner_id
            portal = request.env["site.portal"]
            votes = portal._site_votes(partner)
            if "site_vote_count" in counters:
                values["site_vote_count"] = len(votes.resolution_id)
            if not counters:
                # the units they vote for today that have not voted in an open window
                voting_units = portal._site_voting_units(partner)
                values["site_votes_waiting"] = votes.filtered(
                    lambda vote: (
                        not vote.voted
                        and vote.unit_id in voting_units
                        and vote.resolution_id._window_open()
                    )
                ).resolution_id
        return values

    @http.route("/my/site/votes", type="http", auth="user", website=True, methods=["GET"])
    def site_votes(self, **kwargs):
        partner = request.env.user.partner_id
        portal = request.env["site.portal"]
        votes = portal._site_votes(partner)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_votes",
            resolutions=portal._site_resolutions(partner),
            votes_by_resolution=votes.grouped("resolution_id"),
        )
        return request.render("site_governance.portal_site_votes", values)

    def _site_vote_page(self, resolution, votes, error=None, cast_unit=None):
        partner = request.env.user.partner_id
        voting_units = request.env["site.portal"]._site_voting_units(partner)
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_vote",
            resolution=resolution,
            votes=votes,
            voting_unit_ids=set(voting_units.ids),
            window_open=resolution._window_open(),
            results=resolution._results()[resolution.id] if resolution.state == "closed" else None,
            error=error,
            cast_unit=cast_unit,
        )
        return request.render("site_governance.portal_site_vote", values)

    @http.route(
        "/my/site/votes/<int:resolution_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_vote(self, resolution_id, cast=None, **kwargs):
        resolution, votes = self._site_resolution(resolution_id)
        cast_unit = votes.unit_id.filtered(lambda unit: str(unit.id) == cast)
        return self._site_vote_page(resolution, votes, cast_unit=cast_unit)

    @http.route(
        "/my/site/votes/<int:resolution_id>/units/<int:unit_id>",
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def site_vote_cast(self, resolution_id, unit_id, choice=None, **kwargs):
        resolution, votes = self._site_resolution(resolution_id)
        partner = request.env.user.partner_id
        voting_units = request.env["site.portal"]._site_voting_units(partner)
        vote = votes.filtered(lambda v: v.unit_id.id == unit_id and v.unit_id in voting_units)
        if not vote:
            raise NotFound()
        try:
            with request.env.cr.savepoint():
                # sudo: residents have no rights on votes; the checks above made it theirs
                vote.with_user(request.env.user).sudo()._cast(
                    choice, source="portal", voter=partner
                )
        except (UserError, ValidationError) as error:
            return self._site_vote_page(resolution, votes, error=error.args[0])
        return request.redirect(f"/my/site/votes/{resolution.id}?cast={unit_id}")

    @http.route(
        "/my/site/votes/<int:resolution_id>/attachments/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_vote_attachment(self, resolution_id, attachment_id, **kwargs):
        resolution, _votes = self._site_resolution(resolution_id)
        attachment = resolution.attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise NotFound()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment, "raw")
            .get_response(as_attachment=True)
        )

    @http.route(
        "/my/site/votes/<int:resolution_id>/protocol",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_vote_protocol(self, resolution_id, **kwargs):
        resolution, _votes = self._site_resolution(resolution_id)
        if resolution.state != "closed":
            raise NotFound()
        return self._site_pdf(
            "site_governance.action_report_resolution_protocol",
            resolution,
            request.env._("Protocol %(name)s", name=resolution.name),
        )
