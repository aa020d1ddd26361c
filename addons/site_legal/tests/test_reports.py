import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.site_dues.tests.xlsx import xlsx_report

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestReports(LegalCase):
    def test_cases_xlsx_by_stage_lawyer_site_aging_and_lawyers_accounts(self):
        case_a = self.open_case(
            self.charge(self.u1, 1000, date(2026, 1, 10))
            | self.charge(self.u1, 500, date(2026, 2, 20)),
            date(2026, 3, 1),
        )
        case_b = self.open_case(
            self.charge(self.u2, 900, date(2026, 1, 10)), lawyer=self.lawyer_user_b
        )
        self.pay(self.u1, 600, date(2026, 3, 5))
        self.entry(case_a, "advance", 250, journal_id=self.bank.id)
        self.entry(case_b, "collection", 900)
        with freeze_time("2026-03-31"):
            _name, content = xlsx_report(
                self.as_user(self.board_a),
                "site_legal.report_site_legal_cases_xlsx",
                case_a | case_b,
            )
            aging = (case_a | case_b)._debt_aging(date(2026, 3, 31))
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["Cases", "Aging", "Lawyers' Accounts"])
        cases = workbook["Cases"]
        rows = list(cases.iter_rows(min_row=4, values_only=True))
        by_reference = {row[0]: row for row in rows if row[0] in (case_a.name, case_b.name)}
        # handed over, charged on, collected, written off, open, rate
        self.assertEqual(by_reference[case_a.name][8:14], (1500, 0, 600, 0, 900, 40))
        self.assertEqual(by_reference[case_b.name][8:14], (900, 0, 900, 0, 0, 100))
        total = next(row for row in rows if row[0] == "Total")
        self.assertEqual(total[8:14], (2400, 0, 1500, 0, 900, 62.5))
        by_lawyer = {
            row[0]: row[8:14] for row in rows if row[0] in (self.lawyer_a.name, self.lawyer_b.name)
        }
        self.assertEqual(by_lawyer[self.lawyer_a.name][-1], 40)
        self.assertEqual(by_lawyer[self.lawyer_b.name][-1], 100)
        # aging by original due date: 400 of January (80 days), 500 of February (39 days)
        self.assertEqual(aging[case_a]["61-90"], 400)
        self.assertEqual(aging[case_a]["31-60"], 500)
        self.assertFalse(any(aging[case_b].values()))
        aging_rows = list(workbook["Aging"].iter_rows(min_row=4, values_only=True))
        self.assertEqual(aging_rows[0][:2], (case_a.name, self.site.name))
        self.assertEqual(aging_rows[0][4:10], (0, 0, 500, 400, 0, 900))
        lawyers = [
            row for row in workbook["Lawyers' Accounts"].iter_rows(values_only=True) if any(row)
        ]
        self.assertIn((self.lawyer_a.name,), [row[:1] for row in lawyers])
        totals = [row for row in lawyers if row[3] == "Total"]
        self.assertEqual([row[4:7] for row in totals], [(250, 0, 250), (900, 0, 900)])
