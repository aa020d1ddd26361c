"""A water shut-off of a unit for unpaid debts: notice, order, shut-off, reopening.

Reopening charges the site's reopening fee to the unit once (``site.legal.fee.mixin``).
The meter readings at shut-off and reopening come from site_legal_metering.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

STATES = [
    ("notice", "Notice Sent"),
    ("order", "Shut-off Ordered"),
    ("shut_off", "Shut Off"),
    ("reopened", "Reopened"),
    ("cancelled", "Cancelled"),
]


class SiteLegalShutoff(models.Model):
    _name = "site.legal.shutoff"
    _description = "Water Shut-off"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "site.legal.fee.mixin",
    ]
    _order = "notice_date desc, id desc"
    _check_company_auto = True

    _site_fee_date_field = "notice_date"
    _site_fee_charge_type_field = "site_legal_reopening_charge_type_id"

    partner_id = fields.Many2one(
        string="Debtor",
        required=True,
        help="Who is charged the reopening fee: the unit's owner by default.",
    )
    notice_id = fields.Many2one(
        "site.legal.notice",
        string="Formal Notice",
        check_company=True,
        domain="[('unit_id', '=', unit_id)]",
    )
    state = fields.Selection(
        STATES, default="notice", required=True, readonly=True, tracking=True, index=True
    )
    notice_date = fields.Date(
        string="Notice Sent On", required=True, default=fields.Date.context_today, tracking=True
    )
    order_date = fields.Date(string="Shut-off Date", tracking=True)
    ordered_by_id = fields.Many2one(
        "res.users", string="Ordered By", domain=[("share", "=", False)], tracking=True
    )
    seal_number = fields.Char(tracking=True, index="btree_not_null")
    reopen_date = fields.Date(string="Reopened On", tracking=True)
    note = fields.Text()
    fee_amount = fields.Monetary(
        string="Reopening Fee",
        compute="_compute_fee_amount",
        store=True,
        readonly=False,
        precompute=True,
        help="The site's reopening fee; charged once, when the water is reopened.",
    )

    @api.depends("company_id")
    def _compute_fee_amount(self):
        for shutoff in self:
            shutoff.fee_amount = (
                shutoff.fee_amount
                if shutoff.fee_move_id
                else shutoff.company_id.site_legal_reopening_fee
            )

    @api.depends("unit_id", "notice_date")
    def _compute_display_name(self):
        for shutoff in self:
            shutoff.display_name = self.env._(
                "Shut-off %(unit)s %(date)s",
                unit=shutoff.unit_id.code or "",
                date=shutoff.notice_date or "",
            )

    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda s: s.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(shutoffs)s cannot be %(action)s in their state.",
                    shutoffs=", ".join(wrong.mapped("display_name")),
                    action=action,
                )
            )

    def action_order(self):
        """The shut-off is ordered: on which day, by whom."""
        self._check_state(("notice",), self.env._("ordered"))
        for shutoff in self:
            if not shutoff.order_date or not shutoff.ordered_by_id:
                raise UserError(
                    self.env._(
                        "%(shutoff)s: fill in the Shut-off Date and Ordered By first.",
                        shutoff=shutoff.display_name,
                    )
                )
        self.state = "order"

    def action_shut_off(self):
        """The water is shut off and sealed."""
        self._check_state(("order",), self.env._("shut off"))
        for shutoff in self:
            if not shutoff.seal_number:
                raise UserError(
                    self.env._(
                        "%(shutoff)s: fill in the Seal Number first.",
                        shutoff=shutoff.display_name,
                    )
                )
        self.state = "shut_off"

    def action_reopen(self):
        """The water is reopened: the unit is charged the reopening fee, once."""
        self._check_state(("shut_off", "reopened"), self.env._("reopened"))
        for shutoff in self:
            day = shutoff.reopen_date or fields.Date.context_today(shutoff)
            shutoff._charge_fee_once(
                shutoff.company_id.site_legal_reopening_charge_type_id,
                shutoff.fee_amount,
                day,
                self.env._("Reopening fee %(unit)s", unit=shutoff.unit_id.code),
                shutoff.company_id._fields["site_legal_reopening_charge_type_id"].string,
            )
            shutoff.write({"state": "reopened", "reopen_date": day})

    def action_cancel(self):
        self._check_state(("notice", "order"), self.env._("cancelled"))
        self.state = "cancelled"

    def action_view_fee(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.fee_move_id.id,
            "view_mode": "form",
        }
