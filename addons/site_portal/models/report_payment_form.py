import logging

from odoo import api, models

_logger = logging.getLogger(__name__)


class ReportPaymentForm(models.AbstractModel):
    """A transfer form for one month's notice (the Polish practice): the site's account
    and the notice's title, for what is still open of the notice, with the country's
    transfer QR code for that amount."""

    _name = "report.site_portal.report_payment_form"
    _description = "Payment Form Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        notices = self.env["site.charge.notice"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "site.charge.notice",
            "docs": notices,
            "form": self._form,
        }

    @api.model
    def _amount(self, notice):
        """The notice's total reduced by what has been paid since: never more than is
        open today."""
        due = self.env["site.portal"]._amount_due(notice.unit_id, notice.partner_id)
        return notice.currency_id.round(max(min(notice.amount_total, due), 0.0)) or 0.0

    @api.model
    def _form(self, notice):
        """{'amount', 'holder', 'iban', 'bank', 'title', 'qr'} of a notice's form."""
        company = notice.company_id.sudo()
        bank = company._site_notice_bank()
        amount = self._amount(notice)
        number = "".join((bank.acc_number or "").split())
        title = f"{notice.payment_reference or ''} {notice.name}".strip()
        return {
            "amount": amount,
            "holder": bank.acc_holder_name or company.name,
            "iban": " ".join(number[i : i + 4] for i in range(0, len(number), 4)),
            "bank": bank.bank_id.name or "",
            "title": title,
            "qr": self._qr_image(notice, amount),
        }

    @api.model
    def _qr_image(self, notice, amount):
        """The country's transfer QR code for ``amount`` as a PNG data URI; None where the
        country has none (Turkey), nothing is due or the bank data is not valid."""
        try:
            payload = notice._qr_payload(amount, link=False)
        except ValueError as error:
            _logger.warning("Payment form of %s: no QR code: %s", notice.display_name, error)
            return None
        if not payload:
            return None
        return self.env["report.site_dues.report_site_charge_notice"]._qr_data_uri(payload)
