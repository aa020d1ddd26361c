import io
from datetime import date

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.site_residents.tests.common import site_user

from .test_payments import SiteDuesPaymentCase
from .xlsx import xlsx_export, xlsx_report


def report_file_name(env, report_ref, record):
    """The PDF's download name, as /report/download computes it."""
    report = env.ref(report_ref)
    return safe_eval(report.print_report_name, {"object": record, "time": time})


@tagged("post_install", "-at_install")
class TestDuesDisplay(SiteDuesPaymentCase):
    """A Turkish accountant's downloads: names, months and dates in Turkish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("tr_TR")
        cls.owner.lang = "tr_TR"
        cls.accountant = site_user(
            cls.env,
            "display_accountant_tr",
            "site_residents.group_site_accountant",
            cls.company,
            lang="tr_TR",
        )

    def setUp(self):
        super().setUp()
        self.charge(100, date(2025, 1, 10))
        self.pay(40, date(2025, 2, 15), unit=self.unit)
        self.tr_env = self.env(
            user=self.accountant,
            context=dict(self.env.context, lang="tr_TR", allowed_company_ids=self.company.ids),
        )

    def test_debtor_and_collection_exports_are_named_in_turkish(self):
        wizard = self.tr_env["site.debtor.report.wizard"].create(
            {
                "company_ids": [Command.set(self.company.ids)],
                "date": date(2025, 3, 31),
                "date_from": date(2025, 1, 1),
            }
        )
        name, debtors = xlsx_export(self.tr_env, wizard.action_export_xlsx())
        self.assertEqual(name, "Borçlular 31.03.2025.xlsx")
        title = openpyxl.load_workbook(io.BytesIO(debtors)).active["A1"].value
        self.assertIn("31.03.2025", title)

        name, collections = xlsx_export(self.tr_env, wizard.action_export_collections_xlsx())
        self.assertEqual(name, "Tahsilatlar 01.01.2025 - 31.03.2025.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(collections)).active
        self.assertIn("01.01.2025", sheet["A1"].value)
        month = sheet["A5"]
        self.assertEqual(month.value.date(), date(2025, 2, 1))
        self.assertEqual(month.number_format, "mmmm yyyy", "a month, not 2025-02")

    def test_statement_is_named_and_dated_in_turkish(self):
        wizard = self.tr_env["site.statement.wizard"].create(
            {
                "company_id": self.company.id,
                "unit_id": self.unit.id,
                "partner_id": self.owner.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 3, 31),
            }
        )
        name = "Hesap Ekstresi A-1 Ali Yılmaz 01.01.2025 - 31.03.2025"
        self.assertEqual(
            report_file_name(self.tr_env, "site_dues.action_report_site_statement", wizard), name
        )
        xlsx_name, content = xlsx_export(self.tr_env, wizard.action_export_xlsx())
        self.assertEqual(xlsx_name, f"{name}.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertIn("01.01.2025", sheet["A2"].value)
        dates = [
            cell for (cell,) in sheet.iter_rows(min_row=4, max_col=1) if cell.is_date and cell.value
        ]
        self.assertTrue(dates)
        self.assertEqual({cell.number_format for cell in dates}, {"dd.mm.yyyy"})

    def test_charge_notice_reads_its_month_in_turkish(self):
        notice = self.tr_env["site.charge.notice"].create(
            {
                "company_id": self.company.id,
                "unit_id": self.unit.id,
                "partner_id": self.owner.id,
                "period": date(2025, 12, 1),
                "due_date": date(2025, 12, 15),
            }
        )
        self.assertEqual(
            report_file_name(self.tr_env, "site_dues.action_report_site_charge_notice", notice),
            f"{self.tr_env._('Charge Notice')} A-1 Aralık 2025",
        )
        html, _kind = self.tr_env["ir.actions.report"]._render_qweb_html(
            "site_dues.action_report_site_charge_notice", notice.ids
        )
        self.assertIn("Aralık 2025", html.decode())

    def test_budget_export_is_named_in_turkish(self):
        budget = self.tr_env["site.budget"].create(
            {
                "name": "Bütçe 2025",
                "company_id": self.company.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 12, 31),
            }
        )
        name, content = xlsx_report(self.tr_env, "site_dues.action_report_site_budget_xlsx", budget)
        title = self.tr_env._("Budget vs Actual")
        today = date.today().strftime("%d.%m.%Y")
        self.assertEqual(name, f"{title} Bütçe 2025 {today}.xlsx")
        subtitle = openpyxl.load_workbook(io.BytesIO(content)).active["A2"].value
        self.assertIn("01.01.2025", subtitle)


@tagged("post_install", "-at_install")
class TestDuesDisplayUi(HttpCase):
    """A Turkish site manager reads months as month and year and headings in Turkish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("tr_TR")
        cls.env["ir.module.module"]._load_module_terms(["site_dues"], ["tr_TR"])
        cls.site = cls.env["res.company"].create(
            {"name": "Ay Sitesi", "is_site": True, "country_id": cls.env.ref("base.tr").id}
        )
        unit = cls.env["site.unit"].create({"code": "AY-1", "company_id": cls.site.id})
        owner = cls.env["res.partner"].create({"name": "Ayşe Ay"})
        # This year's March: the stock date display leaves this year's year out ("1 Mar").
        cls.env["site.charge.notice"].create(
            {
                "company_id": cls.site.id,
                "unit_id": unit.id,
                "partner_id": owner.id,
                "period": date(date.today().year, 3, 1),
                "due_date": date(date.today().year, 3, 15),
            }
        )
        site_user(
            cls.env,
            "display_manager_dues_tr",
            "site_residents.group_site_manager",
            cls.site,
            lang="tr_TR",
        )

    def test_months_read_as_month_and_year(self):
        self.start_tour(
            "/odoo/action-site_dues.action_site_charge_notice",
            "site_dues_display_month_tour",
            login="display_manager_dues_tr",
        )

    def test_late_fee_heading_keeps_the_dotted_capital_i(self):
        self.start_tour(
            f"/odoo/action-site_residents.action_site_company/{self.site.id}",
            "site_dues_display_heading_tour",
            login="display_manager_dues_tr",
        )
