import re

from markupsafe import escape

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import image as image_tools
from odoo.tools.misc import file_path

from ..engine import branding, password_policy
from ..engine import fee as fee_engine

# A website allowed to embed the pay widget: scheme, host and optional port.
WIDGET_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?")
# A site's part of its portal addresses: /site/<slug>/login.
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Letters of home screen icons of sites without a logo (Latin and Cyrillic).
ICON_FONT = "web/static/fonts/sign/NotoSans-Reg.ttf"


class ResCompany(models.Model):
    _inherit = "res.company"

    site_privacy_notice = fields.Html(
        string="Privacy Notice",
        translate=True,
        help="The site's notice on how it processes residents' personal data (KVKK "
        "aydınlatma metni, GDPR information), shown on the portal's privacy page.",
    )

    def _site_deletion_models(self):
        """A site's payment providers (Odoo gives every company its own) go with it,
        before the journals they post to."""
        return ["payment.provider", *super()._site_deletion_models()]

    # --- online payment (pay pages, provider fee, pay widget) ---------------

    site_payment_fee_percent = fields.Float(
        string="Provider Fee Passed to Payers (%)",
        digits=(5, 2),
        help="The payment provider's percent, asked of residents paying online on top of "
        "their debts (grossed up so that the site receives the debt in full). 0 and no "
        "fixed amount: the site bears the provider's fee.",
    )
    site_payment_fee_fixed = fields.Monetary(
        string="Provider Fixed Fee Passed to Payers",
        currency_field="currency_id",
        help="The payment provider's fixed fee per payment, asked of residents paying online.",
    )
    site_payment_fee_account_id = fields.Many2one(
        "account.account",
        string="Provider Fee Income Account",
        check_company=True,
        help="Where the fee paid by residents is booked (e.g. other income); the provider's "
        "own fee is booked as an expense when its payout is reconciled, so the two offset.",
    )
    site_pay_widget_origins = fields.Char(
        string="Pay Widget Allowed On",
        help="The site's own websites allowed to embed the pay widget, separated by spaces "
        "(e.g. https://www.example-site.com). Empty: no website may embed it.",
    )
    site_pay_widget_snippet = fields.Text(
        string="Pay Widget Snippet",
        compute="_compute_site_pay_widget_snippet",
        help="HTML to paste on the site's website: a frame where residents type their unit's "
        "code and payment reference and pay its balance.",
    )
    site_payment_setup_notes = fields.Text(
        string="Payment Providers to Set Up",
        compute="_compute_site_payment_setup_notes",
        help="The site's payment providers that are disabled, with what to enter to enable them.",
    )

    def _compute_site_pay_widget_snippet(self):
        for company in self:
            url = f"{company.get_base_url()}/site/{company.id}/pay-widget"
            company.site_pay_widget_snippet = (
                f'<iframe src="{escape(url)}" title="{escape(company.name)}" loading="lazy" '
                'style="width:100%;max-width:420px;height:480px;border:0"></iframe>'
                if company.id and company.is_site
                else False
            )

    def _compute_site_payment_setup_notes(self):
        providers = (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.ids),
                    ("state", "=", "disabled"),
                    ("site_setup_note", "!=", False),
                ]
            )
        )
        for company in self:
            company.site_payment_setup_notes = (
                "\n\n".join(
                    f"{provider.name}: {provider.site_setup_note}"
                    for provider in providers
                    if provider.company_id == company
                )
                or False
            )

    @api.constrains(
        "site_payment_fee_percent", "site_payment_fee_fixed", "site_payment_fee_account_id"
    )
    def _check_site_payment_fee(self):
        for company in self:
            try:
                fee_engine.check(company.site_payment_fee_percent, company.site_payment_fee_fixed)
            except fee_engine.FeeError as error:
                raise ValidationError(
                    self.env._("Site %(site)s: %(error)s", site=company.name, error=error)
                ) from error
            passes_fee = company.site_payment_fee_percent or company.site_payment_fee_fixed
            if passes_fee and not company.site_payment_fee_account_id:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: choose the Provider Fee Income Account to pass the "
                        "provider's fee to payers.",
                        site=company.name,
                    )
                )

    @api.constrains("site_pay_widget_origins")
    def _check_site_pay_widget_origins(self):
        for company in self:
            wrong = [
                origin
                for origin in (company.site_pay_widget_origins or "").split()
                if not WIDGET_ORIGIN.fullmatch(origin)
            ]
            if wrong:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s, Pay Widget Allowed On: %(wrong)s is not a website "
                        "address such as https://www.example-site.com.",
                        site=company.name,
                        wrong=", ".join(wrong),
                    )
                )

    def action_site_payment_providers(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("payment.action_payment_provider")
        action["domain"] = [("company_id", "=", self.id)]
        action["context"] = {"default_company_id": self.id}
        return action

    def _site_payer_fee(self, debt):
        """The fee asked of a payer paying ``debt`` online to this site (0: none)."""
        self.ensure_one()
        return float(
            fee_engine.payer_fee(
                debt,
                self.site_payment_fee_percent,
                self.site_payment_fee_fixed,
                self.currency_id.decimal_places,
            )
        )

    # --- portal branding, sign-in and password rules --------------------------

    site_portal_slug = fields.Char(
        string="Portal Address",
        compute="_compute_site_portal_slug",
        store=True,
        readonly=False,
        copy=False,
        index="btree_not_null",
        help="The site's part of its portal's addresses: residents sign in at "
        "/site/<address>/login. Made from the site's name when it becomes a site; renaming "
        "the site keeps it.",
    )
    site_portal_login_url = fields.Char(
        string="Sign-in Page",
        compute="_compute_site_portal_login_url",
        help="The site's own sign-in page, in its colours, with its logo and contact: the "
        "address to give residents.",
    )
    site_portal_short_name = fields.Char(
        string="Name on Phones",
        help="The name under the portal's icon on a phone's home screen (12 characters show "
        "in full). Empty: the first words of the site's name.",
    )
    site_portal_icon = fields.Image(
        string="App Icon",
        max_width=512,
        max_height=512,
        help="A square image for the portal on phones' home screens. Empty: the logo.",
    )
    site_portal_link_label = fields.Char(
        string="Website Link Label",
        translate=True,
        help="The text of the link to the site's own website in the portal's header. "
        "Empty: the website's address.",
    )
    site_portal_email = fields.Char(
        string="Contact E-mail on the Portal",
        help="Shown to residents on the portal and the sign-in page. Empty: the site's e-mail.",
    )
    site_portal_phone = fields.Char(
        string="Contact Phone on the Portal",
        help="Shown to residents on the portal and the sign-in page. Empty: the site's phone.",
    )
    site_portal_subscriber_login = fields.Boolean(
        string="Residents May Sign In with Their Subscriber Number",
        help="The unit's payment reference, printed on its charge notices, also serves as the "
        "login of its owner or tenant when they are the unit's only portal user; where "
        "several use the portal, they sign in with their e-mail.",
    )
    site_portal_two_factor = fields.Selection(
        [
            ("optional", "Optional"),
            ("recommended", "Recommended"),
            ("required", "Required"),
        ],
        string="Two-Factor Sign-in for Residents",
        default="optional",
        required=True,
        help="Optional: residents may turn it on in their portal's security page. "
        "Recommended: the portal's home asks them to. Required: without an authenticator "
        "app, each sign-in is confirmed with a code sent by e-mail.",
    )
    site_password_minlength = fields.Integer(string="Minimum Password Length")
    site_password_lower = fields.Integer(string="Lower-Case Letters")
    site_password_upper = fields.Integer(string="Upper-Case Letters")
    site_password_numeric = fields.Integer(string="Digits")
    site_password_special = fields.Integer(string="Symbols")
    site_password_history = fields.Integer(
        string="Former Passwords Refused",
        help="How many of a person's former passwords they may not choose again; -1: none of "
        "them; 0: no check.",
    )
    site_password_expiration_days = fields.Integer(
        string="Passwords Expire After (Days)",
        help="After this many days people choose a new password; 0: never.",
    )
    site_password_change_first_login = fields.Boolean(
        string="Residents Change Their Password at First Sign-in",
        help="A resident whose password was set by the staff chooses their own when they "
        "first sign in.",
    )

    @api.depends("is_site")
    def _compute_site_portal_slug(self):
        # Made from the name once: renaming or archiving a site keeps the addresses that
        # residents saved. Every company's address counts, also those the user may not read.
        taken = set(
            self.sudo()
            .with_context(active_test=False)
            .search([("site_portal_slug", "!=", False), ("id", "not in", self.ids)])
            .mapped("site_portal_slug")
        )
        for company in self:
            slug = company.site_portal_slug
            if not slug and company.is_site and company.id:
                slug = branding.slug(company.name) or "site"
                if slug in taken or slug.isdigit():
                    slug = f"{slug}-{company.id}"
                taken.add(slug)
            company.site_portal_slug = slug

    @api.depends("site_portal_slug")
    def _compute_site_portal_login_url(self):
        for company in self:
            company.site_portal_login_url = (
                f"{company.get_base_url()}/site/{company.site_portal_slug}/login"
                if company.site_portal_slug
                else False
            )

    @api.constrains("site_portal_slug")
    def _check_site_portal_slug(self):
        for company in self.filtered("site_portal_slug"):
            slug = company.site_portal_slug
            if not SLUG.fullmatch(slug) or slug.isdigit():
                raise ValidationError(
                    self.env._(
                        "Site %(site)s, Portal Address: %(slug)s must be lower-case letters, "
                        "digits and hyphens (e.g. green-valley), not only digits.",
                        site=company.name,
                        slug=slug,
                    )
                )
        slugs = self.filtered("site_portal_slug").mapped("site_portal_slug")
        for slug, count in (
            self.sudo()
            .with_context(active_test=False)
            ._read_group([("site_portal_slug", "in", slugs)], ["site_portal_slug"], ["__count"])
        ):
            if count > 1:
                raise ValidationError(
                    self.env._(
                        "Portal Address: %(slug)s is already the address of another site.",
                        slug=slug,
                    )
                )

    @api.constrains("primary_color", "secondary_color", "is_site")
    def _check_site_portal_colors(self):
        for company in self.filtered("is_site"):
            for field in ("primary_color", "secondary_color"):
                if company[field] and not branding.parse_color(company[field]):
                    raise ValidationError(
                        self.env._(
                            "Site %(site)s, %(field)s: %(value)s is not a colour such as #1f6f43.",
                            site=company.name,
                            field=self._fields[field].get_description(self.env)["string"],
                            value=company[field],
                        )
                    )

    @api.constrains(
        "site_password_minlength",
        "site_password_lower",
        "site_password_upper",
        "site_password_numeric",
        "site_password_special",
        "site_password_history",
        "site_password_expiration_days",
    )
    def _check_site_password_policy(self):
        counts = (
            "site_password_minlength",
            "site_password_lower",
            "site_password_upper",
            "site_password_numeric",
            "site_password_special",
            "site_password_expiration_days",
        )
        for company in self:
            negative = [field for field in counts if company[field] < 0]
            if company.site_password_history < -1:
                negative.append("site_password_history")
            if negative:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: %(fields)s cannot be negative.",
                        site=company.name,
                        fields=", ".join(
                            self._fields[field].get_description(self.env)["string"]
                            for field in negative
                        ),
                    )
                )
            if company.site_password_minlength > 128:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: a Minimum Password Length over 128 characters locks "
                        "everybody out.",
                        site=company.name,
                    )
                )

    @api.model
    def _site_portal_find(self, key):
        """The site (sudo) whose portal address or id is ``key``; empty when none."""
        sites = self.sudo().browse()
        key = (key or "").strip().lower()
        if key.isdigit():
            sites = sites.browse(int(key)).exists()
        elif SLUG.fullmatch(key):
            sites = sites.search([("site_portal_slug", "=", key)], limit=1)
        return sites.filtered(lambda site: site.is_site and site.active)

    def _site_password_policy(self):
        self.ensure_one()
        return password_policy.Policy(
            minlength=self.site_password_minlength,
            lower=self.site_password_lower,
            upper=self.site_password_upper,
            numeric=self.site_password_numeric,
            special=self.site_password_special,
            history=self.site_password_history,
            expiration_days=self.site_password_expiration_days,
        )

    def _site_portal_branding(self):
        """What the portal and the sign-in page show of the site: public data only."""
        self.ensure_one()
        site = self.sudo()
        website = branding.website_url(site.website)
        primary = branding.normalise_color(site.primary_color)
        return {
            "id": site.id,
            "name": site.name,
            "short_name": site.site_portal_short_name or branding.short_name(site.name),
            "slug": site.site_portal_slug,
            "primary": primary,
            "css": branding.css(site.primary_color, site.secondary_color),
            "theme_color": primary or "#ffffff",
            "logo_url": f"/logo.png?company={site.id}",
            "website": website,
            "website_label": site.site_portal_link_label
            or (website or "").split("://", 1)[-1].rstrip("/"),
            "email": site.site_portal_email or site.email,
            "phone": site.site_portal_phone or site.phone,
            "subscriber_login": site.site_portal_subscriber_login,
            "two_factor": site.site_portal_two_factor,
            "manifest_url": f"/site/{site.id}/manifest.webmanifest",
            "touch_icon_url": f"/site/{site.id}/icon-180.png",
        }

    def _site_portal_icon(self, size):
        """The site's home screen icon, a square PNG of ``size`` pixels (bytes)."""
        self.ensure_one()
        site = self.sudo()
        source, cover = site.site_portal_icon, True
        if not source and not site.uses_default_logo:
            source, cover = site.logo, False
        image = None
        if source:
            try:
                image = image_tools.base64_to_image(source)
            except UserError:  # a logo PIL cannot read (SVG): the letter instead
                image = None
        return branding.app_icon(
            size,
            color=site.primary_color,
            letter=(site.site_portal_short_name or site.name or "")[:1],
            font_path=file_path(ICON_FONT),
            image=image,
            cover=cover,
        )
