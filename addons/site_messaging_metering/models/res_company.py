from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    site_auto_expense_notice = fields.Boolean(
        string="Expense Notices",
        help="After a cost allocation is posted, each person charged gets a message "
        "with their balance and payment link.",
    )
    site_auto_expense_notice_template_id = fields.Many2one(
        "site.message.template",
        string="Expense Notice Template",
        domain="[('company_id', '=', id)]",
    )
    site_auto_reading_window = fields.Boolean(
        string="Reading Window Opening",
        help="On the first day of the site's reading window, the people of the units with "
        "meters are asked for their readings.",
    )
    site_auto_reading_window_template_id = fields.Many2one(
        "site.message.template",
        string="Reading Window Template",
        domain="[('company_id', '=', id)]",
    )

    def _site_auto_messages(self):
        return super()._site_auto_messages() + [
            ("site_auto_expense_notice", "site_auto_expense_notice_template_id"),
            ("site_auto_reading_window", "site_auto_reading_window_template_id"),
        ]

    def _site_daily_switches(self):
        return super()._site_daily_switches() + ["site_auto_reading_window"]

    @api.constrains(
        "site_auto_expense_notice",
        "site_auto_expense_notice_template_id",
        "site_auto_reading_window",
        "site_auto_reading_window_template_id",
    )
    def _check_site_auto_metering(self):
        self._check_site_auto_messages()
