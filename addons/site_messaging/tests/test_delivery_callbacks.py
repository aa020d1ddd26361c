from urllib.parse import urlsplit

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.site_residents.tests.common import site_user

from .common import FakeSmsapi, MessagingCase
from .test_iletimerkezi import FakeIletimerkezi


@tagged("post_install", "-at_install")
class TestDeliveryCallbacks(MessagingCase, HttpCase):
    """The delivery reports SMSAPI and İleti Merkezi push, by URL: a site's callback
    address with its secret updates that site's SMS only, by the gateway's id; a wrong
    secret, another site's address or an unknown id changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.smsapi = FakeSmsapi()
        cls.addClassCleanup(cls.smsapi.stop)
        cls.site.write(
            {
                "site_sms_provider": "smsapi",
                "site_sms_endpoint": cls.smsapi.url,
                "site_sms_password": "token-123",
            }
        )
        cls.site.action_site_sms_new_callback_token()
        # a second site on the same gateway, with an SMS of the same gateway id
        cls.site_b = cls.env["res.company"].create(
            {"name": "Callback Site B", "is_site": True, "site_sms_provider": "smsapi"}
        )
        cls.site_b.action_site_sms_new_callback_token()
        cls.message_b = cls.env["site.message"].create(
            {
                "company_id": cls.site_b.id,
                "template_id": cls.make_template("B", "Hello", site=cls.site_b).id,
                "channel": "sms",
                "partner_id": cls.env["res.partner"].create({"name": "Ewa"}).id,
                "destination": "+48600100200",
                "state": "sent",
                "gateway_ref": "id1",
            }
        )

    def setUp(self):
        super().setUp()
        self.smsapi.sent.clear()

    def path(self, site=None):
        return urlsplit((site or self.site).site_sms_callback_url).path

    def sent_by_partner(self, audience="owner"):
        messages, trap = self.send(self.wizard(audience=audience))
        self.run_jobs(trap)
        self.assertEqual(set(messages.mapped("state")), {"sent"})
        return {m.partner_id: m for m in messages}

    def test_the_address_is_the_sites_own(self):
        url = self.site.site_sms_callback_url
        self.assertEqual(
            url,
            f"{self.site.get_base_url()}/site_messaging/delivery/{self.site.id}/"
            f"{self.site.site_sms_callback_token}",
        )
        self.assertGreaterEqual(len(self.site.site_sms_callback_token), 40)
        self.assertNotEqual(self.site.site_sms_callback_token, self.site_b.site_sms_callback_token)

    def test_smsapi_callback_updates_the_sites_sms_by_their_id(self):
        by_partner = self.sent_by_partner()
        ali, berk, cem = (by_partner[p] for p in (self.ali, self.berk, self.cem))
        self.message_b.gateway_ref = ali.gateway_ref
        response = self.url_open(
            self.path(),
            params={
                "MsgId": f"{ali.gateway_ref},{berk.gateway_ref},{cem.gateway_ref},id999",
                "status": "404,405,403,404",
                "idx": f"{ali.uuid},{berk.uuid},{cem.uuid},x",
                "donedate": "1764925200,1764925200,1764925200,1764925200",
            },
        )
        self.assertEqual((response.status_code, response.text), (200, "OK"))
        self.env.invalidate_all()
        self.assertEqual(ali.state, "delivered")
        self.assertTrue(ali.date_delivered)
        self.assertEqual((berk.state, berk.failure_reason), ("failed", "undelivered"))
        self.assertEqual(cem.state, "sent")  # SENT: not known yet
        self.assertEqual(self.message_b.state, "sent", "another site's SMS of the same id")

    def test_a_wrong_secret_or_another_sites_address_changes_nothing(self):
        ali = self.sent_by_partner()[self.ali]
        token = self.site.site_sms_callback_token
        wrong = token[:-1] + ("A" if token[-1] != "A" else "B")
        params = {"MsgId": ali.gateway_ref, "status": "404"}
        for path in (
            f"/site_messaging/delivery/{self.site.id}/{wrong}",
            f"/site_messaging/delivery/{self.site.id}/x",
            f"/site_messaging/delivery/{self.site_b.id}/{token}",
            f"/site_messaging/delivery/{self.site.id + 10**6}/{token}",
        ):
            self.assertEqual(self.url_open(path, params=params).status_code, 404, path)
        # site B's own address reaches site B's SMS only
        self.message_b.gateway_ref = ali.gateway_ref
        self.assertEqual(self.url_open(self.path(self.site_b), params=params).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(ali.state, "sent")
        self.assertEqual(self.message_b.state, "delivered")

    def test_a_new_address_replaces_the_old_one(self):
        ali = self.sent_by_partner()[self.ali]
        old_path = self.path()
        self.site.action_site_sms_new_callback_token()
        params = {"MsgId": ali.gateway_ref, "status": "404"}
        self.assertEqual(self.url_open(old_path, params=params).status_code, 404)
        self.assertEqual(self.url_open(self.path(), params=params).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(ali.state, "delivered")

    def test_iletimerkezi_webhook(self):
        fake = FakeIletimerkezi()
        self.addCleanup(fake.stop)
        self.site.write(
            {
                "site_sms_provider": "iletimerkezi",
                "site_sms_endpoint": fake.url,
                "site_sms_login": FakeIletimerkezi.KEY,
                "site_sms_password": FakeIletimerkezi.HASH,
            }
        )
        by_partner = self.sent_by_partner()
        order = by_partner[self.ali].gateway_ref
        for number, status in (
            ("+905321112201", "delivered"),
            ("+905321112202", "undelivered"),
            ("+905321112203", "accepted"),
        ):
            response = self.url_open(
                self.path(),
                json={
                    "report": {
                        "id": 1599558518,
                        "packet_id": int(order),
                        "status": status,
                        "to": number,
                        "body": "...",
                    }
                },
            )
            self.assertEqual(response.status_code, 200)
        unknown = {"report": {"id": 1, "packet_id": 9999, "status": "delivered", "to": "+90"}}
        self.assertEqual(self.url_open(self.path(), json=unknown).status_code, 200)
        self.env.invalidate_all()
        self.assertEqual(by_partner[self.ali].state, "delivered")
        self.assertEqual(
            (by_partner[self.berk].state, by_partner[self.berk].failure_reason),
            ("failed", "not delivered"),
        )
        self.assertEqual(by_partner[self.cem].state, "sent")

    def test_gateways_without_push_reports_have_no_address(self):
        for provider in ("log", "netgsm", "turbosms", "odoo"):
            self.site.site_sms_provider = provider
            response = self.url_open(self.path(), params={"MsgId": "id1", "status": "404"})
            self.assertEqual(response.status_code, 404, provider)

    def test_only_administrators_see_or_renew_the_secret(self):
        manager = site_user(
            self.env, "callback_manager", "site_residents.group_site_manager", self.site
        )
        site = self.site.with_user(manager)
        with self.assertRaises(AccessError):
            site.read(["site_sms_callback_token"])
        with self.assertRaises(AccessError):
            site.read(["site_sms_callback_url"])
        with self.assertRaises(AccessError):
            site.action_site_sms_new_callback_token()
