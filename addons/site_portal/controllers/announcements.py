"""Announcements on the residents' portal.

A person reads the live announcements whose audience holds them today (their own
current relations to the site's units; board members also their sites' board
announcements). Anything else is not found, before ``sudo()`` reads it; opening one
records the person's first reading.
"""

import textwrap

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.fields import Domain
from odoo.http import request
from odoo.tools.mail import html_to_inner_content

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import SitePortal

PAGE_SIZE = 20
HOME_COUNT = 3
PREVIEW_CHARS = 160


class SiteAnnouncementPortal(SitePortal):
    def _site_announcement_domain(self):
        user = request.env.user
        if user._is_public():
            return Domain.FALSE
        return request.env["site.announcement"]._site_visible_domain(user)

    def _site_announcement(self, announcement_id):
        """The caller's live announcement (sudo); not found otherwise."""
        announcement = (
            request.env["site.announcement"]
            .sudo()
            .search(
                Domain.AND([Domain("id", "=", announcement_id), self._site_announcement_domain()]),
                limit=1,
            )
        )
        if not announcement:
            raise NotFound()
        return announcement

    def _site_announcement_list_values(self, announcements):
        """Which of ``announcements`` the caller has read, and a short preview of each."""
        read = (
            request.env["site.announcement.read"]
            .sudo()
            .search(
                [
                    ("announcement_id", "in", announcements.ids),
                    ("partner_id", "=", request.env.user.partner_id.id),
                ]
            )
        )
        return {
            "read_ids": set(read.announcement_id.ids),
            "previews": {
                announcement.id: textwrap.shorten(
                    html_to_inner_content(announcement.body), PREVIEW_CHARS, placeholder=" …"
                )
                for announcement in announcements
            },
        }

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "site_announcement_count" in counters:
            values["site_announcement_count"] = (
                request.env["site.announcement"]
                .sudo()
                .search_count(self._site_announcement_domain())
            )
        if not counters and not request.env.user._is_public():
            latest = (
                request.env["site.announcement"]
                .sudo()
                .search(self._site_announcement_domain(), limit=HOME_COUNT)
            )
            values["site_announcements"] = latest
            values["site_announcement_values"] = self._site_announcement_list_values(latest)
        return values

    @http.route(
        ["/my/site/announcements", "/my/site/announcements/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_announcements(self, page=1, **kwargs):
        Announcement = request.env["site.announcement"].sudo()
        domain = self._site_announcement_domain()
        pager = portal_pager(
            url="/my/site/announcements",
            total=Announcement.search_count(domain),
            page=page,
            step=PAGE_SIZE,
        )
        announcements = Announcement.search(domain, limit=PAGE_SIZE, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="site_announcements",
            announcements=announcements,
            pager=pager,
            **self._site_announcement_list_values(announcements),
        )
        return request.render("site_portal.portal_site_announcements", values)

    @http.route(
        "/my/site/announcements/<int:announcement_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_announcement(self, announcement_id, **kwargs):
        announcement = self._site_announcement(announcement_id)
        announcement._site_mark_read(request.env.user)
        values = self._prepare_portal_layout_values()
        values.update(page_name="site_announcement", announcement=announcement)
        return request.render("site_portal.portal_site_announcement", values)

    @http.route(
        "/my/site/announcements/<int:announcement_id>/attachments/<int:attachment_id>",
        type="http",
        auth="user",
        website=True,
        methods=["GET"],
    )
    def site_announcement_attachment(self, announcement_id, attachment_id, **kwargs):
        announcement = self._site_announcement(announcement_id)
        attachment = announcement.attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not attachment:
            raise NotFound()
        return (
            request.env["ir.binary"]
            ._get_stream_from(attachment, "raw")
            .get_response(as_attachment=True)
        )
