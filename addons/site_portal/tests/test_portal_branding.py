import base64
import io
import json

from PIL import Image

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PortalCase


def png(size, color):
    output = io.BytesIO()
    Image.new("RGB", size, color).save(output, format="PNG")
    return base64.b64encode(output.getvalue())


@tagged("post_install", "-at_install")
class TestPortalBranding(PortalCase):
    """Each site's look, contact, manifest and icons on the portal and its sign-in page,
    and nothing of another site's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.write(
            {
                "logo": png((300, 100), (31, 111, 67)),
                "primary_color": "#1f6f43",
                "secondary_color": "#f2a900",
                "site_portal_slug": "green-valley",
                "site_portal_short_name": "Green Valley",
                "website": "https://green-valley.example.com",
                "site_portal_link_label": "Our website",
                "site_portal_email": "office@green-valley.example.com",
                "site_portal_phone": "+90 216 555 00 01",
                "site_portal_two_factor": "recommended",
            }
        )
        cls.site_b.write(
            {
                "name": "Sunny Twelve Association",
                "primary_color": "#1d3557",
                "site_portal_slug": "sunny-12",
                "email": "board@sunny12.example.com",
                "phone": "+48 12 555 00 02",
            }
        )
        cls.a_marks = (
            "office@green-valley.example.com",
            "+90 216 555 00 01",
            "#1f6f43",
            f"/logo.png?company={cls.site.id}",
            f"/site/{cls.site.id}/manifest.webmanifest",
        )
        cls.b_marks = (
            "board@sunny12.example.com",
            "+48 12 555 00 02",
            "#1d3557",
            f"/logo.png?company={cls.site_b.id}",
            f"/site/{cls.site_b.id}/manifest.webmanifest",
            cls.site_b.name,
        )

    def assert_site_a_only(self, page):
        for mark in self.a_marks:
            self.assertIn(mark, page)
        for mark in self.b_marks:
            self.assertNotIn(mark, page)

    # --- manifest and icons -------------------------------------------------------------

    def test_manifest_per_site(self):
        response = self.url_open(f"/site/{self.site.id}/manifest.webmanifest")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.headers["Content-Type"].startswith("application/manifest+json"))
        manifest = response.json()
        self.assertEqual(manifest["name"], self.site.name)
        self.assertEqual(manifest["short_name"], "Green Valley")
        self.assertEqual(manifest["start_url"], "/my")
        self.assertEqual(manifest["display"], "standalone")
        self.assertEqual(manifest["theme_color"], "#1f6f43")
        self.assertEqual(
            [(icon["src"], icon["sizes"], icon["type"]) for icon in manifest["icons"]],
            [
                (f"/site/{self.site.id}/icon-192.png", "192x192", "image/png"),
                (f"/site/{self.site.id}/icon-512.png", "512x512", "image/png"),
            ],
        )
        text = response.text
        for mark in (self.site_b.name, "#1d3557", f"/site/{self.site_b.id}/", "sunny-12"):
            self.assertNotIn(mark, text)
        # Public data only: no contact, no policy, nothing of the residents.
        self.assertEqual(
            set(manifest),
            {
                "id",
                "name",
                "short_name",
                "start_url",
                "scope",
                "display",
                "theme_color",
                "background_color",
                "icons",
            },
        )

        manifest_b = self.url_open(f"/site/{self.site_b.id}/manifest.webmanifest").json()
        self.assertEqual(manifest_b["name"], self.site_b.name)
        self.assertEqual(manifest_b["theme_color"], "#1d3557")
        self.assertNotEqual(manifest_b["id"], manifest["id"])
        self.assertNotIn(self.site.name, json.dumps(manifest_b, ensure_ascii=False))

    def test_manifest_and_icons_only_for_sites(self):
        company = self.env["res.company"].create({"name": "Not a Site Ltd"})
        for url in (
            f"/site/{company.id}/manifest.webmanifest",
            f"/site/{company.id}/icon-192.png",
            "/site/999999/manifest.webmanifest",
            f"/site/{self.site.id}/icon-100.png",
            f"/site/{company.id}/login",
            "/site/no-such-site/login",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)

    def test_icons_from_the_logo_resized(self):
        for size in (180, 192, 512):
            response = self.url_open(f"/site/{self.site.id}/icon-{size}.png")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.headers["Content-Type"], "image/png")
            icon = Image.open(io.BytesIO(response.content)).convert("RGB")
            self.assertEqual(icon.size, (size, size))
            # The wide logo, whole in the middle of a white square.
            self.assertEqual(icon.getpixel((size // 2, size // 2)), (31, 111, 67))
            self.assertEqual(icon.getpixel((1, 1)), (255, 255, 255))
        # Unchanged since: the phone keeps its copy.
        etag = response.headers["ETag"]
        again = self.url_open(f"/site/{self.site.id}/icon-512.png", headers={"If-None-Match": etag})
        self.assertEqual(again.status_code, 304)
        # Site B has no logo: its initial on its colour.
        icon_b = Image.open(
            io.BytesIO(self.url_open(f"/site/{self.site_b.id}/icon-192.png").content)
        ).convert("RGB")
        self.assertEqual(icon_b.getpixel((2, 2)), (29, 53, 87))

    # --- sign-in page ---------------------------------------------------------------------

    def test_login_page_of_site_a_shows_site_a_only(self):
        for address in ("green-valley", str(self.site.id)):
            response = self.url_open(f"/site/{address}/login")
            self.assertEqual(response.status_code, 200)
            self.assertIn("/web/login?site=green-valley", response.url)
            page = response.text
            self.assert_site_a_only(page)
            self.assertIn("oe_login_form", page)
            self.assertIn('name="site" value="green-valley"', page)
            self.assertIn("--primary:#1f6f43", page)
        # Site B's page: B's contact, none of A's.
        page_b = self.url_open("/site/sunny-12/login").text
        for mark in self.b_marks:
            self.assertIn(mark, page_b)
        for mark in self.a_marks:
            self.assertNotIn(mark, page_b)

    def test_login_page_remembers_the_site(self):
        self.assertNotIn("o_site_branded", self.url_open("/web/login").text)
        self.url_open("/site/green-valley/login")
        # After a logout, or from the home screen icon: the same site's page.
        self.assert_site_a_only(self.url_open("/web/login").text)

    def test_subscriber_number_label_only_where_allowed(self):
        self.assertNotIn("subscriber number", self.url_open("/site/green-valley/login").text)
        self.site.site_portal_subscriber_login = True
        page = self.url_open("/site/green-valley/login").text
        self.assertIn("E-mail or subscriber number", page)
        self.assertIn("payment reference on your charge notices", page)

    # --- residents' pages -----------------------------------------------------------------

    def test_residents_pages_wear_their_sites_look(self):
        self.login(self.user_a)
        for url in ("/my", f"/my/site/units/{self.u1.id}", "/my/security"):
            page = self.url_open(url).text
            self.assert_site_a_only(page)
            self.assertIn('rel="apple-touch-icon"', page)
            self.assertIn(f"/site/{self.site.id}/icon-180.png", page)
            self.assertIn('class="o_site_brand_bar', page)
            self.assertIn("https://green-valley.example.com", page)
        self.login(self.user_b)
        page = self.url_open("/my").text
        for mark in self.b_marks:
            self.assertIn(mark, page)
        for mark in self.a_marks:
            self.assertNotIn(mark, page)

    def test_staff_pages_keep_odoos_look(self):
        staff = self.site_user("brand_board_a", "site_residents.group_site_board", self.site)
        self.login(staff)
        self.assertNotIn("o_site_brand_bar", self.url_open("/my").text)

    def test_two_factor_advice_and_link_on_home(self):
        self.login(self.user_a)
        page = self.url_open("/my").text
        self.assertIn("o_site_totp_advice", page)
        self.assertIn('href="/my/security"', page)
        self.assertIn("Two-factor sign-in", page)
        self.login(self.user_b)  # site B: optional, the link without the advice
        page = self.url_open("/my").text
        self.assertNotIn("o_site_totp_advice", page)
        self.assertIn("Two-factor sign-in", page)

    # --- settings -------------------------------------------------------------------------

    def test_settings_checked(self):
        for site, values, message in (
            (self.site, {"primary_color": "red;}body{display:none"}, "not a colour"),
            (self.site, {"site_portal_slug": "Green Valley"}, "Portal Address"),
            (self.site, {"site_portal_slug": "12345"}, "Portal Address"),
            (self.site_b, {"site_portal_slug": "green-valley"}, "already the address of"),
            (self.site, {"site_password_numeric": -1}, "Digits cannot be negative"),
            (self.site, {"site_password_minlength": 500}, "over 128"),
        ):
            # assertRaises rolls the refused change back before the next one.
            with self.assertRaises(ValidationError) as refused:
                site.write(values)
            self.assertIn(message, str(refused.exception))
        self.assertEqual(self.site.site_portal_slug, "green-valley")

    def test_new_site_gets_an_address_from_its_name(self):
        Company = self.env["res.company"]
        first = Company.create({"name": "Çamlık Evleri", "is_site": True})
        second = Company.create({"name": "Camlik Evleri", "is_site": True})
        self.assertEqual(first.site_portal_slug, "camlik-evleri")
        self.assertEqual(second.site_portal_slug, f"camlik-evleri-{second.id}")
        self.assertFalse(Company.create({"name": "Holding Ltd"}).site_portal_slug)
        self.assertEqual(Company._site_portal_find("camlik-evleri"), first)
        self.assertEqual(Company._site_portal_find(str(second.id)), second)
        self.assertTrue(first.site_portal_login_url.endswith("/site/camlik-evleri/login"))
