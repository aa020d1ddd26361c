from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.site_residents.tests.printing import render_pdf

from .common import LegalCase

DAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
class TestNoticeBatch(LegalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.charge(cls.u1, 500, date(2026, 3, 10))  # 112 days overdue on DAY
        cls.charge(cls.u1, 250, date(2026, 5, 10), charge_type=cls.heat)
        cls.charge(cls.u2, 2000, date(2026, 6, 10))  # large but recent
        cls.charge(cls.u3, 100, date(2026, 1, 10))  # old but small
        cls.charge(cls.u3, 900, date(2026, 8, 10))  # not due yet: never counts
        cls.charge(cls.unit_b, 5000, date(2026, 1, 10))  # the other site's
        cls.manager_a = cls.site_user(
            "legal_notice_manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = cls.site_user(
            "legal_notice_manager_b", "site_residents.group_site_manager", cls.site_b
        )

    def batch(self, user=None, **values):
        env = self.as_user(user or self.manager_a)
        return env["site.legal.notice.batch"].create(
            {"company_id": self.site.id, "date": DAY, **values}
        )

    def test_preview_picks_debtors_by_amount_and_age(self):
        batch = self.batch(min_amount=300, min_days=60)
        batch.action_preview()
        self.assertEqual(batch.line_ids.unit_id, self.u1)
        line = batch.line_ids
        self.assertEqual(line.partner_id, self.ali)
        self.assertAlmostEqual(line.amount, 750.0)
        self.assertEqual(line.oldest_due, date(2026, 3, 10))
        self.assertEqual(line.days_overdue, 112)

        by_amount = self.batch(min_amount=300)
        by_amount.action_preview()
        self.assertEqual(by_amount.line_ids.unit_id, self.u1 | self.u2)
        by_age = self.batch(min_days=100)
        by_age.action_preview()
        self.assertEqual(by_age.line_ids.unit_id, self.u1 | self.u3)
        # u3's charge not yet due is not claimed
        self.assertAlmostEqual(
            by_age.line_ids.filtered(lambda line: line.unit_id == self.u3).amount, 100
        )

    def test_payment_lowers_the_claim_below_the_minimum(self):
        self.pay(self.u2, 1800, date(2026, 6, 20))
        batch = self.batch(min_amount=300)
        batch.action_preview()
        self.assertEqual(batch.line_ids.unit_id, self.u1)

    def test_logs_are_idempotent_per_day_and_kind(self):
        first = self.batch(min_amount=300)
        first.action_log_notices()
        notices = first.notice_ids
        self.assertEqual(len(notices), 2)
        self.assertEqual(notices.batch_id, first)
        self.assertEqual(first.state, "done")
        ali_notice = notices.filtered(lambda n: n.unit_id == self.u1)
        self.assertEqual(
            ali_notice._detail_by_charge_type(), [(self.dues.name, 500.0), (self.heat.name, 250.0)]
        )

        again = self.batch(min_amount=300)
        again.action_log_notices()
        self.assertEqual(again.notice_ids, notices, "the same day and kind logs nothing twice")
        Notice = self.env["site.legal.notice"]
        self.assertEqual(Notice.search_count([("company_id", "=", self.site.id)]), 2)

        order = self.batch(min_amount=300, kind="payment_order")
        order.action_log_notices()
        self.assertEqual(len(order.notice_ids), 2)
        self.assertFalse(order.notice_ids & notices)
        self.assertEqual(self.ali.site_legal_notice_count, 2)
        self.assertEqual(
            self.ali.action_site_legal_notices()["domain"], [("partner_id", "=", self.ali.id)]
        )

    def test_pdf_renders_one_page_per_debtor(self):
        self.env["res.partner.bank"].create(
            {"partner_id": self.site.partner_id.id, "acc_number": "TR330006100519786457841326"}
        )
        batch = self.batch(min_amount=300)
        batch.action_log_notices()
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(
            "site_legal.action_report_site_legal_notice", batch.notice_ids.ids
        )[0].decode()
        self.assertEqual(html.count('class="page o_site_legal_notice"'), 2)
        self.assertIn("TR33 0006 1005 1978 6457 8413 26", html)
        self.assertIn("Condominium Law No. 634", html)
        self.assertIn("Ali", html)
        _pdf, pages = render_pdf(
            self, "site_legal.action_report_site_legal_notice", batch.notice_ids.ids
        )
        self.assertEqual(pages, 2)

    def test_two_sites_users_see_only_their_notices(self):
        batch = self.batch(min_amount=300)
        batch.action_log_notices()
        env_b = self.as_user(self.manager_b)
        self.assertFalse(env_b["site.legal.notice"].search([]))
        self.assertFalse(env_b["site.legal.notice.batch"].search([]))
        with self.assertRaises(AccessError):
            env_b["site.legal.notice"].browse(batch.notice_ids[:1].id).read(["amount"])
        with self.assertRaises(AccessError):
            env_b["site.legal.notice.batch"].browse(batch.id).read(["kind"])
        with self.assertRaises(AccessError):
            self.batch(user=self.manager_b, min_amount=300)  # a batch of site A
        own = self.as_user(self.manager_b)["site.legal.notice.batch"].create(
            {"company_id": self.site_b.id, "date": DAY, "min_amount": 300}
        )
        own.action_log_notices()
        self.assertEqual(own.notice_ids.unit_id, self.unit_b)
        self.assertEqual(
            self.as_user(self.manager_a)["site.legal.notice"].search([]), batch.notice_ids
        )
