from collections import defaultdict, namedtuple
from decimal import Decimal

from psycopg2.extras import Json, execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.site_residents.engine import money

# One receivable line: who owes what for which unit, charge type and month.
Charge = namedtuple(
    "Charge",
    "unit_id partner_id charge_type_id amount due_date label period notice_id",
    defaults=(None,),
)
# One share of a month's charges, as site.ledger._post_month takes it; without its own
# due date, it falls due on the month's.
Share = namedtuple(
    "Share", "unit_id partner_id charge_type_id amount label due_date", defaults=(None,)
)

LINES_PER_MOVE = 2000  # keeps one move's validation and posting in memory bounds


class SiteLedger(models.AbstractModel):
    """The one path by which site charges reach Odoo's ledger.

    Accruals, special charges, metered costs and late fees all post here: one
    receivable line per charge (unit, liable partner, charge type, due date) and, per
    move, one income line per charge type. Moves hold at most LINES_PER_MOVE lines.

    Odoo's ORM writes journal items at a few hundred a second, too slow to bill ten
    thousand units in a minute. So the ORM writes each move with the first line of
    every receivable account and the income lines, and the other receivable lines are
    inserted in SQL as copies of that first line with their own partner, amount, unit
    and dates. Odoo then posts the moves, which checks the balance, numbers them and
    computes their totals as for any other move.
    """

    _name = "site.ledger"
    _description = "Site Charges Posting"

    @api.model
    def _post_charges(self, company, accounting_date, charges, reference):
        """Create and post the moves for ``charges``, then let the units' open credit
        (payments not matched yet) settle them; returns the moves."""
        if not charges:
            return self.env["account.move"]
        charge_types = self.env["site.charge.type"].browse({c.charge_type_id for c in charges})
        self._check_accounts(company, charge_types)
        types_by_id = {charge_type.id: charge_type for charge_type in charge_types}
        by_journal = defaultdict(list)
        for charge in charges:
            by_journal[types_by_id[charge.charge_type_id].journal_id.id].append(charge)
        move_values, copies = [], []
        for journal_id, journal_charges in by_journal.items():
            for start in range(0, len(journal_charges), LINES_PER_MOVE):
                chunk = journal_charges[start : start + LINES_PER_MOVE]
                first, rest = self._split_templates(chunk, types_by_id)
                move_values.append(
                    {
                        "move_type": "entry",
                        "journal_id": journal_id,
                        "date": accounting_date,
                        "ref": reference,
                        "company_id": company.id,
                        "line_ids": self._line_commands(first, types_by_id)
                        + self._income_commands(chunk, types_by_id),
                    }
                )
                copies.append(rest)
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
        self.env.flush_all()
        for move, rest in zip(moves, copies):
            self._insert_copies(move, rest, types_by_id)
        self.env.invalidate_all()
        self._rank_new_customers({charge.partner_id for charge in charges})
        moves.with_context(check_move_validity=True).action_post()
        self.env["account.move.line"]._site_settle({c.unit_id for c in charges}, company)
        return moves

    @api.model
    def _liable_shares(
        self,
        unit_amounts,
        date_from,
        date_to,
        category,
        digits,
        period_name,
        segment_weights=None,
    ):
        """[(unit id, partner id, amount)]: each unit's amount split by days between the
        people liable for it from ``date_from`` to ``date_to`` (owner or tenant, by the
        charge ``category``), the parts adding up to the unit's amount exactly.

        ``unit_amounts``: {site.unit record: Decimal amount}; ``period_name`` names the
        period in the error raised when nobody is liable for a unit on some days.
        ``segment_weights(unit, segments)``: other weights than days for a unit with
        several liable people ({segment: weight}), or None to split that unit by days.
        """
        units = self.env["site.unit"].union(*unit_amounts)
        segments = units.get_liable_segments(date_from, date_to, category)
        nobody = [unit.code for unit in units if any(s.partner_id is None for s in segments[unit])]
        if nobody:
            raise UserError(
                self.env._(
                    "Nobody is liable for these units on some days of %(period)s: %(units)s. "
                    "Record their owners first.",
                    period=period_name,
                    units=", ".join(nobody),
                )
            )
        shares = []
        for unit, amount in unit_amounts.items():
            weights = None
            if segment_weights and len(segments[unit]) > 1:
                weights = segment_weights(unit, segments[unit])
            if not weights or not any(weights.values()):
                weights = {s: s.days for s in segments[unit]}
            parts = money.split(amount, weights, digits)
            shares += [
                (unit.id, segment.partner_id, part) for segment, part in parts.items() if part
            ]
        return shares

    @api.model
    def _post_month(self, company, period, due_date, shares, reference, date=None):
        """Post shares of the month of ``period``, each on its unit's and partner's charge
        notice of that month (created if missing), so that the notice lists it.

        ``shares``: (unit id, partner id, charge type id, amount, label[, due date]); a
        share without its own due date falls due on ``due_date``. A new notice falls due
        with the earliest of its shares. ``date``: the entries' accounting date, in the
        month (its first day by default); a notice stating its balance on an earlier day
        then states it on ``date``, so that its totals count what is posted here.

        Returns the moves and the charges posted.
        """
        shares = [Share(*share) for share in shares]
        if not shares:
            return self.env["account.move"], []
        date = date or period
        due_dates = {}
        for share in shares:
            key = (share.unit_id, share.partner_id)
            share_due = share.due_date or due_date
            due_dates[key] = min(due_dates.get(key, share_due), share_due)
        notices = self.env["site.charge.notice"]._get_or_create(company, period, due_dates, date)
        charges = [
            Charge(
                share.unit_id,
                share.partner_id,
                share.charge_type_id,
                share.amount,
                share.due_date or due_date,
                share.label,
                period,
                notices[(share.unit_id, share.partner_id)].id,
            )
            for share in shares
        ]
        moves = self._post_charges(company, date, charges, reference)
        return moves, charges

    @api.model
    def _reverse_charges(self, moves, name, date=None):
        """Reverse posted charge entries on ``date`` (today); returns the reversals.

        Payments that had settled the reversed charges are open credit again: they
        settle the units' other open charges.
        """
        reversals = moves._reverse_moves(
            [
                {
                    "date": date or fields.Date.context_today(self),
                    "ref": self.env._("Reversal of %(name)s", name=name),
                }
                for _move in moves
            ],
            cancel=True,
        )
        for company, company_moves in moves.grouped("company_id").items():
            units = company_moves.line_ids.site_unit_id
            if units:
                self.env["account.move.line"]._site_settle(set(units.ids), company)
        return reversals

    @api.model
    def _rank_new_customers(self, partner_ids):
        """Rank first-time customers in one write.

        Posting raises each partner's customer rank; for a partner still at 0 Odoo
        writes that partner alone, which for thousands of new residents costs more
        than the whole posting. One batched write first leaves only the cheap path.
        """
        partners = self.env["res.partner"].sudo().browse(partner_ids)
        new = partners.filtered(lambda partner: not partner.customer_rank)
        (new | new.commercial_partner_id.filtered(lambda p: not p.customer_rank)).write(
            {"customer_rank": 1}
        )

    @api.model
    def _split_templates(self, charges, types_by_id):
        """The first charge of each receivable account, and all the others."""
        seen, first, rest = set(), [], []
        for charge in charges:
            account = types_by_id[charge.charge_type_id].receivable_account_id.id
            (rest if account in seen else first).append(charge)
            seen.add(account)
        return first, rest

    @api.model
    def _line_commands(self, charges, types_by_id):
        return [
            fields.Command.create(
                {
                    "account_id": types_by_id[charge.charge_type_id].receivable_account_id.id,
                    "partner_id": charge.partner_id,
                    "name": charge.label,
                    "balance": float(charge.amount),
                    "date_maturity": charge.due_date,
                    "analytic_distribution": False,
                    "site_unit_id": charge.unit_id,
                    "site_charge_type_id": charge.charge_type_id,
                    "site_period": charge.period,
                    "site_notice_id": charge.notice_id,
                }
            )
            for charge in charges
        ]

    @api.model
    def _income_commands(self, charges, types_by_id):
        income = defaultdict(Decimal)
        for charge in charges:
            income[charge.charge_type_id] += charge.amount
        return [
            fields.Command.create(
                {
                    "account_id": types_by_id[charge_type_id].income_account_id.id,
                    "name": types_by_id[charge_type_id].name,
                    "balance": -float(amount),
                    "analytic_distribution": False,
                    "site_charge_type_id": charge_type_id,
                }
            )
            for charge_type_id, amount in income.items()
        ]

    @api.model
    def _insert_copies(self, move, charges, types_by_id):
        """Insert the receivable lines of ``charges`` into ``move`` in one statement."""
        if not charges:
            return
        templates = move.line_ids.filtered("site_unit_id")
        if templates.tax_ids or templates.tax_tag_ids:
            raise UserError(self.env._("Site charges cannot carry taxes."))
        self.env.cr.execute("SELECT * FROM account_move_line WHERE id = ANY(%s)", [templates.ids])
        names = [column.name for column in self.env.cr.description]
        rows = {}
        for values in self.env.cr.fetchall():
            row = dict(zip(names, values))
            rows[row["account_id"]] = row
        columns = [name for name in names if name != "id"]
        records = []
        for charge in charges:
            account_id = types_by_id[charge.charge_type_id].receivable_account_id.id
            template = rows[account_id]
            amount = float(charge.amount)
            row = dict(
                template,
                partner_id=charge.partner_id,
                name=charge.label,
                date_maturity=charge.due_date,
                debit=max(amount, 0.0),
                credit=max(-amount, 0.0),
                balance=amount,
                amount_currency=amount,
                amount_residual=amount if template["amount_residual"] else 0.0,
                amount_residual_currency=amount if template["amount_residual_currency"] else 0.0,
                price_subtotal=amount,
                price_total=amount,
                site_unit_id=charge.unit_id,
                site_charge_type_id=charge.charge_type_id,
                site_period=charge.period,
                site_notice_id=charge.notice_id,
            )
            records.append(
                tuple(
                    Json(row[name]) if isinstance(row[name], (dict, list)) else row[name]
                    for name in columns
                )
            )
        execute_values(
            self.env.cr._obj,
            "INSERT INTO account_move_line ({}) VALUES %s".format(
                ", ".join(f'"{name}"' for name in columns)
            ),
            records,
            page_size=2000,
        )

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
