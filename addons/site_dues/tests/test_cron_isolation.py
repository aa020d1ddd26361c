from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.site_ledger import Charge
from .common import TwoSitesCase


@tagged("post_install", "-at_install")
class TestCronIsolation(TwoSitesCase):
    """One site's failure is recorded on that site; the scheduled jobs go on with the
    others and do not fail (Odoo deactivates a job that keeps failing)."""

    def setUp(self):
        super().setUp()
        self.commits = []
        self.patch(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda cron, processed=0, **kwargs: self.commits.append(processed) or float("inf"),
        )

    def plan_b(self):
        return self.env["site.accrual.plan"].create(
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

    @mute_logger("odoo.addons.site_dues.models.site_accrual_run")
    def test_accrual_cron_goes_on_after_a_failing_site(self):
        nobody = self.env["site.unit"].create(
            {"code": "A-4", "company_id": self.site.id, "area_net": 50.0}
        )
        plan_a = self.plan(allocation_key="area_net")
        plan_b = self.plan_b()
        # Each site runs as its own queue job: run them at once, as queue_job documents.
        Run = self.env["site.accrual.run"].with_context(queue_job__no_delay=True)
        with freeze_time("2026-12-04 09:00:00"):
            Run._cron_accrue_current_month()
        self.assertEqual(plan_b.run_ids.mapped("amount_total"), [300.0])
        self.assertFalse(plan_a.run_ids)
        self.assertIn("A-4", self.site.site_accrual_error)
        self.assertTrue(self.site.site_accrual_error_date)
        self.assertEqual(plan_a.site_accrual_error, self.site.site_accrual_error)
        self.assertFalse(self.site_b.site_accrual_error)
        self.assertIn("A-4", plan_a.message_ids[:1].body)
        self.assertGreaterEqual(len(self.commits), 2)
        # the next day's run after the site fixed its data charges it and clears the error
        self.env["site.unit.relation"].create(
            {"unit_id": nobody.id, "partner_id": self.tenant.id, "date_from": date(2020, 1, 1)}
        )
        with freeze_time("2026-12-05 09:00:00"):
            Run._cron_accrue_current_month()
        self.assertEqual(plan_a.run_ids.mapped("amount_total"), [1000.0])
        self.assertFalse(self.site.site_accrual_error)
        self.assertFalse(self.site.site_accrual_error_date)

    @mute_logger("odoo.addons.site_dues.models.site_late_fee_run")
    def test_late_fee_cron_records_a_failing_site(self):
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
        late_fee_type.active = False
        Run = self.env["site.late.fee.run"].with_context(queue_job__no_delay=True)
        with freeze_time("2026-12-04 09:00:00"):
            Run._cron_post_late_fees()
        self.assertTrue(Run.search([("company_id", "=", self.site_b.id), ("state", "=", "posted")]))
        self.assertFalse(Run.search([("company_id", "=", self.site.id)]))
        self.assertIn("late-fee charge type", self.site.site_late_fee_error)
        self.assertTrue(self.site.site_late_fee_error_date)
        self.assertFalse(self.site_b.site_late_fee_error)
        late_fee_type.active = True
        with freeze_time("2026-12-05 09:00:00"):
            Run._cron_post_late_fees()
        self.assertTrue(Run.search([("company_id", "=", self.site.id), ("state", "=", "posted")]))
        self.assertFalse(self.site.site_late_fee_error)
