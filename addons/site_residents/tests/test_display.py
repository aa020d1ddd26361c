from datetime import date

from odoo.tests import HttpCase, TransactionCase, tagged

from .common import site_user


@tagged("post_install", "-at_install")
class TestDisplayHelpers(TransactionCase):
    """Months, dates and download names as the reader writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for lang in ("tr_TR", "pl_PL", "uk_UA"):
            cls.env["res.lang"]._activate_lang(lang)
        cls.display = cls.env["site.display"]

    def in_lang(self, lang):
        return self.display.with_context(lang=lang)

    def test_month_reads_as_month_and_year_in_each_language(self):
        december = date(2026, 12, 1)
        self.assertEqual(self.in_lang("tr_TR")._month_label(december), "Aralık 2026")
        self.assertEqual(self.in_lang("pl_PL")._month_label(december), "grudzień 2026")
        self.assertEqual(self.in_lang("uk_UA")._month_label(december), "грудень 2026")
        self.assertEqual(self.in_lang("en_US")._month_label(date(2026, 12, 31)), "December 2026")
        self.assertEqual(self.display._month_label(False), "")

    def test_qweb_month_widget_prints_the_documents_language(self):
        view = self.env["ir.ui.view"].create(
            {
                "name": "site month widget test",
                "type": "qweb",
                "arch": """<t t-name="site_month_widget_test">
                    <span t-out="day" t-options='{"widget": "site_month"}'/>
                </t>""",
            }
        )
        html = str(
            self.env["ir.qweb"]
            .with_context(lang="tr_TR")
            ._render(view.id, {"day": date(2026, 11, 1)})
        )
        self.assertIn("Kasım 2026", html)
        self.assertNotIn("01.11.2026", html)

    def test_file_names_use_the_users_date_format(self):
        self.assertEqual(
            self.in_lang("tr_TR")._file_name("Borçlu Listesi", date(2026, 12, 4), extension="xlsx"),
            "Borçlu Listesi 04.12.2026.xlsx",
        )
        # US English writes 12/04/2026: a slash cannot be part of a file name.
        self.assertEqual(
            self.in_lang("en_US")._file_name("Debtors", date(2026, 12, 4), extension="xlsx"),
            "Debtors 12.04.2026.xlsx",
        )
        self.assertEqual(
            self.in_lang("tr_TR")._file_name("Aidat Bildirimi", "A-1", "Aralık 2026"),
            "Aidat Bildirimi A-1 Aralık 2026",
        )

    def test_spreadsheet_formats_follow_the_language(self):
        self.assertEqual(self.in_lang("tr_TR")._xlsx_date_format(), "dd.mm.yyyy")
        self.assertEqual(self.in_lang("en_US")._xlsx_date_format(), "mm/dd/yyyy")
        self.assertEqual(self.display._xlsx_month_format(), "mmmm yyyy")


@tagged("post_install", "-at_install")
class TestDisplayUi(HttpCase):
    """A Turkish site manager reads years, shares and headings as written in Turkish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("tr_TR")
        cls.env["ir.module.module"]._load_module_terms(["site_residents"], ["tr_TR"])
        cls.site = cls.env["res.company"].create(
            {"name": "Görünüm Sitesi", "is_site": True, "country_id": cls.env.ref("base.tr").id}
        )
        cls.building = cls.env["site.building"].create(
            {"name": "A Blok", "code": "GA", "company_id": cls.site.id, "year_built": 2015}
        )
        cls.unit = cls.env["site.unit"].create(
            {
                "code": "GA-1",
                "company_id": cls.site.id,
                "building_id": cls.building.id,
                "land_share_numerator": 61,
                "land_share_denominator": 1205,
            }
        )
        cls.manager = site_user(
            cls.env,
            "display_manager_tr",
            "site_residents.group_site_manager",
            cls.site,
            lang="tr_TR",
        )

    def test_web_client_page_declares_the_users_language(self):
        # Browsers upper-case by the page's language: without it "i" becomes "I", not "İ".
        self.authenticate("display_manager_tr", "display_manager_tr")
        page = self.url_open("/odoo").text
        self.assertIn('<html lang="tr-TR"', page)

    def test_year_shares_and_headings_read_in_turkish(self):
        self.start_tour(
            f"/odoo/action-site_residents.action_site_building/{self.building.id}",
            "site_residents_display_building_tour",
            login="display_manager_tr",
        )
        self.start_tour(
            f"/odoo/action-site_residents.action_site_unit/{self.unit.id}",
            "site_residents_display_unit_tour",
            login="display_manager_tr",
        )
