from odoo import api, models


class ReportPaymentReceipt(models.AbstractModel):
    """A resident's receipt for a payment on a unit: who paid what for which unit, and
    the debts the payment settled by the site's rule (what is left stays a credit)."""

    _name = "report.site_portal.report_payment_receipt"
    _description = "Unit Payment Receipt"

    @api.model
    def _get_report_values(self, docids, data=None):
        payments = self.env["account.payment"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "account.payment",
            "docs": payments,
            "settlement": self._settlement,
        }

    @api.model
    def _settlement(self, payment):
        """{'lines': [{'label', 'period', 'amount'}], 'credit'}: the charges the payment
        settled, oldest first, and what is left of it as a credit."""
        receivable = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        partials = receivable.matched_debit_ids.sorted(
            lambda partial: (partial.debit_move_id.date, partial.debit_move_id.id)
        )
        return {
            "lines": [
                {
                    "label": partial.debit_move_id.name or partial.debit_move_id.move_id.name,
                    "period": partial.debit_move_id.site_period,
                    "amount": partial.amount,
                }
                for partial in partials
            ],
            "credit": -sum(receivable.mapped("amount_residual")),
        }
