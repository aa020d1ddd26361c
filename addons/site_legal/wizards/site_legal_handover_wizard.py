from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.site_legal_case import LATE_FEE_POLICIES


class SiteLegalHandoverWizard(models.TransientModel):
    """Open a legal case for a unit's open debts, or add more debts to a case."""

    _name = "site.legal.handover.wizard"
    _inherit = ["site.company.mixin"]
    _description = "Hand Over Debts to a Lawyer"
    _check_company_auto = True

    case_id = fields.Many2one(
        "site.legal.case",
        check_company=True,
        help="Empty: a new case is opened with the debts.",
    )
    unit_id = fields.Many2one(
        "site.unit",
        compute="_compute_from_case",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        check_company=True,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Debtors",
        compute="_compute_partner_ids",
        store=True,
        readonly=False,
        help="Whose open debts of the unit are handed over.",
    )
    date = fields.Date(
        string="Handed Over On",
        required=True,
        default=fields.Date.context_today,
        help="The date of the entry that moves the debts to the account for legal follow-up.",
    )
    line_ids = fields.Many2many(
        "account.move.line",
        string="Debts",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
        help="The unit's open debts to hand over; by default those overdue on the date.",
    )
    amount = fields.Monetary(compute="_compute_amount", string="Amount Handed Over")
    currency_id = fields.Many2one(related="company_id.currency_id")
    lawyer_user_id = fields.Many2one(
        "res.users", string="Lawyer's Portal User", domain=[("share", "=", True)]
    )
    lawyer_partner_id = fields.Many2one(
        "res.partner",
        string="Lawyer",
        compute="_compute_lawyer_partner_id",
        store=True,
        readonly=False,
    )
    office = fields.Char(string="Enforcement Office or Court")
    file_number = fields.Char()
    late_fee_policy = fields.Selection(
        LATE_FEE_POLICIES, string="Late Fees on the Debts", default="site", required=True
    )

    @api.depends("case_id")
    def _compute_from_case(self):
        for wizard in self.filtered("case_id"):
            wizard.unit_id = wizard.case_id.unit_id
            wizard.company_id = wizard.case_id.company_id

    @api.depends("unit_id", "case_id")
    def _compute_partner_ids(self):
        Line = self.env["account.move.line"]
        for wizard in self:
            if not wizard.unit_id:
                wizard.partner_ids = False
                continue
            domain = self.env["site.legal.case"]._handover_candidates_domain(
                wizard.unit_id.company_id, wizard.unit_id
            )
            wizard.partner_ids = wizard.case_id.partner_ids or Line.search(domain).partner_id

    @api.depends("unit_id", "partner_ids", "date")
    def _compute_line_ids(self):
        for wizard in self:
            if not wizard.unit_id or not wizard.partner_ids:
                wizard.line_ids = False
                continue
            domain = self.env["site.legal.case"]._handover_candidates_domain(
                wizard.unit_id.company_id, wizard.unit_id, wizard.partner_ids
            )
            wizard.line_ids = self.env["account.move.line"].search(
                domain + [("date_maturity", "<", wizard.date)], order="date_maturity, id"
            )

    @api.depends("line_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.line_ids.mapped("amount_residual"))

    @api.depends("lawyer_user_id")
    def _compute_lawyer_partner_id(self):
        for wizard in self:
            wizard.lawyer_partner_id = wizard.lawyer_partner_id or wizard.lawyer_user_id.partner_id

    def action_hand_over(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Debts: choose the open debts to hand over."))
        case = self.case_id or self.env["site.legal.case"].create(
            {
                "company_id": self.unit_id.company_id.id,
                "unit_id": self.unit_id.id,
                "partner_ids": [fields.Command.set(self.line_ids.partner_id.ids)],
                "lawyer_partner_id": self.lawyer_partner_id.id,
                "lawyer_user_id": self.lawyer_user_id.id,
                "office": self.office,
                "file_number": self.file_number,
                "date_open": self.date,
                "late_fee_policy": self.late_fee_policy,
            }
        )
        case._hand_over(self.line_ids, self.date)
        return {
            "type": "ir.actions.act_window",
            "res_model": "site.legal.case",
            "res_id": case.id,
            "view_mode": "form",
        }
