from odoo import api, models


class ReportSiteCashReport(models.AbstractModel):
    """Receipts and payments as the board reads them, per site of the rows printed."""

    _name = "report.site_accounting.report_site_cash_report"
    _description = "Receipts and Payments PDF"

    @api.model
    def _get_report_values(self, docids, data=None):
        # The reader's own rights: another site's rows are refused by the record rule.
        flows = self.env["site.cash.report"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "site.cash.report",
            "docs": flows,
            "summaries": flows._site_summaries(),
            "display": self.env["site.display"],
        }


class ReportSiteKeyFigure(models.AbstractModel):
    """The sites side by side, month by month, for the rows printed."""

    _name = "report.site_accounting.report_site_key_figure"
    _description = "Sites Side by Side PDF"

    @api.model
    def _get_report_values(self, docids, data=None):
        figures = self.env["site.key.figure"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "site.key.figure",
            "docs": figures,
            "months": figures._site_months(),
            "display": self.env["site.display"],
        }
