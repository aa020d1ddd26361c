from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MonthCase


@tagged("post_install", "-at_install")
class TestPdfReports(MonthCase):
    """Receipts and payments and the sites side by side, printed from their lists."""

    def render(self, user, xmlid, records):
        report = self.env.ref(xmlid)
        env = self.as_user(user)
        html, _kind = env["ir.actions.report"]._render_qweb_html(report.report_name, records.ids)
        return report, html.decode()

    def test_receipts_and_payments_pdf(self):
        self.run_month()
        flows = self.env["site.cash.report"].search([("company_id", "=", self.site.id)])
        report, html = self.render(
            self.board_a, "site_accounting.action_report_site_cash_report_pdf", flows
        )
        self.assertEqual(report.binding_model_id.model, "site.cash.report")
        self.assertEqual(report.report_type, "qweb-pdf")
        dues = self.charge_type_of(self.site, "DUES")
        self.assertIn(self.site.name, html)
        self.assertIn(dues.name, html)
        # The same figures as the XLSX: 3750 in, 325 out, 3425 net (English number format).
        for amount in ("3,750.00", "325.00", "3,425.00"):
            self.assertIn(f'<span class="oe_currency_value">{amount}</span>', html)
        with self.assertRaises(AccessError):
            self.render(self.board_b, "site_accounting.action_report_site_cash_report_pdf", flows)

    def test_sites_side_by_side_pdf(self):
        self.run_month()
        figures = self.env["site.key.figure"].search([("company_id", "=", self.site.id)])
        self.assertTrue(figures)
        report, html = self.render(
            self.accountant_a, "site_accounting.action_report_site_key_figure_pdf", figures
        )
        self.assertEqual(report.binding_model_id.model, "site.key.figure")
        self.assertIn(self.site.name, html)
        self.assertIn("Cash and Bank", html)
        self.assertIn("Result", html)
        with self.assertRaises(AccessError):
            self.render(
                self.accountant_b, "site_accounting.action_report_site_key_figure_pdf", figures
            )
