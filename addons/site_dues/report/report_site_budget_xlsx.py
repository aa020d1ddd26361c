from odoo import fields, models

from ..engine import budget as budget_engine


class ReportSiteBudgetXlsx(models.AbstractModel):
    """Budget vs actual of a budget: a summary sheet per project, category and account,
    and a sheet by month (two sheets a budget when several are printed together)."""

    _name = "report.site_dues.report_site_budget_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Budget vs Actual XLSX"

    def generate_xlsx_report(self, workbook, data, budgets):
        formats = self._formats(workbook)
        formats["percent"] = workbook.add_format({"num_format": "0.0%"})
        for budget in budgets:
            for name, by_month in ((self.env._("Summary"), False), (self.env._("By Month"), True)):
                self._write_sheet(
                    workbook.add_worksheet(name),
                    formats,
                    budget,
                    budget._budget_vs_actual_rows(by_month),
                    by_month,
                )

    def _write_sheet(self, sheet, formats, budget, rows, by_month):
        display = self.env["site.display"]
        title = self.env._("Budget vs Actual: %(budget)s", budget=budget.name)
        self._write_texts(sheet, 0, 0, [title], formats["title"])
        subtitle = self.env._(
            "%(site)s, %(start)s to %(end)s",
            site=budget.company_id.name,
            start=display._date_label(budget.date_from),
            end=display._date_label(budget.date_to),
        )
        self._write_texts(sheet, 1, 0, [subtitle])
        headers = [
            self.env._("Project"),
            self.env._("Category"),
            self.env._("Account"),
            self.env._("Analytic Account"),
        ]
        if by_month:
            headers.append(self.env._("Month"))
        first_amount = len(headers)
        headers += [self.env._("Planned"), self.env._("Actual"), self.env._("Variance")]
        if not by_month:
            headers.append(self.env._("Used"))
        self._write_texts(sheet, 3, 0, headers, formats["header"])
        index = 4
        for row in rows:
            texts = [
                row["project"].name or "",
                row["category"].name or "",
                row["account"].display_name or "",
                row["analytic_account"].display_name or "",
            ]
            self._write_texts(sheet, index, 0, texts)
            if by_month:
                sheet.write_datetime(
                    index, 4, fields.Datetime.to_datetime(row["month"]), formats["month"]
                )
            for offset, key in enumerate(("planned", "actual", "variance")):
                sheet.write_number(index, first_amount + offset, row[key], formats["money"])
            if not by_month and row["planned"]:
                sheet.write_number(
                    index, first_amount + 3, row["actual"] / row["planned"], formats["percent"]
                )
            index += 1
        totals = budget_engine.amounts(
            sum(row["planned"] for row in rows),
            sum(row["actual"] for row in rows),
            budget.currency_id.decimal_places,
        )
        self._write_texts(sheet, index, 0, [self.env._("Total")], formats["total_text"])
        for offset, amount in enumerate(totals):
            sheet.write_number(index, first_amount + offset, float(amount), formats["total_money"])
        sheet.set_column(0, 1, 22)
        sheet.set_column(2, 3, 32)
        if by_month:
            sheet.set_column(4, 4, 15)
        sheet.set_column(first_amount, first_amount + 3, 14)
        sheet.freeze_panes(4, first_amount)
