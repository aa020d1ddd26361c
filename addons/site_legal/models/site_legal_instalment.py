from odoo import api, fields, models
from odoo.fields import Domain

from ..engine import instalments


class SiteLegalInstalment(models.Model):
    """An instalment of a case's settlement: its part of the debts, due on a date.

    Its debts are the case's debt lines marked with it; a new schedule replaces the
    instalments still open (their debts are re-dated into the new ones).
    """

    _name = "site.legal.instalment"
    _description = "Legal Case Instalment"
    _order = "case_id, due_date, number, id"

    case_id = fields.Many2one("site.legal.case", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    number = fields.Integer(required=True)
    due_date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    move_id = fields.Many2one("account.move", string="Settlement Entry", readonly=True)
    line_ids = fields.One2many("account.move.line", "site_legal_instalment_id", string="Debts")
    amount_open = fields.Monetary(
        string="Open", compute="_compute_amount_open", store=True, aggregator="sum"
    )
    replaced = fields.Boolean(
        readonly=True, help="A later schedule re-dated what this instalment still owed."
    )
    is_missed = fields.Boolean(
        string="Missed",
        compute="_compute_is_missed",
        search="_search_is_missed",
        help="Its due date has passed and something is still open.",
    )
    missed_notified = fields.Boolean(
        readonly=True, copy=False, help="An activity was scheduled on the case for it."
    )
    state = fields.Selection(
        [("open", "Open"), ("missed", "Missed"), ("paid", "Paid"), ("replaced", "Replaced")],
        compute="_compute_state",
    )

    @api.depends("line_ids.amount_residual", "line_ids.parent_state")
    def _compute_amount_open(self):
        for instalment in self:
            instalment.amount_open = sum(
                line.amount_residual
                for line in instalment.line_ids
                if line.parent_state == "posted" and line.balance > 0
            )

    @api.depends("due_date", "amount_open", "replaced")
    @api.depends_context("tz")
    def _compute_is_missed(self):
        today = fields.Date.context_today(self)
        for instalment in self:
            instalment.is_missed = not instalment.replaced and instalments.is_missed(
                instalment.due_date, instalment.amount_open, today
            )

    def _search_is_missed(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        missed = Domain(
            [
                ("replaced", "=", False),
                ("due_date", "<", fields.Date.context_today(self)),
                ("amount_open", ">", 0),
            ]
        )
        return missed if (operator == "=") == value else ~missed

    @api.depends("is_missed", "amount_open", "replaced")
    def _compute_state(self):
        for instalment in self:
            if instalment.replaced:
                instalment.state = "replaced"
            elif instalment.is_missed:
                instalment.state = "missed"
            elif instalment.amount_open > 0:
                instalment.state = "open"
            else:
                instalment.state = "paid"

    @api.depends("case_id.name", "number")
    def _compute_display_name(self):
        for instalment in self:
            instalment.display_name = self.env._(
                "%(case)s: instalment %(number)s",
                case=instalment.case_id.name,
                number=instalment.number,
            )

    @api.model
    def _cron_flag_missed(self):
        """Schedule an activity on the case of each newly missed instalment, once."""
        missed = self.search([("is_missed", "=", True), ("missed_notified", "=", False)])
        todo = self.env.ref("mail.mail_activity_data_todo")
        for instalment in missed:
            case = instalment.case_id
            case.activity_schedule(
                activity_type_id=todo.id,
                summary=self.env._("Missed instalment %(number)s", number=instalment.number),
                note=self.env._(
                    "Instalment %(number)s of %(amount)s was due on %(date)s; %(open)s is still "
                    "open.",
                    number=instalment.number,
                    amount=instalment.amount,
                    date=instalment.due_date,
                    open=instalment.amount_open,
                ),
                user_id=(case.user_id or self.env.user).id,
            )
        missed.write({"missed_notified": True})
        return missed
