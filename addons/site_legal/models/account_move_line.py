from collections import defaultdict
from decimal import Decimal

from odoo import fields, models

from odoo.addons.site_dues.engine import payments
from odoo.addons.site_dues.models.account_move_line import SITE_RECEIVABLE

from ..engine import transfers
from .site_ledger import Reclass


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    site_legal_case_id = fields.Many2one(
        "site.legal.case",
        string="Legal Case",
        index="btree_not_null",
        copy=False,
        help="The case this debt is in: a debt on the account for legal follow-up.",
    )
    site_legal_instalment_id = fields.Many2one(
        "site.legal.instalment", string="Instalment", index="btree_not_null", copy=False
    )
    site_legal_origin_due = fields.Date(
        string="Originally Due",
        copy=False,
        help="When the debt fell due before it was handed over (the aging of debts in legal "
        "follow-up counts from it); an instalment's or a cost's own due date.",
    )
    site_legal_lawyer_line = fields.Boolean(
        string="On a Lawyer's Account",
        help="A line of a lawyer's account with the site (advances, expenses, fees, "
        "collections), on the case's analytic account; its reversal is one too.",
    )

    def _site_settle(self, unit_ids, company):
        """Collections settle the cases' debts first: the units' open credits on their
        usual receivable accounts are moved, as far as the cases' open debts take them,
        to those debts (see _site_legal_move_credits); then site_dues matches what is
        left in the site's order. Cases with nothing open any more are collected."""
        self._site_legal_move_credits(unit_ids, company)
        super()._site_settle(unit_ids, company)
        self.env["site.legal.case"]._check_collected(unit_ids, company)

    def _site_legal_open_debts(self, unit_ids, company):
        return self.search(
            [
                ("site_legal_case_id", "!=", False),
                ("company_id", "=", company.id),
                ("site_unit_id", "in", list(unit_ids)),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date_maturity, site_legal_origin_due, id",
        )

    def _site_legal_move_credits(self, unit_ids, company):
        """Move the open credits of units with case debts to those debts.

        Odoo matches lines of one account only, and a case's debts are on the account
        for legal follow-up: for each credit and debt it settles (the transfers engine,
        in the site's order), one entry debits the credit's account (matched with the
        credit, with the debt's charge type: the receipt is counted for it) and credits
        the legal account (matched with the debt), dated when both existed.
        """
        debts = self._site_legal_open_debts(unit_ids, company)
        if not debts:
            return
        legal_account = company.site_legal_receivable_account_id
        credits = self.search(
            [
                ("company_id", "=", company.id),
                ("site_unit_id", "in", debts.site_unit_id.ids),
                ("partner_id", "in", debts.partner_id.ids),
                *SITE_RECEIVABLE,
                ("account_id", "!=", legal_account.id),
                ("reconciled", "=", False),
                ("amount_residual", "<", 0),
            ],
            order="date, id",
        )
        if not credits:
            return
        debts_by_payer = defaultdict(list)
        for debt in debts:
            debts_by_payer[(debt.site_unit_id.id, debt.partner_id.id)].append(debt)
        items_by_date = defaultdict(list)
        for (unit_id, partner_id), payer_credits in credits.grouped(
            lambda line: (line.site_unit_id.id, line.partner_id.id)
        ).items():
            payer_debts = debts_by_payer.get((unit_id, partner_id))
            if not payer_debts:
                continue
            by_id = {debt.id: debt for debt in payer_debts}
            open_items = [
                payments.OpenItem(
                    debt.id,
                    "late_fee" if debt.site_charge_type_id.kind == "late_fee" else "principal",
                    debt.date_maturity or debt.date,
                    Decimal(str(debt.amount_residual)),
                    index,
                )
                for index, debt in enumerate(payer_debts)
            ]
            for credit_id, debt_id, amount in transfers.plan(
                [(credit.id, Decimal(str(-credit.amount_residual))) for credit in payer_credits],
                open_items,
                company.site_payment_order,
            ):
                credit, debt = self.browse(credit_id), by_id[debt_id]
                day = max(credit.date, debt.date)
                values = {
                    "site_charge_type_id": debt.site_charge_type_id.id,
                    "date_maturity": day,
                    "name": debt.site_legal_case_id._site_env()._(
                        "Collection for %(case)s", case=debt.site_legal_case_id.name
                    ),
                }
                items_by_date[day].append(
                    (
                        Reclass(credit, amount, dict(values, account_id=legal_account.id), values),
                        debt,
                    )
                )
        Ledger = self.env["site.ledger"]
        for day, pairs in sorted(items_by_date.items()):
            cases = {debt.site_legal_case_id for _item, debt in pairs}
            _move, targets = Ledger._post_reclassification(
                company,
                day,
                [item for item, _debt in pairs],
                self.with_context(lang=company.partner_id.lang or self.env.lang).env._(
                    "Collections moved to legal cases"
                ),
                "transfer",
                cases.pop() if len(cases) == 1 else None,
            )
            self._reconcile_plan([target | debt for target, (_item, debt) in zip(targets, pairs)])
