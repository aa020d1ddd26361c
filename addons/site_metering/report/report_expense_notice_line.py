from odoo import api, models


class ReportExpenseNoticeLine(models.AbstractModel):
    """The same notice printed from allocation lines: the pages of their units."""

    _name = "report.site_metering.report_expense_notice_line"
    _inherit = "report.site_metering.report_expense_notice"
    _description = "Expense Notice Report (from Unit Shares)"

    @api.model
    def _get_report_values(self, docids, data=None):
        selected = self.env["site.cost.allocation.line"].browse(docids)
        # All parts of the selected units, not only the selected lines.
        pairs = {(line.allocation_id.id, line.unit_id.id) for line in selected}
        lines = selected.allocation_id.line_ids.filtered(
            lambda line: (line.allocation_id.id, line.unit_id.id) in pairs
        )
        return self._values(selected.allocation_id, lines)
