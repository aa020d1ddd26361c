"""Staff salaries and board allowances owed by the site, on 335 Personele Borçlar.

The rules are in ``engine/payroll.py``. Posting books each line on its expense and what
is owed to each person on 335 (with the person as partner); the cash box or a bank
transaction with 335 as counterpart account pays it.
"""

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
    amount_total = fields.Monetary(compute="_compute_amount_total", string="Total")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted")],
        required=True,
        default="draft",
        readonly=True,
        tracking=True,
    )
    move_id = fields.Many2one("account.move", string="Entry", readonly=True, copy=False)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for record in self:
            record.amount_total = sum(record.line_ids.mapped("amount"))

    def action_post(self):
        for record in self:
            if record.state != "draft":
                raise UserError(self.env._("%(name)s is already posted.", name=record.name))
            try:
                entry = payroll.payroll_entry(
                    [
                        payroll.PayrollLine(line.partner_id, line.account_id, line.amount)
                        for line in record.line_ids
                    ]
                )
            except payroll.PayrollError as error:
                raise UserError(f"{record.name}: {error}") from error
            record._site_post(entry)
        return True

    def _site_post(self, entry):
        company = self.company_id
        owed_account = company._site_account_by_code(advances.STAFF_PAYABLE_CODE)
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
