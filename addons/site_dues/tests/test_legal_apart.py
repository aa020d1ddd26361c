import io
from datetime import date
from decimal import Decimal

import openpyxl

from odoo import Command
from odoo.tests import tagged

from ..models.site_ledger import Charge
from .common import DuesCase
from .xlsx import xlsx_report


@tagged("post_install", "-at_install")
class TestLegalApart(DuesCase):
    """Ali owes January (500) and February (300) dues on A-1; January is moved by hand
    to the site's receivables in legal follow-up. Statements and the debtor list show
    it in its own section or column; their totals stay what they were."""

    AS_OF = date(2026, 3, 31)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ali = cls.owners[0]
        cls.january, cls.february = (
            cls.env["site.ledger"]
            ._post_charges(
                cls.site,
                month,
                [
                    Charge(
                        cls.u1.id,
                        cls.ali.id,
                        cls.dues.id,
                        Decimal(amount),
                        month.replace(day=10),
                        f"Dues {month:%Y-%m}",
                        month,
                    )
                ],
                f"TEST {month}",
            )
            .line_ids.filtered("site_unit_id")
            for month, amount in ((date(2026, 1, 1), "500"), (date(2026, 2, 1), "300"))
        )
        cls.legal_account = cls.env["account.account"].create(
            {
                "name": "Receivables in Legal Follow-up",
                "code": "128100",
                "account_type": "asset_receivable",
                "reconcile": True,
                "company_ids": [Command.link(cls.site.id)],
            }
        )
        cls.site.site_legal_receivable_account_id = cls.legal_account

    def hand_over(self):
        """Move January's dues to the legal account, keeping partner, unit, charge type."""
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.site.id), ("type", "=", "general")], limit=1
        )
        common = {
            "partner_id": self.ali.id,
            "site_unit_id": self.u1.id,
            "site_charge_type_id": self.dues.id,
        }
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": date(2026, 3, 1),
                "line_ids": [
                    Command.create(
                        dict(
                            common,
                            name="Moved to legal follow-up",
                            account_id=self.january.account_id.id,
                            credit=500.0,
                        )
                    ),
                    Command.create(
                        dict(
                            common,
                            name="Dues in legal follow-up",
                            account_id=self.legal_account.id,
                            debit=500.0,
                        )
                    ),
                ],
            }
        )
        move.action_post()
        (
            self.january
            + move.line_ids.filtered(lambda line: line.account_id != self.legal_account)
        ).reconcile()
        return move

    def statement(self, **values):
        return self.env["site.statement.wizard"].create(
            {
                "company_id": self.site.id,
                "unit_id": self.u1.id,
                "partner_id": self.ali.id,
                "date_from": date(2026, 1, 1),
                "date_to": self.AS_OF,
                **values,
            }
        )

    def closings(self, data):
        return {section["title"]: section["closing"] for section in data["sections"]}

    def test_statement_sections(self):
        by_type_before = self.statement(group_by_charge_type=True)._statement_data()
        plain_before = self.statement()._statement_data()
        self.assertEqual(by_type_before["legal_closing"], 0.0)
        self.hand_over()
        by_type = self.statement(group_by_charge_type=True)._statement_data()
        self.assertEqual(by_type["closing"], by_type_before["closing"])
        self.assertEqual(by_type["closing"], 800.0)
        self.assertEqual(
            self.closings(by_type), {self.dues.name: 300.0, "In Legal Follow-up": 500.0}
        )
        legal = by_type["sections"][-1]
        self.assertTrue(legal["legal"])
        self.assertEqual([line["debit"] for line in legal["lines"]], [500.0])
        self.assertEqual(by_type["legal_closing"], 500.0)
        plain = self.statement()._statement_data()
        self.assertEqual(plain["closing"], plain_before["closing"])
        self.assertEqual(
            self.closings(plain), {"All Charges and Payments": 300.0, "In Legal Follow-up": 500.0}
        )
        # Chosen charge types keep the legal debts of those types apart too.
        chosen = self.statement(charge_type_ids=[Command.set(self.dues.ids)])._statement_data()
        self.assertEqual(
            self.closings(chosen), {self.dues.name: 300.0, "In Legal Follow-up": 500.0}
        )

    def test_statement_pdf_and_xlsx(self):
        self.hand_over()
        wizard = self.statement(group_by_charge_type=True)
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "site_dues.action_report_site_statement", wizard.ids
        )
        html = html.decode()
        self.assertIn("o_site_statement_legal", html)
        self.assertIn("In Legal Follow-up", html)
        self.assertIn("of which in legal follow-up", html)
        _name, content = xlsx_report(
            self.env, "site_dues.action_report_site_statement_xlsx", wizard
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        texts = {cell.value for row in sheet.iter_rows() for cell in row if cell.value}
        self.assertIn("In Legal Follow-up", texts)
        self.assertIn("Of Which in Legal Follow-up", texts)
        self.assertIn(500.0, texts)

    def test_debtor_list_column(self):
        Report = self.env["site.debtor.report"]
        before = Report._debtor_rows(self.site, self.AS_OF)
        self.hand_over()
        rows = Report._debtor_rows(self.site, self.AS_OF)
        self.assertEqual(
            round(sum(row["total"] for row in rows), 2),
            round(sum(row["total"] for row in before), 2),
        )
        (row,) = [row for row in rows if row["unit"] == self.u1]
        self.assertEqual(row["legal"], 500.0)
        self.assertEqual(row["total"], 800.0)
        buckets = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_90_plus")
        self.assertEqual(sum(row[field] for field in buckets), 300.0)  # normal debts only
        self.assertFalse(any(row["legal"] for row in before))
        wizard = self.env["site.debtor.report.wizard"].create(
            {"company_ids": [Command.set(self.site.ids)], "date": self.AS_OF}
        )
        wizard.action_preview()
        self.assertEqual(sum(wizard.line_ids.mapped("legal")), 500.0)
        self.assertEqual(sum(wizard.line_ids.mapped("total")), 800.0)
        _name, content = xlsx_report(self.env, "site_dues.action_report_site_debtors_xlsx", wizard)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        headers = [cell.value for cell in sheet[4]]
        legal_column = headers.index("In Legal Follow-up")
        self.assertEqual(headers[legal_column + 1], "Total")
        self.assertEqual(sheet.cell(5, legal_column + 1).value, 500.0)
