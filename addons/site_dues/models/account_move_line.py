from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import aging, payments

# A unit's line in the site's ledger: a posted charge, or a payment booked on the unit.
SITE_RECEIVABLE = [
    ("parent_state", "=", "posted"),
    ("account_id.account_type", "=", "asset_receivable"),
]

# How long an open charge has been overdue, in the aging engine's buckets.
SITE_AGE_SELECTION = list(
    zip(
        aging.labels(),
        (
            "Not Due",
            "1-30 Days Overdue",
            "31-60 Days Overdue",
            "61-90 Days Overdue",
            "Over 90 Days",
        ),
    )
)


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
    site_building_id = fields.Many2one(related="site_unit_id.building_id", string="Building")
    site_age = fields.Selection(
        SITE_AGE_SELECTION,
        string="Age",
        compute="_compute_site_age",
        search="_search_site_age",
        help="How long the open amount of a unit's charge has been overdue today.",
    )

    @api.depends("date_maturity", "date", "amount_residual", "site_unit_id")
    @api.depends_context("tz")
    def _compute_site_age(self):
        today = fields.Date.context_today(self)
        for line in self:
            if line.site_unit_id and line.amount_residual > 0:
                line.site_age = aging.bucket((today - (line.date_maturity or line.date)).days)
            else:
                line.site_age = False

    def _search_site_age(self, operator, value):
        if operator != "in":
            return NotImplemented
        labels = tuple(label for label in value if label)

        def to_sql(model, alias, query):
            age = model._field_to_sql(alias, "site_age", query)
            conditions = [SQL("%s IN %s", age, labels)] if labels else []
            if len(labels) < len(value):  # False: lines that have no age
                conditions.append(SQL("%s IS NULL", age))
            return SQL("(%s)", SQL(" OR ").join(conditions)) if conditions else SQL("FALSE")

        return Domain.custom(to_sql=to_sql)

    def _field_to_sql(self, alias, field_expr, query=None):
        """The age bucket in SQL, so that lists can be grouped and filtered by age."""
        if field_expr != "site_age":
            return super()._field_to_sql(alias, field_expr, query)
        days = SQL(
            "(%s::date - COALESCE(%s, %s))",
            fields.Date.context_today(self),
            super()._field_to_sql(alias, "date_maturity", query),
            super()._field_to_sql(alias, "date", query),
        )
        labels = aging.labels()
        edges = (0, *aging.DEFAULT_EDGES)
        return SQL(
            "CASE WHEN %s IS NULL OR %s <= 0 THEN NULL %s ELSE %s END",
            super()._field_to_sql(alias, "site_unit_id", query),
            super()._field_to_sql(alias, "amount_residual", query),
            SQL(" ").join(
                SQL("WHEN %s <= %s THEN %s", days, edge, label)
                for edge, label in zip(edges, labels)
            ),
            labels[-1],
        )

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
            grouped[(line.site_unit_id.id, line.partner_id.id, line.account_id.id)].append(line)
        # Every match of every group in one reconciliation plan, pair after pair in the
        # site's order: Odoo matches each pair for the smaller residual, as the engine
        # does, and creates the partials and full reconciliations in one batch.
        plan = []
        for lines in grouped.values():
            residuals = {line: Decimal(str(line.amount_residual)) for line in lines}
            credits = [line for line in lines if residuals[line] < 0]
            debits = [line for line in lines if residuals[line] > 0]
            for credit in credits:
                items = [
                    payments.OpenItem(
                        debit,
                        "late_fee" if debit.site_charge_type_id.kind == "late_fee" else "principal",
                        debit.date_maturity or debit.date,
                        residuals[debit],
                        index,
                    )
                    for index, debit in enumerate(debits)
                    if residuals[debit]
                ]
                if not items:
                    break
                settled, _credit_left = payments.allocate(
                    -residuals[credit], items, company.site_payment_order
                )
                for debit, amount in settled:
                    plan.append(credit + debit)
                    residuals[debit] -= amount
        if not plan:
            return
        # Odoo syncs the invoice lines of the moves it reconciles and, doing so, marks
        # every line of those moves for recomputation: thousands for a charge entry. Site
        # charges and payments are plain entries, which have no invoice lines to sync.
        moves = open_lines.move_id
        if not any(move.is_invoice(include_receipts=True) for move in moves):
            self = self.with_context(skip_invoice_sync=True)
        self._reconcile_plan(plan)
