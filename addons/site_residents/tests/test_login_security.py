"""Staff sign-in: office networks, two-factor sign-in and failed attempts (real HTTP logins).

Odoo's test client connects from 127.0.0.1.
"""

import base64
import logging
import xmlrpc.client
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase, get_db_name, new_test_user, tagged
from odoo.tests.common import HOST, JsonRpcException, Opener

RES_USERS_LOGGER = "odoo.addons.base.models.res_users"
SITE_LOGGER = "odoo.addons.site_residents.models.res_users"


class LoginCase(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls.env["res.company"].create(
            {"name": "Office Site", "is_site": True, "site_require_2fa": False}
        )
        cls.other_site = cls.env["res.company"].create(
            {"name": "Other Site", "is_site": True, "site_require_2fa": False}
        )
        cls.manager = cls.user("office_manager", "site_residents.group_site_manager")
        cls.portal = cls.user("office_resident", "base.group_portal")

    @classmethod
    def user(cls, login, groups, site=None):
        site = site or cls.site
        return new_test_user(
            cls.env,
            login,
            groups=groups,
            password=f"{login}-pw",
            company_id=site.id,
            company_ids=[site.id],
        )

    def setUp(self):
        super().setUp()
        self.new_session()
        # Failed attempts are counted per address in the registry: start and end clean.
        self.registry._login_failures = None
        self.addCleanup(setattr, self.registry, "_login_failures", None)

    def new_session(self):
        self.session = http.root.session_store.new()
        self.session.update(http.get_default_session(), db=get_db_name())
        self.opener = Opener(self)
        self.opener.cookies.set("session_id", self.session.sid, domain=HOST, path="/")

    def login(self, user, password=None):
        """POST the login form; the response after redirects."""
        response = self.url_open(
            "/web/login",
            data={
                "login": user.login,
                "password": password or f"{user.login}-pw",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        response.raise_for_status()
        return response

    def assert_logged_in(self, response):
        self.assertNotIn("/web/login", response.request.path_url)
        session = http.root.session_store.get(self.opener.cookies["session_id"])
        self.assertTrue(session.uid)

    def assert_refused(self, response, message):
        self.assertEqual(response.request.path_url, "/web/login")
        self.assertIn(message, response.text)
        session = http.root.session_store.get(self.opener.cookies["session_id"])
        self.assertFalse(session.uid)


@tagged("post_install", "-at_install")
class TestLoginNetworks(LoginCase):
    def allow(self, network, site=None, groups=()):
        return self.env["site.login.network"].create(
            {
                "name": "Management office",
                "company_id": (site or self.site).id,
                "network": network,
                "group_ids": [(6, 0, [self.env.ref(group).id for group in groups])],
            }
        )

    def test_staff_login_from_outside_the_office_is_refused_and_logged(self):
        self.allow("10.0.0.0/8")
        with self.assertLogs(SITE_LOGGER, logging.WARNING) as logs:
            response = self.login(self.manager)
        self.assert_refused(response, "only sign in from your site&#39;s office network")
        self.assertIn("this connection comes from 127.0.0.1", response.text)
        self.assertIn(
            "login:office_manager from 127.0.0.1: outside the sign-in networks of Office Site",
            logs.output[0],
        )

    def test_staff_login_from_the_office_is_allowed(self):
        self.allow("10.0.0.0/8")
        self.allow("127.0.0.0/8")
        self.assert_logged_in(self.login(self.manager))

    def test_portal_login_is_never_limited(self):
        self.allow("10.0.0.0/8")
        response = self.login(self.portal)
        self.assertEqual(response.request.path_url, "/my")

    def test_networks_apply_to_their_roles_and_sites_only(self):
        self.allow("10.0.0.0/8", groups=["site_residents.group_site_admin"])
        self.allow("10.0.0.0/8", site=self.other_site)
        self.assert_logged_in(self.login(self.manager))

    def test_network_for_a_role_binds_the_roles_that_include_it(self):
        self.allow("10.0.0.0/8", groups=["site_residents.group_site_board"])
        response = self.login(self.manager)
        self.assert_refused(response, "only sign in from your site&#39;s office network")

    def test_rpc_logins_are_limited_too(self):
        self.allow("10.0.0.0/8")
        db, login, password = get_db_name(), self.manager.login, "office_manager-pw"
        self.assertFalse(self.xmlrpc_common.authenticate(db, login, password, {}))
        with self.assertRaises(xmlrpc.client.Fault):
            self.xmlrpc_object.execute_kw(
                db, self.manager.id, password, "res.partner", "search_count", [[]]
            )
        key = (
            self.env["res.users.apikeys"]
            .with_user(self.manager)
            ._generate(None, "Office script", fields.Datetime.now() + timedelta(days=1))
        )

        def count_partners():
            return self.url_open(
                "/json/2/res.partner/search_count",
                json={"domain": []},
                headers={"Authorization": f"bearer {key}"},
            )

        self.assertEqual(count_partners().status_code, 403)
        self.allow("127.0.0.0/8")
        self.assertEqual(count_partners().status_code, 200, "the key works from the office")
        # The deprecated XML-RPC hides the caller's address: refused even from the office.
        self.assertFalse(self.xmlrpc_common.authenticate(db, login, password, {}))

    def test_administrator_cannot_lock_themselves_out(self):
        admin = self.user("office_admin", "site_residents.group_site_admin")
        self.authenticate(admin.login, "office_admin-pw")

        def create_network(network):
            return self.make_jsonrpc_request(
                "/web/dataset/call_kw/site.login.network/create",
                {
                    "model": "site.login.network",
                    "method": "create",
                    "args": [[{"company_id": self.site.id, "network": network}]],
                    "kwargs": {},
                },
            )

        with (
            self.assertLogs("odoo.http", logging.WARNING) as logs,
            self.assertRaisesRegex(JsonRpcException, "ValidationError"),
        ):
            create_network("10.0.0.0/8")
        self.assertIn("You are connected from 127.0.0.1", logs.output[0])
        self.assertFalse(self.env["site.login.network"].search([]))
        self.assertTrue(create_network("127.0.0.0/8"))
        self.assertTrue(create_network("10.0.0.0/8"), "allowed beside the current network")

    def test_networks_are_validated_and_normalised(self):
        self.assertEqual(self.allow(" 192.168.1.77/24 ").network, "192.168.1.0/24")
        self.assertEqual(self.allow("2001:db8::1").network, "2001:db8::1/128")
        with self.assertRaisesRegex(ValidationError, "office-lan is not an IP address"):
            self.allow("office-lan")


@tagged("post_install", "-at_install")
class TestTwoFactorLogin(LoginCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.site_require_2fa = True
        cls.accountant = cls.user("office_accountant", "site_residents.group_site_accountant")
        cls.admin = cls.user("office_admin", "site_residents.group_site_admin")
        cls.board = cls.user("office_board", "site_residents.group_site_board")
        cls.accountant_elsewhere = cls.user(
            "other_accountant", "site_residents.group_site_accountant", site=cls.other_site
        )

    def test_accountants_and_administrators_need_a_second_factor(self):
        for user in (self.accountant, self.admin, self.manager):
            with self.subTest(user=user.login):
                self.new_session()
                self.assertEqual(user._mfa_type(), "totp_mail")
                response = self.login(user)
                self.assertEqual(response.request.path_url, "/web/login/totp")
                self.assertIn("six-digit authentication code", response.text)
                session = http.root.session_store.get(self.opener.cookies["session_id"])
                self.assertFalse(session.uid, "signed in only after the code")

    def test_authenticator_app_is_used_when_enabled(self):
        self.accountant.sudo().totp_secret = base64.b32encode(b"x" * 20).decode()
        self.assertEqual(self.accountant._mfa_type(), "totp")

    def test_other_roles_and_sites_sign_in_with_a_password(self):
        for user in (self.board, self.portal, self.accountant_elsewhere):
            with self.subTest(user=user.login):
                self.assertFalse(user._mfa_type())
        self.assert_logged_in(self.login(self.accountant_elsewhere))

    def test_password_rpc_is_refused_to_users_who_need_two_factors(self):
        self.assertFalse(
            self.xmlrpc_common.authenticate(
                get_db_name(), self.accountant.login, "office_accountant-pw", {}
            )
        )


@tagged("post_install", "-at_install")
class TestLoginFailures(LoginCase):
    """Odoo's own protection, proven on a staff account."""

    def test_failed_login_is_logged_with_the_address(self):
        with self.assertLogs(RES_USERS_LOGGER, logging.INFO) as logs:
            self.login(self.manager, password="wrong")
        self.assertIn(
            "Login failed for login:office_manager from 127.0.0.1", "\n".join(logs.output)
        )

    def test_repeated_failures_put_the_address_on_cooldown(self):
        # A new database gets 10 failures, then 60 seconds of cooldown for the address.
        config = self.env["ir.config_parameter"].sudo()
        failures_allowed = int(config.get_param("base.login_cooldown_after"))
        self.assertGreater(failures_allowed, 0)
        self.assertGreater(int(config.get_param("base.login_cooldown_duration")), 0)
        for _attempt in range(failures_allowed):
            self.assert_refused(self.login(self.manager, password="wrong"), "Wrong login/password")
        with self.assertLogs(RES_USERS_LOGGER, logging.WARNING) as logs:
            response = self.login(self.manager)
        self.assert_refused(response, "Too many login failures")
        self.assertIn("Login attempt ignored for 127.0.0.1", logs.output[0])
