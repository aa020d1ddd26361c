"""Payments and bank transactions of site units.

A payment or a bank statement line that names a unit (directly, or through the
unit's payment reference quoted in its memo) becomes a receivable credit with
``site_unit_id`` set; ``account.move.line._site_settle`` then matches it with the
unit's open charges in the site's order. What is left stays an open credit that
the next charges use. An outgoing payment to the unit's partner (a refund) is
matched with the unit's open credits instead.
"""

import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import payment_codes
from .account_move_line import SITE_RECEIVABLE

_DIGIT_RUNS = re.compile(r"\d+")
_SPACED_DIGITS = re.compile(r"\d[\d \-./]*\d")


def reference_candidates(text):
    """Numeric references a memo may hold: every run of digits, and runs typed with
    spaces, dashes or dots inside ("0000 1234"), kept when their check digit is valid."""
    if not text:
        return set()
    candidates = set(_DIGIT_RUNS.findall(text))
    candidates.update(re.sub(r"\D", "", group) for group in _SPACED_DIGITS.findall(text))
    return {c for c in candidates if payment_codes.is_valid_numeric_reference(c)}


class SiteUnitPaymentMixin(models.AbstractModel):
    """Helpers shared by payments and bank statement lines."""

    _name = "site.unit.payment.mixin"
    _description = "Site Unit Payment Helpers"

    @api.model
    def _site_find_unit(self, company, *texts):
        """The unit of ``company`` whose payment reference one of ``texts`` quotes.

        Empty when none does, or when the texts quote the references of several units
        (the transaction must then be assigned by hand).
        """
        candidates = set()
        for text in texts:
            candidates |= reference_candidates(text)
        if not candidates or not company:
            return self.env["site.unit"]
        units = self.env["site.unit"].search(
            [("company_id", "=", company.id), ("payment_reference", "in", sorted(candidates))]
        )
        return units if len(units) == 1 else self.env["site.unit"]

    @api.model
    def _site_receivable_account(self, unit, partner):
        """The receivable account a unit's payment goes to: that of the unit's oldest open
        charge for the partner (so that it can settle it), else the partner's."""
        company = unit.company_id
        charge = self.env["account.move.line"].search(
            [
                ("site_unit_id", "=", unit.id),
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                *SITE_RECEIVABLE,
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date, id",
            limit=1,
        )
        return (
            charge.account_id
            or partner.with_company(company).property_account_receivable_id
            or unit.company_id.site_charge_type_ids.filtered(lambda t: t.code == "DUES")[
                :1
            ].receivable_account_id
        )

    @api.model
    def _site_apply(self, lines):
        """Settle the units of receivable ``lines`` (just posted or re-accounted).

        Debit lines (refunds paid out) first take the unit's open credits, oldest first;
        then every unit's credits settle its charges in the site's order.
        """
        AccountMoveLine = self.env["account.move.line"]
        by_company = defaultdict(set)
        for line in lines.filtered(lambda line: line.site_unit_id and not line.reconciled):
            by_company[line.company_id].add(line.site_unit_id.id)
            if line.balance <= 0:
                continue
            credits = AccountMoveLine.search(
                [
                    ("site_unit_id", "=", line.site_unit_id.id),
                    ("partner_id", "=", line.partner_id.id),
                    ("account_id", "=", line.account_id.id),
                    ("company_id", "=", line.company_id.id),
                    ("parent_state", "=", "posted"),
                    ("reconciled", "=", False),
                    ("amount_residual", "<", 0),
                    ("id", "!=", line.id),
                ],
                order="date, id",
            )
            for credit in credits:
                if line.reconciled:
                    break
                (line + credit).reconcile()
        for company, unit_ids in by_company.items():
            AccountMoveLine._site_settle(unit_ids, company)


class AccountPayment(models.Model):
    _inherit = "account.payment"

    site_unit_id = fields.Many2one(
        "site.unit",
        check_company=True,
        index="btree_not_null",
        tracking=True,
        help="The unit paid for. Left empty, it is taken from the unit's payment reference "
        "when the memo quotes it.",
    )

    @api.onchange("site_unit_id")
    def _onchange_site_unit_id(self):
        if self.site_unit_id and not self.partner_id:
            self.partner_id = self.site_unit_id.get_liable_partner(
                self.date or fields.Date.context_today(self)
            )

    def _site_assign_units(self):
        """Units from the memo or payment reference; the liable partner where none is set."""
        for payment in self.filtered(lambda p: p.state == "draft" and p.partner_type == "customer"):
            # A new partner recomputes the payment method and, in Community, empties the
            # outstanding account that create() set: keep it.
            outstanding = payment.outstanding_account_id
            payment._site_assign_unit()
            if outstanding and not payment.outstanding_account_id:
                payment.outstanding_account_id = outstanding

    def _site_assign_unit(self):
        for payment in self:
            if not payment.site_unit_id:
                unit = self.env["site.unit.payment.mixin"]._site_find_unit(
                    payment.company_id, payment.memo, payment.payment_reference
                )
                if unit:
                    payment.site_unit_id = unit
            if payment.site_unit_id and not payment.partner_id:
                partner = payment.site_unit_id.get_liable_partner(payment.date)
                if not partner:
                    raise UserError(
                        self.env._(
                            "Unit %(unit)s has no owner or tenant on %(date)s: choose the "
                            "partner of the payment.",
                            unit=payment.site_unit_id.code,
                            date=payment.date,
                        )
                    )
                payment.partner_id = partner
            if payment.site_unit_id:
                payment.destination_account_id = self.env[
                    "site.unit.payment.mixin"
                ]._site_receivable_account(payment.site_unit_id, payment.partner_id)

    def _prepare_move_line_default_vals(self, write_off_line_vals=None, force_balance=None):
        line_vals_list = super()._prepare_move_line_default_vals(
            write_off_line_vals=write_off_line_vals, force_balance=force_balance
        )
        if self.site_unit_id and len(line_vals_list) > 1:
            line_vals_list[1]["site_unit_id"] = self.site_unit_id.id
        return line_vals_list

    def action_post(self):
        self._site_assign_units()
        result = super().action_post()
        site_payments = self.filtered(lambda p: p.site_unit_id and p.move_id.state == "posted")
        lines = self.env["account.move.line"]
        for payment in site_payments:
            _liquidity, counterparts, _writeoff = payment._seek_for_lines()
            receivables = counterparts.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )
            receivables.filtered(
                lambda line: not line.site_unit_id
            ).site_unit_id = payment.site_unit_id
            lines |= receivables
        if lines:
            self.env["site.unit.payment.mixin"]._site_apply(lines)
        return result


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    site_unit_id = fields.Many2one(
        "site.unit",
        check_company=True,
        index="btree_not_null",
        help="The unit this transaction pays for; found from the unit's payment reference "
        "in the label.",
    )

    def _site_match_reference(self):
        """Set the unit (and the liable partner, where none) of lines quoting a unit's
        payment reference; returns the lines matched."""
        helper = self.env["site.unit.payment.mixin"]
        matched = self.browse()
        for st_line in self.filtered(lambda line: not line.is_reconciled):
            unit = st_line.site_unit_id or helper._site_find_unit(
                st_line.company_id, st_line.payment_ref
            )
            if not unit:
                continue
            values = {}
            if st_line.site_unit_id != unit:
                values["site_unit_id"] = unit.id
            if not st_line.partner_id:
                partner = unit.get_liable_partner(st_line.date)
                if partner:
                    values["partner_id"] = partner.id
            if values:
                st_line.write(values)
            matched |= st_line
        return matched

    def _site_reconcile(self):
        """Account each unit transaction on the receivable and settle the unit's charges.

        Community has no reconciliation widget; as Odoo's own tests do, the statement
        line's suspense counterpart is re-accounted on the receivable account (with the
        unit and partner) without re-synchronising the statement line, and the receivable
        line then takes part in the unit's matching like a payment. Returns the lines
        reconciled.
        """
        done = self.browse()
        for st_line in self.filtered(lambda line: line.site_unit_id and not line.is_reconciled):
            if not st_line.partner_id:
                partner = st_line.site_unit_id.get_liable_partner(st_line.date)
                if not partner:
                    continue
                st_line.partner_id = partner
            _liquidity, suspense, others = st_line._seek_for_lines()
            if len(suspense) != 1 or others:
                continue  # partly reconciled by other means: leave it to the accountant
            account = self.env["site.unit.payment.mixin"]._site_receivable_account(
                st_line.site_unit_id, st_line.partner_id
            )
            suspense.with_context(skip_account_move_synchronization=True).write(
                {
                    "account_id": account.id,
                    "partner_id": st_line.partner_id.id,
                    "site_unit_id": st_line.site_unit_id.id,
                    "date_maturity": st_line.date,
                }
            )
            done |= st_line
        if done:
            receivables = done.move_id.line_ids.filtered(
                lambda line: (
                    line.site_unit_id and line.account_id.account_type == "asset_receivable"
                )
            )
            self.env["site.unit.payment.mixin"]._site_apply(receivables)
        return done

    def action_site_match_reference(self):
        matched = self._site_match_reference()
        return self._site_notify(
            self.env._(
                "%(matched)s of %(total)s transactions matched to a unit.",
                matched=len(matched),
                total=len(self),
            )
        )

    def action_site_reconcile(self):
        self._site_match_reference()
        done = self._site_reconcile()
        return self._site_notify(
            self.env._(
                "%(done)s of %(total)s transactions booked on their unit.",
                done=len(done),
                total=len(self),
            )
        )

    def _site_notify(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "info",
                "sticky": False,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
