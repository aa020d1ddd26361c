import shutil
from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from ..models.site_ledger import Charge
from .test_payments import SiteDuesPaymentCase

MAR, APR = date(2025, 3, 1), date(2025, 4, 1)
REPORT = "site_dues.action_report_site_charge_notice"
IBAN = "TR330006100519786457841326"


class NoticeCase(SiteDuesPaymentCase):
    def post_on(self, day, amount, charge_type, period=None):
        """A charge dated ``day`` on no notice (posted without site.ledger._post_month)."""
        self.env["site.ledger"]._post_charges(
            self.company,
            day,
            [
                Charge(
                    self.unit.id,
                    self.owner.id,
                    charge_type.id,
                    Decimal(amount),
                    day,
                    f"{charge_type.name} {day}",
                    period or day.replace(day=1),
                )
            ],
            f"TEST {day}",
        )

    def charge_april(self, on_day):
        """April's dues of 100.00, charged on ``on_day``: the notice made that day."""
        with freeze_time(on_day):
            self.env["site.ledger"]._post_month(
                self.company,
                APR,
                date(2025, 4, 10),
                [(self.unit.id, self.owner.id, self.dues.id, Decimal("100.00"), "Aidat 2025-04")],
                "APRIL",
            )
        return self.env["site.charge.notice"].search(
            [("unit_id", "=", self.unit.id), ("period", "=", APR)]
        )

    def open_balance_on(self, day):
        """The unit's open balance for its owner on ``day``, as the debtor list has it."""
        rows = self.env["site.debtor.report"]._open_as_of(self.company, day)
        return float(
            sum(
                amount
                for line, amount in rows
                if (line["site_unit_id"], line["partner_id"]) == (self.unit.id, self.owner.id)
            )
        )

    def html(self, notice, env=None):
        """The notice's printed HTML (as ``env``'s user), without the zero-width marks."""
        Report = (env or self.env)["ir.actions.report"]
        text = Report._render_qweb_html(REPORT, notice.ids)[0].decode()
        return text.replace("\N{ZERO WIDTH NO-BREAK SPACE}", "")

    def figures(self, notice):
        notice.invalidate_recordset()
        return (
            notice.previous_balance,
            notice.amount_charges,
            notice.amount_late_fees,
            notice.amount_payments,
            notice.amount_total,
        )


@tagged("post_install", "-at_install")
class TestNoticeBalance(NoticeCase):
    """Brought forward + the month's charges + late fees up to the notice's date - the
    payments of those days = the open balance on the notice's date, to the cent."""

    def setUp(self):
        super().setUp()
        self.charge(71.24, date(2025, 3, 10))  # March's dues, unpaid

    def test_late_fee_dated_in_the_month_before_the_notice(self):
        self.post_on(date(2025, 4, 3), "1.96", self.late_fee)
        notice = self.charge_april(date(2025, 4, 5))
        self.assertEqual(notice.amount_total, self.open_balance_on(date(2025, 4, 5)))
        self.assertEqual(notice.date, date(2025, 4, 5))
        self.assertEqual(self.figures(notice), (71.24, 100.0, 1.96, 0.0, 173.20))

    def test_late_fee_dated_after_the_notice_is_on_the_next_one(self):
        notice = self.charge_april(date(2025, 4, 5))
        self.post_on(date(2025, 4, 20), "1.96", self.late_fee)
        self.assertEqual(self.figures(notice), (71.24, 100.0, 0.0, 0.0, 171.24))
        self.assertEqual(notice.amount_total, self.open_balance_on(notice.date))
        html = self.html(notice)
        self.assertIn('name="notice_balance_date"', html)
        self.assertIn("are not included", html)
        self.assertNotIn('name="notice_late_fees"', html)

    def test_a_charge_posted_on_the_notice_after_its_date_moves_it(self):
        """Late-fee runs and special charges post on the month's notice: it then states
        the balance on their day, so that its totals count them."""
        notice = self.charge_april(date(2025, 4, 5))
        self.pay(30, date(2025, 4, 8), unit=self.unit)
        self.env["site.ledger"]._post_month(
            self.company,
            APR,
            date(2025, 5, 5),
            [(self.unit.id, self.owner.id, self.late_fee.id, Decimal("1.96"), "Late fees")],
            "FEES",
            date=date(2025, 4, 20),
        )
        self.assertEqual(notice.date, date(2025, 4, 20))
        self.assertEqual(notice.due_date, date(2025, 4, 10), "the notice keeps its due date")
        self.assertEqual(self.figures(notice), (71.24, 100.0, 1.96, -30.0, 143.20))
        self.assertEqual(notice.amount_total, self.open_balance_on(notice.date))
        fee = notice.line_ids.filtered(lambda line: line.site_charge_type_id == self.late_fee)
        self.assertEqual((fee.date, fee.date_maturity), (date(2025, 4, 20), date(2025, 5, 5)))
        # a charge dated before the notice's day leaves it there
        self.env["site.ledger"]._post_month(
            self.company,
            APR,
            date(2025, 4, 10),
            [(self.unit.id, self.owner.id, self.heat.id, Decimal("10.00"), "Heating")],
            "HEAT",
            date=date(2025, 4, 15),
        )
        self.assertEqual(notice.date, date(2025, 4, 20))
        self.assertEqual(self.figures(notice), (71.24, 110.0, 1.96, -30.0, 153.20))

    def test_payments_up_to_the_notice_date(self):
        self.pay(50, date(2025, 4, 2), unit=self.unit)  # settles most of March
        self.post_on(date(2025, 4, 3), "1.96", self.late_fee)
        notice = self.charge_april(date(2025, 4, 5))
        self.pay(30, date(2025, 4, 8), unit=self.unit)  # after the notice's date
        self.assertEqual(self.figures(notice), (71.24, 100.0, 1.96, -50.0, 123.20))
        self.assertEqual(notice.amount_total, self.open_balance_on(notice.date))
        html = self.html(notice)
        for text in ('name="notice_late_fees"', 'name="notice_payments"', "123.20", "-50.00"):
            self.assertIn(text, html)

    def test_back_dated_payment_changes_the_balance_brought_forward(self):
        notice = self.charge_april(date(2025, 4, 5))
        self.pay(20, date(2025, 3, 28), unit=self.unit)  # recorded later, dated in March
        self.assertEqual(self.figures(notice), (51.24, 100.0, 0.0, 0.0, 151.24))
        self.assertEqual(notice.amount_total, self.open_balance_on(notice.date))

    def test_late_fees_in_the_balance_brought_forward(self):
        self.post_on(date(2025, 3, 20), "3.00", self.late_fee)
        self.pay(2, date(2025, 4, 2), unit=self.unit)  # paid after March's end
        notice = self.charge_april(date(2025, 4, 5))
        self.assertEqual((notice.previous_balance, notice.previous_late_fees), (74.24, 3.0))
        self.assertEqual(notice.amount_total, self.open_balance_on(notice.date))

    def test_late_fees_of_an_archived_type_are_still_late_fees(self):
        self.post_on(date(2025, 3, 20), "3.00", self.late_fee)
        notice = self.charge_april(date(2025, 4, 5))
        self.late_fee.active = False
        notice.invalidate_recordset()
        self.assertEqual((notice.previous_balance, notice.previous_late_fees), (74.24, 3.0))

    def test_notice_date_stays_in_its_month(self):
        late = self.charge_april(date(2025, 5, 12))
        self.assertEqual(late.date, date(2025, 4, 30), "charged late: the month's last day")
        self.assertEqual(late.amount_total, self.open_balance_on(late.date))
        with freeze_time("2025-05-20"):
            ahead = self.env["site.charge.notice"].create(
                {
                    "company_id": self.company.id,
                    "unit_id": self.unit.id,
                    "partner_id": self.owner.id,
                    "period": date(2025, 7, 1),
                    "due_date": date(2025, 7, 10),
                }
            )
        self.assertEqual(ahead.date, date(2025, 7, 1), "charged ahead: the month's first day")

    def test_with_arrears_filter(self):
        notice = self.charge_april(date(2025, 4, 5))
        Notice = self.env["site.charge.notice"]
        self.assertIn(notice, Notice.search([("previous_balance", ">", 0)]))
        self.pay(71.24, date(2025, 3, 31), unit=self.unit)
        self.assertNotIn(notice, Notice.search([("previous_balance", ">", 0)]))


@tagged("post_install", "-at_install")
class TestNoticeHowToPay(NoticeCase):
    """The "how to pay" box: the site's account for notices and the QR code, or a clear
    hint to the staff that the site has no account yet."""

    def test_site_without_bank_account(self):
        notice = self.charge_april(date(2025, 4, 5))
        html = self.html(notice)
        self.assertIn("o_site_notice_no_bank", html)
        self.assertIn("No bank account is set for this site", html)
        self.assertNotIn("o_site_notice_qr", html)
        self.assertNotIn("IBAN:", html)

    def test_site_with_bank_accounts(self):
        Bank = self.env["res.partner.bank"]
        first = Bank.create({"partner_id": self.company.partner_id.id, "acc_number": IBAN})
        for_notices = Bank.create(
            {
                "partner_id": self.company.partner_id.id,
                "acc_number": "TR320010009999901234567890",
                "acc_holder_name": "Test Sitesi Yönetimi",
            }
        )
        self.company.site_notice_bank_id = for_notices
        self.assertEqual(self.company._site_notice_bank(), for_notices)
        self.assertTrue(first)
        notice = self.charge_april(date(2025, 4, 5))
        html = self.html(notice)
        self.assertIn("TR32 0010 0099 9990 1234 5678 90", html)
        self.assertIn("Test Sitesi Yönetimi", html)
        self.assertIn('class="o_site_notice_qr"', html)
        self.assertIn("data:image/png;base64,", html)
        self.assertNotIn("o_site_notice_no_bank", html)

    def test_board_member_prints_the_notice(self):
        Bank = self.env["res.partner.bank"]
        Bank.create({"partner_id": self.company.partner_id.id, "acc_number": IBAN})
        notice = self.charge_april(date(2025, 4, 5))
        board = new_test_user(
            self.env,
            login="notice_board",
            groups="site_residents.group_site_board",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        env = self.env(user=board, context={"allowed_company_ids": self.company.ids})
        html = self.html(notice.with_env(env), env)
        self.assertIn("TR33 0006 1005 1978 6457 8413 26", html)
        self.assertIn('class="o_site_notice_qr"', html)


@tagged("post_install", "-at_install")
class TestNoticePdfSize(NoticeCase, HttpCase):
    """Notices are printed with the report's styles in fonts wkhtmltopdf embeds as
    subsets: small enough to e-mail a site's notices."""

    def test_one_notice_stays_small(self):
        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed")
        self.env["res.partner.bank"].create(
            {"partner_id": self.company.partner_id.id, "acc_number": IBAN}
        )
        notice = self.charge_april(date(2025, 4, 5))
        # wkhtmltopdf fetches the report's styles from this test's server
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        with mute_logger("odoo.addons.base.models.ir_actions_report"):
            pdf, _kind = (
                self.env["ir.actions.report"]
                .with_context(force_report_rendering=True)
                ._render_qweb_pdf(REPORT, notice.ids)
            )
        self.assertIn(b"/FontFile2", pdf, "text in embedded fonts, not drawn as outlines")
        self.assertLess(len(pdf), 100_000)
