import base64
import io
import time
from datetime import date
from decimal import Decimal

import openpyxl

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.site_residents.tests.spreadsheets import xlsx_file

from ..engine import special_charges
from ..models.site_ledger import Charge
from .common import DuesCase
from .xlsx import xlsx_report

FORMULA = '=HYPERLINK("http://x","y")'
ARRAY_FORMULA = '{=HYPERLINK("http://x","y")}'  # xlsxwriter's write() ignores its options here


@tagged("post_install", "-at_install")
class TestExportsWriteText(DuesCase):
    """A name or bank memo that looks like a formula is exported as text."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owners[0].name = FORMULA
        cls.env["site.ledger"]._post_charges(
            cls.site,
            date(2026, 1, 1),
            [
                Charge(
                    cls.u1.id,
                    cls.owners[0].id,
                    cls.dues.id,
                    Decimal("100.00"),
                    date(2026, 1, 10),
                    ARRAY_FORMULA,
                    date(2026, 1, 1),
                )
            ],
            "Dues 2026-01",
        )

    def assertTextCells(self, content, *texts):
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = [
            cell
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        self.assertEqual([cell.coordinate for cell in cells if cell.data_type == "f"], [])
        strings = {cell.value for cell in cells if cell.data_type == "s"}
        for text in texts:
            self.assertIn(text, strings)

    def test_debtor_list(self):
        wizard = self.env["site.debtor.report.wizard"].create(
            {"company_ids": [Command.set(self.site.ids)], "date": date(2026, 3, 31)}
        )
        _name, content = xlsx_report(self.env, "site_dues.action_report_site_debtors_xlsx", wizard)
        self.assertTextCells(content, FORMULA)

    def test_statement(self):
        wizard = self.env["site.statement.wizard"].create(
            {
                "company_id": self.site.id,
                "unit_id": self.u1.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        _name, content = xlsx_report(
            self.env, "site_dues.action_report_site_statement_xlsx", wizard
        )
        self.assertTextCells(content, ARRAY_FORMULA)

    def test_budget(self):
        account = self.env["account.account"].search(
            [("company_ids", "in", self.site.id), ("account_type", "=", "expense")], limit=1
        )
        category = self.env["site.budget.category"].create(
            {"name": ARRAY_FORMULA, "company_id": self.site.id, "account_id": account.id}
        )
        budget = self.env["site.budget"].create(
            {
                "name": FORMULA,
                "company_id": self.site.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        budget.project_ids.name = FORMULA
        self.env["site.budget.line"].create(
            {
                "project_id": budget.project_ids.id,
                "category_id": category.id,
                "month": date(2026, 1, 1),
                "amount": 100.0,
            }
        )
        _name, content = xlsx_report(self.env, "site_dues.action_report_site_budget_xlsx", budget)
        self.assertTextCells(content, FORMULA, ARRAY_FORMULA)


@tagged("post_install", "-at_install")
class TestSpecialChargeImportBounds(DuesCase):
    def wizard(self, data, file_name):
        return self.env["site.special.charge.wizard"].create(
            {
                "company_id": self.site.id,
                "date": date(2026, 12, 5),
                "due_date": date(2026, 12, 20),
                "mode": "file",
                "file": base64.b64encode(data),
                "file_name": file_name,
            }
        )

    def test_a_declared_huge_sheet_reads_only_its_rows(self):
        crafted = xlsx_file(
            [
                ["Unit", "Charge Type", "Amount", "Description"],
                ["A-1", "REPAIR", 100, "Pipe"],
                ["A-3", "DUES", 25.5, None],
            ],
            dimension="A1:XFD1048576",
        )
        widths = []

        def parse(rows, *args):
            widths.extend(len(row) for row in rows)
            return parse.original(rows, *args)

        parse.original = special_charges.parse
        self.patch(special_charges, "parse", parse)
        wizard = self.wizard(crafted, "charges.xlsx")
        started = time.monotonic()
        wizard.action_preview()
        self.assertLess(time.monotonic() - started, 10)
        self.assertLessEqual(max(widths), 4, "only the cells present are read, not 16,384")
        self.assertEqual(
            [(line.unit_id, line.amount, line.description or "") for line in wizard.line_ids],
            [(self.u1, 100.0, "Pipe"), (self.u3, 25.5, "")],
        )

    def test_a_file_over_the_row_limit_is_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("site_residents.import_max_rows", "3")
        data = "unit,charge type,amount\n" + "A-1,REPAIR,10\n" * 5
        wizard = self.wizard(data.encode(), "charges.csv")
        with self.assertRaisesRegex(UserError, r"charges\.csv: .*more than 3 rows"):
            wizard.action_preview()
        self.assertFalse(wizard.line_ids)
