from datetime import date

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.site_messaging.tests.common import MessagingCase
from odoo.addons.site_metering.tests.common import MeteringCase


@tagged("post_install", "-at_install")
class TestMeteringMessages(MessagingCase, MeteringCase):
    """MessagingCase's people on MeteringCase's site: a water meter and an allocator in
    each flat, the reading window from the 20th to the 25th."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.write({"site_reading_window_start": 20, "site_reading_window_end": 25})
        cls.expense_template = cls.make_template(
            "Expense notice", "Expenses of {{unit}}: you owe {{balance}}."
        )
        cls.window_template = cls.make_template(
            "Readings", "Read the meters of {{unit}}: {{reading_window}}."
        )
        cls.site.write(
            {
                "site_auto_expense_notice": True,
                "site_auto_expense_notice_template_id": cls.expense_template.id,
                "site_auto_reading_window": True,
                "site_auto_reading_window_template_id": cls.window_template.id,
            }
        )
        cls.Auto = cls.env["site.message.automation"]

    def electricity(self):
        """The common electricity, 300 ₺ in equal parts over December 2025."""
        allocation = self.env["site.cost.allocation"].create(
            {
                "company_id": self.site.id,
                "date_from": date(2025, 11, 20),
                "date_to": date(2025, 12, 20),
                "amount_total": 300.0,
                "part_ids": [
                    (
                        0,
                        0,
                        {
                            "part_type": "electricity",
                            "method": "key",
                            "area_key": "equal",
                            "amount": 300.0,
                        },
                    )
                ],
            }
        )
        allocation.action_compute()
        return allocation

    def daily(self, day):
        with trap_jobs():
            return self.Auto._site_daily_messages(self.site, day)

    def test_posted_cost_allocation_sends_its_expense_notices_once(self):
        allocation = self.electricity()
        with trap_jobs() as trap:
            allocation.action_post()
        trap.assert_enqueued_job(self.Auto._job_expense_notices, args=(allocation,))
        with trap_jobs():
            trap.perform_enqueued_jobs()
        messages = self.env["site.message"].search([("template_id", "=", self.expense_template.id)])
        charged = allocation.move_ids.line_ids.filtered("site_unit_id").partner_id
        self.assertEqual(messages.partner_id, charged)
        self.assertEqual(
            set(messages.mapped("document_ref")), {f"site.cost.allocation,{allocation.id}"}
        )
        cem = messages.filtered(lambda m: m.partner_id == self.cem)
        self.assertEqual(cem.body, "Expenses of A-3: you owe 100.00 ₺.")
        # posting again, or the job run again, sends nothing twice
        with trap_jobs():
            allocation.action_post()
            self.assertEqual(self.Auto._job_expense_notices(allocation), "0 expense notices queued")

    def test_expense_notices_switched_off(self):
        self.site.site_auto_expense_notice = False
        allocation = self.electricity()
        with trap_jobs() as trap:
            allocation.action_post()
        trap.assert_jobs_count(0, only=self.Auto._job_expense_notices)
        self.assertEqual(self.Auto._job_expense_notices(allocation), "0 expense notices queued")

    def test_reading_window_opening_once_a_month(self):
        self.assertFalse(self.daily(date(2026, 3, 19)))
        # A-3's meters are removed: its owner has nothing to read
        (self.water | self.allocators).filtered(lambda m: m.unit_id == self.u3).state = "removed"
        messages = self.daily(date(2026, 3, 20))
        self.assertEqual(messages.partner_id, self.ali | self.berk | self.tenant)
        tenant = messages.filtered(lambda m: m.partner_id == self.tenant)
        self.assertEqual(tenant.unit_id, self.u2)
        berk = messages.filtered(lambda m: m.partner_id == self.berk)
        self.assertEqual(berk.body, "Read the meters of A-2: 03/20/2026 – 03/25/2026.")
        self.assertFalse(self.daily(date(2026, 3, 20)), "a re-run sends nothing twice")
        self.assertFalse(self.daily(date(2026, 3, 21)))
        self.assertEqual(len(self.daily(date(2026, 4, 20))), 3)
        self.site.site_auto_reading_window = False
        self.assertFalse(self.daily(date(2026, 5, 20)))

    def test_window_of_a_day(self):
        window = self.Auto._site_reading_window_dates
        self.assertEqual(
            window(self.site, date(2026, 3, 20)), (date(2026, 3, 20), date(2026, 3, 25))
        )
        self.assertEqual(
            window(self.site, date(2026, 3, 31)), (date(2026, 3, 20), date(2026, 3, 25))
        )
        self.assertEqual(
            window(self.site, date(2026, 3, 5)), (date(2026, 2, 20), date(2026, 2, 25))
        )
        self.site.write({"site_reading_window_start": 28, "site_reading_window_end": 31})
        self.assertEqual(
            window(self.site, date(2026, 2, 28)), (date(2026, 2, 28), date(2026, 2, 28))
        )

    def test_readings_missing_audience(self):
        # March's window: A-1 fully read, A-2 only its water meter, A-3 nothing
        self.read_all(self.water[:2] | self.allocators[:1], date(2026, 3, 21), [10.0, 20.0, 100.0])
        # a rejected reading does not count
        self.read(self.allocators[2], date(2026, 3, 22), 50.0).state = "rejected"
        wizard = self.wizard(
            audience="readings_missing",
            reading_date_from=date(2026, 3, 20),
            reading_date_to=date(2026, 3, 25),
        )
        recipients = wizard._recipients()
        self.assertEqual(set(recipients), {self.berk, self.tenant, self.cem})
        self.assertEqual(recipients[self.tenant], self.u2)
        # the person of several units hears about those with readings missing only
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u1.id,
                "partner_id": self.cem.id,
                "role": "tenant",
                "date_from": date(2024, 1, 1),
            }
        )
        self.assertEqual(wizard._recipients()[self.cem], self.u3)
        # April's window: nothing read yet
        april = self.wizard(
            audience="readings_missing",
            reading_date_from=date(2026, 4, 20),
            reading_date_to=date(2026, 4, 25),
        )
        self.assertEqual(len(april._recipients()), 4)
        self.assertEqual(april.recipient_count, 4)

    def test_readings_missing_defaults_to_the_current_window(self):
        wizard = self.env["site.message.wizard"].new(
            {"company_id": self.site.id, "template_id": self.window_template.id}
        )
        wizard.audience = "readings_missing"
        wizard._onchange_audience_reading_window()
        first, last = self.Auto._site_reading_window_dates(self.site, date.today())
        self.assertEqual((wizard.reading_date_from, wizard.reading_date_to), (first, last))
        self.assertEqual((first.day, last.day), (20, 25))
