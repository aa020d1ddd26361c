"""Work advances to staff (iş avansı) and their settlement with expense receipts.

The rules are in ``engine/advances.py``. The advance is paid and, when the receipts
leave some of it, returned through transactions of the cash or bank journal (so that
the cash box and the receipts-and-payments view show them); the settlement is an entry
of the site's miscellaneous journal.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import advances


class SiteStaffAdvance(models.Model):
    _name = "site.staff.advance"
    _description = "Work Advance to Staff"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Staff Member",
        required=True,
        check_company=True,
        tracking=True,
        help="Who receives the advance and brings back the receipts.",
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
    settle_date = fields.Date(string="Settled On", readonly=True, copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("paid", "Paid"), ("settled", "Settled")],
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

    @api.depends("partner_id", "purpose")
    def _compute_display_name(self):
        for advance in self:
            advance.display_name = f"{advance.partner_id.name or ''}: {advance.purpose or ''}"

    def action_pay(self, date=None):
        """Pay the advance out of its cash box or bank, on 195."""
        for advance in self:
            if advance.state != "draft":
                raise UserError(self.env._("%(name)s is already paid.", name=advance.display_name))
            if advance.amount <= 0:
                raise UserError(
                    self.env._("%(name)s: the advance must be positive.", name=advance.display_name)
                )
            advance._site_cash_line(-advance.amount, date or advance.date, advance.purpose)
            advance.state = "paid"
        return True

    def action_settle(self, date=None):
        """Book the receipts on their expenses against the advance; the rest comes back
        to the cash box, what was spent beyond it is owed to the staff member."""
        for advance in self:
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
            advances.ADVANCE: company._site_account_by_code(advances.ADVANCE_CODE),
            advances.STAFF_PAYABLE: company._site_account_by_code(advances.STAFF_PAYABLE_CODE),
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

    def _site_cash_line(self, amount, date, label):
        """A transaction of the advance's journal booked on 195 (the staff's advance)."""
        st_line = (
            self.env["account.bank.statement.line"]
            .with_company(self.company_id)
            .create(
                {
                    "journal_id": self.journal_id.id,
                    "date": date,
                    "payment_ref": f"{self.env._('Work advance')} {self.display_name}: {label}",
                    "partner_id": self.partner_id.id,
                    "amount": amount,
                    "site_counterpart_account_id": self.company_id._site_account_by_code(
                        advances.ADVANCE_CODE
                    ).id,
                }
            )
        )
        st_line._site_book_counterparts()
        self.move_ids |= st_line.move_id
