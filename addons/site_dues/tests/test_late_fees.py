from datetime import date
from decimal import Decimal

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from ..engine import late_fees
from ..models.site_ledger import Charge


@tagged("post_install", "-at_install")
class TestLateFees(TransactionCase):
    """A site per country with its books, one flat and its owner in each (DOMAIN.md §3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.sites = {}
        for code, chart, currency in (
            ("TR", "tr", "TRY"),
            ("PL", "pl", "PLN"),
            ("UA", "ua_psbo", "UAH"),
        ):
            site = cls.env["res.company"].create(
                {
                    "name": f"Late Fee Site {code}",
                    "is_site": True,
                    "country_id": cls.env.ref(f"base.{code.lower()}").id,
                    "currency_id": cls.env.ref(f"base.{currency}").id,
                }
            )
            cls.env.user.company_ids |= site
            cls.env["account.chart.template"].try_loading(chart, site, install_demo=False)
            site._site_dues_setup()
            cls.sites[code] = site
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[s.id for s in cls.sites.values()])
        )
        cls.tr, cls.pl, cls.ua = (cls.sites[code] for code in ("TR", "PL", "UA"))
        cls.units, cls.owners = {}, {}
        for code, site in cls.sites.items():
            cls.units[code] = cls.env["site.unit"].create(
                {"code": f"{code}-1", "company_id": site.id}
            )
            cls.owners[code] = cls.env["res.partner"].create({"name": f"Owner {code}"})
            cls.env["site.unit.relation"].create(
                {
                    "unit_id": cls.units[code].id,
                    "partner_id": cls.owners[code].id,
                    "date_from": date(1990, 1, 1),
                }
            )
        cls.Run = cls.env["site.late.fee.run"]

    # --- helpers -----------------------------------------------------------------

    def charge(self, site, amount, due, label=None, count=1):
        """Post ``count`` charges of ``amount`` due on ``due``; returns their lines."""
        code = site.country_id.code
        dues = site.site_charge_type_ids.filtered(lambda t: t.code == "DUES")
        period = due.replace(day=1)
        label = label or f"Dues {period:%Y-%m}"
        charges = [
            Charge(
                self.units[code].id,
                self.owners[code].id,
                dues.id,
                Decimal(amount),
                due,
                label,
                period,
            )
        ] * count
        moves = self.env["site.ledger"]._post_charges(site, period, charges, label)
        return moves.line_ids.filtered("site_unit_id")

    def pay(self, debts, amount, day):
        """A bank receipt of ``amount`` for each of ``debts`` on ``day``, matched with it."""
        site = debts.company_id
        bank = self.env["account.journal"].search(
            [("company_id", "=", site.id), ("type", "=", "bank")], limit=1
        )
        move = (
            self.env["account.move"]
            .with_company(site)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": bank.id,
                    "date": day,
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": bank.default_account_id.id,
                                "balance": amount * len(debts),
                            }
                        )
                    ]
                    + [
                        Command.create(
                            {
                                "account_id": debt.account_id.id,
                                "partner_id": debt.partner_id.id,
                                "site_unit_id": debt.site_unit_id.id,
                                "balance": -amount,
                            }
                        )
                        for debt in debts
                    ],
                }
            )
        )
        move.action_post()
        credits = move.line_ids.filtered("site_unit_id")
        for debt, credit in zip(debts, credits):
            (debt + credit).reconcile()
        return credits

    def run_fees(self, site, until):
        return self.Run.with_company(site)._run(site, until)

    def fees(self, debt):
        """Late fees posted (net of reversals) on ``debt``."""
        posted = self.env["site.late.fee.line"]._posted_on_lines(debt)
        return float(posted.get(debt.id, 0))

    # --- settings ----------------------------------------------------------------

    def test_site_defaults_follow_the_country(self):
        self.assertEqual(
            [(s.site_late_fee_method, s.site_late_fee_rate) for s in (self.tr, self.pl, self.ua)],
            [("turkey", 5.0), ("poland", 0.0), ("ukraine", 0.01)],
        )
        other = self.env["res.company"].create(
            {"name": "Not a site", "country_id": self.tr.country_id.id}
        )
        self.assertEqual(other.site_late_fee_method, "none")
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.tr.site_late_fee_rate = 5.5  # above KMK art. 20's 5 % a month
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.ua.site_late_fee_rate = 0.02  # above 0.01 % a day
        self.tr.site_late_fee_rate = 3.0
        self.assertEqual(self.tr._site_late_fee_rule().monthly_rate, Decimal("0.03"))

    def test_polish_rate_table_is_the_statutory_one(self):
        self.assertEqual(
            self.env["site.late.fee.rate"]._engine_rates(), late_fees.POLAND_STATUTORY_RATES
        )

    # --- Turkey ------------------------------------------------------------------

    def test_turkey_worked_example(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        run = self.run_fees(self.tr, date(2025, 3, 17))
        # 1,000.00 x 5 % x 45 days / 30
        fee = run.move_ids.line_ids.filtered("site_unit_id")
        self.assertEqual(fee.balance, 75.0)
        detail = self.env["site.late.fee.line"].search([("run_id", "=", run.id)])
        self.assertEqual(
            (detail.unit_id, detail.fee_line_id, detail.amount, detail.debt_amounts),
            (debt.site_unit_id, fee, 75.0, {str(debt.id): 75.0}),
        )
        self.assertIn("75.00", detail.breakdown)
        self.assertIn(debt.move_name, detail.breakdown)
        self.assertEqual(fee.site_charge_type_id.kind, "late_fee")
        self.assertEqual((fee.site_unit_id, fee.partner_id), (debt.site_unit_id, debt.partner_id))
        self.assertEqual(fee.date_maturity, date(2025, 4, 1))  # 15 days after the run's day
        self.assertEqual(fee.site_period, date(2025, 3, 1))
        self.assertEqual(fee.name, "Late fees up to 2025-03-17")
        self.assertEqual(fee.move_id.date, date(2025, 3, 17))
        self.assertEqual(fee.move_id.state, "posted")
        self.assertEqual(
            (run.state, run.debt_count, run.fee_count, run.amount_total), ("posted", 1, 1, 75.0)
        )

    def test_turkey_partial_payment(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        self.pay(debt, 400.0, date(2025, 2, 15))
        self.run_fees(self.tr, date(2025, 3, 17))
        # 15 days on 1,000.00 (the payment's day still bears it), then 30 days on 600.00
        self.assertEqual(self.fees(debt), 55.0)

    def test_running_twice_posts_nothing_more(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        first = self.run_fees(self.tr, date(2025, 3, 17))
        again = self.run_fees(self.tr, date(2025, 3, 17))
        self.assertEqual(again, first)
        self.assertEqual(self.Run.search_count([("company_id", "=", self.tr.id)]), 1)
        self.assertEqual(self.fees(debt), 75.0)
        # a draft run of the same day is refused
        draft = self.Run.create({"company_id": self.tr.id, "date": date(2025, 3, 17)})
        with self.assertRaises(UserError):
            draft.action_post()
        # a later day posts only its own days: 55 days = 91.67 in all
        later = self.run_fees(self.tr, date(2025, 3, 27))
        self.assertEqual(later.amount_total, 16.67)
        self.assertEqual(self.fees(debt), 91.67)
        # an earlier day, run late, posts nothing
        self.assertEqual(self.run_fees(self.tr, date(2025, 3, 20)).fee_count, 0)
        self.assertEqual(self.fees(debt), 91.67)

    def test_missed_days_post_exactly_the_missing_fees(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        self.run_fees(self.tr, date(2025, 2, 10))
        self.assertEqual(self.fees(debt), 16.67)  # 10 days
        # the 11th to the 19th were missed; a run made by hand in the form
        run = self.Run.create({"company_id": self.tr.id, "date": date(2025, 2, 20)})
        run.action_post()
        self.assertEqual(run.state, "posted")
        self.assertEqual(run.amount_total, 16.66)
        self.assertEqual(self.fees(debt), 33.33)  # 20 days

    def test_day_by_day_equals_one_run_at_month_end(self):
        a = self.charge(self.tr, "1000.00", date(2025, 1, 31), "Dues 2025-01")
        b = self.charge(self.tr, "500.00", date(2025, 2, 5), "Elevator 2025-02")
        runs = self.Run
        for day in range(1, 29):
            today = date(2025, 2, day)
            if day == 15:
                self.pay(a, 400.0, today)  # recorded before the day's run
            runs |= self.run_fees(self.tr, today)
            if day == 20:
                self.pay(b, 500.0, today)  # recorded after it: settled, still charged
        self.assertEqual(len(runs), 28)
        # a: 15 days on 1,000.00 + 13 days on 600.00; b: 15 days (6th to 20th) on 500.00
        daily = (self.fees(a), self.fees(b))
        self.assertEqual(daily, (38.0, 12.5))
        self.assertEqual(round(sum(runs.mapped("amount_total")), 2), 50.5)

        with self.assertRaises(UserError):
            runs[0].action_cancel()  # the earliest run: later runs must go first
        runs.action_cancel()
        self.assertEqual(set(runs.mapped("state")), {"cancelled"})
        self.assertEqual((self.fees(a), self.fees(b)), (0.0, 0.0))

        month_end = self.run_fees(self.tr, date(2025, 2, 28))
        self.assertNotIn(month_end, runs)
        self.assertEqual(month_end.fee_count, 2)
        self.assertEqual((self.fees(a), self.fees(b)), daily)

    def test_fees_are_on_the_units_notice_of_their_month(self):
        self.charge(self.tr, "1000.00", date(2025, 1, 31))
        with freeze_time("2025-03-10"):
            self.env["site.ledger"]._post_month(  # March's notice, made on the 10th
                self.tr,
                date(2025, 3, 1),
                date(2025, 3, 31),
                [
                    (
                        self.units["TR"].id,
                        self.owners["TR"].id,
                        self.tr.site_charge_type_ids.filtered(lambda t: t.code == "DUES").id,
                        Decimal("100.00"),
                        "Dues 2025-03",
                    )
                ],
                "DUES 2025-03",
            )
            run = self.run_fees(self.tr, date(2025, 3, 17))
            self.assertEqual(self.run_fees(self.tr, date(2025, 3, 17)), run)
        fee = run.move_ids.line_ids.filtered("site_unit_id")
        notice = fee.site_notice_id
        self.assertEqual(
            (notice.unit_id, notice.partner_id, notice.period),
            (self.units["TR"], self.owners["TR"], date(2025, 3, 1)),
        )
        self.assertEqual(
            notice.line_ids.filtered(lambda line: line.site_charge_type_id.kind == "late_fee"),
            fee,
        )
        self.assertEqual(notice.date, date(2025, 3, 17), "balance on the fees' day")
        self.assertEqual(
            (
                notice.previous_balance,
                notice.amount_charges,
                notice.amount_late_fees,
                notice.amount_total,
            ),
            (1000.0, 100.0, 75.0, 1175.0),
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("site_dues.action_report_site_charge_notice", notice.ids)[0]
            .decode()
        )
        self.assertIn("Late fees up to 2025-03-17", html)
        self.assertIn('name="notice_late_fees"', html)
        # a later run of the month: the same notice, on the later day
        later = self.run_fees(self.tr, date(2025, 3, 27))
        self.assertEqual(later.move_ids.line_ids.filtered("site_unit_id").site_notice_id, notice)
        notice.invalidate_recordset()
        self.assertEqual((notice.date, notice.amount_late_fees), (date(2025, 3, 27), 91.67))
        self.assertEqual(len(notice.line_ids), 3)

    def test_a_fees_notice_falls_due_with_the_fees(self):
        self.charge(self.tr, "1000.00", date(2025, 1, 31))
        with freeze_time("2025-03-01"):
            run = self.run_fees(self.tr, date(2025, 3, 17))
        notice = run.move_ids.line_ids.site_notice_id
        self.assertEqual(
            (notice.date, notice.due_date, run.due_date),
            (date(2025, 3, 17), date(2025, 4, 1), date(2025, 4, 1)),
        )
        self.assertEqual(notice.amount_late_fees, 75.0)

    def test_cancel_reverses_on_the_later_of_today_and_the_runs_day(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        credit = self.pay(debt, 1100.0, date(2025, 3, 1))
        run = self.run_fees(self.tr, date(2025, 3, 17))
        self.assertEqual(credit.amount_residual, -51.67, "the overpayment settled the fee")
        with freeze_time("2025-03-10"):
            run.action_cancel()
        self.assertEqual(run.state, "cancelled")
        self.assertEqual(run.reversal_move_ids.reversed_entry_id, run.move_ids)
        self.assertEqual(run.reversal_move_ids.date, date(2025, 3, 17))
        self.assertIn(run.reversal_move_ids, Form(run).reversal_move_ids)
        self.assertEqual(credit.amount_residual, -100.0, "the credit is open again")
        lines = self.env["account.move.line"].search(run.action_view_moves()["domain"])
        self.assertEqual(lines.move_id, run.move_ids | run.reversal_move_ids)
        self.assertEqual(self.fees(debt), 0.0)
        again = self.run_fees(self.tr, date(2025, 3, 18))
        with freeze_time("2025-04-02"):
            again.action_cancel()
        self.assertEqual(again.reversal_move_ids.date, date(2025, 4, 2))

    def test_grace_days(self):
        self.tr.site_late_fee_grace_days = 10
        in_grace, late = self.charge(self.tr, "1000.00", date(2025, 1, 31), count=2)
        self.pay(in_grace, 1000.0, date(2025, 2, 8))
        self.pay(late, 1000.0, date(2025, 2, 12))
        self.assertEqual(self.run_fees(self.tr, date(2025, 2, 10)).fee_count, 0)  # grace runs
        self.run_fees(self.tr, date(2025, 2, 28))
        self.assertEqual(self.fees(in_grace), 0.0)
        self.assertEqual(self.fees(late), 20.0)  # from the first day: 12 days

    def test_minimum_amount_waits_until_reached(self):
        self.tr.site_late_fee_min_amount = 5.0
        debt = self.charge(self.tr, "300.00", date(2025, 1, 31))  # 0.50 a day
        self.assertEqual(self.run_fees(self.tr, date(2025, 2, 9)).fee_count, 0)  # 4.50
        self.assertEqual(self.run_fees(self.tr, date(2025, 2, 10)).amount_total, 5.0)
        self.assertEqual(self.run_fees(self.tr, date(2025, 2, 15)).fee_count, 0)  # 2.50 more
        self.assertEqual(self.run_fees(self.tr, date(2025, 2, 20)).amount_total, 5.0)
        self.assertEqual(self.fees(debt), 10.0)

    def test_frozen_from_a_legal_case(self):
        self.tr.site_late_fee_freeze_legal = True
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        debt.site_late_fee_frozen_from = date(2025, 3, 1)
        self.run_fees(self.tr, date(2025, 3, 17))
        self.assertEqual(self.fees(debt), 46.67)  # February only: 28 days
        # where the site does not freeze fees, the date is ignored: 46 days = 76.67
        self.tr.site_late_fee_freeze_legal = False
        self.assertEqual(self.run_fees(self.tr, date(2025, 3, 18)).amount_total, 30.0)

    def test_late_fees_from_a_start_date(self):
        self.tr.site_late_fee_date_start = date(2025, 3, 1)
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        self.run_fees(self.tr, date(2025, 3, 17))
        self.assertEqual(self.fees(debt), 28.33)  # 1 to 17 March only

    def test_overpayment_settles_the_new_fee(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        credit = self.pay(debt, 1100.0, date(2025, 3, 1))
        self.assertEqual(credit.amount_residual, -100.0)
        run = self.run_fees(self.tr, date(2025, 3, 17))
        fee = run.move_ids.line_ids.filtered("site_unit_id")
        self.assertEqual(fee.balance, 48.33)  # 29 days: 1 February to the payment's day
        self.assertTrue(fee.reconciled)
        self.assertEqual(credit.amount_residual, -51.67)

    def test_reversed_charge_bears_no_fee(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        debt.move_id._reverse_moves([{"date": date(2025, 3, 1)}], cancel=True)
        self.assertTrue(debt.reconciled)
        self.assertEqual(self.run_fees(self.tr, date(2025, 3, 17)).fee_count, 0)

    def test_charge_types_without_late_fees(self):
        self.tr.site_charge_type_ids.filtered(lambda t: t.code == "DUES").late_fee_applies = False
        self.charge(self.tr, "1000.00", date(2025, 1, 31))
        run = self.run_fees(self.tr, date(2025, 3, 17))
        self.assertEqual((run.debt_count, run.fee_count), (0, 0))
        # and no fee on the fees themselves
        self.tr.site_charge_type_ids.filtered(lambda t: t.code == "DUES").late_fee_applies = True
        self.run_fees(self.tr, date(2025, 3, 18))
        late_fee_type = self.tr._site_late_fee_type()
        late_fee_type.late_fee_applies = True
        self.assertEqual(self.run_fees(self.tr, date(2025, 4, 30)).debt_count, 1)

    # --- Poland ------------------------------------------------------------------

    def test_poland_rate_change_inside_the_period(self):
        debt = self.charge(self.pl, "10000.00", date(2025, 4, 30))
        self.run_fees(self.pl, date(2025, 5, 31))
        # 7 days at 11.25 % and 24 days from 8 May at 10.75 %, a year of 365 days
        self.assertEqual(self.fees(debt), 92.26)

    def test_poland_new_rate_row(self):
        debt = self.charge(self.pl, "10000.00", date(2025, 10, 31))
        self.env["site.late.fee.rate"].create({"date_from": date(2025, 11, 6), "rate": 9.75})
        self.run_fees(self.pl, date(2025, 11, 30))
        # 5 days at 10.0 % + 25 days at 9.75 %: 10,000 x 293.75 / 36,500
        self.assertEqual(self.fees(debt), 80.48)

    # --- Ukraine -----------------------------------------------------------------

    def test_ukraine_first_working_day_and_pause(self):
        debt = self.charge(self.ua, "1000.00", date(2025, 1, 31))  # a Friday
        self.run_fees(self.ua, date(2025, 2, 3))  # Monday: the first day
        self.assertEqual(self.fees(debt), 0.10)
        self.env["site.late.fee.pause"].create(
            {
                "company_id": self.ua.id,
                "date_from": date(2025, 2, 10),
                "date_to": date(2025, 2, 16),
                "reason": "Resolution No. 206",
            }
        )
        self.run_fees(self.ua, date(2025, 2, 28))
        # 3 to 28 February: 26 days, 7 of them paused, 0.01 % a day
        self.assertEqual(self.fees(debt), 1.90)

    def test_ukraine_cap_is_the_debt(self):
        debt = self.charge(self.ua, "1000.00", date(1995, 1, 31))
        self.run_fees(self.ua, date(2008, 10, 9))  # 5,000 days from 1 February 1995
        self.assertEqual(self.fees(debt), 500.0)
        self.run_fees(self.ua, date(2025, 6, 30))  # over 10,000 days
        self.assertEqual(self.fees(debt), 1000.0)
        self.assertEqual(self.run_fees(self.ua, date(2025, 7, 31)).fee_count, 0)

    # --- batching, cron, access --------------------------------------------------

    def test_gathering_is_batched(self):
        def queries(count):
            debts = self.charge(self.tr, "100.00", date(2024, 1, 31), count=count)
            self.pay(debts, 10.0, date(2024, 2, 15))
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            found, payers = self.Run._gather(self.tr, date(2025, 3, 17))
            self.env["site.late.fee.line"]._posted_on(
                self.tr, {debt.key: (payers[debt.key][0], debt.due_date) for debt in found}
            )
            self.assertEqual(len([d for d in found if d.key in debts.ids]), count)
            return self.env.cr.sql_log_count - before

        self.assertEqual(queries(2), queries(30))

    def test_cron_runs_every_site_with_late_fees(self):
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        self.pl.site_late_fee_frequency = "monthly"
        self.ua.site_late_fee_method = "none"
        commits = []
        self.patch(
            type(self.env["ir.cron"]),
            "_commit_progress",
            lambda cron, processed=0, **kwargs: commits.append(processed) or float("inf"),
        )
        with freeze_time("2025-03-17 09:00:00"):
            self.Run.with_context(queue_job__no_delay=True)._cron_post_late_fees()
        self.assertEqual(self.fees(debt), 75.0)
        runs = self.Run.search([("company_id", "in", [self.tr.id, self.pl.id, self.ua.id])])
        self.assertEqual(
            {(run.company_id, run.date) for run in runs},
            {(self.tr, date(2025, 3, 17)), (self.pl, date(2025, 2, 28))},
        )
        self.assertGreaterEqual(len(commits), 2)

    def test_access(self):
        def user(login, group):
            return self.env["res.users"].create(
                {
                    "name": login,
                    "login": login,
                    "company_id": self.tr.id,
                    "company_ids": [Command.set(self.tr.ids)],
                    "group_ids": [Command.set(self.env.ref(group).ids)],
                }
            )

        accountant = user("lf_accountant", "site_residents.group_site_accountant")
        board = user("lf_board", "site_residents.group_site_board")
        debt = self.charge(self.tr, "1000.00", date(2025, 1, 31))
        Run = self.Run.with_context(allowed_company_ids=self.tr.ids)
        run = Run.with_user(accountant)._run(self.tr, date(2025, 3, 17))
        self.assertEqual(self.fees(debt), 75.0)
        self.assertEqual(run.with_user(board).amount_total, 75.0)
        with self.assertRaises(AccessError):
            Run.with_user(board).create({"company_id": self.tr.id, "date": date(2025, 3, 18)})
        rates = self.env["site.late.fee.rate"].with_context(allowed_company_ids=self.tr.ids)
        self.assertTrue(rates.with_user(board).search([]))
        with self.assertRaises(AccessError):
            rates.with_user(accountant).create({"date_from": date(2030, 1, 1), "rate": 9.0})
        # the breakdown is read with the run: its debts by the board too
        lines = self.env["site.late.fee.line"].with_context(allowed_company_ids=self.tr.ids)
        self.assertEqual(lines.with_user(board).search([]).mapped("debt_count"), [1])
        self.assertIn(debt.move_name, run.with_user(board).line_ids.breakdown)
        # another site's runs and breakdowns are out of sight
        pl_debt = self.charge(self.pl, "1000.00", date(2025, 1, 31))
        pl_run = self.run_fees(self.pl, date(2025, 3, 17))
        self.assertTrue(pl_run.line_ids)
        self.assertFalse(Run.with_user(accountant).search([("company_id", "=", self.pl.id)]))
        self.assertEqual(lines.with_user(accountant).search([]).run_id, run)
        with self.assertRaises(AccessError):
            pl_run.line_ids.with_user(board).read(["debt_amounts"])
        self.assertTrue(self.fees(pl_debt))
