from odoo import models


class SiteMeteringXlsxReport(models.AbstractModel):
    """The metering exports' formats (areas, quantities, ratios) and their heading: the
    site, the building when one is chosen, and the months."""

    _name = "site.metering.xlsx.report"
    _inherit = ["site.xlsx.report"]
    _description = "Metering XLSX Report"

    def _formats(self, workbook):
        formats = super()._formats(workbook)
        formats.update(
            {
                "area": workbook.add_format({"num_format": "#,##0.00"}),
                "quantity": workbook.add_format({"num_format": "#,##0.000"}),
                "ratio": workbook.add_format({"num_format": "#,##0.0000"}),
                "total_quantity": workbook.add_format(
                    {"bold": True, "top": 1, "num_format": "#,##0.000"}
                ),
                "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
            }
        )
        return formats

    def _title(self, sheet, formats, wizard, title):
        sheet.write(0, 0, title, formats["title"])
        where = wizard.company_id.name
        if wizard.building_id:
            where = f"{where} / {wizard.building_id.display_name}"
        sheet.write(1, 0, f"{where}: {wizard._months_label()}")
