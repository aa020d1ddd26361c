import hmac
import logging

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)


class SiteDeliveryReports(http.Controller):
    """Where the SMS gateways that push their delivery reports post them (SMSAPI's
    callback, İleti Merkezi's webhook): one address per site, whose secret part is the
    site's callback token. A report only touches the SMS that site's gateway sent."""

    @http.route(
        "/site_messaging/delivery/<int:company_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
    )
    def site_delivery_report(self, company_id, token, **params):
        company = request.env["res.company"].sudo().browse(company_id).exists()
        expected = (company.site_sms_callback_token or "") if company else ""
        # compared in constant time; a wrong address looks like no address at all
        if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
            raise NotFound()
        api = company._site_sms_api()
        payload = None
        if request.httprequest.mimetype == "application/json":
            try:
                payload = request.get_json_data()
            except ValueError:
                payload = None
        # Odoo's own SMS API (IAP, another SMS addon) pushes nothing here
        parse = getattr(api, "_parse_delivery_callback", None)
        reports = parse(params, payload) if parse else None
        if reports is None:
            raise NotFound()
        count = request.env["site.message"].sudo()._site_delivery_callback(company, reports)
        _logger.info(
            "%s delivery callback for %s: %s reports, %s messages",
            api.NAME,
            company.name,
            len(reports),
            count,
        )
        return request.make_response(api.CALLBACK_ANSWER, [("Content-Type", "text/plain")])
