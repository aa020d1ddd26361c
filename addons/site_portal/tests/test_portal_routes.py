import time
from datetime import date

from odoo.tests import tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalRoutes(PortalCase):
    """Every route: the resident's own record opens, another site's resident's record is
    not found (nothing about it leaks), whichever way it is asked for."""

    def assert_own_and_other(self, own_url, other_url, method="get", **kwargs):
        self.login(self.user_a)
        own = getattr(self, f"url_{method}" if method != "get" else "url_open")(own_url, **kwargs)
        self.assertEqual(own.status_code, 200, own_url)
        other = getattr(self, f"url_{method}" if method != "get" else "url_open")(
            other_url, **kwargs
        )
        self.assertEqual(other.status_code, 404, other_url)
        return own

    def test_home_lists_own_units_only(self):
        self.login(self.user_a)
        page = self.url_open("/my")
        self.assertEqual(page.status_code, 200)
        self.assertIn('data-unit="A-1"', page.text)
        self.assertNotIn("B-1", page.text)
        self.assertIn("1,100.00", page.text)  # 500 + 700 charged, 100 paid
        self.assertIn(f"/my/site/notices/{self.notice_a.id}", page.text)
        self.assertIn("Overdue since", page.text)  # last year's dues
        self.assertIn("Reading window open", page.text)
        self.assertIn(f"/my/site/units/{self.u1.id}/pay", page.text)
        self.login(self.user_b)
        page = self.url_open("/my")
        self.assertIn('data-unit="B-1"', page.text)
        self.assertNotIn('data-unit="A-1"', page.text)

    def test_counters(self):
        self.login(self.user_a)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["site_unit_count", "site_notice_count"]}
        )
        self.assertEqual(counters, {"site_unit_count": 1, "site_notice_count": 1})

    def test_unit_statement(self):
        page = self.assert_own_and_other(
            f"/my/site/units/{self.u1.id}", f"/my/site/units/{self.unit_b.id}"
        )
        self.assertIn(f"/my/site/payments/{self.payment_a.id}/receipt", page.text)
        year = self.month.year - 1
        page = self.url_open(f"/my/site/units/{self.u1.id}?year={year}")
        self.assertIn(f"Dues {year}-01", page.text)
        self.assertIn("1,200.00", page.text)  # running balance after the second month
        # Units of the same site held by others are not found either.
        self.assertEqual(self.url_open(f"/my/site/units/{self.u2.id}").status_code, 404)

    def test_pay_choice(self):
        page = self.assert_own_and_other(
            f"/my/site/units/{self.u1.id}/pay", f"/my/site/units/{self.unit_b.id}/pay"
        )
        self.assertIn('name="line_ids"', page.text)
        self.assertIn('name="csrf_token"', page.text)

    def test_pay_choice_post_makes_bound_link(self):
        self.login(self.user_a)
        line = self.env["site.portal"]._open_lines(self.access(self.user_a, self.u1))[-1]
        response = self.url_open(
            f"/my/site/units/{self.u1.id}/pay",
            data={"line_ids": [str(line.id)], "csrf_token": self.csrf_token()},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        token = response.headers["Location"].rsplit("/site/pay/", 1)[1]
        unit, partner, amount, _link = self.env["site.portal"]._read_pay_link(token)
        self.assertEqual((unit, partner, amount), (self.u1, self.ali, line.amount_residual))
        # Another resident's debts cannot be paid through one's own unit.
        other_line = self.env["site.portal"]._open_lines(self.access(self.user_b, self.unit_b))
        response = self.url_open(
            f"/my/site/units/{self.u1.id}/pay",
            data={"line_ids": [str(other_line[0].id)], "csrf_token": self.csrf_token()},
            allow_redirects=False,
        )
        token = response.headers["Location"].rsplit("/site/pay/", 1)[1]
        self.assertEqual(self.env["site.portal"]._read_pay_link(token)[2], 1100.0)

    def test_post_without_csrf_is_refused(self):
        self.login(self.user_a)
        response = self.url_open(
            f"/my/site/units/{self.u1.id}/pay", data={"line_ids": "1"}, allow_redirects=False
        )
        self.assertEqual(response.status_code, 400)
        response = self.url_open(
            f"/my/site/meters/{self.meter_a.id}/reading", data={"value": "150"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(
            self.env["site.meter.reading"].search(
                [("meter_id", "=", self.meter_a.id), ("value", "=", 150)]
            )
        )

    def test_notice(self):
        page = self.assert_own_and_other(
            f"/my/site/notices/{self.notice_a.id}", f"/my/site/notices/{self.notice_b.id}"
        )
        self.assertIn(f"/my/site/notices/{self.notice_a.id}/pay", page.text)
        self.assert_own_and_other(
            f"/my/site/notices/{self.notice_a.id}?report_type=pdf",
            f"/my/site/notices/{self.notice_b.id}?report_type=pdf",
        )

    def test_notice_link_with_token_without_login(self):
        """The link printed on the notice (its portal URL) opens it and its Pay button
        without logging in; a wrong token is not found."""
        url = self.notice_b.get_portal_url()
        self.assertIn(f"/my/site/notices/{self.notice_b.id}?access_token=", url)
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("B-1", page.text)
        self.assertIn("o_site_pay_button", page.text)
        pay = self.url_open(
            f"/my/site/notices/{self.notice_b.id}/pay?access_token={self.notice_b.access_token}",
            allow_redirects=False,
        )
        self.assertEqual(pay.status_code, 303)
        self.assertIn("/site/pay/", pay.headers["Location"])
        wrong = f"/my/site/notices/{self.notice_b.id}?access_token={self.notice_a.access_token}"
        self.assertEqual(self.url_open(wrong).status_code, 404)
        self.assertEqual(self.url_open(f"/my/site/notices/{self.notice_b.id}/pay").status_code, 404)
        # Logged in as another site's resident, the token still opens only its notice.
        self.login(self.user_a)
        self.assertEqual(self.url_open(wrong).status_code, 404)

    def test_payment_form(self):
        """The month's transfer form: own 200, other's 404, with the printed token without
        login; for the notice's total reduced by what has been paid since."""
        self.assert_own_and_other(
            f"/my/site/notices/{self.notice_a.id}/form",
            f"/my/site/notices/{self.notice_b.id}/form",
        )
        self.authenticate(None, None)
        url = f"/my/site/notices/{self.notice_b.id}/form?access_token={self.notice_b.access_token}"
        self.assertEqual(self.url_open(url).status_code, 200)
        Form = self.env["report.site_portal.report_payment_form"]
        total = self.notice_b.amount_total
        self.assertEqual(Form._amount(self.notice_b), total)
        self.pay(self.site_b, self.unit_b, self.emre, 300.0)
        self.assertEqual(Form._amount(self.notice_b), total - 300.0)
        form = Form._form(self.notice_b)
        self.assertIn(self.notice_b.payment_reference, form["title"])
        self.assertIsNone(form["qr"])  # a Turkish site: no bank transfer QR standard

    def test_notice_pay(self):
        self.login(self.user_a)
        own = self.url_open(f"/my/site/notices/{self.notice_a.id}/pay", allow_redirects=False)
        self.assertEqual(own.status_code, 303)
        other = self.url_open(f"/my/site/notices/{self.notice_b.id}/pay", allow_redirects=False)
        self.assertEqual(other.status_code, 404)

    def test_payment_receipt(self):
        self.assert_own_and_other(
            f"/my/site/payments/{self.payment_a.id}/receipt",
            f"/my/site/payments/{self.payment_b.id}/receipt",
        )

    def test_meters(self):
        self.login(self.user_a)
        page = self.url_open("/my/site/meters")
        self.assertEqual(page.status_code, 200)
        self.assertIn("W-A1", page.text)
        self.assertNotIn("W-B1", page.text)

    def test_meter_page(self):
        page = self.assert_own_and_other(
            f"/my/site/meters/{self.meter_a.id}", f"/my/site/meters/{self.meter_b.id}"
        )
        self.assertIn("o_site_reading_form", page.text)

    def test_meter_reading_post(self):
        self.login(self.user_a)
        response = self.url_open(
            f"/my/site/meters/{self.meter_b.id}/reading",
            data={"value": "250", "csrf_token": self.csrf_token()},
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(
            self.env["site.meter.reading"].search(
                [("meter_id", "=", self.meter_b.id), ("value", "=", 250)]
            )
        )

    def test_consumption(self):
        page = self.assert_own_and_other(
            f"/my/site/units/{self.u1.id}/consumption",
            f"/my/site/units/{self.unit_b.id}/consumption",
        )
        self.assertIn("Cold Water", page.text)

    def test_reading_photo(self):
        reading = self.env["site.meter.reading"].search([("meter_id", "=", self.meter_b.id)])
        photo_b = self.env["ir.attachment"].create(
            {
                "name": "b.png",
                "raw": b"\x89PNG\r\n\x1a\nfake",
                "mimetype": "image/png",
                "res_model": reading._name,
                "res_id": reading.id,
            }
        )
        reading_a = self.env["site.meter.reading"].search([("meter_id", "=", self.meter_a.id)])
        photo_a = photo_b.copy({"res_id": reading_a.id})
        self.assert_own_and_other(
            f"/my/site/meters/{self.meter_a.id}/photos/{photo_a.id}",
            f"/my/site/meters/{self.meter_b.id}/photos/{photo_b.id}",
        )
        # Another reading's photo through one's own meter is not found either.
        self.assertEqual(
            self.url_open(f"/my/site/meters/{self.meter_a.id}/photos/{photo_b.id}").status_code,
            404,
        )

    def expense_notice(self, site, unit, building=False):
        period = self.month.replace(year=self.month.year - 1)
        allocation = self.env["site.cost.allocation"].create(
            {
                "name": f"Water {unit.code}",
                "company_id": site.id,
                "building_id": building and building.id,
                "period": period,
                "date_from": period,
                "date_to": period.replace(day=28),
                "amount_total": 100.0,
            }
        )
        part = self.env["site.cost.allocation.part"].create(
            {
                "allocation_id": allocation.id,
                "part_type": "water",
                "name": "Cold Water",
                "amount": 100.0,
                "method": "water_loss",
                "meter_kind": "cold_water",
                "consumption_total": 10.0,
            }
        )
        self.env["site.cost.allocation.line"].create(
            {
                "allocation_id": allocation.id,
                "part_id": part.id,
                "unit_id": unit.id,
                "consumption": 10.0,
                "billed_consumption": 10.0,
                "consumption_amount": 100.0,
                "amount": 100.0,
            }
        )
        allocation.write({"state": "computed"})
        return allocation

    def test_expense_notice(self):
        own = self.expense_notice(self.site, self.u1, self.building)
        other = self.expense_notice(self.site_b, self.unit_b)
        self.assert_own_and_other(
            f"/my/site/units/{self.u1.id}/expense/{own.id}",
            f"/my/site/units/{self.unit_b.id}/expense/{other.id}",
        )
        # Another unit's expense notice through one's own unit is not found either.
        self.assertEqual(
            self.url_open(f"/my/site/units/{self.u1.id}/expense/{other.id}").status_code, 404
        )
        page = self.url_open("/my")
        self.assertIn(f"/my/site/units/{self.u1.id}/expense/{own.id}", page.text)
        self.assertNotIn(f"/expense/{other.id}", page.text)

    def test_pay_link(self):
        token = self.env["site.portal"]._make_pay_link(self.unit_b, self.emre, 300.0)
        page = self.url_open(f"/site/pay/{token}")  # not logged in
        self.assertEqual(page.status_code, 200)
        self.assertIn("B-1", page.text)
        self.assertIn("o_payment_form", page.text)
        self.assertIn(f'data-provider-id="{self.provider_b.id}"', page.text)
        self.assertNotIn(f'data-provider-id="{self.provider_a.id}"', page.text)
        unit_id, partner_id, minor, expires, signature = token.split("-", 4)
        forged = "-".join((str(self.u1.id), partner_id, minor, expires, signature))
        self.assertEqual(self.url_open(f"/site/pay/{forged}").status_code, 404)
        more = "-".join((unit_id, partner_id, str(int(minor) * 10), expires, signature))
        self.assertEqual(self.url_open(f"/site/pay/{more}").status_code, 404)
        self.assertEqual(self.url_open("/site/pay/garbage").status_code, 404)

    def test_expired_pay_link(self):
        token = self.env["site.portal"]._make_pay_link(self.unit_b, self.emre, 300.0, hours=-1)
        self.assertEqual(self.url_open(f"/site/pay/{token}").status_code, 404)
        self.assertLess(int(token.split("-")[3]), time.time())

    def test_former_owner_sees_own_period_only(self):
        """A flat sold on 31 December: the former owner sees their charges, notice and
        statement, not the new owner's; and no longer its meters."""
        unit = self.env["site.unit"].create(
            {"code": "A-9", "company_id": self.site.id, "building_id": self.building.id}
        )
        former, new = self.env["res.partner"].create([{"name": "Fikret"}, {"name": "Gül"}])
        sold = self.month.replace(month=1, day=1)
        self.env["site.unit.relation"].create(
            [
                {
                    "unit_id": unit.id,
                    "partner_id": former.id,
                    "date_from": date(2020, 1, 1),
                    "date_to": sold.replace(year=sold.year - 1, month=12, day=31),
                },
                {"unit_id": unit.id, "partner_id": new.id, "date_from": sold},
            ]
        )
        user_former = self.resident("portal_fikret", former, self.site)
        self.post_dues(self.site, unit, former, [300.0])
        Notice = self.env["site.charge.notice"]
        new_notice = Notice._get_or_create(self.site, self.month, {(unit.id, new.id): self.month})[
            (unit.id, new.id)
        ]
        old_period = self.month.replace(year=self.month.year - 1, month=1)
        old_notice = Notice._get_or_create(
            self.site, old_period, {(unit.id, former.id): old_period.replace(day=10)}
        )[(unit.id, former.id)]
        meter = self.env["site.meter"].create(
            {"serial": "W-A9", "kind": "cold_water", "unit_id": unit.id, "company_id": self.site.id}
        )
        self.login(user_former)
        page = self.url_open(f"/my/site/units/{unit.id}?year={old_period.year}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("300.00", page.text)
        self.assertEqual(self.url_open(f"/my/site/notices/{old_notice.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/site/notices/{new_notice.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/site/meters/{meter.id}").status_code, 404)
        self.assertEqual(self.url_open(f"/my/site/units/{unit.id}/consumption").status_code, 404)

    def test_family_member_sees_and_pays_for_the_household(self):
        """Ali's daughter lives in A-1 since last year: she sees Ali's dues of her period,
        and her Pay button pays Ali's debts; she reads A-1's meters."""
        daughter = self.env["res.partner"].create({"name": "Ela"})
        since = self.month.replace(year=self.month.year - 1, month=2, day=1)
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u1.id,
                "partner_id": daughter.id,
                "role": "family",
                "related_partner_id": self.ali.id,
                "date_from": since,
            }
        )
        user = self.resident("portal_ela", daughter, self.site)
        self.login(user)
        page = self.url_open(f"/my/site/units/{self.u1.id}?year={since.year}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"Dues {since:%Y-%m}", page.text)
        self.assertNotIn(f"Dues {since.year}-01", page.text)  # before she moved in
        response = self.url_open(
            f"/my/site/units/{self.u1.id}/pay",
            data={"csrf_token": self.csrf_token()},
            allow_redirects=False,
        )
        token = response.headers["Location"].rsplit("/site/pay/", 1)[1]
        unit, partner, amount, _link = self.env["site.portal"]._read_pay_link(token)
        self.assertEqual((unit, partner, amount), (self.u1, self.ali, 1100.0))
        self.assertEqual(self.url_open(f"/my/site/meters/{self.meter_a.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/site/units/{self.u2.id}").status_code, 404)

    def access(self, user, unit):
        return self.env["site.portal"]._access(user.partner_id)[unit.id]
