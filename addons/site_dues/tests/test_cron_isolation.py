from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.queue_job.tests.common import trap_jobs

from ..models.site_ledger import Charge
from .common import TwoSitesCase


@tagged("post_install", "-at_install")
class TestCronIsolation(TwoSitesCase):
    """The monthly accrual and the daily late fees run as one queue job per site
    (channel root.site_dues): a site that fails keeps its error, the others go on, and
    the scheduled jobs do not fail (Odoo deactivates a job that keeps failing)."""

    def setUp(self):
        super().setUp()
        # the crons commit after each site they queue; not inside a test
        self.commits = []
        self.patch(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda cron, processed=0, **kwargs: self.commits.append(processed) or float("inf"),
        )
        # A-4 has nobody liable for its dues: site A's accrual fails
        self.nobody = self.env["site.unit"].create(
            {"code": "A-4", "company_id": self.site.id, "area_net": 50.0}
        )
        self.plan_a = self.plan(allocation_key="area_net")
        self.plan_b = self.env["site.accrual.plan"].create(
            {
                "name": "Dues B 2026",
                "company_id": self.site_b.id,
                "charge_type_id": self.charge_type_of(self.site_b, "DUES").id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 1),
                "amount_monthly": 300.0,
                "allocation_key": "equal",
            }
        )
        self.Run = self.env["site.accrual.run"]

    def site_jobs(self, trap):
        """The trapped jobs of the two sites, by site."""
        return {
            job.args[0]: job for job in trap.enqueued_jobs if job.args[0] in self.site | self.site_b
        }

    @mute_logger("odoo.addons.site_dues.models.site_accrual_run")
    def test_accrual_cron_queues_a_job_per_site(self):
        with freeze_time("2026-12-04 09:00:00"), trap_jobs() as trap:
            self.Run._cron_accrue_current_month()
        jobs = self.site_jobs(trap)
        self.assertEqual(set(jobs), {self.site, self.site_b})
        self.assertEqual({job.channel for job in jobs.values()}, {"root.site_dues"})
        self.assertEqual(jobs[self.site].args[1], date(2026, 12, 4))
        # nothing is charged before the jobs run
        self.assertFalse((self.plan_a | self.plan_b).run_ids)
        results = {site: job.perform() for site, job in jobs.items()}
        self.assertIn("A-4", results[self.site])
        self.assertIn("A-4", self.site.site_accrual_error)
        self.assertFalse(self.plan_a.run_ids)
        self.assertIn("A-4", self.plan_a.message_ids[:1].body)
        self.assertEqual(results[self.site_b], "1 plans charged for 2026-12")
        self.assertEqual(self.plan_b.run_ids.mapped("amount_total"), [300.0])
        self.assertFalse(self.site_b.site_accrual_error)
        # a job run again (a retry) charges nothing twice
        jobs[self.site_b].perform()
        self.assertEqual(len(self.plan_b.run_ids), 1)

    @mute_logger("odoo.addons.site_dues.models.site_accrual_run")
    def test_accrual_cron_goes_on_after_a_failing_site(self):
        # the jobs run at once, as queue_job documents for tests
        Run = self.Run.with_context(queue_job__no_delay=True)
        with freeze_time("2026-12-04 09:00:00"):
            Run._cron_accrue_current_month()
        self.assertEqual(self.plan_b.run_ids.mapped("amount_total"), [300.0])
        self.assertFalse(self.plan_a.run_ids)
        self.assertIn("A-4", self.site.site_accrual_error)
        self.assertTrue(self.site.site_accrual_error_date)
        self.assertEqual(self.plan_a.site_accrual_error, self.site.site_accrual_error)
        self.assertFalse(self.site_b.site_accrual_error)
        self.assertGreaterEqual(len(self.commits), 2)
        # the next day's run after the site fixed its data charges it and clears the error
        self.env["site.unit.relation"].create(
            {"unit_id": self.nobody.id, "partner_id": self.tenant.id, "date_from": date(2020, 1, 1)}
        )
        with freeze_time("2026-12-05 09:00:00"):
            Run._cron_accrue_current_month()
        self.assertEqual(
            self.plan_a.run_ids.mapped("amount_total"), [1000.0], self.site.site_accrual_error
        )
        self.assertFalse(self.site.site_accrual_error)
        self.assertFalse(self.site.site_accrual_error_date)

    @mute_logger("odoo.addons.site_dues.models.site_late_fee_run")
    def test_late_fee_cron_queues_a_job_per_site(self):
        for site, unit, owner in (
            (self.site, self.u1, self.owners[0]),
            (self.site_b, self.unit_b, self.owner_b),
        ):
            self.env["site.ledger"]._post_charges(
                site,
                date(2026, 10, 1),
                [
                    Charge(
                        unit.id,
                        owner.id,
                        self.charge_type_of(site, "DUES").id,
                        Decimal("1000.00"),
                        date(2026, 10, 31),
                        "Dues 2026-10",
                        date(2026, 10, 1),
                    )
                ],
                "Dues 2026-10",
            )
        late_fee_type = self.charge_type("LATEFEE")
        late_fee_type.active = False  # site A cannot post late fees
        LateFees = self.env["site.late.fee.run"]
        with freeze_time("2026-12-04 09:00:00"), trap_jobs() as trap:
            LateFees._cron_post_late_fees()
        jobs = self.site_jobs(trap)
        self.assertEqual(set(jobs), {self.site, self.site_b})
        self.assertEqual({job.channel for job in jobs.values()}, {"root.site_dues"})
        for job in jobs.values():
            job.perform()
        self.assertIn("late-fee charge type", self.site.site_late_fee_error)
        self.assertTrue(self.site.site_late_fee_error_date)
        self.assertFalse(LateFees.search([("company_id", "=", self.site.id)]))
        self.assertFalse(self.site_b.site_late_fee_error)
        posted = LateFees.search([("company_id", "=", self.site_b.id), ("state", "=", "posted")])
        self.assertEqual(len(posted), 1)
        # a job run again (a retry) posts nothing twice
        jobs[self.site_b].perform()
        self.assertEqual(
            LateFees.search_count([("company_id", "=", self.site_b.id), ("state", "=", "posted")]),
            1,
        )
        # the next day's run after the site fixed its charge type posts and clears the error
        late_fee_type.active = True
        with freeze_time("2026-12-05 09:00:00"):
            LateFees.with_context(queue_job__no_delay=True)._cron_post_late_fees()
        self.assertTrue(
            LateFees.search([("company_id", "=", self.site.id), ("state", "=", "posted")])
        )
        self.assertFalse(self.site.site_late_fee_error)
