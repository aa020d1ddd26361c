"""Formal notices in batch: the manager picks a site, a minimum amount and/or age of
debt and the kind; the batch previews the debtors from the ledger, then logs one
notice per debtor and prints them as one PDF.

A batch is kept (not a transient wizard): its notices point to it, and it can be
printed again. Running it twice on a day logs nothing twice: a debtor has one notice
of a kind per unit and day (a unique index), and the existing one is reused.
"""

from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import notices as notice_rules
from .site_legal_notice import NOTICE_KINDS


class SiteLegalNoticeBatch(models.Model):
    _name = "site.legal.notice.batch"
    _description = "Formal Notices in Batch"
    _inherit = ["site.company.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    kind = fields.Selection(NOTICE_KINDS, required=True, default="formal_notice")
    date = fields.Date(
        string="Notice Date",
        required=True,
        default=fields.Date.context_today,
        help="The day of the notices: debts due before it are overdue.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_amount = fields.Monetary(
        string="Minimum Amount", help="Only debtors owing at least this much overdue."
    )
    min_days = fields.Integer(
        string="Minimum Days Overdue",
        help="Only debtors whose oldest unpaid debt is at least this many days overdue.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("done", "Notices Logged")],
        default="draft",
        required=True,
        readonly=True,
    )
    line_ids = fields.One2many("site.legal.notice.batch.line", "batch_id", string="Debtors")
    notice_ids = fields.Many2many(
        "site.legal.notice", compute="_compute_notice_ids", string="Notices"
    )
    notice_count = fields.Integer(compute="_compute_notice_ids")
    amount_total = fields.Monetary(compute="_compute_amount_total", string="Total Claimed")

    @api.depends("line_ids.notice_id")
    def _compute_notice_ids(self):
        for batch in self:
            batch.notice_ids = batch.line_ids.notice_id
            batch.notice_count = len(batch.notice_ids)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for batch in self:
            batch.amount_total = sum(batch.line_ids.mapped("amount"))

    @api.depends("kind", "date", "company_id")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for batch in self:
            batch.display_name = f"{kinds.get(batch.kind, '')} {batch.company_id.name or ''} " + (
                self.env["site.display"]._date_label(batch.date) if batch.date else ""
            )

    @api.constrains("min_amount", "min_days")
    def _check_minimums(self):
        for batch in self:
            if batch.min_amount < 0 or batch.min_days < 0:
                raise UserError(
                    self.env._("The minimum amount and days overdue cannot be negative.")
                )

    def _debtors(self):
        """The debtors due a notice on the batch's day (engine Debtor tuples, keyed by
        (unit id, partner id)), from site_dues' open receivable lines."""
        self.ensure_one()
        rows = (
            self.env["site.debtor.report"]
            .with_context(allowed_company_ids=self.company_id.ids)
            ._open_as_of(self.company_id, self.date)
        )
        lines = [
            (
                (line["site_unit_id"], line["partner_id"]),
                line["site_charge_type_id"] or False,
                line["date_maturity"] or line["date"],
                amount,
            )
            for line, amount in rows
            if line["partner_id"]
        ]
        return notice_rules.select_debtors(
            lines, self.date, Decimal(str(self.min_amount)), self.min_days
        )

    def action_preview(self):
        """List the debtors the batch would send notices to, replacing the last list."""
        for batch in self:
            if batch.state != "draft":
                raise UserError(self.env._("The notices of this batch are logged already."))
            debtors = batch._debtors()
            batch.line_ids.unlink()
            self.env["site.legal.notice.batch.line"].create(
                [
                    {
                        "batch_id": batch.id,
                        "unit_id": debtor.key[0],
                        "partner_id": debtor.key[1],
                        "amount": float(debtor.amount),
                        "oldest_due": debtor.oldest_due,
                        "days_overdue": debtor.days_overdue,
                        "detail": [
                            {"charge_type_id": ct, "due": due.isoformat(), "amount": float(amt)}
                            for ct, due, amt in debtor.items
                        ],
                    }
                    for debtor in debtors
                ]
            )
        return True

    def action_log_notices(self):
        """Log one notice per listed debtor (reusing a notice of the same kind, unit and
        day) and print them all."""
        self.ensure_one()
        if not self.line_ids:
            self.action_preview()
        if not self.line_ids:
            raise UserError(self.env._("No debtor matches the batch's minimums."))
        self._log_notices()
        return self.notice_ids.action_print()

    def _log_notices(self):
        self.ensure_one()
        # two batches of a site logging at once would both miss the other's notices
        self.env["site.lock"]._wait(self._name, self.company_id.id)
        Notice = self.env["site.legal.notice"]
        existing = {
            (n.unit_id.id, n.partner_id.id): n
            for n in Notice.search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("kind", "=", self.kind),
                    ("date", "=", self.date),
                    ("partner_id", "in", self.line_ids.partner_id.ids),
                ]
            )
        }
        todo = self.line_ids.filtered(
            lambda line: (line.unit_id.id, line.partner_id.id) not in existing
        )
        created = Notice.create(
            [
                {
                    "company_id": self.company_id.id,
                    "partner_id": line.partner_id.id,
                    "unit_id": line.unit_id.id,
                    "kind": self.kind,
                    "date": self.date,
                    "amount": line.amount,
                    "oldest_due": line.oldest_due,
                    "days_overdue": line.days_overdue,
                    "detail": line.detail,
                    "batch_id": self.id,
                }
                for line in todo
            ]
        )
        existing.update({(n.unit_id.id, n.partner_id.id): n for n in created})
        for line in self.line_ids:
            line.notice_id = existing[(line.unit_id.id, line.partner_id.id)]
        self.state = "done"
        self._notices_logged(created)
        return created

    def _notices_logged(self, notices):
        """Called with the notices a run newly logged: site_legal_messaging sends them."""

    def action_print(self):
        self.ensure_one()
        return self.notice_ids.action_print()

    def action_view_notices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Notices"),
            "res_model": "site.legal.notice",
            "view_mode": "list,form",
            "domain": [("id", "in", self.notice_ids.ids)],
        }
