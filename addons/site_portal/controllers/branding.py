"""The site's own sign-in page, its web app manifest and home screen icons.

These routes are public and answer with public branding data only (name, colours,
logo, contact); the site is looked up with ``sudo()`` and only a site is ever shown.
"""

import hashlib
import json

from werkzeug.exceptions import NotFound
from werkzeug.urls import url_encode

from odoo import http
from odoo.http import request

from odoo.addons.auth_signup.controllers.main import AuthSignupHome
from odoo.addons.portal.controllers.portal import CustomerPortal

from ..engine import branding

# Remembers the site of the last branded sign-in (a public hint, no personal data), so
# that the sign-in page after a logout or from the home screen icon keeps its look.
SITE_COOKIE = "site_portal_site"
SITE_COOKIE_AGE = 365 * 24 * 3600
ICON_SIZES = (180, 192, 512)  # apple-touch-icon, and the two sizes Android asks for
MANIFEST_ICON_SIZES = (192, 512)


def _remember_site(response, site):
    response.set_cookie(
        SITE_COOKIE,
        site.site_portal_slug or str(site.id),
        max_age=SITE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
    )


class SitePortalLogin(AuthSignupHome):
    @http.route()
    def web_login(self, *args, **kw):
        response = super().web_login(*args, **kw)
        Company = request.env["res.company"]
        if request.params.get("login_success") and request.session.uid:
            site = request.env.user._site_portal_brand_site()
            if site:
                _remember_site(response, site)
            return response
        asked = request.params.get("site")
        site = Company._site_portal_find(asked or request.httprequest.cookies.get(SITE_COOKIE))
        if site and getattr(response, "is_qweb", False):
            response.qcontext["site_brand"] = site._site_portal_branding()
            if asked:
                _remember_site(response, site)
        return response

    def do_signup(self, qcontext, *args, **kwargs):
        # The sites' rules before Odoo spends the e-mailed link: a refused password must
        # leave it valid for the next try.
        token, password = qcontext.get("token"), qcontext.get("password")
        partner = token and request.env["res.partner"].sudo()._get_partner_from_token(token)
        if partner and password:
            partner.user_ids._site_check_password_rules([password])
        return super().do_signup(qcontext, *args, **kwargs)


class SitePortalBranding(http.Controller):
    def _site(self, key):
        site = request.env["res.company"]._site_portal_find(str(key))
        if not site:
            raise NotFound()
        return site

    @http.route(
        "/site/<string:site>/login", type="http", auth="public", methods=["GET"], sitemap=False
    )
    def site_login(self, site, redirect=None, **kwargs):
        """The site's sign-in page: Odoo's own login form in the site's colours."""
        site = self._site(site)
        query = {"site": site.site_portal_slug or site.id}
        if redirect:
            query["redirect"] = redirect
        return request.redirect(f"/web/login?{url_encode(query)}")

    @http.route(
        "/site/<int:company_id>/manifest.webmanifest",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def site_manifest(self, company_id, **kwargs):
        site = self._site(company_id)
        brand = site._site_portal_branding()
        document = branding.manifest(
            app_id=f"/my?site={brand['slug'] or site.id}",
            name=brand["name"],
            short=brand["short_name"],
            start_url="/my",
            scope="/",
            theme_color=brand["theme_color"],
            background_color="#ffffff",
            icons=[(f"/site/{site.id}/icon-{size}.png", size) for size in MANIFEST_ICON_SIZES],
        )
        return request.make_response(
            json.dumps(document, ensure_ascii=False),
            headers=[
                ("Content-Type", "application/manifest+json; charset=utf-8"),
                ("Cache-Control", "public, max-age=3600"),
            ],
        )

    @http.route(
        "/site/<int:company_id>/icon-<int:size>.png",
        type="http",
        auth="public",
        methods=["GET"],
        sitemap=False,
        readonly=True,
    )
    def site_icon(self, company_id, size, **kwargs):
        if size not in ICON_SIZES:
            raise NotFound()
        site = self._site(company_id)
        version = f"{site.id}-{size}-{site.write_date}-{site.partner_id.write_date}"
        etag = hashlib.sha256(version.encode()).hexdigest()[:32]
        if request.httprequest.if_none_match.contains(etag):
            response = request.make_response(b"", status=304)
        else:
            response = request.make_response(
                site._site_portal_icon(size), headers=[("Content-Type", "image/png")]
            )
        response.set_etag(etag)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


class SitePortalAccount(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if not counters:
            values["site_brand"] = request.env.user._site_portal_brand()
        return values

    def _prepare_portal_layout_values(self):
        values = super()._prepare_portal_layout_values()
        # The new-password field of the security page asks for the sites' minimum length
        # (auth_password_policy_portal reads the global one only).
        if request.httprequest.path == "/my/security":
            minimum = request.env.user._site_password_policy().minlength
            current = int(values.get("password_minimum_length") or 0)
            if minimum > current:
                values["password_minimum_length"] = minimum
        return values
