from datetime import date

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalPaymentMulti(PortalCase):
    """Ali owns A-1 (1,100 due: 500 + 700 charged, 100 paid) and A-4 (500 due: 300 + 200)
    on site A, and B-2 on site B (250 due). One transaction pays several units of a site;
    once confirmed, one payment per unit is posted and settled by site_dues' rule."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Unit = cls.env["site.unit"]
        cls.u4 = Unit.create(
            {"code": "A-4", "company_id": cls.site.id, "building_id": cls.building.id}
        )
        cls.unit_b2 = Unit.create({"code": "B-2", "company_id": cls.site_b.id})
        cls.env["site.unit.relation"].create(
            [
                {"unit_id": unit.id, "partner_id": cls.ali.id, "date_from": date(2020, 1, 1)}
                for unit in (cls.u4, cls.unit_b2)
            ]
        )
        cls.post_dues(cls.site, cls.u4, cls.ali, [300.0, 200.0])
        cls.post_dues(cls.site_b, cls.unit_b2, cls.ali, [250.0])
        cls.fee_account = cls.env["account.account"].search(
            [("company_ids", "in", cls.site.id), ("account_type", "=", "income_other")], limit=1
        )

    # --- helpers -------------------------------------------------------------

    def pay_all_link(self, line_ids=()):
        """Ali's "Pay all" on site A: the pay link it redirects to."""
        self.login(self.user_a)
        response = self.url_open(
            f"/my/site/sites/{self.site.id}/pay",
            data={"csrf_token": self.csrf_token(), "line_ids": [str(i) for i in line_ids]},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303, response.text[:500])
        return response.headers["Location"].rsplit("/site/pay/", 1)[1]

    def start_payment(self, token):
        method = self.env.ref("payment_demo.payment_method_demo")
        values = self.make_jsonrpc_request(
            f"/site/pay/{token}/transaction",
            {
                "provider_id": self.provider_a.id,
                "payment_method_id": method.id,
                "token_id": None,
                "amount": 1.0,  # ignored: the link's amounts and the site's fee are paid
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/elsewhere",
                "is_validation": False,
                "access_token": "ignored",
            },
        )
        return (
            self.env["payment.transaction"].sudo().search([("reference", "=", values["reference"])])
        )

    def notify(self, tx, state):
        """A provider notification, then the post-processing that may follow it."""
        Tx = self.env["payment.transaction"].sudo()
        Tx._process("demo", {"reference": tx.reference, "simulated_state": state})
        tx._post_process()

    def payments_of(self, tx):
        return self.env["account.payment"].search([("payment_transaction_id", "=", tx.id)])

    def set_fee(self, percent=2.5, fixed=1.0):
        self.site.write(
            {
                "site_payment_fee_account_id": self.fee_account.id,
                "site_payment_fee_percent": percent,
                "site_payment_fee_fixed": fixed,
            }
        )

    # --- tests ---------------------------------------------------------------

    def test_home_pay_all_per_site(self):
        """Two units with balances on site A: a "Pay all" for site A; one on site B: none."""
        self.login(self.user_a)
        page = self.url_open("/my")
        self.assertIn(f'data-site="{self.site.id}"', page.text)
        self.assertNotIn(f'data-site="{self.site_b.id}"', page.text)
        self.assertIn("1,600.00", page.text)
        self.assertIn(f"/my/site/sites/{self.site.id}/pay", page.text)
        choose = self.url_open(f"/my/site/sites/{self.site.id}/pay")
        self.assertEqual(choose.status_code, 200)
        self.assertIn('data-unit="A-1"', choose.text)
        self.assertIn('data-unit="A-4"', choose.text)
        self.assertNotIn("B-2", choose.text)
        # Emre holds nothing on site A: not found, and nothing about it shown.
        self.login(self.user_b)
        self.assertEqual(self.url_open(f"/my/site/sites/{self.site.id}/pay").status_code, 404)
        self.assertEqual(
            self.url_open(
                f"/my/site/sites/{self.site.id}/pay",
                data={"csrf_token": self.csrf_token()},
                allow_redirects=False,
            ).status_code,
            404,
        )

    def test_pay_all_one_transaction_one_payment_per_unit(self):
        token = self.pay_all_link()
        units, partners, amount, items = self.env["site.portal"]._read_pay_link(token)
        self.assertEqual(units, self.u1 | self.u4)
        self.assertEqual(partners, self.ali)
        self.assertEqual(amount, 1600.0)
        self.assertEqual(
            [(i["unit"], i["amount"]) for i in items], [(self.u1, 1100.0), (self.u4, 500.0)]
        )
        page = self.url_open(f"/site/pay/{token}")
        self.assertIn('data-unit="A-1"', page.text)
        self.assertIn('data-amount="1600.00"', page.text)
        self.assertNotIn("o_site_pay_fee", page.text)  # the site passes no fee on
        tx = self.start_payment(token)
        self.assertEqual(tx.amount, 1600.0)
        self.assertEqual(tx.site_unit_ids, self.u1 | self.u4)
        self.assertEqual(tx.company_id, self.site)
        self.notify(tx, "done")
        payments = self.payments_of(tx)
        self.assertEqual(
            sorted((p.site_unit_id.code, p.partner_id, p.amount) for p in payments),
            [("A-1", self.ali, 1100.0), ("A-4", self.ali, 500.0)],
        )
        self.assertTrue(all(p.state in ("in_process", "paid") for p in payments))
        self.assertEqual(tx.payment_id.site_unit_id, self.u1)
        # Settled by site_dues: nothing is open on either unit any more.
        self.assertEqual(self.balance(self.u1, self.ali), 0.0)
        self.assertEqual(self.balance(self.u4, self.ali), 0.0)
        self.assertEqual(self.balance(self.unit_b2, self.ali), 250.0)
        receipt = self.url_open(tx.landing_route)
        self.assertIn("o_site_pay_done", receipt.text)
        self.assertIn("o_site_back_to_units", receipt.text)
        pdf = self.url_open(f"{tx.landing_route}?report_type=pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")

    def test_chosen_debts_across_units(self):
        """A-1's second month (700) and A-4's first (300): one transaction of 1,000, each
        unit's payment settling its debts in the site's order (oldest first)."""
        portal = self.env["site.portal"]
        access = portal._access(self.ali)
        a1_second = portal._open_lines(access[self.u1.id]).filtered(
            lambda line: line.amount_residual == 700.0
        )
        a4_first = portal._open_lines(access[self.u4.id]).filtered(
            lambda line: line.amount_residual == 300.0
        )
        token = self.pay_all_link([a1_second.id, a4_first.id])
        _units, _partners, amount, items = portal._read_pay_link(token)
        self.assertEqual(amount, 1000.0)
        self.assertEqual([i["amount"] for i in items], [700.0, 300.0])
        tx = self.start_payment(token)
        self.notify(tx, "done")
        self.assertEqual(sorted(self.payments_of(tx).mapped("amount")), [300.0, 700.0])
        self.assertEqual(self.balance(self.u1, self.ali), 400.0)
        self.assertEqual(self.balance(self.u4, self.ali), 200.0)
        # The oldest of A-1 (400 left of 500) was settled first, then 300 of the 700.
        self.assertEqual(portal._open_lines(access[self.u1.id]).mapped("amount_residual"), [400.0])

    def test_fee_passed_to_the_payer(self):
        """2.5 % + 1.00 on 1,600: (40 + 1) / 0.975 = 42.05; the payer pays 1,642.05, each
        unit's payment is its debt, the fee a payment of its own on the fee account."""
        self.set_fee()
        token = self.pay_all_link()
        page = self.url_open(f"/site/pay/{token}")
        self.assertIn('o_site_pay_debt" data-amount="1600.00"', page.text)
        self.assertIn('data-amount="42.05"', page.text)
        self.assertIn('data-amount="1642.05"', page.text)
        tx = self.start_payment(token)
        self.assertEqual(tx.amount, 1642.05)
        self.assertEqual(tx.site_fee_amount, 42.05)
        self.notify(tx, "done")
        payments = self.payments_of(tx)
        fee = payments.filtered("site_portal_fee")
        self.assertEqual(fee.amount, 42.05)
        self.assertFalse(fee.site_unit_id)
        self.assertEqual(fee.destination_account_id, self.fee_account)
        self.assertEqual(sorted((payments - fee).mapped("amount")), [500.0, 1100.0])
        self.assertEqual(sum(payments.mapped("amount")), tx.amount)
        # The books balance: the fee's credit is on the income account, the units' on
        # their receivables, which are settled.
        fee_lines = fee.move_id.line_ids
        self.assertEqual(
            fee_lines.filtered(lambda line: line.account_id == self.fee_account).credit, 42.05
        )
        self.assertEqual(sum(fee_lines.mapped("balance")), 0.0)
        self.assertEqual(self.balance(self.u1, self.ali), 0.0)
        self.assertEqual(self.balance(self.u4, self.ali), 0.0)
        receipt = self.url_open(tx.landing_route)
        self.assertIn("42.05", receipt.text)

    def test_fee_needs_its_account(self):
        with self.assertRaises(ValidationError) as raised, self.env.cr.savepoint():
            self.site.write({"site_payment_fee_percent": 2.0})
        self.assertIn("Provider Fee Income Account", str(raised.exception))
        with self.assertRaises(ValidationError) as raised, self.env.cr.savepoint():
            self.site.write(
                {"site_payment_fee_account_id": self.fee_account.id, "site_payment_fee_percent": 60}
            )
        self.assertIn("Fee percent", str(raised.exception))

    def test_duplicate_and_out_of_order_notifications(self):
        """Notifications twice or more, a late "pending" and "cancel", the receipt page and
        the cron in between: one payment per unit and one for the fee, counted once."""
        self.set_fee()
        tx = self.start_payment(self.pay_all_link())
        self.notify(tx, "done")  # before the "pending" that was sent first
        self.notify(tx, "pending")
        self.url_open(tx.landing_route)
        for _ in range(3):
            self.notify(tx, "done")
        self.notify(tx, "cancel")  # a done transaction is not cancelled
        self.env["payment.transaction"].sudo()._cron_post_process()
        self.url_open(tx.landing_route)
        self.assertEqual(tx.state, "done")
        payments = self.payments_of(tx)
        self.assertEqual(len(payments), 3)
        self.assertTrue(all(p.state in ("in_process", "paid") for p in payments))
        self.assertEqual(self.balance(self.u1, self.ali), 0.0)
        self.assertEqual(self.balance(self.u4, self.ali), 0.0)
        # No credit left on the units: counted once.
        credits = self.env["account.move.line"].search(
            [("site_unit_id", "in", (self.u1 | self.u4).ids), ("amount_residual", "<", 0)]
        )
        self.assertFalse(credits)

    def test_all_or_nothing(self):
        """When one of the payments cannot be posted, none is; the next post-processing
        (the cron's retry) posts them all."""
        self.set_fee()
        tx = self.start_payment(self.pay_all_link())
        # The fee's account is gone when the payment is confirmed.
        self.site.write(
            {
                "site_payment_fee_percent": 0,
                "site_payment_fee_fixed": 0,
                "site_payment_fee_account_id": False,
            }
        )
        Tx = self.env["payment.transaction"].sudo()
        Tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
        with self.assertRaises(UserError), self.env.cr.savepoint():
            tx._post_process()
        self.assertFalse(self.payments_of(tx))
        self.assertEqual(self.balance(self.u1, self.ali), 1100.0)
        self.assertEqual(self.balance(self.u4, self.ali), 500.0)
        self.site.site_payment_fee_account_id = self.fee_account
        tx._post_process()
        self.assertEqual(len(self.payments_of(tx)), 3)
        self.assertEqual(self.balance(self.u1, self.ali), 0.0)

    def test_link_bound_to_units_and_amounts(self):
        """Changing a unit or an amount of a link of several breaks it; a link pays at
        most what is still due on each unit."""
        token = self.pay_all_link()
        units, partners, minors, rest = token.split("-", 3)
        swapped = "-".join((units, partners, ".".join(reversed(minors.split("."))), rest))
        self.assertEqual(self.url_open(f"/site/pay/{swapped}").status_code, 404)
        other = "-".join((units.replace(str(self.u4.id), str(self.u2.id)), partners, minors, rest))
        self.assertEqual(self.url_open(f"/site/pay/{other}").status_code, 404)
        self.pay(self.site, self.u4, self.ali, 500.0)  # A-4 paid by transfer meanwhile
        _units, _partners, amount, items = self.env["site.portal"]._read_pay_link(token)
        self.assertEqual(amount, 1100.0)
        tx = self.start_payment(token)
        self.assertEqual(tx.amount, 1100.0)
        self.assertEqual(tx.site_unit_ids, self.u1)
        self.notify(tx, "done")
        self.assertEqual(self.payments_of(tx).site_unit_id, self.u1)

    def test_one_site_per_payment(self):
        with self.assertRaises(UserError):
            self.env["site.portal"]._make_pay_link_items(
                [(self.u1, self.ali, 10.0), (self.unit_b2, self.ali, 10.0)]
            )
