import io
import json
from collections import defaultdict, namedtuple
from datetime import date, datetime
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

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


# COPY's text format: these characters are escaped, NULL is \N
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _escaped(value):
    return value.translate(COPY_ESCAPES)


# by exact type, what copy_rows meets hundreds of thousands of times: found in one
# lookup; subclasses, datetimes and JSON values go through _copy_text's checks
COPY_TEXT_OF_TYPE = {
    type(None): lambda _value: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    float: str,
    Decimal: str,
    date: date.isoformat,
    str: _escaped,
}


def _copy_text(value):
    """``value`` in COPY's text format."""
    convert = COPY_TEXT_OF_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value)
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    raise TypeError(f"no COPY text for {type(value).__name__} {value!r}")


def select_rows(cr, table, ids):
    """The rows of ``table`` with ``ids``, as dicts of every column."""
    cr.execute(SQL("SELECT * FROM %s WHERE id = ANY(%s)", SQL.identifier(table), list(ids)))
    names = [column.name for column in cr.description]
    return [dict(zip(names, values)) for values in cr.fetchall()]


def copy_rows(cr, table, copies):
    """Write ``copies``, [(template row, {column: value})], into ``table`` with one COPY:
    each a copy of its template row (see select_rows) with its own values, and its
    own id. The caller flushes before and invalidates after."""
    if not copies:
        return
    columns = [name for name in copies[0][0] if name != "id"]
    position = {name: index for index, name in enumerate(columns)}
    texts = {}  # id(template row): its columns in COPY's text format
    data = io.StringIO()
    for template, values in copies:
        key = id(template)
        if key not in texts:
            texts[key] = [_copy_text(template[name]) for name in columns]
        parts = texts[key].copy()
        for name, value in values.items():
            parts[position[name]] = _copy_text(value)
        data.write("\t".join(parts))
        data.write("\n")
    data.seek(0)
    cr._obj.copy_expert(
        SQL(
            "COPY %s (%s) FROM STDIN",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(name) for name in columns),
        ).code,
        data,
    )


class SiteLedger(models.AbstractModel):
    """The one path by which site charges reach Odoo's ledger.

    Accruals, special charges, metered costs and late fees all post here: one
    receivable line per charge (unit, liable partner, charge type, due date) and, per
    move, one income line per charge type. Moves hold at most LINES_PER_MOVE lines.

    Odoo's ORM writes journal items at a few hundred a second, too slow to bill ten
    thousand units in a minute, and posting a move rewrites its number and state on
    each of its lines. So the ORM writes each move with the first line of every
    receivable account and the whole income, and Odoo posts it and numbers it. The
    other receivable lines are then inserted with one COPY as copies of that first,
    posted line with their own partner, amount, unit and dates; Odoo's balance check
    runs once they are in, and the ORM recomputes each move's totals over all its
    lines. A journal that hashes its entries on posting gets all the lines first,
    then Odoo posts the moves.
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
        # A journal that hashes its entries on posting hashes every line: such a
        # journal's entries get all their lines before they are posted.
        hashed = charge_types.journal_id.filtered("restrict_mode_hash_table")
        by_journal = defaultdict(list)
        for charge in charges:
            by_journal[types_by_id[charge.charge_type_id].journal_id].append(charge)
        move_values, chunks = [], []
        for journal, journal_charges in by_journal.items():
            for start in range(0, len(journal_charges), LINES_PER_MOVE):
                chunk = journal_charges[start : start + LINES_PER_MOVE]
                first, rest = self._split_templates(chunk, types_by_id)
                move_values.append(
                    {
                        "move_type": "entry",
                        "journal_id": journal.id,
                        "date": accounting_date,
                        "ref": reference,
                        "company_id": company.id,
                        "line_ids": self._line_commands(first, types_by_id)
                        + self._income_commands(chunk, types_by_id),
                    }
                )
                chunks.append((chunk, first, rest))
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
        self._rank_new_customers({charge.partner_id for charge in charges})
        moves = moves.with_context(check_move_validity=True)
        before_posting = moves.filtered(lambda move: move.journal_id in hashed)
        if before_posting:
            self._insert_all_copies(before_posting, chunks, moves, types_by_id)
            before_posting.action_post()
        after_posting = moves - before_posting
        if after_posting:
            # Odoo's balance check, deferred by this outer one until the copies are in
            with after_posting._check_balanced({"records": after_posting}):
                after_posting.action_post()
                self._insert_all_copies(after_posting, chunks, moves, types_by_id)
            self._rank_copies(after_posting, chunks, moves)
        self.env["account.move.line"]._site_settle({c.unit_id for c in charges}, company)
        return moves

    @api.model
    def _insert_all_copies(self, moves_to_fill, chunks, moves, types_by_id):
        """Insert the receivable lines that are not templates into ``moves_to_fill``,
        the moves of ``chunks`` (in the order of ``moves``) that are among them."""
        if not moves_to_fill:
            return
        self.env.flush_all()
        for move, (_chunk, _first, rest) in zip(moves, chunks):
            if move in moves_to_fill:
                self._insert_copies(move, rest, types_by_id)
        self.env.invalidate_all()
        # The moves' totals, computed on their first lines, over all their lines now.
        # Only those: the copies are lines like the first ones (no tax, same accounts),
        # what else depends on the lines is as Odoo computed it.
        totals = [
            field
            for field in moves_to_fill._fields.values()
            if field.store and field.compute == "_compute_amount"
        ]
        for field in totals:
            self.env.add_to_compute(field, moves_to_fill)
        moves_to_fill.modified([field.name for field in totals])

    @api.model
    def _rank_copies(self, posted, chunks, moves):
        """Raise the customer rank of the partners of the copies inserted into the
        ``posted`` moves, as Odoo's posting raised the templates' partners' ranks."""
        moves_by_partner = defaultdict(int)
        for move, (_chunk, first, rest) in zip(moves, chunks):
            if move in posted:
                templates = {charge.partner_id for charge in first}
                for partner_id in {charge.partner_id for charge in rest} - templates:
                    moves_by_partner[partner_id] += 1
        self._increase_customer_ranks(moves_by_partner)

    @api.model
    def _increase_customer_ranks(self, moves_by_partner):
        """Raise the customer rank of each partner, and of its commercial partner, by
        its number of moves, as Odoo's posting does for the lines it posts."""
        ranks = defaultdict(int)
        partners = self.env["res.partner"].sudo().browse(moves_by_partner)
        partners.fetch(["customer_rank", "commercial_partner_id"])
        for partner in partners:
            count = moves_by_partner[partner.id]
            ranks[partner] += count
            if partner.commercial_partner_id != partner:
                ranks[partner.commercial_partner_id] += count
        partners_by_count = defaultdict(list)
        for partner, count in ranks.items():
            partners_by_count[count].append(partner.id)
        for count, partner_ids in partners_by_count.items():
            self.env["res.partner"].sudo().browse(partner_ids)._increase_rank(
                "customer_rank", count
            )

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
        # the two fields only, not every column of thousands of partners
        partners.fetch(["customer_rank", "commercial_partner_id"])
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
        """One income line per charge type of ``charges``, of their amounts."""
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
        rows = {
            row["account_id"]: row
            for row in select_rows(self.env.cr, "account_move_line", templates.ids)
        }
        copies = []
        for charge in charges:
            account_id = types_by_id[charge.charge_type_id].receivable_account_id.id
            template = rows[account_id]
            amount = float(charge.amount)
            copies.append(
                (
                    template,
                    {
                        "partner_id": charge.partner_id,
                        "name": charge.label,
                        "date_maturity": charge.due_date,
                        "debit": max(amount, 0.0),
                        "credit": max(-amount, 0.0),
                        "balance": amount,
                        "amount_currency": amount,
                        "amount_residual": amount if template["amount_residual"] else 0.0,
                        "amount_residual_currency": (
                            amount if template["amount_residual_currency"] else 0.0
                        ),
                        "price_subtotal": amount,
                        "price_total": amount,
                        "site_unit_id": charge.unit_id,
                        "site_charge_type_id": charge.charge_type_id,
                        "site_period": charge.period,
                        "site_notice_id": charge.notice_id,
                    },
                )
            )
        copy_rows(self.env.cr, "account_move_line", copies)

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
