"""A payout of an online-payment provider matched with the payments it settles.

The provider's payments wait on the outstanding receipts account of their payment
method (Odoo's ``account.payment``); the payout's bank transaction is booked there,
one credit per payment reconciled with it, and the provider's fee on the site's bank
fee expense account. Rules (which payments, the fee) in ``engine/payouts.py``.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..engine import payouts


class SiteProviderPayout(models.Model):
    _name = "site.provider.payout"
    _description = "Online Payment Provider Payout"
    _order = "date desc, id desc"

    statement_line_id = fields.Many2one(
        "account.bank.statement.line",
        string="Bank Transaction",
        required=True,
        readonly=True,
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(
        related="statement_line_id.company_id", store=True, string="Site", index=True
    )
    date = fields.Date(related="statement_line_id.date", store=True)
    label = fields.Char(related="statement_line_id.payment_ref")
    currency_id = fields.Many2one(related="company_id.currency_id")
    provider_id = fields.Many2one(
        "payment.provider", required=True, readonly=True, check_company=True
    )
    payment_ids = fields.Many2many(
        "account.payment",
        string="Payments Paid Out",
        check_company=True,
        domain="[('id', 'in', available_payment_ids)]",
    )
    available_payment_ids = fields.Many2many(
        "account.payment", compute="_compute_available_payment_ids"
    )
    gross_amount = fields.Monetary(
        string="Gross", compute="_compute_amounts", help="The payments paid out."
    )
    net_amount = fields.Monetary(
        string="Net", related="statement_line_id.amount", help="What the bank received."
    )
    fee_amount = fields.Monetary(
        string="Provider Fee", compute="_compute_amounts", help="Gross less net."
    )
    state = fields.Selection(
        [("draft", "To Confirm"), ("done", "Reconciled")],
        default="draft",
        required=True,
        readonly=True,
    )

    _statement_line_unique = models.Constraint(
        "UNIQUE(statement_line_id)", "A bank transaction is one payout only."
    )

    @api.depends("payment_ids", "net_amount")
    def _compute_amounts(self):
        for payout in self:
            payout.gross_amount = sum(payout.payment_ids.mapped("amount_company_currency_signed"))
            payout.fee_amount = payout.gross_amount - payout.net_amount

    @api.depends("provider_id")
    def _compute_available_payment_ids(self):
        for payout in self:
            payout.available_payment_ids = (
                self._outstanding_lines(payout.provider_id).payment_id | payout.payment_ids
            )

    @api.depends("provider_id", "date")
    def _compute_display_name(self):
        for payout in self:
            payout.display_name = self.env._(
                "%(provider)s payout of %(date)s",
                provider=payout.provider_id.name,
                date=payout.date,
            )

    @api.model
    def _outstanding_lines(self, providers):
        """The open outstanding-receipt lines of the posted payments of ``providers``,
        oldest first: the money the providers hold and have not paid out yet."""
        if not providers:
            return self.env["account.move.line"]
        lines = self.env["account.move.line"].search(
            [
                ("company_id", "in", providers.company_id.ids),
                ("payment_id.payment_method_line_id.payment_provider_id", "in", providers.ids),
                ("payment_id.payment_type", "=", "inbound"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("debit", ">", 0),
            ],
            order="date, id",
        )
        return lines.filtered(
            lambda line: line.account_id == line.payment_id.outstanding_account_id
        )

    @api.model
    def _site_open(self, st_line, provider):
        """The payout of bank transaction ``st_line``, proposed when new: the provider's
        payments not paid out, oldest first, until their total reaches the payout."""
        payout = self.search([("statement_line_id", "=", st_line.id)], limit=1)
        if payout:
            return payout
        if st_line.is_reconciled:
            raise UserError(
                self.env._(
                    "Transaction %(label)s of %(date)s is already booked.",
                    label=st_line.payment_ref,
                    date=st_line.date,
                )
            )
        lines = self._outstanding_lines(provider)
        chosen = payouts.propose([(line.id, line.balance) for line in lines], st_line.amount)
        return self.create(
            {
                "statement_line_id": st_line.id,
                "provider_id": provider.id,
                "payment_ids": [Command.set(lines.browse(chosen).payment_id.ids)],
            }
        )

    def action_confirm(self):
        """Book the payout on the payments' outstanding receipts and the fee; all the
        payouts or none."""
        for payout in self:
            payout._confirm()
        return True

    def _confirm(self):
        self.ensure_one()
        st_line = self.statement_line_id
        if self.state == "done" or st_line.is_reconciled:
            raise UserError(
                self.env._(
                    "Payout %(label)s of %(date)s is already reconciled.",
                    label=st_line.payment_ref,
                    date=st_line.date,
                )
            )
        open_lines = self._outstanding_lines(self.provider_id)
        lines = open_lines.filtered(lambda line: line.payment_id in self.payment_ids)
        paid_out = self.payment_ids - lines.payment_id
        if paid_out:
            raise UserError(
                self.env._(
                    "Payout %(label)s: payments %(payments)s are not open online payments of "
                    "%(provider)s (already paid out, or of another provider).",
                    label=st_line.payment_ref,
                    payments=", ".join(paid_out.mapped("name")),
                    provider=self.provider_id.name,
                )
            )
        currency = self.currency_id
        try:
            settlement = payouts.settle(lines.mapped("balance"), st_line.amount)
        except payouts.PayoutError as error:
            raise UserError(
                self.env._(
                    "Payout %(label)s of %(date)s: the bank received %(net)s, the %(count)s "
                    "payments chosen total %(gross)s. A payout is the payments less the "
                    "provider's fee: choose payments totalling at least the payout.",
                    label=st_line.payment_ref,
                    date=st_line.date,
                    net=currency.format(float(error.net)),
                    count=len(lines),
                    gross=currency.format(float(error.gross)),
                )
            ) from None
        fee_account = self.company_id._site_bank_fee_account()
        if settlement.fee and not fee_account:
            raise UserError(
                self.env._(
                    "Site %(site)s: choose the Bank Fee Expense Account (on the provider "
                    "%(provider)s) to book the fee of %(fee)s.",
                    site=self.company_id.name,
                    provider=self.provider_id.name,
                    fee=currency.format(float(settlement.fee)),
                )
            )
        _liquidity, suspense, others = st_line._seek_for_lines()
        if len(suspense) != 1 or others:
            raise UserError(
                self.env._(
                    "Transaction %(label)s of %(date)s is partly booked already.",
                    label=st_line.payment_ref,
                    date=st_line.date,
                )
            )
        receipts = [
            {
                "account_id": line.account_id.id,
                "partner_id": line.partner_id.id,
                "name": line.payment_id.name,
                "debit": 0.0,
                "credit": line.balance,
            }
            for line in lines
        ]
        if settlement.fee:
            receipts.append(
                {
                    "account_id": fee_account.id,
                    "partner_id": self.provider_id.site_payout_partner_id.id,
                    "name": self.env._("%(provider)s fee", provider=self.provider_id.name),
                    "debit": float(settlement.fee),
                    "credit": 0.0,
                }
            )
        # As site_dues does for units: the suspense counterpart is re-accounted without
        # re-synchronising the statement line.
        st_line.move_id.with_context(
            skip_account_move_synchronization=True, skip_readonly_check=True
        ).write(
            {
                "line_ids": [Command.update(suspense.id, receipts[0])]
                + [Command.create(values) for values in receipts[1:]]
            }
        )
        booked = st_line.move_id.line_ids.filtered(
            lambda line: line.account_id in lines.account_id and line.credit
        )
        for payment_line in lines:
            counterpart = booked.filtered(
                lambda line, payment_line=payment_line: line.name == payment_line.payment_id.name
            )[:1]
            booked -= counterpart
            (payment_line | counterpart).reconcile()
        self.state = "done"
