import base64
import re
import time
from datetime import date
from urllib.parse import urlsplit

from odoo import http
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.auth_totp.models.totp import TIMESTEP, hotp
from odoo.addons.site_dues.engine import payment_codes

from .common import PortalCase

WRONG = "Wrong login/password"
SHARED = "Several residents of this unit use the portal"
STRONG = "Green-Valley-2026"


@tagged("post_install", "-at_install")
class TestPortalLogin(PortalCase):
    """Signing in with the unit's subscriber number, the sites' password rules, the
    change of a password the staff set, and two-factor sign-in, through the real pages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.site_portal_subscriber_login = True
        Relation = cls.env["site.unit.relation"]
        Partner = cls.env["res.partner"]
        # Ali owns it; his daughter and a former tenant have portal logins too.
        fatma, gul = Partner.create([{"name": "Fatma"}, {"name": "Gül"}])
        Relation.create(
            [
                {
                    "unit_id": cls.u1.id,
                    "partner_id": fatma.id,
                    "role": "family",
                    "related_partner_id": cls.ali.id,
                    "date_from": date(2020, 1, 1),
                },
                {
                    "unit_id": cls.u1.id,
                    "partner_id": gul.id,
                    "role": "tenant",
                    "date_from": date(2021, 1, 1),
                    "date_to": date(2022, 12, 31),
                },
                # Berk owns it and Deniz rents it; both use the portal.
                {
                    "unit_id": cls.u2.id,
                    "partner_id": cls.tenant.id,
                    "role": "tenant",
                    "date_from": date(2024, 1, 1),
                },
            ]
        )
        cls.user_fatma = cls.resident("portal_fatma", fatma, cls.site)
        cls.user_gul = cls.resident("portal_gul", gul, cls.site)
        cls.user_berk = cls.resident("portal_berk", cls.owners[1], cls.site)
        cls.user_deniz = cls.resident("portal_deniz", cls.tenant, cls.site)
        cls.number_a1 = cls.u1.payment_reference
        cls.number_a2 = cls.u2.payment_reference

    def setUp(self):
        super().setUp()
        # Failed sign-ins from 127.0.0.1 must not put the next tests on cooldown.
        self.env["ir.config_parameter"].set_param("base.login_cooldown_after", 0)
        # (the registry holds no failure table until a first failed sign-in)
        self.addCleanup(lambda: (getattr(self.registry, "_login_failures", None) or {}).clear())

    # --- helpers ----------------------------------------------------------------------

    def csrf_of(self, page):
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def post_login(self, login, password):
        """Sign in through Odoo's login form, as a browser does."""
        self.authenticate(None, None)
        token = self.csrf_of(self.url_open("/web/login").text)
        return self.url_open(
            "/web/login",
            data={"login": login, "password": password, "csrf_token": token},
            allow_redirects=False,
        )

    def signed_in_uid(self):
        """Who the server's session of this browser is signed in as (None: nobody)."""
        sid = self.opener.cookies.get("session_id")
        return http.root.session_store.get(sid).uid if sid else None

    def call(self, model, method, *args, **kwargs):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
            },
        )
        body = response.json()
        self.assertNotIn("error", body, body.get("error"))
        return body["result"]

    def set_policy(self, site, **rules):
        site.write({f"site_password_{rule}": value for rule, value in rules.items()})

    # --- the subscriber number --------------------------------------------------------

    def test_subscriber_number_signs_in_the_units_resident(self):
        for number in (self.number_a1, f"{self.number_a1[:4]} {self.number_a1[4:]}"):
            response = self.post_login(number, "portal_ali")
            self.assertEqual(response.status_code, 303, number)
            self.assertEqual(self.signed_in_uid(), self.user_a.id)

    def test_only_current_owners_and_tenants_with_a_portal_login(self):
        Users = self.env["res.users"]
        # Not Ali's daughter, not the former tenant.
        self.assertEqual(Users._site_subscriber_users(self.number_a1), self.user_a)
        self.assertEqual(
            Users._site_subscriber_users(self.number_a2), self.user_berk | self.user_deniz
        )
        self.assertFalse(Users._site_subscriber_users(self.u3.payment_reference))
        # Site B does not allow it.
        self.assertFalse(Users._site_subscriber_users(self.unit_b.payment_reference))
        # A login that happens to be a number stays that person's login.
        namesake = new_test_user(self.env, login=self.number_a1, groups="base.group_user")
        domain = Users._get_login_domain(self.number_a1)
        self.assertEqual(Users.search(domain), namesake)

    def test_refusals_look_alike(self):
        unused = payment_codes.numeric_reference("9999991")
        attempts = [
            (self.number_a1, "wrong"),  # the right number, a wrong password
            (self.unit_b.payment_reference, "portal_emre"),  # site B does not allow it
            (self.u3.payment_reference, "portal_ali"),  # nobody of A-3 uses the portal
            (unused, "portal_ali"),  # no such unit
            (self.number_a1[:-1] + str((int(self.number_a1[-1]) + 1) % 10), "portal_ali"),
            (self.number_a2, "wrong"),  # two residents, a wrong password
        ]
        for login, password in attempts:
            response = self.post_login(login, password)
            self.assertEqual(response.status_code, 200, login)
            self.assertIn(WRONG, response.text, login)
            self.assertNotIn(SHARED, response.text, login)
            self.assertFalse(self.signed_in_uid(), login)

    def test_residents_sharing_a_unit_sign_in_with_their_email(self):
        response = self.post_login(self.number_a2, "portal_berk")
        self.assertIn(SHARED, response.text)
        self.assertFalse(self.signed_in_uid())
        self.post_login("portal_berk", "portal_berk")
        self.assertEqual(self.signed_in_uid(), self.user_berk.id)

    # --- password rules -----------------------------------------------------------------

    def test_site_rules_refuse_a_weak_password_and_accept_a_strong_one(self):
        self.set_policy(self.site, minlength=10, upper=1, numeric=1, special=1)
        with self.assertRaises(UserError) as refused:
            self.user_a.write({"password": "weakpass"})
        message = str(refused.exception)
        for rule in ("at least 10 characters", "upper-case", "digit", "symbol"):
            self.assertIn(rule, message)
        self.assertNotIn("lower-case", message)
        self.user_a.write({"password": STRONG})
        self.post_login(self.user_a.login, STRONG)
        self.assertEqual(self.signed_in_uid(), self.user_a.id)
        # Site B sets no rule; a person of both sites follows A's.
        self.user_b.write({"password": "b"})
        self.user_b.company_ids |= self.site
        with self.assertRaisesRegex(UserError, "at least 10 characters"):
            self.user_b.write({"password": "bb"})

    def test_rules_reach_password_security_and_the_meter(self):
        self.set_policy(self.site, minlength=12, lower=1, upper=2, expiration_days=90)
        Users = self.env["res.users"]
        policy = Users.with_user(self.user_a).get_password_policy()
        self.assertEqual(policy["minlength"], 12)
        self.assertEqual(policy["password_upper"], 2)
        self.assertEqual(self.user_a._get_all_password_params()["expiration_days"], 90)
        self.assertEqual(self.user_b._get_all_password_params()["expiration_days"], 0)
        # Odoo's own minimum for the whole database still counts.
        minimum = int(
            self.env["ir.config_parameter"].get_param("auth_password_policy.minlength", 0)
        )
        self.assertEqual(Users.with_user(self.user_b).get_password_policy()["minlength"], minimum)

    def test_security_page_applies_the_rules(self):
        self.set_policy(self.site, minlength=10, numeric=1)
        self.login(self.user_a)
        page = self.url_open("/my/security").text
        self.assertIn('minlength="10"', page)

        def change(new):
            return self.url_open(
                "/my/security",
                data={
                    "op": "password",
                    "old": "portal_ali",
                    "new1": new,
                    "new2": new,
                    "csrf_token": self.csrf_of(page),
                },
            ).text

        self.assertIn("at least 10 characters", change("short"))
        self.assertIn("at least 1 digit", change("longbutnodigits"))
        change(STRONG)
        self.post_login(self.user_a.login, STRONG)
        self.assertEqual(self.signed_in_uid(), self.user_a.id)

    # --- change at first sign-in --------------------------------------------------------

    def test_password_set_by_the_staff_is_changed_at_first_sign_in(self):
        self.site.site_password_change_first_login = True
        self.set_policy(self.site, minlength=10, numeric=1)
        staff_set = "Staff-Set-2026"
        self.user_a.write({"password": staff_set})
        self.assertTrue(self.user_a.sudo().site_password_change_required)
        # Site B does not ask for it.
        self.user_b.write({"password": "set-by-staff"})
        self.assertFalse(self.user_b.sudo().site_password_change_required)

        response = self.post_login(self.user_a.login, staff_set)
        self.assertEqual(response.status_code, 303)
        reset = urlsplit(response.headers["Location"])
        self.assertEqual(reset.path, "/web/reset_password")
        self.assertIn("token=", reset.query)
        self.assertFalse(self.signed_in_uid())

        form = self.url_open(f"{reset.path}?{reset.query}").text
        token = re.search(r'name="token" value="([^"]+)"', form).group(1)

        def choose(password):
            return self.url_open(
                "/web/reset_password",
                data={
                    "token": token,
                    "password": password,
                    "confirm_password": password,
                    "csrf_token": self.csrf_of(form),
                },
            ).text

        self.assertIn("at least 10 characters", choose("short"))
        self.assertTrue(self.user_a.sudo().site_password_change_required)
        self.assertIn("reset successfully", choose(STRONG))
        self.assertFalse(self.user_a.sudo().site_password_change_required)
        response = self.post_login(self.user_a.login, STRONG)
        self.assertEqual(response.status_code, 303)
        self.assertNotIn("reset_password", response.headers["Location"])
        self.assertEqual(self.signed_in_uid(), self.user_a.id)

    def test_own_change_clears_the_duty(self):
        self.site.site_password_change_first_login = True
        self.user_a.write({"password": "portal_ali"})
        self.assertTrue(self.user_a.sudo().site_password_change_required)
        self.login(self.user_a)
        page = self.url_open("/my/security").text
        self.url_open(
            "/my/security",
            data={
                "op": "password",
                "old": "portal_ali",
                "new1": STRONG,
                "new2": STRONG,
                "csrf_token": self.csrf_of(page),
            },
        )
        self.assertFalse(self.user_a.sudo().site_password_change_required)

    # --- two-factor sign-in -------------------------------------------------------------

    def test_resident_turns_on_two_factor_sign_in(self):
        self.login(self.user_a)
        self.assertIn("auth_totp_portal_enable", self.url_open("/my/security").text)
        # What the security page's button does: confirm the password, then the code.
        check = self.call("res.users", "action_totp_enable_wizard", [self.user_a.id])
        self.assertEqual(check["res_model"], "res.users.identitycheck")
        wizard = self.call(
            "res.users.identitycheck",
            "run_check",
            [check["res_id"]],
            context={"password": "portal_ali"},
        )
        self.assertEqual(wizard["res_model"], "auth_totp.wizard")
        [values] = self.call("auth_totp.wizard", "read", [wizard["res_id"]], ["secret"])
        secret = base64.b32decode(values["secret"].replace(" ", "").upper())
        code = hotp(secret, int(time.time() // TIMESTEP))
        self.call("auth_totp.wizard", "enable", [wizard["res_id"]], context={"code": f"{code:06d}"})
        self.assertTrue(self.user_a.totp_enabled)
        # From now on the password alone does not sign in.
        response = self.post_login(self.user_a.login, "portal_ali")
        self.assertEqual(urlsplit(response.headers["Location"]).path, "/web/login/totp")
        self.assertFalse(self.signed_in_uid())

    def test_site_requiring_two_factor_sends_a_code_to_residents(self):
        self.assertIsNone(self.user_a._mfa_type())
        self.site.site_portal_two_factor = "required"
        self.assertEqual(self.user_a._mfa_type(), "totp_mail")
        self.assertIsNone(self.user_b._mfa_type())
