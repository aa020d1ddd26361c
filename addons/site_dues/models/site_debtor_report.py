"""Debtors (aged balances) and collections.

The aged balances are computed "as of" a date from the ledger: receivable lines of
site units dated up to that date, with what they still owed that day (their open
amount now, plus whatever was matched with them by entries dated later), bucketed
by the aging engine on their due dates.
"""

from collections import defaultdict
from decimal import Decimal

from odoo import api, models

from odoo.addons.site_residents.engine.dates import month_start

from ..engine import aging
from .account_move_line import SITE_RECEIVABLE

BUCKET_FIELDS = ("not_due", "days_0_30", "days_31_60", "days_61_90", "days_90_plus")
# "legal": what is open on the site's receivable account for legal follow-up, kept out of
# the buckets so normal debts read apart; the total still holds it.
AMOUNT_FIELDS = (*BUCKET_FIELDS, "credit", "legal", "total")


class SiteDebtorReport(models.AbstractModel):
    """Computations behind the debtor list and the collections report."""

    _name = "site.debtor.report"
    _description = "Site Debtors and Collections"

    @api.model
    def _receivable_domain(self, companies):
        return [
            ("company_id", "in", companies.ids),
            ("site_unit_id", "!=", False),
            *SITE_RECEIVABLE,
        ]

    @api.model
    def _open_as_of(self, companies, as_of, domain=()):
        """[(line dict, open amount on ``as_of`` as Decimal)] of the site units'
        receivable lines (within ``domain``) dated on or before ``as_of`` that were open
        that day."""
        lines = self.env["account.move.line"].search_read(
            self._receivable_domain(companies)
            + list(domain)
            + [
                ("date", "<=", as_of),
                "|",
                ("reconciled", "=", False),
                "|",
                ("matched_debit_ids.max_date", ">", as_of),
                ("matched_credit_ids.max_date", ">", as_of),
            ],
            [
                "company_id",
                "account_id",
                "site_unit_id",
                "partner_id",
                "site_charge_type_id",
                "date",
                "date_maturity",
                "amount_residual",
            ],
            order="date, id",
            load=None,
        )
        open_amounts = {line["id"]: Decimal(str(line["amount_residual"])) for line in lines}
        if open_amounts:
            ids = list(open_amounts)
            later = self.env["account.partial.reconcile"].search_read(
                [
                    ("max_date", ">", as_of),
                    "|",
                    ("debit_move_id", "in", ids),
                    ("credit_move_id", "in", ids),
                ],
                ["debit_move_id", "credit_move_id", "amount"],
                load=None,
            )
            for partial in later:
                amount = Decimal(str(partial["amount"]))
                if partial["debit_move_id"] in open_amounts:
                    open_amounts[partial["debit_move_id"]] += amount
                if partial["credit_move_id"] in open_amounts:
                    open_amounts[partial["credit_move_id"]] -= amount
        return [(line, open_amounts[line["id"]]) for line in lines if open_amounts[line["id"]]]

    @api.model
    def _debtor_rows(self, companies, as_of, by_charge_type=True):
        """Aged open balances per site, unit, partner (and charge type), on ``as_of``.

        Returns a list of dicts: ``company``, ``unit``, ``partner``, ``charge_type``
        (records; the charge type empty for payments not yet used, or when not grouped
        by charge type), the buckets of BUCKET_FIELDS (what is due, by days overdue),
        ``credit`` (open credits, negative), ``legal`` (what is open on the site's account
        for legal follow-up, in no bucket) and ``total`` (floats). Sorted by site, unit,
        partner and charge type.
        """
        items, credits, legal = [], defaultdict(Decimal), defaultdict(Decimal)
        legal_accounts = set(companies.site_legal_receivable_account_id.ids)
        for line, amount in self._open_as_of(companies, as_of):
            charge_type = line["site_charge_type_id"] if by_charge_type else False
            key = (
                line["company_id"],
                line["site_unit_id"],
                line["partner_id"] or False,
                charge_type,
            )
            if line["account_id"] in legal_accounts:
                legal[key] += amount
            elif amount > 0:
                items.append((key, line["date_maturity"] or line["date"], amount))
            else:
                credits[key] += amount
        bucketed = aging.buckets(items, as_of)
        labels = aging.labels()
        rows = []
        for key in set(bucketed) | set(credits) | set(legal):
            company_id, unit_id, partner_id, charge_type_id = key
            buckets = bucketed.get(key, {})
            values = {
                field: float(buckets.get(label, Decimal(0)))
                for field, label in zip(BUCKET_FIELDS, labels)
            }
            values["credit"] = float(credits.get(key, Decimal(0)))
            values["legal"] = float(legal.get(key, Decimal(0)))
            total = (
                sum(buckets.values(), Decimal(0))
                + credits.get(key, Decimal(0))
                + legal.get(key, Decimal(0))
            )
            if not total and not any(values.values()):
                continue
            values["total"] = float(total)
            values.update(
                company=self.env["res.company"].browse(company_id),
                unit=self.env["site.unit"].browse(unit_id),
                partner=self.env["res.partner"].browse(partner_id),
                charge_type=self.env["site.charge.type"].browse(charge_type_id),
            )
            rows.append(values)
        rows.sort(
            key=lambda row: (
                row["company"].name or "",
                row["unit"].code_sort or "",
                row["partner"].name or "",
                row["charge_type"].sequence if row["charge_type"] else 10**6,
                row["charge_type"].id or 0,
            )
        )
        return rows

    @api.model
    def _collection_rows(self, companies, date_from, date_to):
        """Payments received per month, site and the charge type they settled.

        Receipts are the units' receivable credits without a charge type (payments and
        bank transactions) dated in the range; each is split by the charges it was
        matched with, the rest (still a credit, or paid back) under no charge type.
        Returns dicts ``month``, ``company``, ``charge_type`` (record, maybe empty),
        ``amount``, sorted by month, site and charge type.
        """
        AccountMoveLine = self.env["account.move.line"]
        receipts = AccountMoveLine.search_read(
            self._receivable_domain(companies)
            + [
                ("site_charge_type_id", "=", False),
                ("balance", "<", 0),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            ["company_id", "date", "balance"],
            load=None,
        )
        by_receipt = {
            line["id"]: (month_start(line["date"]), line["company_id"]) for line in receipts
        }
        amounts = defaultdict(Decimal)
        for line in receipts:
            amounts[(*by_receipt[line["id"]], False)] += -Decimal(str(line["balance"]))
        partials = self.env["account.partial.reconcile"].search_read(
            [("credit_move_id", "in", list(by_receipt))],
            ["credit_move_id", "debit_move_id", "amount"],
            load=None,
        )
        charge_types = {
            line["id"]: line["site_charge_type_id"]
            for line in AccountMoveLine.search_read(
                [("id", "in", list({p["debit_move_id"] for p in partials}))],
                ["site_charge_type_id"],
                load=None,
            )
        }
        for partial in partials:
            charge_type = charge_types.get(partial["debit_move_id"])
            if not charge_type:
                continue  # a refund paid out: stays with "no charge type"
            month, company_id = by_receipt[partial["credit_move_id"]]
            amount = Decimal(str(partial["amount"]))
            amounts[(month, company_id, charge_type)] += amount
            amounts[(month, company_id, False)] -= amount
        rows = [
            {
                "month": month,
                "company": self.env["res.company"].browse(company_id),
                "charge_type": self.env["site.charge.type"].browse(charge_type_id),
                "amount": float(amount),
            }
            for (month, company_id, charge_type_id), amount in amounts.items()
            if amount
        ]
        rows.sort(
            key=lambda row: (
                row["month"],
                row["company"].name or "",
                row["charge_type"].sequence if row["charge_type"] else 10**6,
                row["charge_type"].id or 0,
            )
        )
        return rows
