"""An inspection of a unit for leaks and illegal use of water.

Confirming it with a finding charges the site's penalty for that finding to the unit
once (``site.legal.fee.mixin``) and schedules the follow-up."""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

RESULTS = [
    ("none", "No Finding"),
    ("leak", "Leak"),
    ("illegal", "Illegal Use"),
]
# The site's tariff field of each result's penalty.
PENALTY_FIELDS = {"leak": "site_legal_penalty_leak", "illegal": "site_legal_penalty_illegal"}
FOLLOW_UP_DAYS = 14


class SiteLegalInspection(models.Model):
    _name = "site.legal.inspection"
    _description = "Water Inspection"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "site.legal.fee.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True

    _site_fee_date_field = "date"
    _site_fee_charge_type_field = "site_legal_penalty_charge_type_id"

    partner_id = fields.Many2one(help="Who is charged the penalty: the unit's owner by default.")
    inspector_id = fields.Many2one(
        "res.users",
        string="Inspector",
        required=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    findings = fields.Html()
    photo_ids = fields.Many2many(
        "ir.attachment",
        "site_legal_inspection_photo_rel",
        "inspection_id",
        "attachment_id",
        string="Photos",
    )
    result = fields.Selection(RESULTS, required=True, default="none", tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Confirmed"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    penalty_amount = fields.Monetary(
        string="Penalty",
        compute="_compute_penalty_amount",
        store=True,
        readonly=False,
        precompute=True,
        help="The site's penalty for the result; charged once, on confirming.",
    )
    follow_up_date = fields.Date(
        compute="_compute_follow_up_date", store=True, readonly=False, precompute=True
    )

    @api.depends("result", "company_id")
    def _compute_penalty_amount(self):
        for inspection in self:
            field = PENALTY_FIELDS.get(inspection.result)
            if inspection.fee_move_id:
                inspection.penalty_amount = inspection.penalty_amount
            else:
                inspection.penalty_amount = inspection.company_id[field] if field else 0.0

    @api.depends("date", "result")
    def _compute_follow_up_date(self):
        for inspection in self:
            inspection.follow_up_date = (
                inspection.date + timedelta(days=FOLLOW_UP_DAYS)
                if inspection.date and inspection.result != "none"
                else False
            )

    @api.depends("unit_id", "date")
    def _compute_display_name(self):
        for inspection in self:
            inspection.display_name = self.env._(
                "Inspection %(unit)s %(date)s",
                unit=inspection.unit_id.code or "",
                date=inspection.date or "",
            )

    def action_confirm(self):
        """Confirm the result: a finding's penalty is charged once, and its follow-up
        is scheduled to the inspector."""
        for inspection in self:
            if inspection.state == "cancelled":
                raise UserError(
                    self.env._("%(inspection)s is cancelled.", inspection=inspection.display_name)
                )
            if inspection.result == "none":
                inspection.state = "done"
                continue
            if inspection.penalty_amount and not inspection.partner_id:
                raise UserError(
                    self.env._(
                        "%(inspection)s: fill in Charged To first.",
                        inspection=inspection.display_name,
                    )
                )
            scheduled = inspection.state == "done"
            inspection._charge_fee_once(
                inspection.company_id.site_legal_penalty_charge_type_id,
                inspection.penalty_amount,
                inspection.date,
                self.env._(
                    "%(result)s penalty %(unit)s",
                    result=dict(inspection._fields["result"]._description_selection(self.env))[
                        inspection.result
                    ],
                    unit=inspection.unit_id.code,
                ),
                inspection.company_id._fields["site_legal_penalty_charge_type_id"].string,
            )
            inspection.state = "done"
            if not scheduled:
                inspection.activity_schedule(
                    "mail.mail_activity_data_todo",
                    date_deadline=inspection.follow_up_date,
                    summary=self.env._("Follow up the inspection's finding"),
                    user_id=inspection.inspector_id.id,
                )

    def action_cancel(self):
        if self.filtered("fee_move_id"):
            raise UserError(
                self.env._("A charged inspection cannot be cancelled: reverse its penalty first.")
            )
        self.state = "cancelled"

    def action_view_fee(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.fee_move_id.id,
            "view_mode": "form",
        }
