from psycopg2 import IntegrityError

from odoo.tests import tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalPayment(PortalCase):
    def start_payment(self, token, provider=None):
        """What the payment form does: create the transaction of a pay link."""
        method = self.env.ref("payment_demo.payment_method_demo")
        return self.make_jsonrpc_request(
            f"/site/pay/{token}/transaction",
            {
                "provider_id": (provider or self.provider_b).id,
                "payment_method_id": method.id,
                "token_id": None,
                "amount": 1.0,  # ignored: the link's amount is paid
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/elsewhere",
                "is_validation": False,
                "access_token": "ignored",
            },
        )

    def test_pay_link_without_login(self):
        """Emre's pay link, opened without logging in, pays 300 for B-1: one payment on
        the unit, settled by site_dues, a receipt, and 300 less due."""
        before = self.balance(self.unit_b, self.emre)
        token = self.env["site.portal"]._make_pay_link(self.unit_b, self.emre, 300.0)
        self.assertEqual(self.url_open(f"/site/pay/{token}").status_code, 200)
        values = self.start_payment(token)
        tx = self.env["payment.transaction"].search([("reference", "=", values["reference"])])
        self.assertEqual(
            (tx.site_unit_id, tx.partner_id, tx.amount), (self.unit_b, self.emre, 300.0)
        )
        self.assertEqual(tx.company_id, self.site_b)
        self.assertIn("/site/pay/receipt/", tx.landing_route)
        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {"reference": tx.reference, "payment_details": "4242", "simulated_state": "done"},
        )
        receipt = self.url_open(tx.landing_route)
        self.assertEqual(receipt.status_code, 200)
        self.assertIn("o_site_pay_done", receipt.text)
        payment = tx.payment_id
        self.assertEqual(payment.site_unit_id, self.unit_b)
        self.assertEqual(payment.partner_id, self.emre)
        self.assertIn(payment.state, ("in_process", "paid"))
        self.assertEqual(self.balance(self.unit_b, self.emre), before - 300.0)
        # The oldest dues (500, of which 100 paid before) were settled first.
        oldest = self.env["site.portal"]._open_lines(
            self.env["site.portal"]._access(self.emre)[self.unit_b.id]
        )
        self.assertEqual(oldest.mapped("amount_residual"), [100.0, 700.0][-len(oldest) :])
        settled = self.env["report.site_portal.report_payment_receipt"]._settlement(payment)
        self.assertEqual([line["amount"] for line in settled["lines"]], [300.0])
        self.assertEqual(settled["credit"], 0.0)
        self.assertEqual(self.url_open(f"{tx.landing_route}?report_type=pdf").status_code, 200)
        signature = tx.landing_route.rsplit("/", 1)[1]
        self.assertEqual(self.url_open(f"/site/pay/receipt/{tx.id}/{signature}x").status_code, 404)

    def test_duplicate_notifications_allocate_once(self):
        """Providers notify twice or more, in any order: one payment, counted once."""
        before = self.balance(self.unit_b, self.emre)
        token = self.env["site.portal"]._make_pay_link(self.unit_b, self.emre, 250.0)
        values = self.start_payment(token)
        Tx = self.env["payment.transaction"].sudo()
        tx = Tx.search([("reference", "=", values["reference"])])
        pending = {"reference": tx.reference, "simulated_state": "pending"}
        done = {"reference": tx.reference, "simulated_state": "done"}
        Tx._process("demo", pending)
        tx._post_process()
        for _ in range(3):
            Tx._process("demo", done)
            tx._post_process()
        Tx._process("demo", pending)  # a late "pending" changes nothing any more
        Tx._cron_post_process()
        payments = self.env["account.payment"].search([("payment_transaction_id", "=", tx.id)])
        self.assertEqual(len(payments), 1)
        self.assertEqual(tx.state, "done")
        self.assertEqual(self.balance(self.unit_b, self.emre), before - 250.0)

    def test_one_payment_per_transaction_in_the_database(self):
        """Even two post-processings racing past the row lock cannot post a second
        payment for one transaction: the database refuses it."""
        token = self.env["site.portal"]._make_pay_link(self.unit_b, self.emre, 50.0)
        values = self.start_payment(token)
        Tx = self.env["payment.transaction"].sudo()
        tx = Tx.search([("reference", "=", values["reference"])])
        Tx._process("demo", {"reference": tx.reference, "simulated_state": "done"})
        tx._post_process()
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                tx.with_company(tx.company_id)._create_payment()

    def test_link_pays_at_most_what_is_due(self):
        """A link for more than is still due (paid meanwhile by transfer) pays only what
        is due; one for a settled unit pays nothing."""
        due = self.balance(self.unit_b, self.emre)
        token = self.env["site.portal"]._make_pay_link(self.unit_b, self.emre, due + 500.0)
        self.assertEqual(self.env["site.portal"]._read_pay_link(token)[2], due)
        self.pay(self.site_b, self.unit_b, self.emre, due)
        self.assertEqual(self.env["site.portal"]._read_pay_link(token)[2], 0.0)
        with self.assertRaises(JsonRpcException) as raised:
            self.start_payment(token)
        self.assertIn("ValidationError", raised.exception.args[0])

    def test_only_the_sites_own_provider(self):
        """Site B's pay link cannot be paid to site A's provider account."""
        token = self.env["site.portal"]._make_pay_link(self.unit_b, self.emre, 300.0)
        with self.assertRaises(JsonRpcException):
            self.start_payment(token, provider=self.provider_a)
        self.assertFalse(
            self.env["payment.transaction"].search([("site_unit_id", "=", self.unit_b.id)])
        )

    def test_logged_in_pay_from_home(self):
        """Ali's Pay button: the balance of A-1, paid on site A's own provider."""
        self.login(self.user_a)
        response = self.url_open(
            f"/my/site/units/{self.u1.id}/pay",
            data={"csrf_token": self.csrf_token()},
            allow_redirects=False,
        )
        token = response.headers["Location"].rsplit("/site/pay/", 1)[1]
        page = self.url_open(f"/site/pay/{token}")
        self.assertIn(f'data-provider-id="{self.provider_a.id}"', page.text)
        self.assertIn("1,100.00", page.text)
