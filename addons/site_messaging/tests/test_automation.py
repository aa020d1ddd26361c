from datetime import date
from decimal import Decimal

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.site_dues.models.site_ledger import Charge
from odoo.addons.site_dues.tests.common import TwoSitesCase

from .common import MessagingCase

JAN = date(2026, 1, 1)
DUE = date(2026, 1, 10)  # the site's charges of January fall due on the 10th


@tagged("post_install", "-at_install")
class TestAutomaticMessages(MessagingCase):
    """The site's automatic messages: the charge notices of an accrual run, reminders
    before the due date and overdue reminders by level, each once per person and
    occasion, none when switched off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.notice_template = cls.make_template(
            "Charge notice", "Notice of {{unit}}: {{balance}}, due {{due_date}}."
        )
        cls.due_template = cls.make_template("Due soon", "{{unit}}: {{balance}} due {{due_date}}.")
        cls.first_template = cls.make_template("Overdue", "{{unit}} is overdue: {{balance}}.")
        cls.final_template = cls.make_template("Final", "Final notice for {{unit}}.")
        cls.site.write(
            {
                "site_auto_charge_notice": True,
                "site_auto_charge_notice_template_id": cls.notice_template.id,
                "site_auto_due_reminder": True,
                "site_auto_due_reminder_days": 3,
                "site_auto_due_reminder_template_id": cls.due_template.id,
                "site_auto_overdue": True,
                "site_auto_overdue_level_ids": [
                    (0, 0, {"days": 7, "template_id": cls.first_template.id}),
                    (0, 0, {"days": 60, "template_id": cls.final_template.id}),
                ],
            }
        )
        cls.Auto = cls.env["site.message.automation"]

    def accrue(self):
        """January's dues (Ali 700 on A-1, the tenant of A-2 800, Cem 900 on A-3), the
        jobs trapped: (runs, trap)."""
        with trap_jobs() as trap:
            runs = self.env["site.accrual.run"]._accrue(self.plan(amount_monthly=2400.0), JAN)
        return runs, trap

    def run_daily(self, day):
        """The site's daily job on ``day``: the messages it queued."""
        with trap_jobs():
            return self.Auto._site_daily_messages(self.site, day)

    def test_accrual_run_sends_each_charge_notice_once(self):
        runs, trap = self.accrue()
        trap.assert_jobs_count(1, only=self.Auto._job_charge_notices)
        trap.assert_enqueued_job(self.Auto._job_charge_notices, args=(runs,))
        with trap_jobs() as sends:
            trap.perform_enqueued_jobs()
        messages = self.env["site.message"].search([("template_id", "=", self.notice_template.id)])
        notices = runs.move_ids.line_ids.site_notice_id
        self.assertEqual(len(notices), 3)
        self.assertEqual(messages.partner_id, self.ali | self.tenant | self.cem)
        self.assertEqual(
            sorted(messages.mapped("document_ref")),
            sorted(f"site.charge.notice,{notice.id}" for notice in notices),
        )
        cem = messages.filtered(lambda m: m.partner_id == self.cem)
        self.assertEqual(cem.unit_id, self.u3)
        self.assertEqual(cem.body, "Notice of A-3: 900.00 ₺, due 01/10/2026.")
        sends.assert_jobs_count(1, only=messages._job_send_sms)
        # charging the month again, or the job run again, sends nothing twice
        _runs, trap = self.accrue()
        with trap_jobs() as sends:
            trap.perform_enqueued_jobs()
        self.assertEqual(self.Auto._job_charge_notices(runs), "0 charge notices queued")
        self.assertEqual(
            self.env["site.message"].search_count([("template_id", "=", self.notice_template.id)]),
            3,
        )
        sends.assert_jobs_count(0)

    def test_switched_off_sends_nothing(self):
        self.site.write({"site_auto_charge_notice": False, "site_auto_overdue": False})
        runs, trap = self.accrue()
        trap.assert_jobs_count(0, only=self.Auto._job_charge_notices)
        self.assertEqual(self.Auto._job_charge_notices(runs), "0 charge notices queued")
        self.assertFalse(self.run_daily(date(2026, 3, 31)))
        self.site.site_auto_due_reminder = False
        self.assertFalse(self.run_daily(date(2026, 1, 7)))
        self.assertFalse(self.env["site.message"].search([("company_id", "=", self.site.id)]))

    def test_an_archived_template_sends_nothing(self):
        runs, _trap = self.accrue()
        self.notice_template.active = False
        self.assertEqual(self.Auto._job_charge_notices(runs), "0 charge notices queued")

    def test_reminder_on_its_day_to_those_who_have_not_paid(self):
        self.accrue()
        self.env["site.ledger"]._post_charges(
            self.site,
            JAN,
            [
                Charge(
                    self.u2.id,
                    self.berk.id,
                    self.dues.id,
                    Decimal("50.00"),
                    date(2026, 1, 12),
                    "Key",
                    JAN,
                )
            ],
            "Key copy",
        )
        self.assertFalse(self.run_daily(date(2026, 1, 6)))
        # Ali paid in time: no reminder for him
        self.pay(self.ali, self.u1, 700.0)
        reminders = self.run_daily(date(2026, 1, 7))
        self.assertEqual(reminders.template_id, self.due_template)
        self.assertEqual(reminders.partner_id, self.tenant | self.cem)
        self.assertEqual(
            reminders.filtered(lambda m: m.partner_id == self.cem).body,
            "A-3: 900.00 ₺ due 01/10/2026.",
        )
        self.assertFalse(self.run_daily(date(2026, 1, 7)), "a re-run sends nothing twice")
        # Berk's charge on no notice falls due on the 12th: reminded on the 9th
        berk = self.run_daily(date(2026, 1, 9))
        self.assertEqual(berk.partner_id, self.berk)
        self.assertEqual(berk.document_ref, f"site.unit,{self.u2.id}@2026-01-12/due")

    def test_overdue_reminders_by_level_once_each(self):
        runs, _trap = self.accrue()
        notice_of = {n.partner_id: n for n in runs.move_ids.line_ids.site_notice_id}
        self.pay(self.ali, self.u1, 700.0)
        self.assertFalse(self.run_daily(date(2026, 1, 16)))  # 6 days overdue
        first = self.run_daily(date(2026, 1, 17))
        self.assertEqual(first.template_id, self.first_template)
        self.assertEqual(first.partner_id, self.tenant | self.cem)
        self.assertEqual(
            first.filtered(lambda m: m.partner_id == self.cem).document_ref,
            f"site.charge.notice,{notice_of[self.cem].id}/overdue-7",
        )
        self.assertFalse(self.run_daily(date(2026, 1, 17)), "a re-run sends nothing twice")
        self.assertFalse(self.run_daily(date(2026, 2, 20)), "level 7 is sent once")
        # a template changed since does not send the level again
        self.site.site_auto_overdue_level_ids.filtered(
            lambda lvl: lvl.days == 7
        ).template_id = self.template
        self.assertFalse(self.run_daily(date(2026, 2, 21)))
        self.pay(self.tenant, self.u2, 800.0)
        final = self.run_daily(date(2026, 3, 11))  # 60 days overdue
        self.assertEqual(final.template_id, self.final_template)
        self.assertEqual(final.partner_id, self.cem)
        self.assertEqual(final.body, "Final notice for A-3.")
        self.assertFalse(self.run_daily(date(2026, 3, 12)))

    def test_a_debt_found_late_gets_its_highest_level_only(self):
        self.accrue()
        messages = self.run_daily(date(2026, 6, 1))
        self.assertEqual(messages.template_id, self.final_template)
        self.assertEqual(len(messages), 3)

    def test_daily_cron_queues_one_job_per_site_with_messages_on(self):
        with trap_jobs() as trap:
            self.Auto._cron_daily()
        sites = [job.args[0] for job in trap.enqueued_jobs]
        self.assertEqual(sites.count(self.site), 1)
        job = next(job for job in trap.enqueued_jobs if job.args[0] == self.site)
        self.assertEqual(job.channel, "root.site_messaging.auto")
        self.site.write({"site_auto_due_reminder": False, "site_auto_overdue": False})
        with trap_jobs() as trap:
            self.Auto._cron_daily()
        self.assertNotIn(self.site, [job.args[0] for job in trap.enqueued_jobs])

    def test_daily_job_run_twice_sends_once(self):
        self.accrue()
        Auto = self.Auto.with_context(queue_job__no_delay=True)
        self.assertEqual(Auto._job_site_daily(self.site, date(2026, 1, 7)), "3 messages queued")
        self.assertEqual(Auto._job_site_daily(self.site, date(2026, 1, 7)), "0 messages queued")

    def test_switched_on_without_template_is_refused(self):
        for values, error in (
            ({"site_auto_due_reminder": True}, "Due Date Reminder Template"),
            ({"site_auto_charge_notice_template_id": self.template.id}, "site's own templates"),
            ({"site_auto_due_reminder": True, "site_auto_due_reminder_days": 0}, "Days Before"),
            ({"site_auto_overdue": True}, "Overdue Levels"),
        ):
            with self.assertRaisesRegex(ValidationError, error), self.env.cr.savepoint():
                self.env["res.company"].create(dict(name="Another Site", is_site=True, **values))
        with self.assertRaisesRegex(ValidationError, "Days Overdue"):
            self.site.site_auto_overdue_level_ids[:1].days = 0

    def pay(self, partner, unit, amount):
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.site.id), ("type", "=", "bank")], limit=1
        )
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "journal_id": journal.id,
                "site_unit_id": unit.id,
                "date": date(2026, 1, 5),
            }
        )
        payment.action_post()
        return payment


@tagged("post_install", "-at_install")
class TestOverdueLevelAccess(TwoSitesCase):
    """A site's overdue levels are seen by its own people only, and changed by its
    managers only."""

    def test_levels_of_another_site_are_out_of_reach(self):
        Template = self.env["site.message.template"]
        levels = self.env["site.message.overdue.level"].create(
            [
                {
                    "company_id": site.id,
                    "days": 7,
                    "template_id": Template.create(
                        {"name": "Overdue", "company_id": site.id, "body": "Pay {{balance}}."}
                    ).id,
                }
                for site in self.site | self.site_b
            ]
        )
        level_a, level_b = levels
        Level = self.env["site.message.overdue.level"]
        self.assertEqual(Level.with_env(self.as_user(self.board_a)).search([]), level_a)
        self.assertEqual(Level.with_env(self.as_user(self.board_b)).search([]), level_b)
        with self.assertRaises(AccessError):
            level_b.with_env(self.as_user(self.board_a)).read(["days"])
        with self.assertRaises(AccessError):
            level_a.with_env(self.as_user(self.board_a)).days = 10
        manager_a = self.site_user("auto_manager_a", "site_residents.group_site_manager", self.site)
        level_a.with_env(self.as_user(manager_a)).days = 10
        self.assertEqual(level_a.days, 10)
        with self.assertRaises(AccessError):
            level_b.with_env(self.as_user(manager_a)).days = 10
