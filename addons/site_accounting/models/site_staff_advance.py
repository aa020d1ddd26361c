"""Advances to staff: work advances (iş avansı, 195) settled with expense receipts, and
salary advances (personel avansı, 196) deducted from the person's next payrolls.

Both kinds are one model: they are paid the same way, by the same people, under the same
access rules; only their account and how they are closed differ. The rules are in
``engine/advances.py`` and ``engine/payroll.py``. The advance is paid and, when the
receipts leave some of it, returned through transactions of the cash or bank journal (so
that the cash box and the receipts-and-payments view show them); the settlement is an
entry of the site's miscellaneous journal, the deductions are in the payroll's entry.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import advances


class SiteStaffAdvance(models.Model):
    _name = "site.staff.advance"
    _description = "Advance to Staff"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    kind = fields.Selection(
        [("work", "Work Advance"), ("salary", "Salary Advance")],
        required=True,
        default="work",
        tracking=True,
        help="A work advance is settled with the expense receipts brought back; a salary "
        "advance is deducted from the person's next payrolls.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Staff Member",
        required=True,
        check_company=True,
        tracking=True,
        help="Who receives the advance (and, for a work advance, brings back the receipts).",
    )
    purpose = fields.Char(required=True, help="What the money is for.")
    date = fields.Date(required=True, default=fields.Date.context_today)
    journal_id = fields.Many2one(
        "account.journal",
        string="Paid From",
        required=True,
        check_company=True,
        domain=[("type", "in", ("cash", "bank"))],
        help="The cash box or bank account the advance is paid from and returned to.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(required=True, tracking=True)
    expense_ids = fields.One2many(
        "site.staff.advance.expense", "advance_id", string="Expense Receipts"
    )
    amount_spent = fields.Monetary(compute="_compute_amount_spent", string="Spent")
    deduction_ids = fields.One2many(
        "site.staff.advance.deduction", "advance_id", string="Deductions", readonly=True
    )
    amount_deducted = fields.Monetary(
        compute="_compute_amount_deducted",
        store=True,
        string="Deducted",
        help="What the posted payrolls deducted of this salary advance.",
    )
    amount_open = fields.Monetary(
        compute="_compute_amount_deducted",
        store=True,
        string="Left to Deduct",
        help="What the next payrolls still deduct of this salary advance.",
    )
    settle_date = fields.Date(string="Settled On", readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("paid", "Paid"), ("settled", "Settled"), ("deducted", "Deducted")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
    )
    move_ids = fields.Many2many(
        "account.move", string="Entries", readonly=True, copy=False, check_company=True
    )

    @api.depends("expense_ids.amount")
    def _compute_amount_spent(self):
        for advance in self:
            advance.amount_spent = sum(advance.expense_ids.mapped("amount"))

    @api.depends("kind", "amount", "deduction_ids.amount")
    def _compute_amount_deducted(self):
        for advance in self:
            advance.amount_deducted = sum(advance.deduction_ids.mapped("amount"))
            advance.amount_open = (
                advance.amount - advance.amount_deducted if advance.kind == "salary" else 0.0
            )

    @api.constrains("amount_deducted")
    def _check_deducted_once(self):
        for advance in self:
            if advance.currency_id.compare_amounts(advance.amount_deducted, advance.amount) > 0:
                raise ValidationError(
                    self.env._(
                        "%(name)s: %(deducted)s deducted by payrolls, more than the advance "
                        "of %(amount)s.",
                        name=advance.display_name,
                        deducted=advance.amount_deducted,
                        amount=advance.amount,
                    )
                )

    @api.depends("partner_id", "purpose")
    def _compute_display_name(self):
        for advance in self:
            advance.display_name = f"{advance.partner_id.name or ''}: {advance.purpose or ''}"

    def action_pay(self, date=None):
        """Pay the advance out of its cash box or bank, on its account (195 or 196)."""
        for advance in self:
            if advance.state != "draft":
                raise UserError(self.env._("%(name)s is already paid.", name=advance.display_name))
            if advance.amount <= 0:
                raise UserError(
                    self.env._("%(name)s: the advance must be positive.", name=advance.display_name)
                )
            # Its account first: a chart without one refuses before any money moves.
            advance._site_account()
            advance._site_cash_line(-advance.amount, date or advance.date, advance.purpose)
            advance.state = "paid"
        return True

    def action_settle(self, date=None):
        """Book the receipts on their expenses against the advance; the rest comes back
        to the cash box, what was spent beyond it is owed to the staff member."""
        for advance in self:
            if advance.kind == "salary":
                raise UserError(
                    self.env._(
                        "%(name)s is a salary advance: the payrolls of its staff member "
                        "deduct it, it is not settled with receipts.",
                        name=advance.display_name,
                    )
                )
            if advance.state != "paid":
                raise UserError(
                    self.env._(
                        "%(name)s: only a paid advance can be settled.", name=advance.display_name
                    )
                )
            day = date or fields.Date.context_today(advance)
            try:
                result = advances.settlement(advance.amount, advance.expense_ids.mapped("amount"))
            except advances.AdvanceError as error:
                raise UserError(f"{advance.display_name}: {error}") from error
            advance._site_post_settlement(result.lines, day)
            if result.returned:
                advance._site_cash_line(float(result.returned), day, self.env._("Advance returned"))
            advance.write({"state": "settled", "settle_date": day})
        return True

    def _site_post_settlement(self, lines, date):
        company = self.company_id
        accounts = {
            advances.ADVANCE: company._site_staff_account(advances.ADVANCE),
            advances.STAFF_PAYABLE: company._site_staff_account(advances.STAFF_PAYABLE),
        }
        receipts = self.expense_ids
        journal = self.env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "general")], limit=1
        )
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": date,
                    "ref": self.display_name,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "name": receipts[line.receipt].name
                                if line.role == advances.EXPENSE
                                else self.display_name,
                                "account_id": (
                                    receipts[line.receipt].account_id
                                    if line.role == advances.EXPENSE
                                    else accounts[line.role]
                                ).id,
                                "partner_id": self.partner_id.id,
                                "debit": float(line.debit),
                                "credit": float(line.credit),
                            }
                        )
                        for line in lines
                    ],
                }
            )
        )
        move.action_post()
        self.move_ids |= move

    def _site_account(self):
        """The advance's account on its site's chart: 195 for a work advance, 196 for a
        salary advance on the Turkish chart."""
        self.ensure_one()
        role = advances.SALARY_ADVANCE if self.kind == "salary" else advances.ADVANCE
        return self.company_id._site_staff_account(role)

    def _site_cash_line(self, amount, date, label):
        """A transaction of the advance's journal booked on the advance's account."""
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        st_line = (
            self.env["account.bank.statement.line"]
            .with_company(self.company_id)
            .create(
                {
                    "journal_id": self.journal_id.id,
                    "date": date,
                    "payment_ref": f"{kind} {self.display_name}: {label}",
                    "partner_id": self.partner_id.id,
                    "amount": amount,
                    "site_counterpart_account_id": self._site_account().id,
                }
            )
        )
        st_line._site_book_counterparts()
        self.move_ids |= st_line.move_id

    def _site_sync_deducted_state(self):
        """A paid salary advance the payrolls deducted in full is *Deducted*; one a
        cancelled payroll re-opened is *Paid* again."""
        for advance in self.filtered(
            lambda advance: advance.kind == "salary" and advance.state in ("paid", "deducted")
        ):
            state = "deducted" if advance.currency_id.is_zero(advance.amount_open) else "paid"
            if advance.state != state:
                advance.state = state
