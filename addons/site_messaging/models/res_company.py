import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

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
            ("iletimerkezi", "İleti Merkezi"),
            ("smsapi", "SMSAPI"),
            ("turbosms", "TurboSMS"),
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
    site_sms_login = fields.Char(
        string="Gateway User",
        groups="base.group_system",
        help="Netgsm: the user code. İleti Merkezi: the API key.",
    )
    site_sms_password = fields.Char(
        string="Gateway Password or Token",
        groups="base.group_system",
        help="Netgsm: the password. İleti Merkezi: the API hash. SMSAPI, TurboSMS: the token.",
    )
    site_sms_callback_token = fields.Char(
        string="Delivery Callback Secret", groups="base.group_system", copy=False, readonly=True
    )
    site_sms_callback_url = fields.Char(
        string="Delivery Callback Address",
        compute="_compute_site_sms_callback_url",
        groups="base.group_system",
        help="Where the gateway pushes its delivery reports (SMSAPI's callback, İleti "
        "Merkezi's webhook): give it this address. Its secret part authenticates the reports.",
    )
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
    # Automatic messages, each switched on per site with its template (site.message.automation)
    site_auto_charge_notice = fields.Boolean(
        string="Charge Notices",
        help="After an accrual run, the person of each charge notice gets it with its "
        "payment link.",
    )
    site_auto_charge_notice_template_id = fields.Many2one(
        "site.message.template",
        string="Charge Notice Template",
        domain="[('company_id', '=', id)]",
    )
    site_auto_due_reminder = fields.Boolean(
        string="Reminders Before the Due Date",
        help="A reminder to the people whose charges fall due in a few days and are not paid.",
    )
    site_auto_due_reminder_days = fields.Integer(string="Days Before the Due Date", default=3)
    site_auto_due_reminder_template_id = fields.Many2one(
        "site.message.template",
        string="Due Date Reminder Template",
        domain="[('company_id', '=', id)]",
    )
    site_auto_overdue = fields.Boolean(
        string="Overdue Reminders",
        help="Reminders by level (e.g. 7, 30 and 60 days overdue), each sent once per "
        "charge notice and level.",
    )
    site_auto_overdue_level_ids = fields.One2many(
        "site.message.overdue.level", "company_id", string="Overdue Levels"
    )

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

    @api.depends("site_sms_callback_token")
    def _compute_site_sms_callback_url(self):
        for company in self:
            token = company.site_sms_callback_token
            company.site_sms_callback_url = token and (
                f"{company.get_base_url()}/site_messaging/delivery/{company.id}/{token}"
            )

    def action_site_sms_new_callback_token(self):
        """A new secret for the delivery callback address: the old address stops working."""
        if not self.env.is_system():
            raise AccessError(self.env._("Only administrators manage the SMS gateways."))
        for company in self:
            company.sudo().site_sms_callback_token = secrets.token_urlsafe(32)

    def _site_auto_messages(self):
        """(switch, template field) of each automatic message; bridges add theirs."""
        return [
            ("site_auto_charge_notice", "site_auto_charge_notice_template_id"),
            ("site_auto_due_reminder", "site_auto_due_reminder_template_id"),
        ]

    def _site_daily_switches(self):
        """The switches of the automatic messages the daily job sends."""
        return ["site_auto_due_reminder", "site_auto_overdue"]

    @api.constrains(
        "site_auto_charge_notice",
        "site_auto_charge_notice_template_id",
        "site_auto_due_reminder",
        "site_auto_due_reminder_template_id",
        "site_auto_due_reminder_days",
        "site_auto_overdue",
        "site_auto_overdue_level_ids",
    )
    def _check_site_auto_messages(self):
        """A message switched on has a template of its own site; reminders come a day
        or more before the due date; overdue reminders have a level."""
        for company in self:
            if company.site_auto_due_reminder and company.site_auto_due_reminder_days < 1:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: Days Before the Due Date must be 1 or more.",
                        site=company.name,
                    )
                )
            if company.site_auto_overdue and not company.site_auto_overdue_level_ids:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: add the Overdue Levels of the overdue reminders.",
                        site=company.name,
                    )
                )
            for switch, template_field in company._site_auto_messages():
                template = company[template_field]
                label = company._fields[template_field]._description_string(self.env)
                if company[switch] and not template:
                    raise ValidationError(
                        self.env._(
                            "Site %(site)s: choose the %(field)s of the automatic message "
                            "switched on.",
                            site=company.name,
                            field=label,
                        )
                    )
                if template and template.company_id != company:
                    raise ValidationError(
                        self.env._(
                            "Site %(site)s: the %(field)s must be one of the site's own templates.",
                            site=company.name,
                            field=label,
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
