import difflib
import re

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models import site_portal as portal_model
from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalWidget(PortalCase):
    """The pay widget site A's website frames: a resident types A-1's code and payment
    reference and gets the pay link of A-1's balance (1,100 due)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.site_pay_widget_origins = "https://www.site-a.example https://site-a.example"
        cls.url = f"/site/{cls.site.id}/pay-widget"

    def setUp(self):
        super().setUp()
        portal_model.WIDGET_REFUSALS.clear()
        self.addCleanup(portal_model.WIDGET_REFUSALS.clear)

    def look_up(self, code, reference, url=None):
        return self.url_open(url or self.url, data={"code": code, "reference": reference})

    def test_framable_by_the_sites_websites_only(self):
        page = self.url_open(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_site_widget_form", page.text)
        self.assertEqual(
            page.headers["Content-Security-Policy"],
            "frame-ancestors 'self' https://www.site-a.example https://site-a.example",
        )
        self.assertNotIn("X-Frame-Options", page.headers)
        self.assertNotIn("o_main_navbar", page.text)
        self.assertNotIn('id="top"', page.text)  # no portal header: a minimal page
        # Site B lists no website: only the portal itself may frame its widget.
        other = self.url_open(f"/site/{self.site_b.id}/pay-widget")
        self.assertEqual(other.headers["Content-Security-Policy"], "frame-ancestors 'self'")
        # Pages other than the widget keep Odoo's own framing rules.
        token = self.env["site.portal"]._make_pay_link(self.u1, self.ali, 100.0)
        pay = self.url_open(f"/site/pay/{token}")
        self.assertNotIn(
            "frame-ancestors 'self' https://www", pay.headers.get("Content-Security-Policy", "")
        )
        # A company that is not a site has no widget.
        main = self.env.ref("base.main_company")
        self.assertEqual(self.url_open(f"/site/{main.id}/pay-widget").status_code, 404)

    def test_code_and_reference_give_the_pay_link(self):
        reference = self.u1.payment_reference
        # As printed: spaces and lower case do not matter.
        spaced = " ".join(reference[i : i + 4] for i in range(0, len(reference), 4)).lower()
        page = self.look_up(" a-1 ", spaced)
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_site_widget_result", page.text)
        self.assertIn('data-amount="1100.00"', page.text)
        self.assertIn("Al*", page.text)  # the payer's name, masked
        self.assertNotIn("Ali<", page.text)
        self.assertEqual(
            page.headers["Content-Security-Policy"],
            "frame-ancestors 'self' https://www.site-a.example https://site-a.example",
        )
        token = page.text.split('href="/site/pay/', 1)[1].split('"', 1)[0]
        units, partners, amount, _items = self.env["site.portal"]._read_pay_link(token)
        self.assertEqual((units, partners, amount), (self.u1, self.ali, 1100.0))
        # The pay page opens in a tab of its own (the provider's pages refuse frames).
        self.assertIn('target="_blank" rel="noopener"', page.text)
        pay = self.url_open(f"/site/pay/{token}")
        self.assertEqual(pay.status_code, 200)
        self.assertIn(f'data-provider-id="{self.provider_a.id}"', pay.text)

    def test_wrong_code_or_reference_refused_without_leaking(self):
        """A wrong reference, an unknown code, another site's unit: the same refusal,
        without any amount, name or unit of the site."""
        self.url_open(self.url)  # the visitor's session exists before the look-ups
        answers = [
            self.look_up("A-1", self.u2.payment_reference),
            self.look_up("A-99", self.u1.payment_reference),
            self.look_up("B-1", self.unit_b.payment_reference),  # site B's unit on site A
            self.look_up("A-1", ""),
            self.look_up("A-%", self.u1.payment_reference),
        ]
        for page in answers:
            self.assertEqual(page.status_code, 200)
            self.assertIn("o_site_widget_refused", page.text)
            self.assertNotIn("o_site_widget_result", page.text)
            self.assertNotIn("/site/pay/", page.text)
            for leak in ("1,100.00", "1100.00", "Ali", "Al*", "Berk", "Emre", "Em*"):
                self.assertNotIn(leak, page.text)
        # The same answer whichever is wrong, but for the code typed, echoed back.
        pages = [re.sub(r'value="[^"]*"', "", page.text) for page in answers]
        for page in pages[1:]:
            self.assertEqual(
                page,
                pages[0],
                "\n".join(difflib.unified_diff(pages[0].splitlines(), page.splitlines(), n=0)),
            )

    def test_nothing_due(self):
        self.pay(self.site, self.u1, self.ali, 1100.0)
        page = self.look_up("A-1", self.u1.payment_reference)
        self.assertIn("o_site_widget_nothing", page.text)
        self.assertNotIn("/site/pay/", page.text)

    def test_refusals_are_throttled(self):
        """After the limit of refused look-ups, even the right code and reference are not
        checked until the window has passed; other sites' widgets are counted apart."""
        self.env["ir.config_parameter"].sudo().set_param("site_portal.widget_limit", 3)
        for _ in range(3):
            self.assertIn("o_site_widget_refused", self.look_up("A-1", "0000").text)
        blocked = self.look_up("A-1", self.u1.payment_reference)
        self.assertIn("o_site_widget_wait", blocked.text)
        self.assertNotIn("/site/pay/", blocked.text)
        self.assertNotIn("1,100.00", blocked.text)
        other_site = self.look_up(
            "B-1", self.unit_b.payment_reference, url=f"/site/{self.site_b.id}/pay-widget"
        )
        self.assertIn("o_site_widget_result", other_site.text)
        # The window has passed: heard again.
        source = next(iter(portal_model.WIDGET_REFUSALS))
        portal_model.WIDGET_REFUSALS[source] = [
            moment.replace(year=moment.year - 1) for moment in portal_model.WIDGET_REFUSALS[source]
        ]
        self.assertIn("o_site_widget_result", self.look_up("A-1", self.u1.payment_reference).text)

    def test_successes_are_not_throttled(self):
        self.env["ir.config_parameter"].sudo().set_param("site_portal.widget_limit", 2)
        for _ in range(4):
            page = self.look_up("A-1", self.u1.payment_reference)
            self.assertIn("o_site_widget_result", page.text)

    def test_snippet_on_the_company(self):
        snippet = self.site.site_pay_widget_snippet
        self.assertIn(f'src="{self.site.get_base_url()}/site/{self.site.id}/pay-widget"', snippet)
        self.assertTrue(snippet.startswith("<iframe "))
        self.assertFalse(self.env.ref("base.main_company").site_pay_widget_snippet)

    def test_widget_origins_checked(self):
        with self.assertRaises(ValidationError) as raised, self.env.cr.savepoint():
            self.site.site_pay_widget_origins = "https://ok.example javascript:alert(1)"
        self.assertIn("Pay Widget Allowed On", str(raised.exception))
