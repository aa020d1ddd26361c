from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import quiet_hours
from ..tools.sms_api import SITE_SMS_APIS


class ResCompany(models.Model):
    """A site's messaging settings: its SMS gateway and header, its reply address, its
    quiet hours and what a message costs."""

    _inherit = "res.company"

    site_sms_provider = fields.Selection(
        [
            ("odoo", "Odoo's SMS (IAP or another SMS addon)"),
            ("log", "Log only (demo, tests)"),
            ("netgsm", "Netgsm"),
            ("smsapi", "SMSAPI"),
        ],
        string="SMS Gateway",
        default="odoo",
        required=True,
    )
    site_sms_endpoint = fields.Char(
        string="Gateway Address",
        groups="base.group_system",
        help="Leave empty for the gateway's own address.",
    )
    site_sms_login = fields.Char(string="Gateway User", groups="base.group_system")
    site_sms_password = fields.Char(string="Gateway Password or Token", groups="base.group_system")
    site_sms_sender = fields.Char(
        string="SMS Sender Name",
        size=11,
        help="The header the recipients see, as registered with the gateway (at most 11 "
        "letters and digits).",
    )
    site_reply_to = fields.Char(
        string="Reply-To", help="Where replies to the site's e-mails and letters go."
    )
    site_quiet_start = fields.Float(
        string="Quiet Hours From",
        default=21.0,
        help="No SMS is sent from this hour to the next; messages wait for the end.",
    )
    site_quiet_end = fields.Float(string="Quiet Hours To", default=9.0)
    site_require_consent = fields.Boolean(
        string="Only With Consent",
        help="SMS and e-mails go only to people who consented to notices by SMS and e-mail "
        "(their privacy consents). A withdrawn consent always stops them.",
    )
    site_sms_segment_cost = fields.Monetary(
        string="Cost per SMS Part", currency_field="currency_id"
    )
    site_letter_cost = fields.Monetary(string="Cost per Letter", currency_field="currency_id")

    @api.constrains("site_quiet_start", "site_quiet_end")
    def _check_site_quiet_hours(self):
        for company in self:
            for hours in (company.site_quiet_start, company.site_quiet_end):
                if not 0 <= hours <= 24:
                    raise ValidationError(
                        self.env._(
                            "Quiet hours are between 0 and 24 (%(site)s).", site=company.name
                        )
                    )

    def _get_sms_api_class(self):
        self.ensure_one()
        return SITE_SMS_APIS.get(self.site_sms_provider) or super()._get_sms_api_class()

    def _site_sms_api(self):
        """An instance of the site's SMS API class, bound to the site."""
        self.ensure_one()
        api = self._get_sms_api_class()(self.env)
        api._set_company(self)
        return api

    def _site_zone(self):
        self.ensure_one()
        return quiet_hours.zone_for(self.partner_id.tz, self.country_id.code)

    def _site_next_sms_time(self, now):
        """When the site may next send SMS from ``now`` (aware): its quiet hours."""
        self.ensure_one()
        return quiet_hours.next_allowed(
            now, self._site_zone(), self.site_quiet_start, self.site_quiet_end
        )
