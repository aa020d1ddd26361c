"""Staff salaries and board allowances owed by the site, on 335 Personele Borçlar, less
the salary advances (196 Personel Avansları) paid to the person.

The rules are in ``engine/payroll.py``. Posting books each line on its expense at its
gross amount, credits the open salary advances of the line's person for what it deducts
of them, and what is left, the net, owed to each person on 335 (with the person as
partner); the cash box or a bank transaction with 335 as counterpart account pays it.
Cancelling reverses the entry and re-opens the advances it deducted.
"""

from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import advances, payroll


class SiteStaffPayroll(models.Model):
    _name = "site.staff.payroll"
    _description = "Salaries and Board Allowances"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, help='E.g. the month: "Ocak 2026 maaşları".')
    date = fields.Date(required=True, default=fields.Date.context_today)
    line_ids = fields.One2many("site.staff.payroll.line", "payroll_id", string="Lines")
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(compute="_compute_amount_total", string="Gross")
    amount_deducted = fields.Monetary(
        compute="_compute_amount_total", string="Salary Advances Deducted"
    )
    amount_net = fields.Monetary(compute="_compute_amount_total", string="Net Payable")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
    )
    move_id = fields.Many2one("account.move", string="Entry", readonly=True, copy=False)
    reversal_move_id = fields.Many2one(
        "account.move", string="Reversal Entry", readonly=True, copy=False
    )

    @api.depends("line_ids.amount", "line_ids.amount_deducted")
    def _compute_amount_total(self):
        for record in self:
            record.amount_total = sum(record.line_ids.mapped("amount"))
            record.amount_deducted = sum(record.line_ids.mapped("amount_deducted"))
            record.amount_net = record.amount_total - record.amount_deducted

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        for record in self.filtered(lambda record: record.state == "posted"):
            raise UserError(
                self.env._(
                    "%(name)s is posted: cancel it (its entry is reversed) before deleting it.",
                    name=record.name,
                )
            )

    def action_post(self):
        for record in self:
            if record.state != "draft":
                raise UserError(self.env._("%(name)s is already posted.", name=record.name))
            try:
                deductions = record._site_advance_deductions()
                entry = payroll.payroll_entry(record._site_engine_lines(), deductions)
            except payroll.PayrollError as error:
                raise UserError(f"{record.name}: {error}") from error
            record._site_post(entry)
            record._site_record_deductions(deductions)
        return True

    def action_cancel(self, date=None):
        """Reverse the payroll's entry (on its own date unless ``date``); the salary
        advances it deducted are open again for the next payroll."""
        for record in self:
            if record.state != "posted":
                raise UserError(
                    self.env._(
                        "%(name)s: only a posted payroll can be cancelled.", name=record.name
                    )
                )
            reversal = record.move_id._reverse_moves(
                [
                    {
                        "date": date or record.move_id.date,
                        "ref": self.env._("Cancelled: %(name)s", name=record.name),
                    }
                ],
                cancel=True,
            )
            deductions = record.line_ids.deduction_ids
            reopened = deductions.advance_id
            deductions.unlink()
            reopened._site_sync_deducted_state()
            record.write({"state": "cancelled", "reversal_move_id": reversal.id})
        return True

    def _site_engine_lines(self):
        return [
            payroll.PayrollLine(line.partner_id, line.account_id, line.amount)
            for line in self.line_ids
        ]

    def _site_open_salary_advances(self):
        """The salary advances paid to the payroll's people by its date and not yet
        deducted in full."""
        self.ensure_one()
        return self.env["site.staff.advance"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("kind", "=", "salary"),
                ("state", "=", "paid"),
                ("partner_id", "in", self.line_ids.partner_id.ids),
                ("date", "<=", self.date or fields.Date.context_today(self)),
            ],
            order="date, id",
        )

    def _site_advance_deductions(self):
        """What posting the payroll now deducts (``payroll.Deduction``, advances by id)."""
        self.ensure_one()
        return payroll.advance_deductions(
            self._site_engine_lines(),
            [
                payroll.SalaryAdvance(
                    advance.id, advance.partner_id, advance.date, advance.amount_open
                )
                for advance in self._site_open_salary_advances()
            ],
        )

    def _site_proposed_deductions(self):
        """What posting the draft payroll now deducts from each line: {line id: amount}."""
        self.ensure_one()
        try:
            deductions = self._site_advance_deductions()
        except payroll.PayrollError:
            # Posting tells what is wrong; the form shows no proposal meanwhile.
            return {}
        lines = self.line_ids
        proposed = defaultdict(Decimal)
        for deduction in deductions:
            proposed[lines[deduction.line].id] += deduction.amount
        return proposed

    def _site_record_deductions(self, deductions):
        lines = self.line_ids
        self.env["site.staff.advance.deduction"].create(
            [
                {
                    "advance_id": deduction.advance,
                    "payroll_line_id": lines[deduction.line].id,
                    "amount": float(deduction.amount),
                }
                for deduction in deductions
            ]
        )
        self.env["site.staff.advance"].browse(
            {deduction.advance for deduction in deductions}
        )._site_sync_deducted_state()

    def _site_post(self, entry):
        company = self.company_id
        owed_account = company._site_staff_account(advances.STAFF_PAYABLE)
        journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1
        )
        commands = [
            fields.Command.create(
                {
                    "name": self.name,
                    "account_id": account.id,
                    "partner_id": person.id,
                    "debit": float(amount),
                }
            )
            for person, account, amount in entry.expenses
        ] + [
            fields.Command.create(
                {
                    "name": self.name,
                    "account_id": owed_account.id,
                    "partner_id": person.id,
                    "credit": float(amount),
                }
            )
            for person, amount in entry.owed.items()
        ]
        if entry.advances:
            advance_account = company._site_staff_account(advances.SALARY_ADVANCE)
            Advance = self.env["site.staff.advance"]
            commands += [
                fields.Command.create(
                    {
                        "name": f"{self.name}: {Advance.browse(advance).display_name}",
                        "account_id": advance_account.id,
                        "partner_id": person.id,
                        "credit": float(amount),
                    }
                )
                for (person, advance), amount in entry.advances.items()
            ]
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": self.date,
                    "ref": self.name,
                    "line_ids": commands,
                }
            )
        )
        move.action_post()
        self.write({"move_id": move.id, "state": "posted"})
