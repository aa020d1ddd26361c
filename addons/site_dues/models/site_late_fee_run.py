"""Late-fee runs: a site's fees computed up to a day and posted to the ledger.

The arithmetic is the plain-Python engine's (``..engine.late_fees``): a run reads
every overdue charge of the site with its payments and the fees already posted on
it, asks the engine what is still to post up to the run's date, and posts that
through ``site.ledger``. Because the engine's fee up to a day depends only on the
debt and the day, running a date twice posts nothing, and one run after missed days
posts exactly the missing fees.
"""

import logging
import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools import SQL

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.site_residents.engine.dates import month_start
from odoo.addons.site_residents.sql import id_array

from ..engine import late_fees
from .account_move_line import SITE_RECEIVABLE

_logger = logging.getLogger(__name__)


class SiteLateFeeRun(models.Model):
    """A site's late fees computed up to and including a date, and posted."""

    _name = "site.late.fee.run"
    _description = "Late-Fee Run"
    _inherit = ["mail.thread", "site.company.mixin", "site.posting.mixin"]
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
    posted_at = fields.Datetime(readonly=True, copy=False)
    line_ids = fields.One2many("site.late.fee.line", "run_id", string="Breakdown", readonly=True)
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
        runs.sorted("date", reverse=True)._posting_cancel()
        return True

    def _posting_reversal_date(self):
        """The run's day, or today if later: a reversal is never dated before the fees
        it reverses."""
        return max(super()._posting_reversal_date(), self.date)

    @api.model
    def _cron_post_late_fees(self):
        """Queue one late-fee job per site charging late fees, up to its day (see
        res.company._site_late_fee_cron_date), in channel root.site_dues: a site that
        fails is left with its error, the others go on."""
        companies = self.env["res.company"].search(
            [("is_site", "=", True), ("site_late_fee_method", "!=", "none")]
        )
        for index, company in enumerate(companies):
            until = company._site_late_fee_cron_date()
            self.with_company(company).with_delay(
                identity_key=identity_exact,
                description=self.env._(
                    "%(site)s: late fees up to %(day)s", site=company.name, day=until
                ),
            )._job_post_site_late_fees(company, until)
            self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - index - 1)

    def _job_post_site_late_fees(self, company, until):
        """Post the site's late fees up to ``until``, as a queue job: a retry posts
        nothing twice (``_run`` finds the day's run). A failure is recorded on the site;
        a clash with another run of the site runs the job again later."""
        try:
            with self.env.cr.savepoint():
                run = self.with_company(company)._run(company, until)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            raise RetryableJobError(str(error), seconds=60) from error
        except Exception as error:  # whatever one site's failure, it is the site's to fix
            _logger.exception("Late fees of site %s up to %s not posted", company.name, until)
            company._site_job_result("site_late_fee", error)
            return company.site_late_fee_error
        company._site_job_result("site_late_fee")
        return f"{run.fee_count} late fees up to {until}"

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
        self._posting_lock(
            self.env._(
                "The late fees of %(site)s are being computed right now; try again when "
                "that run has finished.",
                site=company.name,
            ),
            company.id,
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
        """Post the fees the engine finds due up to the run's day, one charge per unit
        and partner on its charge notice of the month."""
        self.ensure_one()
        company, until = self.company_id, self.date
        rule = company._site_late_fee_rule()
        fee_type = company._site_late_fee_type()
        digits = company.currency_id.decimal_places
        started = time.perf_counter()
        debts, payers = self._gather(company, until)
        gathered = time.perf_counter()
        posted = self.env["site.late.fee.line"]._posted_on(
            company, {debt.key: (payers[debt.key][0], debt.due_date) for debt in debts}
        )
        amounts = late_fees.compute_many(debts, until, rule, posted, digits)
        fees = late_fees.by_payer(amounts, payers)
        computed = time.perf_counter()
        due_date = until + timedelta(days=company.site_late_fee_due_days)
        site_env = self.with_context(lang=company.partner_id.lang).env
        label = site_env._("Late fees up to %(date)s", date=until)
        moves, charges = self.env["site.ledger"]._post_month(
            company,
            month_start(until),
            due_date,
            [
                (unit_id, partner_id, fee_type.id, sum(debt_fees.values()), label)
                for (unit_id, partner_id), debt_fees in fees.items()
            ],
            self.name,
            date=until,
        )
        self.env["site.late.fee.line"]._insert(self, fees, moves)
        self._posting_done(
            moves,
            due_date=due_date,
            posted_at=self.env.cr.now(),
            debt_count=len(debts),
            fee_count=sum(len(debt_fees) for debt_fees in fees.values()),
            amount_total=float(sum((charge.amount for charge in charges), Decimal(0))),
        )
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
    def _excluded_debt_domain(self, company):
        """The charges of ``company`` that bear no late fee at all (a domain): none here.
        Addons extend it, e.g. site_legal with the debts of cases whose fees are frozen."""
        return Domain.FALSE

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
        ) & ~self._excluded_debt_domain(company)
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
        """The engine's debts of the site, and {line id: (unit id, partner id)}.

        Two queries whatever the number of charges: the charges, and what was matched
        with them (partial reconciliations: the amount, the later of both entries'
        dates, and the entry a reversal reverses).
        """
        Line = self.env["account.move.line"].with_context(active_test=False)
        query = Line._search(self._debt_domain(company, until), order="id")
        columns = (
            "id",
            "date_maturity",
            "balance",
            "site_unit_id",
            "partner_id",
            "move_id",
            "site_late_fee_frozen_from",
        )
        selected = [Line._field_to_sql(Line._table, column, query) for column in columns]
        # the balance as text: read as a float, it would go through str() to a Decimal
        selected[2] = SQL("%s::text", selected[2])
        rows = self.env.execute_query(query.select(*selected))
        settlements = defaultdict(list)
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
                    id_array(row[0] for row in rows),
                )
            ):
                settlements[debit_id].append((paid_on, amount, reversed_move_id))
        freeze = company.site_late_fee_freeze_legal
        debts = [
            late_fees.ledger_debt(
                line_id,
                due,
                balance,
                move_id,
                settlements.get(line_id, ()),
                frozen if freeze else None,
            )
            for line_id, due, balance, _unit_id, _partner_id, move_id, frozen in rows
        ]
        payers = {row[0]: (row[3], row[4]) for row in rows}
        return debts, payers
