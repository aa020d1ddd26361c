import json
from datetime import date
from decimal import Decimal

from odoo.tests import tagged

from odoo.addons.site_dues.models.site_ledger import Charge

from .common import PortalCase

ALI_NATIONAL_ID = "98423778200"
CO_OWNER_NATIONAL_ID = "10000000146"


@tagged("post_install", "-at_install")
class TestPortalPrivacy(PortalCase):
    """The privacy page: consents given and withdrawn on the portal, recorded with their
    date and channel; the download of the person's own data, and of nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Ali shares A-1 with Fatma from 2024: each owns half, each is charged their own.
        cls.fatma = cls.env["res.partner"].create(
            {
                "name": "Fatma Co-Owner",
                "country_id": cls.env.ref("base.tr").id,
                "national_id": CO_OWNER_NATIONAL_ID,
                "email": "fatma@example.com",
            }
        )
        Relation = cls.env["site.unit.relation"].with_context(site_defer_share_check=True)
        ali_relation = Relation.search(
            [("unit_id", "=", cls.u1.id), ("partner_id", "=", cls.ali.id)]
        )
        ali_relation.date_to = date(2023, 12, 31)
        Relation.create(
            [
                {
                    "unit_id": cls.u1.id,
                    "partner_id": cls.ali.id,
                    "role": "owner",
                    "share": 50.0,
                    "date_from": date(2024, 1, 1),
                },
                {
                    "unit_id": cls.u1.id,
                    "partner_id": cls.fatma.id,
                    "role": "owner",
                    "share": 50.0,
                    "date_from": date(2024, 1, 1),
                },
            ]
        )
        cls.u1._check_owner_shares()
        cls.ali.write(
            {
                "country_id": cls.env.ref("base.tr").id,
                "national_id": ALI_NATIONAL_ID,
                "phone": "+90 555 111 22 33",
            }
        )
        dues = cls.charge_type_of(cls.site, "DUES")
        cls.env["site.ledger"]._post_charges(
            cls.site,
            cls.month,
            [
                Charge(
                    cls.u1.id,
                    cls.fatma.id,
                    dues.id,
                    Decimal("321.45"),
                    cls.month.replace(day=10),
                    "Fatma's dues",
                    cls.month,
                )
            ],
            "TEST Fatma",
        )
        Consent = cls.env["site.privacy.consent"]
        cls.ali_management = Consent.create(
            {
                "partner_id": cls.ali.id,
                "company_id": cls.site.id,
                "law": "kvkk",
                "purpose": "management",
                "date_given": date(2020, 1, 1),
                "channel": "paper",
            }
        )
        cls.fatma_marketing = Consent.create(
            {
                "partner_id": cls.fatma.id,
                "company_id": cls.site.id,
                "law": "kvkk",
                "purpose": "marketing",
                "date_given": date(2024, 1, 1),
                "channel": "email",
            }
        )
        cls.site.site_privacy_notice = "<p>Yeşilvadi processes your data under KVKK.</p>"
        Reading = cls.env["site.meter.reading"]
        cls.own_reading = Reading.create(
            {
                "meter_id": cls.meter_a.id,
                "date": cls.today,
                "value": 104.25,
                "source": "portal",
                "reader_id": cls.user_a.id,
            }
        )

    def consents(self, purpose, partner=None):
        return self.env["site.privacy.consent"].search(
            [
                ("partner_id", "=", (partner or self.ali).id),
                ("company_id", "=", self.site.id),
                ("purpose", "=", purpose),
            ],
            order="id",
        )

    def choose(self, purpose, action, site=None, csrf=True):
        data = {"company_id": str((site or self.site).id), "purpose": purpose, "action": action}
        if csrf:
            data["csrf_token"] = self.csrf_token()
        return self.url_open("/my/site/privacy/consent", data=data, allow_redirects=False)

    # --- consents -----------------------------------------------------------------------

    def test_page_lists_consents_and_notice(self):
        self.login(self.user_a)
        page = self.url_open("/my/site/privacy")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'data-site="{self.site.id}"', page.text)
        self.assertNotIn(f'data-site="{self.site_b.id}"', page.text)
        self.assertIn("Yeşilvadi processes your data under KVKK.", page.text)
        self.assertIn('data-purpose="management" data-given="1"', page.text)
        self.assertIn('data-purpose="cameras" data-given="0"', page.text)
        # Fatma's marketing consent is hers: Ali's is not given.
        self.assertIn('data-purpose="marketing" data-given="0"', page.text)
        self.assertIn("/my/site/privacy/export", page.text)
        home = self.url_open("/my")
        self.assertIn("/my/site/privacy", home.text)
        self.assertIn("/my/site/requests", home.text)

    def test_give_and_withdraw_are_recorded(self):
        self.login(self.user_a)
        response = self.choose("cameras", "give")
        self.assertEqual(response.status_code, 303)
        given = self.consents("cameras")
        self.assertEqual(
            (given.date_given, given.date_withdrawn, given.channel, given.law),
            (self.today, False, "portal", "kvkk"),
        )
        page = self.url_open("/my/site/privacy")
        self.assertIn('data-purpose="cameras" data-given="1"', page.text)
        # Giving again changes nothing.
        self.choose("cameras", "give")
        self.assertEqual(self.consents("cameras"), given)

        self.choose("cameras", "withdraw")
        self.assertEqual(given.date_withdrawn, self.today)
        page = self.url_open("/my/site/privacy")
        self.assertIn('data-purpose="cameras" data-given="0"', page.text)
        self.choose("cameras", "give")
        again = self.consents("cameras") - given
        self.assertEqual((again.date_given, again.date_withdrawn), (self.today, False))
        self.assertEqual(given.date_withdrawn, self.today)
        log = self.ali.message_ids.mapped("body")
        self.assertTrue(any("Consent withdrawn on the portal" in str(body) for body in log))
        self.assertTrue(any("Consent given on the portal" in str(body) for body in log))
        # Fatma's consent stays as it was.
        self.assertFalse(self.fatma_marketing.date_withdrawn)

    def test_required_purpose_and_other_site_are_refused(self):
        self.login(self.user_a)
        self.assertEqual(self.choose("management", "withdraw").status_code, 404)
        self.assertFalse(self.ali_management.date_withdrawn)
        self.assertEqual(self.choose("cameras", "give", site=self.site_b).status_code, 404)
        self.assertEqual(self.choose("telepathy", "give").status_code, 404)
        self.assertEqual(self.choose("cameras", "delete").status_code, 404)
        self.assertFalse(
            self.env["site.privacy.consent"].search(
                [("partner_id", "=", self.ali.id), ("purpose", "=", "cameras")]
            )
        )

    def test_consent_post_requires_csrf(self):
        self.login(self.user_a)
        self.assertEqual(self.choose("cameras", "give", csrf=False).status_code, 400)
        self.assertFalse(self.consents("cameras"))

    # --- own data -----------------------------------------------------------------------

    def export(self):
        response = self.url_open("/my/site/privacy/export")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertTrue(response.headers["Content-Type"].startswith("application/json"))
        return response.text, json.loads(response.text)

    def test_export_holds_own_data_only(self):
        self.login(self.user_a)
        self.choose("cameras", "give")
        self.url_open(
            "/my/site/requests/new/contact",
            data={
                "unit_id": str(self.u1.id),
                "new_phone": "+90 532 000 11 22",
                "csrf_token": self.csrf_token(),
            },
        )
        text, data = self.export()
        self.assertEqual(data["person"]["name"], self.ali.name)
        self.assertEqual(data["person"]["national_id"], ALI_NATIONAL_ID)
        self.assertEqual(data["person"]["phone"], "+90 555 111 22 33")
        self.assertEqual(
            [(r["unit"], r["share"], r["date_from"], r["date_to"]) for r in data["unit_relations"]],
            [("A-1", 100.0, "2020-01-01", "2023-12-31"), ("A-1", 50.0, "2024-01-01", None)],
        )
        self.assertEqual(
            sorted(c["purpose"] for c in data["privacy_consents"]),
            ["Camera Recordings", "Site Management"],
        )
        self.assertTrue(data["ledger_lines"])
        self.assertEqual({line["unit"] for line in data["ledger_lines"]}, {"A-1"})
        self.assertEqual(sum(line["debit"] for line in data["ledger_lines"]), 1200.0)
        self.assertEqual([p["reference"] for p in data["payments"]], [self.payment_a.name])
        self.assertEqual(
            [(r["meter"], r["value"]) for r in data["meter_readings"]], [("W-A1", 104.25)]
        )
        self.assertEqual(len(data["change_requests"]), 1)
        self.assertEqual(data["change_requests"][0]["details"], {"New Phone": "+90 532 000 11 22"})
        # Nothing of the co-owner, nor of another site's resident.
        for foreign in (
            CO_OWNER_NATIONAL_ID,
            "Fatma",
            "fatma@example.com",
            "321.45",
            "B-1",
            self.emre.name,
        ):
            self.assertNotIn(foreign, text)

    def test_family_member_exports_household_lines_of_own_period(self):
        since = date(self.today.year, 1, 1)
        family = self.env["res.partner"].create({"name": "Deniz Family"})
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u1.id,
                "partner_id": family.id,
                "role": "family",
                "date_from": since,
                "related_partner_id": self.ali.id,
            }
        )
        user = self.resident("portal_deniz_family", family, self.site)
        self.login(user)
        text, data = self.export()
        self.assertEqual(data["person"]["name"], "Deniz Family")
        self.assertIsNone(data["person"]["national_id"])
        self.assertNotIn(ALI_NATIONAL_ID, text)
        self.assertTrue(all(line["date"] >= since.isoformat() for line in data["ledger_lines"]))
        # Last year's dues are before she moved in.
        self.assertNotIn(f"Dues {self.today.year - 1}-", text)
        self.assertEqual(data["meter_readings"], [])
        self.assertEqual([r["role"] for r in data["unit_relations"]], ["Family Member"])

    def test_export_requires_login(self):
        response = self.url_open("/my/site/privacy/export", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])
