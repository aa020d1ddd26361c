from odoo import fields, models

from odoo.addons.site_dues.engine import aging

from ..engine import recovery


class ReportSiteLegalCasesXlsx(models.AbstractModel):
    """Legal cases: their amounts by stage, lawyer and site with the recovery rate, the
    aging of their open debts, and the lawyers' accounts."""

    _name = "report.site_legal.report_site_legal_cases_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Legal Cases XLSX"

    def generate_xlsx_report(self, workbook, data, cases):
        formats = self._formats(workbook)
        formats["percent"] = workbook.add_format({"num_format": "0.00"})
        cases = cases.sorted(lambda case: (case.company_id.name, case.name))
        figures = cases._figures()
        self._cases_sheet(workbook, formats, cases, figures)
        self._aging_sheet(workbook, formats, cases)
        self._lawyers_sheet(workbook, formats, cases)

    def _figure_headers(self):
        return [
            self.env._("Handed Over"),
            self.env._("Costs Charged On"),
            self.env._("Collected"),
            self.env._("Written Off"),
            self.env._("Open"),
            self.env._("Recovery Rate (%)"),
        ]

    def _write_figures(self, sheet, row, column, figures, formats, total=False):
        money = formats["total_money"] if total else formats["money"]
        for offset, name in enumerate(
            ("handed_over", "charged_on", "collected", "written_off", "open")
        ):
            sheet.write_number(row, column + offset, float(getattr(figures, name)), money)
        sheet.write_number(row, column + 5, float(figures.rate), formats["percent"])

    def _cases_sheet(self, workbook, formats, cases, figures):
        sheet = workbook.add_worksheet(self.env._("Cases"))
        stages = dict(cases._fields["stage"]._description_selection(self.env))
        self._write_texts(sheet, 0, 0, [self.env._("Legal Cases")], formats["title"])
        headers = [
            self.env._("Reference"),
            self.env._("Site"),
            self.env._("Unit"),
            self.env._("Debtors"),
            self.env._("Lawyer"),
            self.env._("Stage"),
            self.env._("File Number"),
        ]
        self._write_texts(
            sheet,
            2,
            0,
            headers + [self.env._("Opened On")] + self._figure_headers(),
            formats["header"],
        )
        row = 3
        for case in cases:
            self._write_texts(
                sheet,
                row,
                0,
                [
                    case.name,
                    case.company_id.name,
                    case.unit_id.code,
                    ", ".join(case.partner_ids.mapped("name")),
                    case.lawyer_partner_id.name,
                    stages.get(case.stage),
                    case.file_number,
                ],
            )
            sheet.write_datetime(
                row, 7, fields.Datetime.to_datetime(case.date_open), formats["date"]
            )
            self._write_figures(sheet, row, 8, figures[case], formats)
            row += 1
        self._write_texts(sheet, row, 0, [self.env._("Total")], formats["total_text"])
        total = recovery.summary([(None, case_figures) for case_figures in figures.values()]).get(
            None, recovery.figures(0, 0, 0, 0)
        )
        self._write_figures(sheet, row, 8, total, formats, total=True)
        row += 2
        for title, key in (
            (self.env._("By Stage"), lambda case: stages.get(case.stage)),
            (self.env._("By Lawyer"), lambda case: case.lawyer_partner_id.name or ""),
            (self.env._("By Site"), lambda case: case.company_id.name),
        ):
            self._write_texts(sheet, row, 0, [title], formats["header"])
            self._write_texts(sheet, row, 8, self._figure_headers(), formats["header"])
            row += 1
            for group, group_figures in recovery.summary(
                [(key(case), figures[case]) for case in cases]
            ).items():
                self._write_texts(sheet, row, 0, [group])
                self._write_figures(sheet, row, 8, group_figures, formats)
                row += 1
            row += 1
        sheet.set_column(0, 0, 18)
        sheet.set_column(1, 4, 22)
        sheet.set_column(5, 7, 14)
        sheet.set_column(8, 13, 14)
        sheet.freeze_panes(3, 1)

    def _aging_sheet(self, workbook, formats, cases):
        sheet = workbook.add_worksheet(self.env._("Aging"))
        today = fields.Date.context_today(self)
        self._write_texts(
            sheet,
            0,
            0,
            [
                self.env._(
                    "Debts in legal follow-up on %(date)s, by original due date",
                    date=self.env["site.display"]._date_label(today),
                )
            ],
            formats["title"],
        )
        labels = aging.labels()
        headers = [
            self.env._("Reference"),
            self.env._("Site"),
            self.env._("Unit"),
            self.env._("Lawyer"),
            self.env._("Not Due"),
            self.env._("1-30 Days"),
            self.env._("31-60 Days"),
            self.env._("61-90 Days"),
            self.env._("Over 90 Days"),
            self.env._("Total"),
        ]
        self._write_texts(sheet, 2, 0, headers, formats["header"])
        buckets = cases._debt_aging(today)
        totals = dict.fromkeys(labels, 0.0)
        row = 3
        for case in cases:
            self._write_texts(
                sheet,
                row,
                0,
                [case.name, case.company_id.name, case.unit_id.code, case.lawyer_partner_id.name],
            )
            for offset, label in enumerate(labels):
                amount = float(buckets[case][label])
                totals[label] += amount
                sheet.write_number(row, 4 + offset, amount, formats["money"])
            sheet.write_number(
                row, 4 + len(labels), float(sum(buckets[case].values())), formats["money"]
            )
            row += 1
        self._write_texts(sheet, row, 0, [self.env._("Total")], formats["total_text"])
        for offset, label in enumerate(labels):
            sheet.write_number(row, 4 + offset, round(totals[label], 2), formats["total_money"])
        sheet.write_number(
            row, 4 + len(labels), round(sum(totals.values()), 2), formats["total_money"]
        )
        sheet.set_column(0, 3, 20)
        sheet.set_column(4, 9, 13)
        sheet.freeze_panes(3, 1)

    def _lawyers_sheet(self, workbook, formats, cases):
        sheet = workbook.add_worksheet(self.env._("Lawyers' Accounts"))
        self._write_texts(sheet, 0, 0, [self.env._("Lawyers' Accounts")], formats["title"])
        headers = [
            self.env._("Date"),
            self.env._("Case"),
            self.env._("Entry"),
            self.env._("Description"),
            self.env._("Debit"),
            self.env._("Credit"),
            self.env._("Balance"),
        ]
        row = 2
        for lawyer, lines in cases._lawyer_statement():
            self._write_texts(sheet, row, 0, [lawyer.name], formats["header"])
            row += 1
            self._write_texts(sheet, row, 0, headers, formats["header"])
            row += 1
            for line in lines:
                sheet.write_datetime(
                    row, 0, fields.Datetime.to_datetime(line["line"].date), formats["date"]
                )
                self._write_texts(
                    sheet,
                    row,
                    1,
                    [line["case"].name, line["line"].move_id.name, line["line"].name],
                )
                for offset, key in enumerate(("debit", "credit", "balance")):
                    sheet.write_number(row, 4 + offset, float(line[key]), formats["money"])
                row += 1
            self._write_texts(sheet, row, 3, [self.env._("Total")], formats["total_text"])
            debit = sum(line["debit"] for line in lines)
            credit = sum(line["credit"] for line in lines)
            for offset, amount in enumerate((debit, credit, debit - credit)):
                sheet.write_number(row, 4 + offset, float(amount), formats["total_money"])
            row += 2
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 2, 18)
        sheet.set_column(3, 3, 36)
        sheet.set_column(4, 6, 14)
