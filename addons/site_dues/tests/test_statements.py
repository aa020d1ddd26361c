import base64
import io
import shutil
from datetime import date, timedelta
from decimal import Decimal
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models import ir_actions_report
from odoo.addons.site_dues.models.site_ledger import Charge
from odoo.addons.site_residents.tests.printing import render_pdf

from .test_payments import SiteDuesPaymentCase
from .xlsx import xlsx_export


@tagged("post_install", "-at_install")
class TestStatements(SiteDuesPaymentCase):
    """Statements, debtors, collections and the printed charge notice."""

    def _history(self):
        """Charges from January to March and two payments; the unit ends 85 in credit."""
        self.company.site_payment_order = "oldest_first"
        lines = {
            "jan_dues": self.charge(100, date(2025, 1, 10)),
            "jan_heat": self.charge(60, date(2025, 1, 10), self.heat),
            "fee": self.charge(5, date(2025, 2, 1), self.late_fee),
            "feb_dues": self.charge(100, date(2025, 2, 10)),
        }
        lines["pay_feb"] = self.receivable(self.pay(150, date(2025, 2, 15), unit=self.unit))
        lines["pay_mar"] = self.receivable(self.pay(300, date(2025, 3, 5), unit=self.unit))
        lines["mar_dues"] = self.charge(100, date(2025, 3, 10))
        self.env["account.move.line"]._site_settle(self.unit.ids, self.company)
        return lines

    def _wizard(self, **values):
        return self.env["site.statement.wizard"].create(
            {
                "company_id": self.company.id,
                "unit_id": self.unit.id,
                "date_from": date(2025, 2, 1),
                "date_to": date(2025, 12, 31),
                **values,
            }
        )

    def _ledger(self, domain=()):
        lines = self.env["account.move.line"].search(
            [
                ("site_unit_id", "=", self.unit.id),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                *domain,
            ]
        )
        return round(sum(lines.mapped("balance")), 2), round(
            sum(lines.mapped("amount_residual")), 2
        )

    def test_statement_closing_equals_ledger(self):
        self._history()
        data = self._wizard()._statement_data()
        self.assertEqual(len(data["sections"]), 1)
        section = data["sections"][0]
        self.assertEqual(section["opening"], 160.0, "January's charges come before the range")
        self.assertEqual(
            [
                (str(line["date"]), line["debit"], line["credit"], line["balance"])
                for line in section["lines"]
            ],
            [
                ("2025-02-01", 5.0, 0.0, 165.0),
                ("2025-02-01", 100.0, 0.0, 265.0),
                ("2025-02-15", 0.0, 150.0, 115.0),
                ("2025-03-01", 100.0, 0.0, 215.0),
                ("2025-03-05", 0.0, 300.0, -85.0),
            ],
        )
        self.assertEqual(section["lines"][0]["charge_type"], self.late_fee.name)
        balance, residual = self._ledger()
        self.assertEqual(data["closing"], balance)
        self.assertEqual(data["closing"], residual)
        self.assertEqual(data["closing"], -85.0)
        self.assertAlmostEqual(self.unit_balance(), data["closing"])

        by_partner = self._wizard(unit_id=False, partner_id=self.owner.id)._statement_data()
        self.assertTrue(by_partner["show_unit"])
        self.assertEqual(by_partner["closing"], -85.0)

    def test_statement_by_charge_type(self):
        self._history()
        data = self._wizard(group_by_charge_type=True)._statement_data()
        sections = {section["title"]: section for section in data["sections"]}
        self.assertEqual(
            list(sections),
            [self.dues.name, self.heat.name, self.late_fee.name, "Payments and Credits"],
        )
        self.assertEqual(
            {title: (s["opening"], s["closing"]) for title, s in sections.items()},
            {
                self.dues.name: (100.0, 0.0),
                self.heat.name: (60.0, 0.0),
                self.late_fee.name: (0.0, 0.0),
                "Payments and Credits": (0.0, -85.0),
            },
        )
        self.assertEqual(data["closing"], self._ledger()[0])
        heat = sections[self.heat.name]
        self.assertEqual(
            [(str(line["date"]), line["credit"], line["balance"]) for line in heat["lines"]],
            [("2025-02-15", 50.0, 10.0), ("2025-03-05", 10.0, 0.0)],
        )

        # Filtered: the closing is what the ledger still has open on those charges.
        for charge_type in self.dues | self.heat | self.late_fee:
            data = self._wizard(charge_type_ids=[(6, 0, charge_type.ids)])._statement_data()
            residual = self._ledger([("site_charge_type_id", "=", charge_type.id)])[1]
            self.assertEqual(data["closing"], residual)
        february = self._wizard(
            charge_type_ids=[(6, 0, self.heat.ids)], date_to=date(2025, 2, 28)
        )._statement_data()
        self.assertEqual(february["closing"], 10.0, "heating was 10 short at the end of February")

    def test_statement_exports(self):
        self._history()
        wizard = self._wizard(group_by_charge_type=True)
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.report")
        _name, content = xlsx_export(self.env, action)
        self.assertTrue(content.startswith(b"PK"))
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "site_dues.action_report_site_statement", wizard.ids
        )
        html = html.decode().replace("\N{ZERO WIDTH NO-BREAK SPACE}", "")
        for text in (
            "Statement of Account",
            "Opening balance",
            "Closing balance",
            "-85.00",
            "160.00",
        ):
            self.assertIn(text, html)

    def test_debtor_buckets(self):
        as_of = date(2025, 6, 30)
        self.charge(10, date(2025, 6, 30))  # due today: not due
        self.charge(20, date(2025, 6, 15))  # 15 days
        self.charge(30, date(2025, 5, 15))  # 46 days
        self.charge(40, date(2025, 4, 15), self.heat)  # 76 days
        self.charge(50, date(2025, 1, 10))  # 171 days
        tenant = self.env["res.partner"].create({"name": "Ayşe Demir"})
        other = self.env["site.unit"].create({"code": "A-2", "company_id": self.company.id})
        self.env["site.unit.relation"].create(
            {
                "unit_id": other.id,
                "partner_id": tenant.id,
                "role": "owner",
                "date_from": date(2024, 1, 1),
            }
        )
        self.pay(25, date(2025, 6, 1), unit=other)  # nothing to settle: a credit
        self.pay(50, date(2025, 7, 5), unit=self.unit)  # after the report date

        def summary(rows):
            return {
                (row["unit"].code, row["charge_type"].code or False): tuple(
                    row[field]
                    for field in (
                        "not_due",
                        "days_0_30",
                        "days_31_60",
                        "days_61_90",
                        "days_90_plus",
                        "credit",
                        "total",
                    )
                )
                for row in rows
            }

        Report = self.env["site.debtor.report"]
        self.assertEqual(
            summary(Report._debtor_rows(self.company, as_of)),
            {
                ("A-1", "DUES"): (10.0, 20.0, 30.0, 0.0, 50.0, 0.0, 110.0),
                ("A-1", "HEAT"): (0.0, 0.0, 0.0, 40.0, 0.0, 0.0, 40.0),
                ("A-2", False): (0.0, 0.0, 0.0, 0.0, 0.0, -25.0, -25.0),
            },
            "the July payment does not count on 30 June",
        )
        self.assertEqual(
            summary(Report._debtor_rows(self.company, as_of, by_charge_type=False)),
            {
                ("A-1", False): (10.0, 20.0, 30.0, 40.0, 50.0, 0.0, 150.0),
                ("A-2", False): (0.0, 0.0, 0.0, 0.0, 0.0, -25.0, -25.0),
            },
        )
        self.assertEqual(
            summary(Report._debtor_rows(self.company, date(2025, 7, 31))),
            {
                ("A-1", "DUES"): (0.0, 0.0, 30.0, 30.0, 0.0, 0.0, 60.0),
                ("A-1", "HEAT"): (0.0, 0.0, 0.0, 0.0, 40.0, 0.0, 40.0),
                ("A-2", False): (0.0, 0.0, 0.0, 0.0, 0.0, -25.0, -25.0),
            },
        )

        wizard = self.env["site.debtor.report.wizard"].create(
            {
                "company_ids": [(6, 0, self.company.ids)],
                "date": as_of,
                "date_from": date(2025, 1, 1),
            }
        )
        action = wizard.action_preview()
        self.assertEqual(action["res_model"], "site.debtor.report.line")
        self.assertEqual(len(wizard.line_ids), 3)
        self.assertAlmostEqual(sum(wizard.line_ids.mapped("days_90_plus")), 50.0)
        self.assertAlmostEqual(sum(wizard.line_ids.mapped("total")), 125.0)
        for export in (wizard.action_export_xlsx(), wizard.action_export_collections_xlsx()):
            _name, content = xlsx_export(self.env, export)
            self.assertTrue(content.startswith(b"PK"))

    def test_collections(self):
        self._history()
        rows = self.env["site.debtor.report"]._collection_rows(
            self.company, date(2025, 1, 1), date(2025, 12, 31)
        )
        self.assertEqual(
            {(str(row["month"]), row["charge_type"].code or False): row["amount"] for row in rows},
            {
                ("2025-02-01", "DUES"): 100.0,
                ("2025-02-01", "HEAT"): 50.0,
                ("2025-03-01", "DUES"): 200.0,
                ("2025-03-01", "HEAT"): 10.0,
                ("2025-03-01", "LATEFEE"): 5.0,
                ("2025-03-01", False): 85.0,
            },
        )

    def _notice(self, company, unit, partner, balance, period=date(2025, 3, 1)):
        """The month's notice of ``unit`` with ``balance`` brought forward: charged in
        the month before."""
        if balance:
            before = period - timedelta(days=1)
            charge_type = company.site_charge_type_ids.filtered(lambda t: t.code == "DUES")
            self.env["site.ledger"]._post_charges(
                company,
                before.replace(day=1),
                [
                    Charge(
                        unit.id,
                        partner.id,
                        charge_type.id,
                        Decimal(str(balance)),
                        before,
                        "Dues",
                        before.replace(day=1),
                    )
                ],
                "BROUGHT FORWARD",
            )
        return self.env["site.charge.notice"].create(
            {
                "company_id": company.id,
                "unit_id": unit.id,
                "partner_id": partner.id,
                "period": period,
                "due_date": period.replace(day=10),
            }
        )

    def _site(self, name, country, vat="", registry="", iban=""):
        site = self.env["res.company"].create(
            {
                "name": name,
                "is_site": True,
                "country_id": self.env.ref(f"base.{country}").id,
                "vat": vat,
                "company_registry": registry,
            }
        )
        self.env.user.company_ids |= site
        chart = {"ua": "ua_psbo"}.get(country, country)
        self.env["account.chart.template"].try_loading(chart, site, install_demo=False)
        site._site_dues_setup()
        if iban:
            self.env["res.partner.bank"].create(
                {"partner_id": site.partner_id.id, "acc_number": iban}
            )
        unit = (
            self.env["site.unit"].with_company(site).create({"code": "M-3", "company_id": site.id})
        )
        return site, unit

    def test_qr_payload_poland_zbp(self):
        site, unit = self._site(
            "Wspólnota Leśna 7", "pl", vat="5260250274", iban="PL61 1090 1014 0000 0712 1981 2874"
        )
        notice = self._notice(site, unit, self.owner, 123.45)
        self.assertEqual(
            notice._qr_payload(),
            f"5260250274|PL|61109010140000071219812874|012345|Wspólnota Leśna 7|"
            f"{unit.payment_reference} M-3 / 2025-03|||",
        )

    def test_qr_payload_ukraine_nbu(self):
        site, unit = self._site(
            "OSBB Sadova 12", "ua", registry="12345678", iban="UA213223130000026007233566001"
        )
        notice = self._notice(site, unit, self.owner, 1500)
        link = notice._qr_payload()
        prefix = "https://bank.gov.ua/qr/"
        self.assertTrue(link.startswith(prefix))
        encoded = link[len(prefix) :]
        decoded = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        self.assertEqual(
            decoded.split("\n"),
            [
                "BCD",
                "002",
                "1",
                "UCT",
                "",
                "OSBB Sadova 12",
                "UA213223130000026007233566001",
                "UAH1500.00",
                "12345678",
                "",
                "",
                f"{unit.payment_reference} M-3 / 2025-03",
            ],
        )

    def test_qr_payload_turkey_portal_link(self):
        notice = self._notice(self.company, self.unit, self.owner, 250)
        self.assertIsNone(notice._qr_payload(), "no QR code while the site has no bank account")
        self.env["res.partner.bank"].create(
            {"partner_id": self.company.partner_id.id, "acc_number": "TR330006100519786457841326"}
        )
        self.assertTrue(
            notice._qr_payload().startswith(
                f"{notice.get_base_url()}/my/site/notices/{notice.id}?access_token="
            ),
            "no bank QR standard in Turkey: the online payment link",
        )
        self.pay(250, date(2025, 3, 20), unit=self.unit)
        self.assertIsNone(
            self._notice(self.company, self.unit, self.owner, 0, date(2025, 4, 1))._qr_payload(),
            "nothing to pay",
        )

    def test_notice_prints(self):
        self.env["res.partner.bank"].create(
            {"partner_id": self.company.partner_id.id, "acc_number": "TR330006100519786457841326"}
        )
        notice = self._notice(self.company, self.unit, self.owner, 80.0)
        moves = self.env["site.ledger"]._post_charges(
            self.company,
            date(2025, 3, 1),
            [
                Charge(
                    self.unit.id,
                    self.owner.id,
                    self.dues.id,
                    Decimal("1234.50"),
                    date(2025, 3, 10),
                    "Aidat 2025-03",
                    date(2025, 3, 1),
                    notice.id,
                ),
                Charge(
                    self.unit.id,
                    self.owner.id,
                    self.late_fee.id,
                    Decimal("4.80"),
                    date(2025, 3, 10),
                    "Gecikme tazminatı 2025-02",
                    date(2025, 3, 1),
                    notice.id,
                ),
            ],
            "March",
        )
        self.assertEqual(len(notice.line_ids), 2)
        self.assertTrue(moves)
        self.assertAlmostEqual(notice.amount_total, 1319.30)
        report = "site_dues.action_report_site_charge_notice"
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(report, notice.ids)
        html = html.decode()
        for text in (
            "1,234.50",
            "4.80",
            "1,319.30",
            "80.00",
            self.unit.payment_reference,
            "TR33 0006 1005 1978 6457 8413 26",
            "data:image/png;base64,",
            "Scan to pay online",
            "Aidat 2025-03",
        ):
            self.assertIn(text, html)
        render_pdf(self, report, notice.ids)

    def test_notices_print_together_with_the_letterhead(self):
        """Several notices in one call: the site's letterhead is in each page's body and
        wkhtmltopdf gets one HTML file without header/footer switches, which also works
        with a wkhtmltopdf built on unpatched Qt."""
        self.company.write(
            {
                "vat": "1234567890",
                "phone": "+90 212 555 00 00",
                "email": "yonetim@testsitesi.example",
                "website": "https://testsitesi.example",
                "street": "Bağdat Caddesi 12",
                "city": "İstanbul",
            }
        )
        self.env["res.partner.bank"].create(
            {"partner_id": self.company.partner_id.id, "acc_number": "TR330006100519786457841326"}
        )
        other = self.env["site.unit"].create({"code": "B-7", "company_id": self.company.id})
        berk = self.env["res.partner"].create({"name": "Berk Kaya"})
        notices = self._notice(self.company, self.unit, self.owner, 80.0) | self._notice(
            self.company, other, berk, 35.0
        )
        report = "site_dues.action_report_site_charge_notice"
        Report = self.env["ir.actions.report"]
        html = Report._render_qweb_html(report, notices.ids)[0]
        text = html.decode().replace("\N{ZERO WIDTH NO-BREAK SPACE}", "")
        self.assertEqual(text.count("o_site_letterhead_name"), 2)
        for value in (
            "Test Sitesi",
            "Bağdat Caddesi 12",
            "1234567890",
            "+90 212 555 00 00",
            "yonetim@testsitesi.example",
            "TR33 0006 1005 1978 6457 8413 26",
            "testsitesi.example",
            "Berk Kaya",
        ):
            self.assertIn(value, text)
        self.assertNotIn('class="header', text)
        self.assertNotIn('class="footer', text)

        # One body for both notices, no header or footer file, the ids kept for the split.
        report_sudo = Report._get_report(report)
        bodies, html_ids, header, footer, _args = report_sudo._prepare_html(
            html, report_model="site.charge.notice"
        )
        self.assertEqual(len(bodies), 1)
        self.assertEqual(html_ids, notices.ids)
        self.assertIsNone(header)
        self.assertIsNone(footer)
        self.assertEqual(bodies[0].count("page-break-before: always"), 1)
        self.assertEqual(report_sudo.paperformat_id.header_spacing, 0)

        if not shutil.which("wkhtmltopdf"):
            self.skipTest("wkhtmltopdf is not installed")
        # wkhtmltopdf would fetch the CSS from this server, which waits on this test's
        # uncommitted transaction: point it nowhere, the PDF is made without styles.
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        commands = []
        run = ir_actions_report._run_wkhtmltopdf

        def spy(args):
            commands.append(list(args))
            return run(args)

        with (
            patch.object(ir_actions_report, "_run_wkhtmltopdf", spy),
            mute_logger("odoo.addons.base.models.ir_actions_report"),
        ):
            pdf, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                report, notices.ids
            )
        self.assertEqual(kind, "pdf")
        self.assertGreaterEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 2)
        self.assertEqual(len(commands), 1)
        for switch in ("--header-html", "--footer-html", "--header-spacing", "--header-line"):
            self.assertNotIn(switch, commands[0])
        self.assertEqual(len([arg for arg in commands[0] if arg.endswith(".html")]), 1)

    def test_statements_print_together(self):
        self._history()
        wizards = self._wizard() | self._wizard(unit_id=False, partner_id=self.owner.id)
        report = "site_dues.action_report_site_statement"
        html = self.env["ir.actions.report"]._render_qweb_html(report, wizards.ids)[0].decode()
        self.assertEqual(html.count("o_site_letterhead_name"), 2)
        self.assertIn("Test Sitesi", html)
        self.assertIn(wizards[0]._title(), html)
        _pdf, pages = render_pdf(self, report, wizards.ids)
        self.assertGreaterEqual(pages, 2)
