import base64
import io
import logging

import qrcode

from odoo import api, models

_logger = logging.getLogger(__name__)


class ReportSiteChargeNotice(models.AbstractModel):
    """Values of the printed charge notice: the notices, their month's lines, the site's
    account for transfers and the QR code images."""

    _name = "report.site_dues.report_site_charge_notice"
    _description = "Charge Notice Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        notices = self.env["site.charge.notice"].browse(docids)
        month_lines = notices._month_lines()
        return {
            "doc_ids": docids,
            "doc_model": "site.charge.notice",
            "docs": notices,
            "qr_code": self._qr_code,
            "bank_details": self._bank_details,
            "notice_lines": lambda notice: self._notice_lines(month_lines[notice]),
        }

    @api.model
    def _bank_details(self, notice):
        """The site's account for transfers: holder, IBAN in groups of four, bank; None
        when the site has no account yet."""
        company = notice.company_id.sudo()
        bank = company._site_notice_bank()
        if not bank:
            return None
        number = "".join((bank.acc_number or "").split())
        return {
            "holder": bank.acc_holder_name or company.name,
            "iban": " ".join(number[i : i + 4] for i in range(0, len(number), 4)),
            "bank": bank.bank_id.name or "",
            "bic": bank.bank_id.bic or "",
        }

    @api.model
    def _notice_lines(self, lines):
        """The month's charges and late fees to list, charges first; payments are in the
        notice's totals."""
        return lines.filtered("site_charge_type_id").sorted(
            lambda line: (
                line.site_charge_type_id.kind == "late_fee",
                line.date,
                line.site_charge_type_id.sequence,
                line.id,
            )
        )

    @api.model
    def _qr_code(self, notice):
        """{'payload', 'image' (PNG data URI), 'kind' ('bank' or 'link')} of a notice's
        QR code, or None when there is nothing to pay or the site's bank data is not
        valid (the notice is still printed, without the code)."""
        try:
            payload = notice._qr_payload()
        except ValueError as error:
            _logger.warning("Charge notice %s: no QR code: %s", notice.display_name, error)
            return None
        if not payload:
            return None
        kind = "link" if payload.startswith(notice.get_base_url()) else "bank"
        return {"payload": payload, "image": self._qr_data_uri(payload), "kind": kind}

    @api.model
    def _qr_data_uri(self, payload):
        """A QR code of ``payload`` as a base64 PNG data URI."""
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=2
        )
        code.add_data(payload)
        code.make(fit=True)
        buffer = io.BytesIO()
        code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
