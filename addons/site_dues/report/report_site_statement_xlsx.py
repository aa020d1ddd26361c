from odoo import fields, models


class ReportSiteStatementXlsx(models.AbstractModel):
    """The statement of account of a unit or partner, as the statement wizard sets it."""

    _name = "report.site_dues.report_site_statement_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Statement of Account XLSX"

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        statement = wizard._statement_data()
        formats = self._formats(workbook)
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(self.env._("Statement"))
        title = self.env._("Statement of Account: %(who)s", who=statement["title"])
        self._write_texts(sheet, 0, 0, [title], formats["title"])
        subtitle = self.env._(
            "%(site)s, %(start)s to %(end)s",
            site=wizard.company_id.name,
            start=self.env["site.display"]._date_label(wizard.date_from),
            end=self.env["site.display"]._date_label(wizard.date_to),
        )
        self._write_texts(sheet, 1, 0, [subtitle])
        headers = [self.env._("Date"), self.env._("Reference"), self.env._("Description")]
        if statement["show_unit"]:
            headers.append(self.env._("Unit"))
        headers += [
            self.env._("Charge Type"),
            self.env._("Debit"),
            self.env._("Credit"),
            self.env._("Balance"),
        ]
        money_column = len(headers) - 3
        row = 3
        for section in statement["sections"]:
            self._write_texts(sheet, row, 0, [section["title"]], bold)
            row += 1
            self._write_texts(sheet, row, 0, headers, formats["header"])
            row += 1
            self._write_texts(sheet, row, 2, [self.env._("Opening Balance")], bold)
            sheet.write_number(row, money_column + 2, section["opening"], formats["money"])
            row += 1
            for line in section["lines"]:
                sheet.write_datetime(
                    row, 0, fields.Datetime.to_datetime(line["date"]), formats["date"]
                )
                texts = [line["reference"], line["description"]]
                if statement["show_unit"]:
                    texts.append(line["unit"])
                texts.append(line["charge_type"])
                self._write_texts(sheet, row, 1, texts)
                for offset, key in enumerate(("debit", "credit", "balance")):
                    if key != "balance" and not line[key]:
                        continue
                    sheet.write_number(row, money_column + offset, line[key], formats["money"])
                row += 1
            self._write_texts(sheet, row, 2, [self.env._("Closing Balance")], formats["total_text"])
            for offset, key in enumerate(("debit", "credit", "closing")):
                sheet.write_number(row, money_column + offset, section[key], formats["total_money"])
            row += 2
        if len(statement["sections"]) > 1:
            self._write_texts(
                sheet, row, 2, [self.env._("Total Closing Balance")], formats["total_text"]
            )
            sheet.write_number(row, money_column + 2, statement["closing"], formats["total_money"])
            if statement["legal_closing"]:
                row += 1
                self._write_texts(
                    sheet, row, 2, [self.env._("Of Which in Legal Follow-up")], formats["text"]
                )
                sheet.write_number(
                    row, money_column + 2, statement["legal_closing"], formats["money"]
                )
        sheet.set_column(0, 0, 11)
        sheet.set_column(1, 1, 18)
        sheet.set_column(2, 2, 40)
        sheet.set_column(3, money_column - 1, 16)
        sheet.set_column(money_column, money_column + 2, 13)
