import io
import time
import unittest

import openpyxl

from odoo.tests import TransactionCase, tagged

from .spreadsheets import xlsx_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestSpreadsheetLimits(TransactionCase):
    """Odoo's import screen reads the suite's uploads within bounds."""

    def preview(self, data, name="units.xlsx", file_type=XLSX):
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "site.unit",
                "file": data,
                "file_name": name,
                "file_type": file_type,
            }
        )
        return wizard.parse_preview({"has_headers": True, "quoting": '"', "separator": ","})

    def test_a_declared_huge_sheet_reads_only_its_rows(self):
        data = xlsx_file([["code", "area_net"], ["A-1", 95.5], ["A-2", 80]], "A1:XFD1048576")
        started = time.monotonic()
        preview = self.preview(data)
        self.assertLess(time.monotonic() - started, 5)
        self.assertFalse(preview.get("error"), preview.get("error"))
        self.assertEqual(preview["headers"], ["code", "area_net"])
        self.assertEqual(preview["num_rows"], 3)
        self.assertEqual(preview["preview"], [["A-1", "A-2"], ["95.5", "80"]])

    def test_a_value_in_the_sheets_far_corner_is_refused_not_padded(self):
        book = openpyxl.Workbook()
        book.active.append(["code", "area_net"])
        book.active["XFD3"] = "stray"
        output = io.BytesIO()
        book.save(output)
        started = time.monotonic()
        preview = self.preview(output.getvalue())
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn("Row 3 has more than 100 columns", preview["error"])

    def test_an_xls_wider_than_the_limit_is_refused(self):
        xlwt = self.__class__._xlwt()
        book = xlwt.Workbook()
        book.add_sheet("Units").write(2, 200, "stray")
        output = io.BytesIO()
        book.save(output)
        preview = self.preview(
            output.getvalue(), name="units.xls", file_type="application/vnd.ms-excel"
        )
        self.assertIn("Row 3 has more than 100 columns", preview["error"])

    @staticmethod
    def _xlwt():
        try:
            import xlwt  # noqa: PLC0415
        except ImportError:
            raise unittest.SkipTest("xlwt is not installed") from None
        return xlwt

    def test_rows_over_the_limit_are_refused_with_the_file_named(self):
        self.env["ir.config_parameter"].set_param("site_residents.import_max_rows", "10")
        preview = self.preview(xlsx_file([["code"]] + [[f"A-{n}"] for n in range(20)]))
        self.assertIn("units.xlsx", preview["error"])
        self.assertIn("more than 10 rows", preview["error"])

    def test_a_file_over_the_size_limit_is_refused(self):
        self.env["ir.config_parameter"].set_param("site_residents.import_max_bytes", "1000")
        preview = self.preview(b"code\n" + b"A-1\n" * 600, name="units.csv")
        self.assertIn("the limit is 1000 bytes", preview["error"])

    def test_site_spreadsheet_words_the_refusal(self):
        self.env["ir.config_parameter"].set_param("site_residents.import_max_rows", "2")
        with self.assertRaisesRegex(Exception, r"charges\.csv: The sheet has more than 2 rows"):
            self.env["site.spreadsheet"]._read_rows(b"a\nb\nc\n", "csv", filename="charges.csv")
