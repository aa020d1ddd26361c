import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import identity_exact
from odoo.addons.site_residents.engine.dates import month_end, month_start

_logger = logging.getLogger(__name__)


class SiteAccrualRun(models.Model):
    """One plan charged for one month: the posted entries and the charge notices."""

    _name = "site.accrual.run"
    _description = "Accrual Run"
    _inherit = ["mail.thread", "site.posting.mixin"]
    _order = "period desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one(
        "site.accrual.plan", required=True, index=True, check_company=True, ondelete="restrict"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, string="Site")
    currency_id = fields.Many2one(related="company_id.currency_id")
    charge_type_id = fields.Many2one(related="plan_id.charge_type_id", store=True)
    period = fields.Date(required=True, help="First day of the month charged.")
    line_count = fields.Integer(string="Charges", readonly=True)
    amount_total = fields.Monetary(string="Total", readonly=True)

    # A plan's month is charged once; a cancelled run can be charged again.
    _plan_period_posted_uniq = models.UniqueIndex(
        "(plan_id, period) WHERE state = 'posted'",
        "This plan has already been charged for this month.",
    )

    @api.depends("plan_id.name", "period")
    def _compute_name(self):
        for run in self:
            run.name = f"{run.plan_id.name} {run.period:%Y-%m}" if run.period else run.plan_id.name

    # --- entry points ------------------------------------------------------------

    @api.model
    def _accrue(self, plans, period):
        """Charge ``plans`` for the month of ``period``, all or nothing.

        Returns the runs: the new ones and, for plans already charged that month, the
        existing posted run, so that charging twice is harmless.
        """
        period = month_start(period)
        self._lock_plans(plans)
        posted = self.search(
            [("plan_id", "in", plans.ids), ("period", "=", period), ("state", "=", "posted")]
        )
        runs = posted
        with self.env.cr.savepoint():  # one plan failing leaves no other plan charged
            for plan in plans - posted.plan_id:
                if not plan._covers(period):
                    raise UserError(
                        self.env._(
                            "Plan %(plan)s does not run in %(period)s.",
                            plan=plan.name,
                            period=self.env["site.display"]._month_label(period),
                        )
                    )
                run = self.create({"plan_id": plan.id, "period": period})
                run._post()
                runs |= run
        return runs

    def _lock_plans(self, plans):
        """Transaction locks on the plans (site.lock): a second accrual or a cancellation
        of them fails at once, also for plans another transaction has not committed yet."""
        for plan in plans.sorted("id"):
            self._posting_lock(
                self.env._(
                    "Another accrual of plan %(plan)s is running right now; try again when "
                    "it has finished.",
                    plan=plan.name,
                ),
                plan.id,
            )

    # --- posting -------------------------------------------------------------

    def _charges(self):
        """The charges of the run: each unit's amount split by days between the people
        liable for it in the month (owner or tenant, by the charge type's category)."""
        self.ensure_one()
        plan = self.plan_id
        unit_amounts = plan._unit_amounts(self.period)
        digits = 0 if plan.rounding == "unit" else self.currency_id.decimal_places
        # Labels are read by residents: the site's language, whoever runs the accrual.
        lang = self.company_id.partner_id.lang
        charge_type = plan.charge_type_id.with_context(lang=lang)
        month = self.env["site.display"].with_context(lang=lang)._month_label(self.period)
        label = f"{charge_type.name} {month}"
        shares = self.env["site.ledger"]._liable_shares(
            unit_amounts,
            self.period,
            month_end(self.period),
            plan.charge_type_id.category,
            digits,
            f"{self.period:%Y-%m}",
        )
        return shares, label

    def _post(self):
        self.ensure_one()
        shares, label = self._charges()
        due_date = self._posting_due_date(self.company_id, self.period)
        moves, charges = self.env["site.ledger"]._post_month(
            self.company_id,
            self.period,
            due_date,
            [
                (unit_id, partner_id, self.charge_type_id.id, amount, label)
                for unit_id, partner_id, amount in shares
            ],
            self.name,
        )
        self._posting_done(
            moves,
            due_date=due_date,
            line_count=len(charges),
            amount_total=float(sum(c.amount for c in charges)),
        )

    def action_cancel(self):
        """Reverse the runs' entries; their months can then be charged again."""
        runs = self.filtered(lambda r: r.state == "posted")
        self._lock_plans(runs.plan_id)
        runs._posting_cancel()
        return True

    @api.model
    def _cron_accrue_current_month(self):
        """Queue one accrual job per site with running plans (channel root.site_dues):
        the sites are charged in parallel on the queue's workers, and a site that fails
        keeps its error while the others are charged."""
        today = fields.Date.context_today(self)
        plans = self.env["site.accrual.plan"].search(
            [("date_start", "<=", today), ("date_end", ">=", month_start(today))]
        )
        companies = plans.company_id
        for index, company in enumerate(companies):
            self.with_company(company).with_delay(
                # the cron run twice before the job ran queues it once
                identity_key=identity_exact,
                description=self.env._(
                    "%(site)s: monthly accrual of %(day)s", site=company.name, day=today
                ),
            )._job_accrue_site(company, today)
            self.env["ir.cron"]._commit_progress(1, remaining=len(companies) - index - 1)

    def _job_accrue_site(self, company, today):
        """Charge the site's plans running on ``today`` for its month, as a queue job. A
        retry charges nothing twice (``_accrue`` skips the plans charged that month). A
        failure is recorded on the site and in its plans' chatter; a clash with another
        transaction on the same books runs the job again later."""
        period = month_start(today)
        plans = self.env["site.accrual.plan"].search(
            [
                ("company_id", "=", company.id),
                ("date_start", "<=", today),
                ("date_end", ">=", period),
            ]
        )
        try:
            with self.env.cr.savepoint():
                self.with_company(company)._accrue(plans, period)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            raise RetryableJobError(str(error), seconds=60) from error
        except Exception as error:  # whatever one site's failure, it is the site's to fix
            _logger.exception("Accrual of site %s for %s failed", company.name, period)
            if company._site_job_result("site_accrual", error):
                plans._message_log_batch(
                    {
                        plan.id: self.env._(
                            "The monthly accrual of %(period)s failed: %(error)s",
                            period=self.env["site.display"]._month_label(period),
                            error=company.site_accrual_error,
                        )
                        for plan in plans
                    }
                )
            return company.site_accrual_error
        company._site_job_result("site_accrual")
        return f"{len(plans)} plans charged for {period:%Y-%m}"

    @api.model
    def _demo_accrue(self, plan_ids, periods):
        plans = self.env["site.accrual.plan"].browse(plan_ids)
        for company in plans.company_id:
            for period in periods:
                self.with_company(company)._accrue(
                    plans.filtered(lambda p, c=company: p.company_id == c),
                    fields.Date.to_date(period),
                )
