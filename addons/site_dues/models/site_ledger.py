from collections import defaultdict, namedtuple
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError

# One receivable line: who owes what for which unit, charge type and month.
Charge = namedtuple(
    "Charge",
    "unit_id partner_id charge_type_id amount due_date label period notice_id debt_line_id",
    defaults=(None, None),
)

LINES_PER_MOVE = 2000  # keeps one move's validation and posting in memory bounds


class SiteLedger(models.AbstractModel):
    """The one path by which site charges reach Odoo's ledger.

    Accruals, special charges, metered costs and late fees all post here: one
    receivable line per charge (unit, liable partner, charge type, due date) and, per
    move, one income line per charge type. Moves hold at most LINES_PER_MOVE lines.
    """

    _name = "site.ledger"
    _description = "Site Charges Posting"

    @api.model
    def _post_charges(self, company, accounting_date, charges, reference):
        """Create and post the moves for ``charges``; returns the moves."""
        if not charges:
            return self.env["account.move"]
        charge_types = self.env["site.charge.type"].browse({c.charge_type_id for c in charges})
        self._check_accounts(company, charge_types)
        by_journal = defaultdict(list)
        types_by_id = {charge_type.id: charge_type for charge_type in charge_types}
        for charge in charges:
            by_journal[types_by_id[charge.charge_type_id].journal_id.id].append(charge)
        move_values = []
        for journal_id, journal_charges in by_journal.items():
            for start in range(0, len(journal_charges), LINES_PER_MOVE):
                chunk = journal_charges[start : start + LINES_PER_MOVE]
                move_values.append(
                    {
                        "move_type": "entry",
                        "journal_id": journal_id,
                        "date": accounting_date,
                        "ref": reference,
                        "company_id": company.id,
                        "line_ids": self._line_commands(chunk, types_by_id),
                    }
                )
        Move = (
            self.env["account.move"]
            .with_company(company)
            .with_context(
                tracking_disable=True,
                check_move_validity=False,
                skip_invoice_sync=True,
                skip_analytic_sync=True,
            )
        )
        moves = Move.create(move_values)
        moves.with_context(check_move_validity=True).action_post()
        return moves

    @api.model
    def _line_commands(self, charges, types_by_id):
        commands, income = [], defaultdict(Decimal)
        for charge in charges:
            charge_type = types_by_id[charge.charge_type_id]
            commands.append(
                fields.Command.create(
                    {
                        "account_id": charge_type.receivable_account_id.id,
                        "partner_id": charge.partner_id,
                        "name": charge.label,
                        "balance": float(charge.amount),
                        "date_maturity": charge.due_date,
                        "analytic_distribution": False,
                        "site_unit_id": charge.unit_id,
                        "site_charge_type_id": charge.charge_type_id,
                        "site_period": charge.period,
                        "site_notice_id": charge.notice_id,
                        "site_debt_line_id": charge.debt_line_id,
                    }
                )
            )
            income[charge_type.id] += charge.amount
        for charge_type_id, amount in income.items():
            charge_type = types_by_id[charge_type_id]
            commands.append(
                fields.Command.create(
                    {
                        "account_id": charge_type.income_account_id.id,
                        "name": charge_type.name,
                        "balance": -float(amount),
                        "analytic_distribution": False,
                        "site_charge_type_id": charge_type.id,
                    }
                )
            )
        return commands

    @api.model
    def _check_accounts(self, company, charge_types):
        missing = charge_types.filtered(
            lambda t: not (t.receivable_account_id and t.income_account_id and t.journal_id)
        )
        if missing:
            raise UserError(
                self.env._(
                    "Site %(site)s: set the receivable and income accounts and the journal of "
                    "these charge types first: %(types)s.",
                    site=company.name,
                    types=", ".join(missing.mapped("name")),
                )
            )
