import dataclasses

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, UserError
from odoo.fields import Domain

from odoo.addons.site_dues.engine import payment_codes
from odoo.addons.site_residents.engine import history

from ..engine import password_policy

# The people of a unit who may sign in with its subscriber number.
SUBSCRIBER_ROLES = (history.OWNER, history.TENANT)
# password_security's database-wide rules, and the parameter telling they were emptied.
PASSWORD_SECURITY_PARAMS = (
    "password_security.expiration_days",
    "password_security.minimum_hours",
    "password_security.history",
    "password_security.lower",
    "password_security.upper",
    "password_security.numeric",
    "password_security.special",
)
DEFAULTS_DONE = "site_portal.password_defaults_done"


class ResUsers(models.Model):
    _inherit = "res.users"

    site_password_change_required = fields.Boolean(
        string="Must Change Password",
        copy=False,
        groups="base.group_system",
        help="The password was set by the staff on a site that asks residents to choose their "
        "own: the next sign-in leads to choosing a new one.",
    )

    # --- the sites of a person ------------------------------------------------------------

    def _site_sites_by_user(self):
        """{user id: the sites of the user (sudo)}: the sites they work in or hold a unit
        of, past or present; one query on the units for all of ``self``."""
        users = self.sudo()
        unit_sites = {}
        for partner, companies in (
            self.env["site.unit.relation"]
            .sudo()
            ._read_group(
                [("partner_id", "in", users.partner_id.ids)],
                ["partner_id"],
                ["company_id:recordset"],
            )
        ):
            unit_sites[partner.id] = companies
        return {
            user.id: (user.company_ids | unit_sites.get(user.partner_id.id, user.company_ids[:0]))
            .filtered("is_site")
            .sudo()
            for user in users
        }

    def _site_portal_brand_site(self):
        """The site whose branding a resident's portal pages wear: the site they work in
        now if they hold a unit there, else the site of their first current unit."""
        self.ensure_one()
        user = self.sudo()
        if not user.share or user._is_public():
            return self.env["res.company"]
        rows = self.env["site.portal"]._current_relation_rows(user.partner_id)
        sites = (
            self.env["res.company"]
            .sudo()
            .browse(dict.fromkeys(row["company_id"] for row in rows))
            .filtered("is_site")
        )
        if self.env.company in sites:
            return self.env.company.sudo()
        return sites[:1]

    def _site_portal_brand(self):
        """The branding values of the resident's site for the portal layout; None for
        anybody else."""
        site = self._site_portal_brand_site()
        return site._site_portal_branding() if site else None

    # --- password policy per site ---------------------------------------------------------

    def _site_password_policy(self):
        """The strictest password policy of the sites of ``self`` (or of the current user)."""
        users = self or self.env.user
        sites = self.env["res.company"].sudo().union(*users._site_sites_by_user().values())
        return password_policy.strictest(site._site_password_policy() for site in sites)

    @api.model
    def _site_password_defaults_once(self):
        """Empty the database-wide rules password_security sets strict on its install
        (expiry, symbols, history): the sites set their own. Done once per database."""
        params = self.env["ir.config_parameter"].sudo()
        if params.get_param(DEFAULTS_DONE):
            return
        for key in PASSWORD_SECURITY_PARAMS:
            params.set_param(key, 0)
        params.set_param(DEFAULTS_DONE, True)

    @api.model
    def _get_all_password_params(self):
        """OCA password_security's rules, made stricter by the person's sites: its checks
        (history, expiry, the rules) then follow the sites."""
        params = super()._get_all_password_params()
        global_policy = password_policy.Policy(
            **{
                field.name: params[field.name]
                for field in dataclasses.fields(password_policy.Policy)
                if field.name in params
            }
        )
        strictest = password_policy.strictest([global_policy, self._site_password_policy()])
        params.update(dataclasses.asdict(strictest))
        return params

    @api.model
    def get_password_policy(self):
        policy = super().get_password_policy()
        # auth_password_policy reads the minimum length from the global setting only.
        policy["minlength"] = max(
            policy.get("minlength", 0), self._site_password_policy().minlength
        )
        return policy

    def _check_password_policy(self, passwords):
        result = super()._check_password_policy(passwords)
        # password_security skips its checks while any other module's tests run: the
        # sites' rules are checked here in every case (data files aside).
        if not self.env.context.get("install_mode"):
            self._site_check_password_rules(passwords)
        return result

    def _site_check_password_rules(self, passwords):
        policy = self._site_password_policy()
        if policy.is_lenient:
            return
        broken = {}
        for password in passwords:
            if password:
                broken.update(password_policy.unmet(password, policy))
        if not broken:
            return
        texts = {
            password_policy.LENGTH: self.env._("at least %(count)s characters"),
            password_policy.LOWER: self.env._("at least %(count)s lower-case letter(s)"),
            password_policy.UPPER: self.env._("at least %(count)s upper-case letter(s)"),
            password_policy.DIGIT: self.env._("at least %(count)s digit(s)"),
            password_policy.SPECIAL: self.env._("at least %(count)s symbol(s) such as ! ? * -"),
        }
        raise UserError(
            self.env._(
                "The password does not follow your site's rules. It needs:\n%(rules)s",
                rules="\n".join(
                    f"- {texts[rule] % {'count': count}}" for rule, count in broken.items()
                ),
            )
        )

    # --- change at first sign-in ----------------------------------------------------------

    def _set_password(self):
        super()._set_password()
        if not self.env.context.get("install_mode"):
            self._site_note_who_set_password()

    def _site_note_who_set_password(self):
        """A password the person chose clears the duty to change it; one the staff set for
        a resident of a site that asks for it creates that duty."""
        chosen_by_themselves = (
            self
            if self.env.context.get("site_password_chosen")
            else self.filtered(lambda user: user.id == self.env.uid)
        )
        set_by_others = (self - chosen_by_themselves).sudo().filtered("share")
        sites = set_by_others._site_sites_by_user()
        must_change = set_by_others.filtered(
            lambda user: any(site.site_password_change_first_login for site in sites[user.id])
        )
        chosen_by_themselves.sudo().filtered("site_password_change_required").write(
            {"site_password_change_required": False}
        )
        must_change.write({"site_password_change_required": True})

    def signup(self, values, token=None):
        # Whoever signs up or resets with a token chooses their own password.
        return super(ResUsers, self.with_context(site_password_chosen=True)).signup(values, token)

    def _password_has_expired(self):
        # password_security sends a person with an expired password to choose a new one.
        return super()._password_has_expired() or self.sudo().site_password_change_required

    # --- sign-in with the subscriber number -----------------------------------------------

    @api.model
    def _site_subscriber_users(self, login):
        """The portal users who may sign in with ``login`` as a subscriber number: the
        current owners and tenants of the unit it identifies, on a site that allows it."""
        users = self.sudo().browse()
        number = "".join((login or "").replace("-", " ").split())
        if not payment_codes.is_valid_numeric_reference(number):
            return users
        units = (
            self.env["site.unit"]
            .sudo()
            .search(
                [
                    ("payment_reference", "=", number),
                    ("company_id.site_portal_subscriber_login", "=", True),
                ]
            )
        )
        if len(units) != 1:
            return users
        relations = (
            self.env["site.unit.relation"]
            .sudo()
            .search(
                [
                    ("unit_id", "=", units.id),
                    ("state", "=", "current"),
                    ("role", "in", SUBSCRIBER_ROLES),
                ]
            )
        )
        return relations.partner_id.user_ids.filtered(lambda user: user._is_portal())

    @api.model
    def _get_login_domain(self, login):
        domain = super()._get_login_domain(login)
        users = self._site_subscriber_users(login)
        # A login that happens to look like a number stays that user's.
        if len(users) != 1 or self.sudo().with_context(active_test=False).search_count(
            domain, limit=1
        ):
            return domain
        return Domain("id", "=", users.id)

    def _login(self, credential, user_agent_env):
        try:
            return super()._login(credential, user_agent_env)
        except AccessDenied:
            if self._site_subscriber_number_shared(credential):
                raise AccessDenied(
                    self.env._(
                        "Several residents of this unit use the portal: sign in with your "
                        "e-mail address instead of the subscriber number."
                    )
                ) from None
            raise

    @api.model
    def _site_subscriber_number_shared(self, credential):
        """Whether the refused login is a subscriber number of several residents and the
        password is one of theirs. Only the right password tells: whether a number exists
        is never revealed."""
        if credential.get("type") != "password" or not credential.get("password"):
            return False
        users = self._site_subscriber_users(credential.get("login"))
        if len(users) < 2:
            return False
        crypt = self._crypt_context()
        self.env.cr.execute(
            "SELECT COALESCE(password, '') FROM res_users WHERE id IN %s", [tuple(users.ids)]
        )
        return any(
            hashed and crypt.verify(credential["password"], hashed)
            for (hashed,) in self.env.cr.fetchall()
        )

    # --- two-factor sign-in ---------------------------------------------------------------

    def _mfa_type(self):
        """Residents of a site that requires it confirm each sign-in with their
        authenticator app or, without one, with a code sent by e-mail."""
        mfa_type = super()._mfa_type()
        if mfa_type is None and self.sudo().share:
            sites = self._site_sites_by_user()[self.id]
            if any(site.site_portal_two_factor == "required" for site in sites):
                return "totp_mail"
        return mfa_type
