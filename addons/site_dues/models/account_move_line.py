from collections import defaultdict
from decimal import Decimal

from odoo import fields, models

from ..engine import payments

# A unit's line in the site's ledger: a posted charge, or a payment booked on the unit.
SITE_RECEIVABLE = [
    ("parent_state", "=", "posted"),
    ("account_id.account_type", "=", "asset_receivable"),
]


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    site_unit_id = fields.Many2one("site.unit", string="Site Unit", index="btree_not_null")
    site_charge_type_id = fields.Many2one("site.charge.type", index="btree_not_null")
    site_period = fields.Date(string="Charge Period", help="First day of the month charged.")
    site_notice_id = fields.Many2one(
        "site.charge.notice", string="Charge Notice", index="btree_not_null", copy=False
    )
    site_late_fee_frozen_from = fields.Date(
        string="Late Fees Frozen From",
        copy=False,
        help="No late fee accrues on this charge from this date (e.g. a legal case opened).",
    )

    def _site_open_balances(self, unit_ids, before):
        """{(unit id, partner id): (open balance, of which late fees)} before a date."""
        groups = self._read_group(
            [
                ("site_unit_id", "in", unit_ids),
                *SITE_RECEIVABLE,
                ("reconciled", "=", False),
                ("date", "<", before),
            ],
            ["site_unit_id", "partner_id", "site_charge_type_id"],
            ["amount_residual:sum"],
        )
        balances = {}
        for unit, partner, charge_type, residual in groups:
            total, late_fees = balances.get((unit.id, partner.id), (0.0, 0.0))
            if charge_type.kind == "late_fee":
                late_fees += residual
            balances[(unit.id, partner.id)] = (total + residual, late_fees)
        return balances

    def _site_settle(self, unit_ids, company):
        """Match each unit's open credits (payments, overpayments) with its open charges.

        Per unit and partner, in the site's order (oldest first, late fees first or
        principal first): a payment settles what the site's rule says it settles, and
        what is left of it stays a credit for the next charges.
        """
        domain = [
            ("site_unit_id", "in", list(unit_ids)),
            ("company_id", "=", company.id),
            *SITE_RECEIVABLE,
            ("reconciled", "=", False),
        ]
        # Most units have no credit: look at the others only.
        with_credit = self._read_group(
            domain + [("amount_residual", "<", 0)], ["site_unit_id", "partner_id"]
        )
        if not with_credit:
            return
        open_lines = self.search(
            domain
            + [
                ("site_unit_id", "in", [unit.id for unit, _partner in with_credit]),
                ("partner_id", "in", [partner.id for _unit, partner in with_credit]),
                ("amount_residual", "!=", 0),
            ],
            order="date, id",
        )
        grouped = defaultdict(list)
        for line in open_lines:
            grouped[(line.site_unit_id.id, line.partner_id.id, line.account_id.id)].append(line.id)
        groups = {key: self.browse(ids) for key, ids in grouped.items()}
        for lines in groups.values():
            credits = lines.filtered(lambda line: line.amount_residual < 0)
            debits = lines - credits
            for credit in credits:
                if not debits:
                    break
                items = [
                    payments.OpenItem(
                        debit.id,
                        "late_fee" if debit.site_charge_type_id.kind == "late_fee" else "principal",
                        debit.date_maturity or debit.date,
                        Decimal(str(debit.amount_residual)),
                        index,
                    )
                    for index, debit in enumerate(debits)
                ]
                settled, _credit_left = payments.allocate(
                    Decimal(str(-credit.amount_residual)), items, company.site_payment_order
                )
                for debit_id, _amount in settled:
                    (credit + self.browse(debit_id)).reconcile()
                debits = debits.filtered(lambda line: not line.reconciled)
