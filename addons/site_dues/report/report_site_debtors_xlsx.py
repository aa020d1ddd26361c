from odoo import models

from odoo.addons.site_residents.engine.money import round_half_up

from ..models.site_debtor_report import AMOUNT_FIELDS


class ReportSiteDebtorsXlsx(models.AbstractModel):
    """The debtor list of the debtors and collections wizard: aged balances per site,
    unit, partner (and charge type) on the wizard's date."""

    _name = "report.site_dues.report_site_debtors_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Debtors XLSX"

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        companies, as_of, by_charge_type = (
            wizard._companies(),
            wizard.date,
            wizard.group_by_charge_type,
        )
        rows = wizard._report()._debtor_rows(companies, as_of, by_charge_type)
        formats = self._formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Debtors"))
        self._write_texts(
            sheet,
            0,
            0,
            [self.env._("Debtors on %(date)s", date=self.env["site.display"]._date_label(as_of))],
            formats["title"],
        )
        self._write_texts(sheet, 1, 0, [", ".join(companies.mapped("name"))])
        headers = [self.env._("Site"), self.env._("Unit"), self.env._("Partner")]
        if by_charge_type:
            headers.append(self.env._("Charge Type"))
        text_columns = len(headers)
        headers += [
            self.env._("Not Due"),
            self.env._("1-30 Days"),
            self.env._("31-60 Days"),
            self.env._("61-90 Days"),
            self.env._("Over 90 Days"),
            self.env._("Credit"),
            self.env._("In Legal Follow-up"),
            self.env._("Total"),
        ]
        self._write_texts(sheet, 3, 0, headers, formats["header"])
        totals = dict.fromkeys(AMOUNT_FIELDS, 0.0)
        row_index = 4
        for row in rows:
            texts = [row["company"].name, row["unit"].code, row["partner"].name or ""]
            if by_charge_type:
                texts.append(row["charge_type"].name or self.env._("Unallocated Credit"))
            self._write_texts(sheet, row_index, 0, texts, formats["text"])
            for offset, field in enumerate(AMOUNT_FIELDS):
                sheet.write_number(row_index, text_columns + offset, row[field], formats["money"])
                totals[field] += row[field]
            row_index += 1
        self._write_texts(sheet, row_index, 0, [self.env._("Total")], formats["total_text"])
        for offset, field in enumerate(AMOUNT_FIELDS):
            sheet.write_number(
                row_index,
                text_columns + offset,
                float(round_half_up(totals[field], 2)),
                formats["total_money"],
            )
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, 1, 10)
        sheet.set_column(2, 2, 28)
        if by_charge_type:
            sheet.set_column(3, 3, 20)
        sheet.set_column(text_columns, text_columns + len(AMOUNT_FIELDS) - 1, 13)
        sheet.freeze_panes(4, text_columns)
