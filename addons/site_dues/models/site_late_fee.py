"""Late fees: each site's rule, the Polish statutory rate table, pauses, and the runs
that post the fees to the ledger.

The arithmetic is the plain-Python engine's (``..engine.late_fees``): a run reads
every overdue charge of the site with its payments and the fees already posted on
it, asks the engine what is still to post up to the run's date, and posts that
through ``site.ledger``. Because the engine's fee up to a day depends only on the
debt and the day, running a date twice posts nothing, and one run after missed days
posts exactly the missing fees.
"""

import calendar
import io
import logging
import time
import zlib
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import late_fees
from .account_move_line import SITE_RECEIVABLE
from .site_ledger import Charge

_logger = logging.getLogger(__name__)

ONE_DAY = timedelta(days=1)

LATE_FEE_METHODS = [
    ("none", "No Late Fees"),
    ("turkey", "Turkey: a monthly rate (KMK art. 20)"),
    ("poland", "Poland: statutory interest (Civil Code art. 481)"),
    ("ukraine", "Ukraine: a daily penalty (Law 2189-VIII art. 26)"),
]
METHOD_BY_COUNTRY = {"TR": "turkey", "PL": "poland", "UA": "ukraine"}
# The site's rate, in percent: a month in Turkey, a day in Ukraine. Defaults = legal caps.
DEFAULT_RATES = {
    "turkey": float(late_fees.TURKEY_LEGAL_MONTHLY_RATE * 100),
    "ukraine": float(late_fees.UKRAINE_MAX_DAILY_RATE * 100),
}
MAX_RATES = {
    "turkey": late_fees.TURKEY_LEGAL_MONTHLY_RATE * 100,
    "ukraine": late_fees.UKRAINE_MAX_DAILY_RATE * 100,
}
# pg_try_advisory_xact_lock(namespace, site id): one late-fee run per site at a time.
LOCK_NAMESPACE = zlib.crc32(b"site.late.fee.run") & 0x7FFFFFFF


def _decimal(value):
    """A float read from the database (numeric columns come back as floats) as Decimal."""
    return Decimal(str(value or 0))


class ResCompany(models.Model):
    _inherit = "res.company"

    site_late_fee_method = fields.Selection(
        LATE_FEE_METHODS,
        string="Late Fees",
        compute="_compute_site_late_fee_method",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The law the site's late fees follow; by default the one of the site's country.",
    )
    site_late_fee_rate = fields.Float(
        string="Late-Fee Rate (%)",
        digits=(6, 4),
        compute="_compute_site_late_fee_rate",
        store=True,
        readonly=False,
        precompute=True,
        help="Turkey: percent a month, at most the legal 5 % (KMK art. 20). Ukraine: percent a "
        "day, at most 0.01 % (Law 2189-VIII art. 26). Poland uses the statutory rate table.",
    )
    site_late_fee_grace_days = fields.Integer(
        string="Grace Days",
        help="A charge paid in full within this many days after its due date bears no late "
        "fee; one that is not bears it from the first day after the due date.",
    )
    site_late_fee_min_amount = fields.Monetary(
        string="Minimum Late Fee",
        currency_field="currency_id",
        help="A run does not post a fee below this amount; the amount is not lost but posted "
        "by a later run once it has grown to the minimum.",
    )
    site_late_fee_freeze_legal = fields.Boolean(
        string="Freeze Late Fees in Legal Cases",
        help="When a charge is handed to a lawyer (its 'Late Fees Frozen From' date is set), no "
        "late fee accrues on it from that date.",
    )
    site_late_fee_due_days = fields.Integer(
        string="Late Fees Due After (Days)",
        default=15,
        help="A late-fee charge falls due this many days after the date it is computed to.",
    )
    site_late_fee_frequency = fields.Selection(
        [("daily", "Every Day"), ("monthly", "At the End of Each Month")],
        string="Post Late Fees",
        default="daily",
        required=True,
        help="How often the scheduled job posts the site's late fees. Either way the fee is "
        "counted by the day; posting less often makes fewer, larger entries.",
    )
    site_late_fee_date_start = fields.Date(
        string="Late Fees From",
        help="No late fee accrues on days before this date (e.g. the day the site started "
        "charging them). Empty: from each charge's due date.",
    )
    site_late_fee_pause_ids = fields.One2many(
        "site.late.fee.pause", "company_id", string="Late-Fee Pauses"
    )
    site_late_fee_locked_at = fields.Datetime(
        string="Late Fees Last Started",
        readonly=True,
        copy=False,
        help="When a late-fee run or cancellation of the site last started (see "
        "site.late.fee.run._lock).",
    )
    site_late_fee_error = fields.Text(
        string="Late-Fee Run Error",
        readonly=True,
        copy=False,
        help="Why the scheduled job could not post the site's late fees; cleared when it "
        "next succeeds.",
    )
    site_late_fee_error_date = fields.Datetime(
        string="Late-Fee Run Failed On", readonly=True, copy=False
    )

    @api.depends("country_id", "is_site")
    def _compute_site_late_fee_method(self):
        for company in self:
            method = METHOD_BY_COUNTRY.get(company.country_id.code, "none")
            company.site_late_fee_method = method if company.is_site else "none"

    @api.depends("site_late_fee_method")
    def _compute_site_late_fee_rate(self):
        for company in self:
            company.site_late_fee_rate = DEFAULT_RATES.get(company.site_late_fee_method, 0.0)

    @api.constrains("site_late_fee_method", "site_late_fee_rate")
    def _check_site_late_fee_rate(self):
        for company in self:
            top = MAX_RATES.get(company.site_late_fee_method)
            if top is not None and not 0 <= _decimal(company.site_late_fee_rate) <= top:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: the late-fee rate must be between 0 and %(top)s %%.",
                        site=company.name,
                        top=top.normalize(),
                    )
                )

    @api.constrains(
        "site_late_fee_grace_days", "site_late_fee_min_amount", "site_late_fee_due_days"
    )
    def _check_site_late_fee_numbers(self):
        for company in self:
            if (
                min(
                    company.site_late_fee_grace_days,
                    company.site_late_fee_min_amount,
                    company.site_late_fee_due_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: grace days, minimum late fee and the days late fees "
                        "fall due after cannot be negative.",
                        site=company.name,
                    )
                )

    def _site_late_fee_rule(self):
        """The engine's rule for the site's settings."""
        self.ensure_one()
        method = self.site_late_fee_method
        if method == "none":
            raise UserError(self.env._("Site %(site)s does not charge late fees.", site=self.name))
        free_ranges = [(pause.date_from, pause.date_to) for pause in self.site_late_fee_pause_ids]
        if self.site_late_fee_date_start:
            free_ranges.append((date.min, self.site_late_fee_date_start - ONE_DAY))
        common = {
            "grace_days": self.site_late_fee_grace_days,
            "min_amount": _decimal(self.site_late_fee_min_amount),
            "free_ranges": tuple(free_ranges),
        }
        rate = _decimal(self.site_late_fee_rate) / 100
        try:
            if method == "turkey":
                return late_fees.TurkeyRule(monthly_rate=rate, **common)
            if method == "poland":
                return late_fees.PolandRule(
                    rates=self.env["site.late.fee.rate"].sudo()._engine_rates(), **common
                )
            return late_fees.UkraineRule(daily_rate=rate, **common)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Site %(site)s: the late-fee settings are not valid: %(error)s",
                    site=self.name,
                    error=error,
                )
            ) from error

    def _site_late_fee_cron_date(self):
        """The day the scheduled job computes the site's fees up to, or None.

        Today in the site's time zone: the fee of a day is charged on what is unpaid at
        its start (a payment dated today still bears today's fee), so today's fee is
        known in the morning and its entry is dated today, never in a closed period.
        Monthly sites: the month's last day, caught up on any later day.
        """
        self.ensure_one()
        if self.site_late_fee_method == "none":
            return None
        tz = self.partner_id.tz or self.env.context.get("tz")
        today = fields.Date.context_today(self.with_context(tz=tz))
        if self.site_late_fee_frequency == "daily":
            return today
        if today.day == calendar.monthrange(today.year, today.month)[1]:
            return today
        return today.replace(day=1) - ONE_DAY

    def _site_late_fee_type(self):
        self.ensure_one()
        charge_type = self.env["site.charge.type"].search(
            [("company_id", "=", self.id), ("kind", "=", "late_fee")], limit=1
        )
        if not charge_type:
            raise UserError(
                self.env._(
                    "Site %(site)s has no late-fee charge type: add one (kind 'Late Fee').",
                    site=self.name,
                )
            )
        return charge_type


class SiteLateFeeRate(models.Model):
    """Polish statutory late interest (Civil Code art. 481 § 2: NBP reference rate + 5.5
    points), percent a year, from a date: a manager adds a row when the rate changes."""

    _name = "site.late.fee.rate"
    _description = "Statutory Late Interest Rate"
    _order = "date_from desc"

    date_from = fields.Date(string="Valid From", required=True)
    rate = fields.Float(string="Rate (% a Year)", digits=(6, 4), required=True)
    note = fields.Char(help="e.g. NBP reference rate 4.5 % + 5.5 points.")

    _date_from_uniq = models.Constraint(
        "UNIQUE (date_from)", "Only one statutory rate can start on a given day."
    )
    _rate_positive = models.Constraint("CHECK (rate >= 0)", "A rate cannot be negative.")

    @api.depends("date_from", "rate")
    def _compute_display_name(self):
        for rate in self:
            rate.display_name = f"{rate.date_from or ''}: {rate.rate:g} %"

    @api.model
    def _engine_rates(self):
        return tuple(
            (rate.date_from, _decimal(rate.rate))
            for rate in self.search([("date_from", "!=", False)], order="date_from")
        )


class SiteLateFeePause(models.Model):
    """Days on which a site charges no late fee, e.g. the Ukrainian suspension of
    penalties under martial law (Cabinet resolution No. 206 of 05.03.2022)."""

    _name = "site.late.fee.pause"
    _inherit = ["site.company.mixin"]
    _description = "Late-Fee Pause"
    _order = "company_id, date_from desc"
    _check_company_auto = True

    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True, help="Last day without late fees, included.")
    reason = fields.Char(required=True)

    _dates_check = models.Constraint(
        "CHECK (date_to >= date_from)", "A late-fee pause cannot end before it starts."
    )


class SiteLateFeeRun(models.Model):
    """A site's late fees computed up to and including a date, and posted."""

    _name = "site.late.fee.run"
    _description = "Late-Fee Run"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        string="Fees Up To",
        required=True,
        default=fields.Date.context_today,
        help="Late fees are computed up to and including this day; the entries bear this date.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    posted_at = fields.Datetime(readonly=True, copy=False)
    move_ids = fields.Many2many("account.move", string="Entries", readonly=True, copy=False)
    line_ids = fields.One2many("site.late.fee.line", "run_id", string="Breakdown", readonly=True)
    reversal_move_ids = fields.Many2many(
        "account.move",
        "site_late_fee_run_reversal_rel",
        string="Reversals",
        readonly=True,
        copy=False,
    )
    debt_count = fields.Integer(
        string="Overdue Charges", readonly=True, copy=False, help="Charges examined."
    )
    fee_count = fields.Integer(string="Late Fees", readonly=True, copy=False)
    amount_total = fields.Monetary(string="Total", readonly=True, copy=False)

    # A site's day is computed once; a cancelled run can be run again.
    _company_date_posted_uniq = models.UniqueIndex(
        "(company_id, date) WHERE state = 'posted'",
        "The late fees of this site have already been computed up to this day.",
    )

    @api.depends("date")
    def _compute_name(self):
        for run in self:
            run.name = self.env._("Late Fees up to %(date)s", date=run.date) if run.date else ""

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(run.state == "posted" for run in self):
            raise UserError(self.env._("Cancel a posted late-fee run before deleting it."))

    # --- entry points ------------------------------------------------------------

    @api.model
    def _run(self, company, until):
        """Post the late fees of site ``company`` up to and including ``until``.

        Returns the run; if the site's fees were already computed up to that day, the
        existing run, posting nothing.
        """
        self._lock(company)
        existing = self._posted_on(company, until)
        if existing:
            return existing
        run = self.create({"company_id": company.id, "date": until})
        run._execute()
        return run

    def action_post(self):
        for run in self.filtered(lambda r: r.state == "draft"):
            self._lock(run.company_id)
            existing = self._posted_on(run.company_id, run.date)
            if existing:
                raise UserError(
                    self.env._(
                        "The late fees of %(site)s are already computed up to %(date)s: see "
                        "%(run)s.",
                        site=run.company_id.name,
                        date=run.date,
                        run=existing.name,
                    )
                )
            run._execute()
        return True

    def action_cancel(self):
        """Reverse the runs' entries; the fees they posted are then posted again by the
        next run that still finds them due (e.g. after the site's settings are fixed)."""
        runs = self.filtered(lambda r: r.state == "posted")
        for company, company_runs in runs.grouped("company_id").items():
            self._lock(company)
            later = self.search(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "posted"),
                    ("date", ">", min(company_runs.mapped("date"))),
                    ("id", "not in", company_runs.ids),
                ]
            )
            if later:
                raise UserError(
                    self.env._(
                        "Cancel the later late-fee runs of %(site)s first: %(runs)s.",
                        site=company.name,
                        runs=", ".join(later.mapped("name")),
                    )
                )
        today = fields.Date.context_today(self)
        for run in runs.sorted("date", reverse=True):
            reversals = self.env["account.move"]
            if run.move_ids:
                reversals = self.env["site.ledger"]._reverse_charges(
                    run.move_ids, run.name, max(today, run.date)
                )
            run.write(
                {"state": "cancelled", "reversal_move_ids": [fields.Command.set(reversals.ids)]}
            )
            # Payments that had settled the reversed fees are open credits again.
            units = run.move_ids.line_ids.site_unit_id
            if units:
                self.env["account.move.line"]._site_settle(set(units.ids), run.company_id)
        return True

    def action_view_fees(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [("move_id", "in", self.move_ids.ids), ("site_unit_id", "!=", False)],
            "context": {"create": False},
        }

    @api.model
    def _cron_post_late_fees(self):
        """Post every site's late fees up to today (see res.company._site_late_fee_cron_date),
        one site per transaction; a site that fails is left with its error, the others go on."""
        companies = self.env["res.company"].search(
            [("is_site", "=", True), ("site_late_fee_method", "!=", "none")]
        )
        for index, company in enumerate(companies):
            until = company._site_late_fee_cron_date()
            try:
                with self.env.cr.savepoint():
                    self.with_company(company)._run(company, until)
            except Exception as error:  # whatever one site's failure, the others go on
                _logger.exception("Late fees of site %s up to %s not posted", company.name, until)
                company._site_job_result("site_late_fee", error)
            else:
                company._site_job_result("site_late_fee")
            self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - index - 1)

    # --- computation -------------------------------------------------------------

    def _lock(self, company):
        """One late-fee run per site at a time, on data that includes every earlier run.

        Two runs at once would both post the same fees: the advisory lock refuses a
        second one while the first is running. That is not enough: Odoo's transactions
        are REPEATABLE READ, so a run whose snapshot was taken before another run
        committed would not see that run's fees, though the lock is free again. Each
        run therefore also updates its site's row: PostgreSQL refuses to update a row
        changed by a transaction committed after the snapshot (a serialization
        failure, which Odoo retries in a new transaction, that sees the fees).
        """
        self.env.cr.execute(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK_NAMESPACE, company.id)
        )
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._(
                    "The late fees of %(site)s are being computed right now; try again when "
                    "that run has finished.",
                    site=company.name,
                )
            )
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET site_late_fee_locked_at = NOW() AT TIME ZONE 'UTC' "
                "WHERE id = %s",
                company.id,
            )
        )
        company.invalidate_recordset(["site_late_fee_locked_at"])

    def _posted_on(self, company, until):
        return self.search(
            [("company_id", "=", company.id), ("date", "=", until), ("state", "=", "posted")],
            limit=1,
        )

    def _execute(self):
        self.ensure_one()
        company, until = self.company_id, self.date
        rule = company._site_late_fee_rule()
        fee_type = company._site_late_fee_type()
        digits = company.currency_id.decimal_places
        started = time.perf_counter()
        debts, lines = self._gather(company, until)
        gathered = time.perf_counter()
        amounts = late_fees.compute_many(debts, until, rule, self._posted_fees(debts), digits)
        computed = time.perf_counter()
        due_date = until + timedelta(days=company.site_late_fee_due_days)
        period = until.replace(day=1)
        # One fee line per unit and partner: the statement shows a run's fees as one
        # line, and ten thousand lines post in seconds where a hundred thousand would not.
        details, totals = [], defaultdict(Decimal)
        for debt in debts:
            amount = amounts[debt.key]
            if amount <= 0:
                continue
            unit_id, partner_id, _name = lines[debt.key]
            details.append((debt.key, unit_id, partner_id, amount))
            totals[(unit_id, partner_id)] += amount
        site_env = self.with_context(lang=company.partner_id.lang).env
        label = site_env._("Late fees up to %(date)s", date=until)
        charges = [
            Charge(unit_id, partner_id, fee_type.id, amount, due_date, label, period)
            for (unit_id, partner_id), amount in totals.items()
        ]
        moves = self.env["site.ledger"]._post_charges(company, until, charges, self.name)
        self.env["site.late.fee.line"]._insert(self, details, moves)
        self.write(
            {
                "state": "posted",
                "posted_at": self.env.cr.now(),
                "move_ids": [fields.Command.set(moves.ids)],
                "debt_count": len(debts),
                "fee_count": len(details),
                "amount_total": float(sum((charge.amount for charge in charges), Decimal(0))),
            }
        )
        if charges:
            self.env["account.move.line"]._site_settle({c.unit_id for c in charges}, company)
        _logger.info(
            "Late fees of %s up to %s: %d overdue charges, %d fees, %s posted "
            "(gathered in %.2f s, computed in %.2f s, posted in %.2f s)",
            company.name,
            until,
            len(debts),
            len(charges),
            self.amount_total,
            gathered - started,
            computed - gathered,
            time.perf_counter() - computed,
        )

    @api.model
    def _debt_domain(self, company, until):
        """The site's charges that may bear a fee up to ``until`` not posted yet.

        Every open charge, and the settled ones whose fee may have grown since the
        previous run: paid after its day, or matched since it ran (back-dated charges
        and payments). A charge settled before the previous run's day and matched
        before it ran was seen by it, so its fee is complete.
        """
        domain = Domain(
            [
                ("company_id", "=", company.id),
                ("site_unit_id", "!=", False),
                *SITE_RECEIVABLE,
                ("balance", ">", 0),
                ("date_maturity", "<", until),
                ("site_charge_type_id.late_fee_applies", "=", True),
                # no interest on interest (KMK art. 20), whatever a charge type says
                ("site_charge_type_id.kind", "!=", "late_fee"),
            ]
        )
        previous = self.search(
            [("company_id", "=", company.id), ("state", "=", "posted"), ("date", "<", until)],
            order="date desc",
            limit=1,
        )
        if previous:
            recent = Domain("max_date", ">", previous.date) | Domain(
                "create_date", ">=", previous.posted_at
            )
        elif company.site_late_fee_date_start:
            recent = Domain("max_date", ">=", company.site_late_fee_date_start)
        else:
            return domain
        # "id IN (partials' debit lines)": planned once, not once per line as EXISTS is
        Partial = self.env["account.partial.reconcile"]
        partials = Partial._search(recent)
        settled = Domain(
            "id",
            "any!",
            partials.select(Partial._field_to_sql(Partial._table, "debit_move_id", partials)),
        )
        return domain & (Domain("reconciled", "=", False) | settled)

    @api.model
    def _gather(self, company, until):
        """The engine's debts of the site, and {line id: (unit id, partner id, label)}.

        Three queries whatever the number of charges: the charges, their payments
        (partial reconciliations: the amount and the later of both entries' dates),
        and, in _posted_fees, the fees already posted on them.
        """
        Line = self.env["account.move.line"].with_context(active_test=False)
        query = Line._search(self._debt_domain(company, until), order="id")
        columns = (
            "id",
            "date_maturity",
            "balance",
            "site_unit_id",
            "partner_id",
            "name",
            "move_id",
            "site_late_fee_frozen_from",
        )
        rows = self.env.execute_query(
            query.select(*(Line._field_to_sql(Line._table, column, query) for column in columns))
        )
        payments = defaultdict(list)
        if rows:
            self.env["account.partial.reconcile"].flush_model(
                ["debit_move_id", "credit_move_id", "amount", "max_date"]
            )
            Line.flush_model(["move_id"])
            self.env["account.move"].flush_model(["reversed_entry_id"])
            for debit_id, paid_on, amount, reversed_move_id in self.env.execute_query(
                SQL(
                    """
                    SELECT partial.debit_move_id, partial.max_date, partial.amount,
                           credit_move.reversed_entry_id
                      FROM account_partial_reconcile partial
                      JOIN account_move_line credit ON credit.id = partial.credit_move_id
                      JOIN account_move credit_move ON credit_move.id = credit.move_id
                     WHERE partial.debit_move_id = ANY(%s)
                    """,
                    [row[0] for row in rows],
                )
            ):
                payments[debit_id].append((paid_on, amount, reversed_move_id))
        freeze = company.site_late_fee_freeze_legal
        debts, lines = [], {}
        for line_id, due, balance, unit_id, partner_id, name, move_id, frozen in rows:
            debts.append(
                late_fees.Debt(
                    line_id,
                    due,
                    _decimal(balance),
                    tuple(
                        # a reversal cancels the charge: as if paid on its due date
                        (due if reversed_move_id == move_id else paid_on, _decimal(amount))
                        for paid_on, amount, reversed_move_id in payments.get(line_id, ())
                    ),
                    frozen if freeze else None,
                )
            )
            lines[line_id] = (unit_id, partner_id, name or "")
        return debts, lines

    @api.model
    def _posted_fees(self, debts):
        """{debt line id: late fees posted on it by the runs still posted}."""
        groups = self.env["site.late.fee.line"]._read_group(
            [("debt_line_id", "in", [debt.key for debt in debts]), ("run_id.state", "=", "posted")],
            ["debt_line_id"],
            ["amount:sum"],
        )
        return {line.id: _decimal(total) for line, total in groups}


class SiteLateFeeLine(models.Model):
    """What one run charged on one overdue charge: the breakdown of a unit's fee line."""

    _name = "site.late.fee.line"
    _description = "Late Fee per Overdue Charge"
    _order = "run_id desc, id"

    run_id = fields.Many2one("site.late.fee.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="Site", required=True, index=True)
    debt_line_id = fields.Many2one(
        "account.move.line", string="Overdue Charge", required=True, index=True
    )
    fee_line_id = fields.Many2one("account.move.line", string="Fee Line", index="btree_not_null")
    unit_id = fields.Many2one("site.unit", required=True)
    partner_id = fields.Many2one("res.partner", required=True)
    amount = fields.Float(digits=(16, 2), required=True)

    @api.model
    def _insert(self, run, details, moves):
        """Write a run's breakdown with COPY, each row pointing at its posted fee line.

        A run over a hundred thousand overdue charges has as many rows: the ORM would
        take longer than the whole run.
        """
        if not details:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT site_unit_id, partner_id, id FROM account_move_line "
            "WHERE move_id = ANY(%s) AND site_unit_id IS NOT NULL",
            [moves.ids],
        )
        fee_lines = {
            (unit_id, partner_id): line_id
            for unit_id, partner_id, line_id in self.env.cr.fetchall()
        }
        now = fields.Datetime.to_string(self.env.cr.now())
        prefix = f"{run.id}\t{run.company_id.id}\t"
        suffix = f"\t{self.env.uid}\t{self.env.uid}\t{now}\t{now}\n"
        data = io.StringIO(
            "".join(
                f"{prefix}{debt_id}\t{fee_lines[(unit_id, partner_id)]}\t{unit_id}\t"
                f"{partner_id}\t{amount}{suffix}"
                for debt_id, unit_id, partner_id, amount in details
            )
        )
        self.env.cr._obj.copy_expert(
            "COPY site_late_fee_line (run_id, company_id, debt_line_id, fee_line_id, unit_id, "
            "partner_id, amount, create_uid, write_uid, create_date, write_date) FROM STDIN",
            data,
        )
        self.invalidate_model()
