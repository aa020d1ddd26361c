from odoo import fields, models


class ReportSiteCashReportXlsx(models.AbstractModel):
    """Receipts and payments as the board reads them: per site, money in by charge type
    and money out by account with their totals, then the movements listed."""

    _name = "report.site_accounting.report_site_cash_report_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Receipts and Payments XLSX"

    def generate_xlsx_report(self, workbook, data, flows):
        formats = self._formats(workbook)
        flows = flows.sorted(lambda flow: (flow.company_id.name, flow.date, flow.id))
        self._write_summary(workbook.add_worksheet(self.env._("Summary")), formats, flows)
        self._write_entries(workbook.add_worksheet(self.env._("Entries")), formats, flows)

    def _write_summary(self, sheet, formats, flows):
        display = self.env["site.display"]
        self._write_texts(sheet, 0, 0, [self.env._("Receipts and Payments")], formats["title"])
        row = 2
        for summary in flows._site_summaries():
            site = summary["site"]
            subtitle = self.env._(
                "%(site)s, %(start)s to %(end)s",
                site=site.name,
                start=display._date_label(summary["start"]),
                end=display._date_label(summary["end"]),
            )
            self._write_texts(sheet, row, 0, [subtitle], formats["total_text"])
            row += 1
            for title, amounts, total in (
                (self.env._("Money In"), summary["money_in"], summary["total_in"]),
                (self.env._("Money Out"), summary["money_out"], summary["total_out"]),
            ):
                self._write_texts(sheet, row, 0, [title, site.currency_id.name], formats["header"])
                row += 1
                for name, amount in amounts:
                    self._write_texts(sheet, row, 0, [name])
                    sheet.write_number(row, 1, amount, formats["money"])
                    row += 1
                self._write_texts(
                    sheet,
                    row,
                    0,
                    [self.env._("Total %(title)s", title=title)],
                    formats["total_text"],
                )
                sheet.write_number(row, 1, total, formats["total_money"])
                row += 2
            self._write_texts(sheet, row, 0, [self.env._("Net")], formats["total_text"])
            sheet.write_number(row, 1, summary["net"], formats["total_money"])
            row += 3
        sheet.set_column(0, 0, 45)
        sheet.set_column(1, 1, 16)

    def _write_entries(self, sheet, formats, flows):
        headers = [
            self.env._("Date"),
            self.env._("Site"),
            self.env._("Bank or Cash"),
            self.env._("Entry"),
            self.env._("Partner"),
            self.env._("Unit"),
            self.env._("Charge Type"),
            self.env._("Counterpart Account"),
            self.env._("In"),
            self.env._("Out"),
        ]
        self._write_texts(sheet, 0, 0, headers, formats["header"])
        for index, flow in enumerate(flows, start=1):
            sheet.write_datetime(index, 0, fields.Datetime.to_datetime(flow.date), formats["date"])
            texts = [
                flow.company_id.name,
                flow.journal_id.name,
                flow.move_id.name,
                flow.partner_id.name,
                flow.site_unit_id.display_name,
                flow.charge_type_id.name,
                flow.account_id.display_name,
            ]
            self._write_texts(sheet, index, 1, texts)
            sheet.write_number(index, 8, flow.amount_in, formats["money"])
            sheet.write_number(index, 9, flow.amount_out, formats["money"])
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 7, 22)
        sheet.set_column(8, 9, 14)
