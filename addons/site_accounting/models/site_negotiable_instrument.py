"""Cheques and promissory notes (çek / senet) received and given.

The rules (allowed steps and the entry each posts, as account roles) are in
``engine/instruments.py``; this model finds the accounts and posts the entries. A
received instrument is a payment by its drawer: its receivable line carries the unit
and settles the unit's charges through ``site_dues``' payment path; when it bounces or
is returned, that payment is undone (its matching removed and the new debit matched
with it), so that the charges it had settled are open again with their charge types.
Money in or out of the bank goes through a transaction of the bank journal.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import instruments

KINDS = [(instruments.CHEQUE, "Cheque"), (instruments.NOTE, "Promissory Note")]
DIRECTIONS = [(instruments.RECEIVED, "Received"), (instruments.GIVEN, "Given")]
STATES = [
    (instruments.DRAFT, "Draft"),
    (instruments.PORTFOLIO, "In Portfolio"),
    (instruments.DEPOSITED, "Deposited for Collection"),
    (instruments.ENDORSED, "Endorsed"),
    (instruments.ISSUED, "Issued"),
    (instruments.COLLECTED, "Collected"),
    (instruments.PAID, "Paid"),
    (instruments.BOUNCED, "Bounced"),
    (instruments.RETURNED, "Returned"),
]


class SiteNegotiableInstrument(models.Model):
    _name = "site.negotiable.instrument"
    _description = "Cheque or Promissory Note"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "due_date, id"
    _check_company_auto = True

    kind = fields.Selection(KINDS, required=True, default=instruments.CHEQUE, tracking=True)
    direction = fields.Selection(
        DIRECTIONS, required=True, default=instruments.RECEIVED, tracking=True
    )
    number = fields.Char(required=True, tracking=True, help="The serial number on the paper.")
    bank_name = fields.Char(
        string="Drawee Bank", help="The bank (and branch) the cheque is drawn on."
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Drawer / Payee",
        required=True,
        check_company=True,
        tracking=True,
        help="Who gave a received instrument, or to whom a given one is made out.",
    )
    unit_id = fields.Many2one(
        "site.unit",
        string="Unit",
        check_company=True,
        tracking=True,
        help="The unit a received instrument pays for: it settles the unit's charges.",
    )
    endorsee_id = fields.Many2one(
        "res.partner",
        string="Endorsed To",
        check_company=True,
        tracking=True,
        help="The supplier a received instrument was endorsed to, in payment of its bills.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Bank",
        check_company=True,
        domain=[("type", "=", "bank")],
        tracking=True,
        help="The bank account a received instrument is deposited in for collection, or a "
        "given one is paid from.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    amount = fields.Monetary(required=True, tracking=True)
    issue_date = fields.Date(required=True, default=fields.Date.context_today)
    due_date = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        STATES, required=True, default=instruments.DRAFT, readonly=True, tracking=True
    )
    move_ids = fields.Many2many(
        "account.move", string="Entries", readonly=True, copy=False, check_company=True
    )
    receipt_line_id = fields.Many2one(
        "account.move.line",
        string="Payment Line",
        readonly=True,
        copy=False,
        help="The drawer's receivable line the instrument's receipt credited.",
    )
    next_states = fields.Char(compute="_compute_next_states")
    note = fields.Text()

    _number_unique = models.Constraint(
        "UNIQUE(company_id, direction, kind, number, partner_id)",
        "This instrument is already recorded for this drawer or payee.",
    )

    @api.depends("number", "kind")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for instrument in self:
            instrument.display_name = (
                f"{self.env._(labels[instrument.kind])} {instrument.number or ''}"
            )

    @api.depends("company_id")
    def _compute_currency_id(self):
        for instrument in self:
            instrument.currency_id = instrument.company_id.currency_id

    @api.depends("direction", "state")
    def _compute_next_states(self):
        for instrument in self:
            instrument.next_states = " ".join(
                instruments.next_states(instrument.direction, instrument.state)
            )

    @api.constrains("issue_date", "due_date")
    def _check_dates(self):
        for instrument in self:
            try:
                instruments.check_dates(instrument.issue_date, instrument.due_date)
            except instruments.InstrumentError as error:
                raise ValidationError(f"{instrument.display_name}: {error}") from error

    @api.onchange("unit_id")
    def _onchange_unit_id(self):
        if self.unit_id and not self.partner_id:
            self.partner_id = self.unit_id.get_liable_partner(self.issue_date)

    def write(self, values):
        frozen = {"kind", "direction", "amount", "currency_id", "partner_id", "unit_id"}
        if frozen & set(values) and any(rec.state != instruments.DRAFT for rec in self):
            raise UserError(
                self.env._(
                    "%(name)s is already booked: its kind, direction, amount, drawer and unit "
                    "can no longer change.",
                    name=self.filtered(lambda rec: rec.state != instruments.DRAFT)[:1].display_name,
                )
            )
        return super().write(values)

    # Steps ---------------------------------------------------------------------------

    def action_receive(self):
        return self._site_step(instruments.PORTFOLIO)

    def action_issue(self):
        return self._site_step(instruments.ISSUED)

    def action_deposit(self):
        return self._site_step(instruments.DEPOSITED)

    def action_endorse(self):
        return self._site_step(instruments.ENDORSED)

    def action_collect(self):
        return self._site_step(instruments.COLLECTED)

    def action_pay(self):
        return self._site_step(instruments.PAID)

    def action_bounce(self):
        return self._site_step(instruments.BOUNCED)

    def action_return(self):
        return self._site_step(instruments.RETURNED)

    def _site_step(self, target, date=None):
        """Move each instrument to ``target`` on ``date`` (today by default), posting the
        step's entry."""
        for instrument in self:
            date_step = date or fields.Date.context_today(instrument)
            try:
                lines = instruments.entry(
                    instrument.kind,
                    instrument.direction,
                    instrument.state,
                    target,
                    instrument.amount,
                )
            except instruments.InstrumentError as error:
                raise UserError(f"{instrument.display_name}: {error}") from error
            if lines:
                instrument._site_post(lines, date_step, target)
            instrument.state = target
        return True

    def _site_label(self, target):
        states = dict(self._fields["state"]._description_selection(self.env))
        return f"{self.display_name} ({self.partner_id.name}): {states[target]}"

    def _site_post(self, lines, date, target):
        roles = {line.role for line in lines}
        if instruments.PAYABLE in roles and self.direction == instruments.RECEIVED:
            if not self.endorsee_id:
                raise UserError(
                    self.env._(
                        "%(name)s: choose the supplier it is endorsed to.", name=self.display_name
                    )
                )
        if instruments.BANK in roles:
            self._site_post_bank(lines, date, target)
        else:
            self._site_post_entry(lines, date, target)

    def _site_account(self, role, date):
        if role == instruments.RECEIVABLE:
            if self.receipt_line_id:
                return self.receipt_line_id.account_id
            if self.unit_id:
                return self.env["site.unit.payment.mixin"]._site_receivable_account(
                    self.unit_id, self._site_line_partner(role, date)
                )
            return self.partner_id.with_company(self.company_id).property_account_receivable_id
        if role == instruments.PAYABLE:
            partner = (
                self.endorsee_id if self.direction == instruments.RECEIVED else self.partner_id
            )
            return partner.with_company(self.company_id).property_account_payable_id
        return self.company_id._site_instrument_account(self.kind, role)

    def _site_line_partner(self, role, date):
        if role == instruments.PAYABLE and self.direction == instruments.RECEIVED:
            return self.endorsee_id
        if role == instruments.RECEIVABLE:
            # The unit's debt is its liable partner's, whoever signed the cheque.
            if self.receipt_line_id:
                return self.receipt_line_id.partner_id
            if self.unit_id:
                return self.unit_id.get_liable_partner(date) or self.partner_id
        return self.partner_id

    def _site_amounts(self, debit, credit, date):
        """Line values in the site's currency, and in the instrument's when foreign."""
        company_currency = self.company_id.currency_id
        amount_currency = float(debit - credit)
        balance = self.currency_id._convert(
            amount_currency, company_currency, self.company_id, date
        )
        return {
            "currency_id": self.currency_id.id,
            "amount_currency": amount_currency,
            "balance": balance,
        }

    def _site_post_entry(self, lines, date, target):
        move = (
            self.env["account.move"]
            .with_company(self.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.company_id._site_instrument_journal().id,
                    "date": date,
                    "ref": self._site_label(target),
                    "line_ids": [
                        fields.Command.create(
                            {
                                "name": self._site_label(target),
                                "account_id": self._site_account(line.role, date).id,
                                "partner_id": self._site_line_partner(line.role, date).id,
                                "site_unit_id": self.unit_id.id
                                if line.role == instruments.RECEIVABLE
                                else False,
                                "date_maturity": self.due_date,
                                **self._site_amounts(line.debit, line.credit, date),
                            }
                        )
                        for line in lines
                    ],
                }
            )
        )
        move.action_post()
        self.move_ids |= move
        receivable = move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        if receivable.balance < 0:
            self.receipt_line_id = receivable
            if self.unit_id:
                self.env["site.unit.payment.mixin"]._site_apply(receivable)
        elif receivable:
            self._site_reopen_debt(receivable)

    def _site_reopen_debt(self, debit):
        """Undo the instrument's payment: the charges it settled are open again, and the
        new debit closes the payment line."""
        receipt = self.receipt_line_id
        if not receipt:
            return
        receipt.remove_move_reconcile()
        (receipt + debit).reconcile()
        if self.unit_id:
            # Other credits of the unit (advances) may settle the re-opened charges.
            self.env["account.move.line"]._site_settle({self.unit_id.id}, self.company_id)

    def _site_post_bank(self, lines, date, target):
        """Money in or out of the bank: a transaction of the bank journal whose
        counterpart is the instrument's account instead of the suspense account."""
        if not self.journal_id:
            raise UserError(
                self.env._("%(name)s: choose the bank account.", name=self.display_name)
            )
        journal_currency = self.journal_id.currency_id or self.company_id.currency_id
        if journal_currency != self.currency_id:
            raise UserError(
                self.env._(
                    "%(name)s is in %(currency)s but bank %(bank)s keeps %(bank_currency)s.",
                    name=self.display_name,
                    currency=self.currency_id.name,
                    bank=self.journal_id.name,
                    bank_currency=journal_currency.name,
                )
            )
        bank_line = next(line for line in lines if line.role == instruments.BANK)
        counterpart = next(line for line in lines if line.role != instruments.BANK)
        st_line = (
            self.env["account.bank.statement.line"]
            .with_company(self.company_id)
            .create(
                {
                    "journal_id": self.journal_id.id,
                    "date": date,
                    "payment_ref": self._site_label(target),
                    "partner_id": self.partner_id.id,
                    "amount": float(bank_line.debit - bank_line.credit),
                }
            )
        )
        _liquidity, suspense, _others = st_line._seek_for_lines()
        suspense.with_context(skip_account_move_synchronization=True).write(
            {"account_id": self._site_account(counterpart.role, date).id}
        )
        self.move_ids |= st_line.move_id
