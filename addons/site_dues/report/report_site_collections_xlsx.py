from odoo import fields, models

from odoo.addons.site_residents.engine.money import round_half_up


class ReportSiteCollectionsXlsx(models.AbstractModel):
    """The collections report of the debtors and collections wizard: payments received
    per month, site and charge type, from the wizard's first day to its date."""

    _name = "report.site_dues.report_site_collections_xlsx"
    _inherit = ["site.xlsx.report"]
    _description = "Collections XLSX"

    def generate_xlsx_report(self, workbook, data, wizards):
        wizard = wizards.ensure_one()
        companies, date_from, date_to = wizard._collections_range()
        rows = wizard._report()._collection_rows(companies, date_from, date_to)
        formats = self._formats(workbook)
        sheet = workbook.add_worksheet(self.env._("Collections"))
        self._write_texts(
            sheet,
            0,
            0,
            [
                self.env._(
                    "Payments received from %(start)s to %(end)s",
                    start=self.env["site.display"]._date_label(date_from),
                    end=self.env["site.display"]._date_label(date_to),
                )
            ],
            formats["title"],
        )
        self._write_texts(sheet, 1, 0, [", ".join(companies.mapped("name"))])
        self._write_texts(
            sheet,
            3,
            0,
            [
                self.env._("Month"),
                self.env._("Site"),
                self.env._("Charge Type"),
                self.env._("Amount"),
            ],
            formats["header"],
        )
        row_index, total = 4, 0.0
        for row in rows:
            sheet.write_datetime(
                row_index, 0, fields.Datetime.to_datetime(row["month"]), formats["month"]
            )
            self._write_texts(
                sheet,
                row_index,
                1,
                [row["company"].name, row["charge_type"].name or self.env._("Not Allocated")],
            )
            sheet.write_number(row_index, 3, row["amount"], formats["money"])
            total += row["amount"]
            row_index += 1
        self._write_texts(sheet, row_index, 0, [self.env._("Total")], formats["total_text"])
        sheet.write_number(row_index, 3, float(round_half_up(total, 2)), formats["total_money"])
        sheet.set_column(0, 0, 15)
        sheet.set_column(1, 2, 26)
        sheet.set_column(3, 3, 14)
