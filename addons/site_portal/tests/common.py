from datetime import date
from decimal import Decimal

from odoo import http
from odoo.tests import HttpCase

from odoo.addons.site_dues.models.site_ledger import Charge
from odoo.addons.site_dues.tests.common import TwoSitesCase
from odoo.addons.site_residents.tests.common import site_user


class PortalCase(HttpCase, TwoSitesCase):
    """TwoSitesCase's two sites, each with a resident who logs in to the portal: Ali owns
    A-1 on site A, Emre owns B-1 on site B. Each owes two months of dues, has a charge
    notice, a payment, a water meter with a reading, and each site has its own demo
    payment provider. The reading window is open every day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ali = cls.owners[0]
        cls.emre = cls.owner_b
        cls.user_a = cls.resident("portal_ali", cls.ali, cls.site)
        cls.user_b = cls.resident("portal_emre", cls.emre, cls.site_b)
        (cls.site | cls.site_b).write(
            {"site_reading_window_start": 1, "site_reading_window_end": 31}
        )
        cls.today = date.today()
        cls.month = cls.today.replace(day=1)
        for site, unit, partner in (
            (cls.site, cls.u1, cls.ali),
            (cls.site_b, cls.unit_b, cls.emre),
        ):
            cls.post_dues(site, unit, partner, [500.0, 700.0])
        Notice = cls.env["site.charge.notice"]
        cls.notice_a = Notice._get_or_create(
            cls.site, cls.month, {(cls.u1.id, cls.ali.id): cls.month}
        )[(cls.u1.id, cls.ali.id)]
        cls.notice_b = Notice._get_or_create(
            cls.site_b, cls.month, {(cls.unit_b.id, cls.emre.id): cls.month}
        )[(cls.unit_b.id, cls.emre.id)]
        cls.payment_a = cls.pay(cls.site, cls.u1, cls.ali, 100.0)
        cls.payment_b = cls.pay(cls.site_b, cls.unit_b, cls.emre, 100.0)
        Meter = cls.env["site.meter"]
        cls.meter_a = Meter.create(
            {
                "serial": "W-A1",
                "kind": "cold_water",
                "unit_id": cls.u1.id,
                "company_id": cls.site.id,
            }
        )
        cls.meter_b = Meter.create(
            {
                "serial": "W-B1",
                "kind": "cold_water",
                "unit_id": cls.unit_b.id,
                "company_id": cls.site_b.id,
            }
        )
        Reading = cls.env["site.meter.reading"]
        earlier = cls.today.replace(day=1)
        if earlier == cls.today:
            earlier = earlier.replace(year=earlier.year - 1)
        Reading.create(
            [
                {"meter_id": cls.meter_a.id, "date": earlier, "value": 100.0},
                {"meter_id": cls.meter_b.id, "date": earlier, "value": 200.0},
            ]
        )
        cls.provider_a = cls.demo_provider(cls.site)
        cls.provider_b = cls.demo_provider(cls.site_b)

    @classmethod
    def resident(cls, login, partner, site):
        return site_user(
            cls.env,
            login,
            "base.group_portal",
            site,
            partner_id=partner.id,
            name=partner.name,
            password=login,
        )

    @classmethod
    def post_dues(cls, site, unit, partner, amounts):
        dues = cls.charge_type_of(site, "DUES")
        for index, amount in enumerate(amounts):
            month = cls.month.replace(year=cls.month.year - 1, month=index + 1)
            cls.env["site.ledger"]._post_charges(
                site,
                month,
                [
                    Charge(
                        unit.id,
                        partner.id,
                        dues.id,
                        Decimal(str(amount)),
                        month.replace(day=10),
                        f"Dues {month:%Y-%m}",
                        month,
                    )
                ],
                f"TEST {unit.code} {month}",
            )

    @classmethod
    def pay(cls, site, unit, partner, amount):
        journal = cls.env["account.journal"].search(
            [("company_id", "=", site.id), ("type", "=", "bank")], limit=1
        )
        payment = (
            cls.env["account.payment"]
            .with_company(site)
            .create(
                {
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": partner.id,
                    "amount": amount,
                    "journal_id": journal.id,
                    "site_unit_id": unit.id,
                    "date": cls.today,
                }
            )
        )
        payment.action_post()
        return payment

    @classmethod
    def demo_provider(cls, site):
        Provider = cls.env["payment.provider"].sudo()
        provider = Provider.search([("code", "=", "demo"), ("company_id", "=", site.id)], limit=1)
        if not provider:
            provider = (
                cls.env.ref("payment.payment_provider_demo").sudo().copy({"company_id": site.id})
            )
        provider.write({"state": "test", "is_published": True})
        return provider

    def balance(self, unit, partner):
        return self.env["site.portal"]._amount_due(unit, partner)

    def login(self, user):
        self.authenticate(user.login, user.login)

    def csrf_token(self):
        return http.Request.csrf_token(self)
