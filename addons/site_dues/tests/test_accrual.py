import base64
from datetime import date
from decimal import Decimal

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import DuesCase

DECEMBER = date(2026, 12, 1)
NOTICE_REPORT = "site_dues.action_report_site_charge_notice"


@tagged("post_install", "-at_install")
class TestAccrual(DuesCase):
    def accrue(self, plans, period=DECEMBER):
        return self.env["site.accrual.run"]._accrue(plans, period)

    def test_land_share_split_sums_to_the_plan_and_posts(self):
        run = self.accrue(self.plan(amount_monthly=1000.0))
        # 70/240, 80/240, 90/240 of 1000.00: 291.666…, 333.333…, 375.00
        self.assertEqual(self.amounts_by_unit(run), {"A-1": 291.67, "A-2": 333.33, "A-3": 375.0})
        self.assertEqual((run.state, run.line_count, run.amount_total), ("posted", 3, 1000.0))
        self.assertEqual(run.due_date, date(2026, 12, 10))
        move = run.move_ids
        self.assertEqual(move.state, "posted")
        income = move.line_ids - self.receivables(run)
        self.assertEqual(income.balance, -1000.0)
        self.assertEqual(income.account_id, self.dues.income_account_id)
        lines = self.receivables(run)
        self.assertEqual(lines.partner_id, self.owners)
        self.assertEqual(set(lines.mapped("date_maturity")), {date(2026, 12, 10)})
        self.assertEqual(lines.site_charge_type_id, self.dues)
        self.assertEqual(set(lines.mapped("site_period")), {DECEMBER})
        notices = lines.site_notice_id
        self.assertEqual(len(notices), 3)
        self.assertEqual(sorted(notices.mapped("amount_total")), [291.67, 333.33, 375.0])

    def test_charge_labels_read_the_month_in_the_sites_language(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.dues.with_context(lang="tr_TR").name = "Aidat"
        self.site.partner_id.lang = "tr_TR"
        run = self.accrue(self.plan(amount_monthly=1000.0))
        self.assertEqual(set(self.receivables(run).mapped("name")), {"Aidat Aralık 2026"})

    def test_rounding_to_whole_units_places_the_remainder(self):
        run = self.accrue(self.plan(amount_monthly=1000.0, rounding="unit"))
        self.assertEqual(self.amounts_by_unit(run), {"A-1": 292.0, "A-2": 333.0, "A-3": 375.0})

    def test_other_keys(self):
        self.env["site.unit.persons"].create(
            [
                {"unit_id": self.u1.id, "date": date(2026, 1, 1), "persons": 1},
                {"unit_id": self.u2.id, "date": date(2026, 1, 1), "persons": 3},
            ]
        )
        cases = {
            "equal": {"A-1": 333.34, "A-2": 333.33, "A-3": 333.33},
            "area_net": {"A-1": 266.67, "A-2": 333.33, "A-3": 400.0},
            "persons": {"A-1": 250.0, "A-2": 750.0},
        }
        for key, expected in cases.items():
            with self.subTest(key=key):
                run = self.accrue(self.plan(name=key, allocation_key=key))
                self.assertEqual(self.amounts_by_unit(run), expected)

    def test_fixed_per_type_and_exempt_units(self):
        flat = self.env.ref("site_residents.unit_type_flat_2_1")
        shop = self.env.ref("site_residents.unit_type_shop")
        self.u1.type_id = flat
        self.u2.type_id = flat
        self.u3.type_id = shop
        plan = self.plan(
            allocation_key="type_fixed",
            type_amount_ids=[
                (0, 0, {"type_id": flat.id, "amount": 150}),
                (0, 0, {"type_id": shop.id, "amount": 400}),
            ],
            exempt_unit_ids=[(4, self.u2.id)],
        )
        self.assertEqual(self.amounts_by_unit(self.accrue(plan)), {"A-1": 150.0, "A-3": 400.0})

    def test_month_amount_overrides_the_monthly_amount(self):
        plan = self.plan(month_ids=[(0, 0, {"month": date(2026, 12, 15), "amount": 2400.0})])
        self.assertEqual(self.accrue(plan).amount_total, 2400.0)
        self.assertEqual(self.accrue(plan, date(2026, 11, 1)).amount_total, 1000.0)

    def test_pro_rata_when_the_owner_changes_inside_the_month(self):
        old = self.u3.relation_ids
        old.date_to = date(2026, 12, 10)
        self.env["site.unit.relation"].create(
            {"unit_id": self.u3.id, "partner_id": self.tenant.id, "date_from": date(2026, 12, 11)}
        )
        run = self.accrue(self.plan(amount_monthly=1000.0))
        lines = self.receivables(run).filtered(lambda line: line.site_unit_id == self.u3)
        # 375.00 over 31 days: 10 days to the old owner, 21 to the new one
        self.assertEqual(
            {line.partner_id.name: line.balance for line in lines},
            {"Cem": 120.97, "Deniz": 254.03},
        )
        self.assertEqual(len(lines.site_notice_id), 2, "one notice per liable partner")

    def test_tenant_pays_running_costs_owner_pays_investments(self):
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u1.id,
                "partner_id": self.tenant.id,
                "role": "tenant",
                "date_from": date(2026, 6, 1),
            }
        )
        dues = self.accrue(self.plan())
        invest = self.accrue(self.plan(name="Roof", charge_type_id=self.charge_type("INVEST").id))

        def charged(run):
            lines = self.receivables(run)
            return lines.filtered(lambda line: line.site_unit_id == self.u1).partner_id

        self.assertEqual(charged(dues), self.tenant)
        self.assertEqual(charged(invest), self.owners[0])

    def test_running_twice_charges_once(self):
        plan = self.plan()
        first = self.accrue(plan)
        moves = self.env["account.move"].search_count([("company_id", "=", self.site.id)])
        again = self.accrue(plan, date(2026, 12, 20))
        self.assertEqual(again, first)
        self.assertEqual(
            self.env["account.move"].search_count([("company_id", "=", self.site.id)]), moves
        )
        wizard = self.env["site.accrual.wizard"].create(
            {"company_id": self.site.id, "period": DECEMBER}
        )
        self.assertIn(plan, wizard.plan_ids)
        action = wizard.action_accrue()
        self.assertEqual(self.env["site.accrual.run"].search(action["domain"]), first)

    def test_cancel_reverses_and_allows_charging_again(self):
        plan = self.plan()
        run = self.accrue(plan)
        run.action_cancel()
        self.assertEqual(run.state, "cancelled")
        self.assertTrue(all(self.receivables(run).mapped("reconciled")))
        self.assertEqual(sum(self.u1.charge_line_ids.mapped("amount_residual")), 0.0)
        again = self.accrue(plan)
        self.assertNotEqual(again, run)
        self.assertEqual(again.amount_total, 1000.0)

    def test_a_cancelled_run_shows_its_reversals(self):
        run = self.accrue(self.plan())
        self.assertFalse(run.reversal_move_ids)
        run.action_cancel()
        self.assertEqual(run.reversal_move_ids.reversed_entry_id, run.move_ids)
        form = Form(run)
        self.assertEqual(len(form.reversal_move_ids), len(run.reversal_move_ids))
        for reversal in run.reversal_move_ids:
            self.assertIn(reversal, form.reversal_move_ids)
        lines = self.env["account.move.line"].search(run.action_view_moves()["domain"])
        self.assertEqual(lines.move_id, run.move_ids | run.reversal_move_ids)

    @mute_logger("odoo.sql_db")
    def test_a_concurrent_run_of_the_same_plan_is_refused(self):
        plan = self.plan()
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            namespace = self.env["site.lock"]._namespace("site.accrual.run")
            other.execute("SELECT pg_advisory_lock(%s, %s)", [namespace, plan.id])
            with self.assertRaisesRegex(UserError, "Another accrual of plan Dues 2026"):
                self.accrue(plan)
        finally:
            other.execute("SELECT pg_advisory_unlock_all()")
            other.close()
        self.assertFalse(plan.run_ids)
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint():
            run = self.accrue(plan)
            run.copy({"state": "posted"})
            self.env.flush_all()

    def test_unit_without_owner_rejects_the_whole_run(self):
        self.env["site.unit"].create({"code": "A-4", "company_id": self.site.id, "area_net": 50})
        plan = self.plan(allocation_key="area_net")
        with self.assertRaisesRegex(UserError, "Nobody is liable for these units .*: A-4"):
            self.accrue(plan)
        self.assertFalse(self.env["site.accrual.run"].search([("plan_id", "=", plan.id)]))

    def test_credit_is_used_by_the_next_accrual(self):
        receivable = self.dues.receivable_account_id
        self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.site.site_dues_journal_id.id,
                "date": date(2026, 11, 20),
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "account_id": receivable.id,
                            "partner_id": self.owners[0].id,
                            "balance": -500.0,
                            "site_unit_id": self.u1.id,
                        },
                    ),
                    (0, 0, {"account_id": self.dues.income_account_id.id, "balance": 500.0}),
                ],
            }
        ).action_post()
        run = self.accrue(self.plan())
        line = self.receivables(run).filtered(lambda line: line.site_unit_id == self.u1)
        self.assertTrue(line.reconciled, "291.67 settled from the 500.00 credit")
        self.assertAlmostEqual(self.u1.balance, -208.33)
        notice = line.site_notice_id
        self.assertEqual((notice.previous_balance, notice.amount_total), (-500.0, -208.33))


@tagged("post_install", "-at_install")
class TestSpecialCharges(DuesCase):
    def wizard(self, **values):
        return self.env["site.special.charge.wizard"].create(
            dict(
                {
                    "company_id": self.site.id,
                    "date": date(2026, 12, 5),
                    "due_date": date(2026, 12, 20),
                },
                **values,
            )
        )

    def test_one_unit(self):
        repair = self.charge_type("REPAIR")
        self.wizard(
            unit_id=self.u2.id, charge_type_id=repair.id, amount=450.0, description="Door"
        ).action_post()
        line = self.u2.charge_line_ids.filtered(lambda line: line.site_charge_type_id == repair)
        self.assertEqual(
            (line.balance, line.name, line.partner_id), (450.0, "Door", self.owners[1])
        )

    def test_file_with_bad_rows_is_rejected_whole(self):
        data = (
            "unit;charge type;amount;description;due date\n"
            "A-1;REPAIR;100;ok;\n"
            "A-9;REPAIR;100;no such unit;\n"
            "A-2;REPAIR;-3;negative;\n"
        )
        wizard = self.wizard(
            mode="file", file=base64.b64encode(data.encode()), file_name="charges.csv"
        )
        with self.assertRaisesRegex(
            UserError, r"(?s)Row 3: unknown unit 'A-9'.*Row 4: the amount -3"
        ):
            wizard.action_post()
        self.assertFalse(self.units.charge_line_ids)

    def test_good_file_posts_every_row(self):
        data = (
            "unit,charge type,amount,description,due date\n"
            "A-1,REPAIR,100,Pipe,\n"
            "A-3,DUES,25.5,Extra,2026-12-31\n"
        )
        self.wizard(
            mode="file", file=base64.b64encode(data.encode()), file_name="charges.csv"
        ).action_post()
        self.assertEqual(sorted(self.units.charge_line_ids.mapped("balance")), [25.5, 100.0])

    def test_expense_split_over_a_building_by_land_share(self):
        wizard = self.wizard(
            mode="distribute",
            charge_type_id=self.charge_type("REPAIR").id,
            amount=2400.0,
            allocation_key="land_share",
            building_ids=[(4, self.building.id)],
            description="Roof",
        )
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.mapped("amount"), [700.0, 800.0, 900.0])
        wizard.action_post()
        self.assertEqual(round(sum(self.units.charge_line_ids.mapped("balance")), 2), 2400.0)

    def test_on_the_units_notice_of_the_month_once(self):
        """A special charge is on its unit's notice of its month, with the month's dues,
        however often the wizard is posted."""
        repair = self.charge_type("REPAIR")
        with freeze_time("2026-12-01"):
            self.env["site.accrual.run"]._accrue(self.plan(), DECEMBER)
            wizard = self.wizard(
                unit_id=self.u2.id, charge_type_id=repair.id, amount=450.0, description="Door"
            )
            wizard.action_post()
            wizard.action_post()
        notice = self.env["site.charge.notice"].search(
            [("unit_id", "=", self.u2.id), ("period", "=", DECEMBER)]
        )
        self.assertEqual(len(notice), 1)
        door = notice.line_ids.filtered(lambda line: line.site_charge_type_id == repair)
        self.assertEqual((door.mapped("balance"), door.name), ([450.0], "Door"))
        self.assertEqual(notice.date, date(2026, 12, 5), "balance on the charge's day")
        self.assertEqual(notice.due_date, date(2026, 12, 10), "the dues' notice keeps its day")
        self.assertEqual(
            (notice.amount_charges, notice.amount_late_fees, notice.amount_total),
            (783.33, 0.0, 783.33),
        )
        html = self.env["ir.actions.report"]._render_qweb_html(NOTICE_REPORT, notice.ids)[0]
        self.assertIn("Door", html.decode())
        self.assertIn("783.33", html.decode())

    def test_a_new_notice_falls_due_with_its_charges(self):
        data = (
            "unit,charge type,amount,description,due date\n"
            "A-1,REPAIR,100,Pipe,2026-12-28\n"
            "A-1,REPAIR,40,Tap,2026-12-15\n"
        )
        with freeze_time("2026-12-01"):
            self.wizard(
                mode="file", file=base64.b64encode(data.encode()), file_name="charges.csv"
            ).action_post()
        notice = self.u1.charge_line_ids.site_notice_id
        self.assertEqual(len(notice), 1)
        self.assertEqual(
            (notice.period, notice.date, notice.due_date),
            (DECEMBER, date(2026, 12, 5), date(2026, 12, 15)),
        )
        self.assertEqual(
            sorted(notice.line_ids.mapped("date_maturity")),
            [date(2026, 12, 15), date(2026, 12, 28)],
        )
        self.assertEqual(notice.amount_charges, 140.0)


@tagged("post_install", "-at_install")
class TestLedger(DuesCase):
    """The lines and notices written in bulk are those Odoo's ORM would have written."""

    IGNORED = {"id", "move_id", "move_name", "create_date", "write_date", "sequence"}
    # what differs between two entries (or notices) of the same content
    MOVE_IGNORED = {
        "id",
        "name",
        "sequence_number",
        "create_date",
        "write_date",
        "access_token",
        "made_sequence_gap",
    }
    NOTICE_IGNORED = {"id", "access_token", "create_date", "write_date"}

    def rows(self, records, ignored=IGNORED):
        self.env.flush_all()
        self.env.cr.execute(
            f"SELECT * FROM {records._table} WHERE id = ANY(%s) ORDER BY id", [records.ids]
        )
        names = [column.name for column in self.env.cr.description]
        return [
            {k: v for k, v in zip(names, values) if k not in ignored}
            for values in self.env.cr.fetchall()
        ]

    def charges(self, amounts=("100.10", "200.20", "0.35")):
        from ..models.site_ledger import Charge

        return [
            Charge(
                unit.id,
                owner.id,
                self.dues.id,
                Decimal(amount),
                date(2026, 12, 10),
                f"Dues {unit.code}",
                DECEMBER,
            )
            for unit, owner, amount in zip(self.units, self.owners, amounts)
        ]

    def orm_move(self, charges, types=None):
        """The entry of ``charges`` written and posted by the ORM alone."""
        types = types or {self.dues.id: self.dues}
        Ledger = self.env["site.ledger"]
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.site.site_dues_journal_id.id,
                "date": DECEMBER,
                "ref": "Bulk",
                "line_ids": Ledger._line_commands(charges, types)
                + Ledger._income_commands(charges, types),
            }
        )
        move.action_post()
        return move

    def test_bulk_lines_equal_orm_lines(self):
        charges = self.charges()
        moves = self.env["site.ledger"]._post_charges(self.site, DECEMBER, charges, "Bulk")
        reference = self.orm_move(charges)
        bulk = moves.line_ids.filtered("site_unit_id").sorted("id")
        self.assertEqual(len(bulk), 3)
        orm_lines = reference.line_ids.filtered("site_unit_id").sorted("id")
        self.assertEqual(self.rows(bulk), self.rows(orm_lines))
        # the income, posted whole with the first line, and the totals over all lines
        income = moves.line_ids - bulk
        self.assertEqual(self.rows(income), self.rows(reference.line_ids - orm_lines))
        self.assertEqual(
            self.rows(moves, self.MOVE_IGNORED), self.rows(reference, self.MOVE_IGNORED)
        )
        self.assertEqual(moves.state, "posted")
        self.assertEqual(moves.amount_total, 300.65)
        self.assertEqual(sum(bulk.mapped("amount_residual")), 300.65)
        self.assertEqual(moves.name.split("/")[0], "SCHG")
        self.assertEqual(bulk.mapped("move_name"), [moves.name] * 3)

    def test_a_charge_type_without_template_line_gets_its_income(self):
        # one receivable account: the repair charge is a copy, its income line is
        # posted whole before the copy is in
        repair = self.charge_type("REPAIR")
        self.assertEqual(repair.receivable_account_id, self.dues.receivable_account_id)
        charges = self.charges()
        charges[1] = charges[1]._replace(charge_type_id=repair.id, label="Repair")
        moves = self.env["site.ledger"]._post_charges(self.site, DECEMBER, charges, "Bulk")
        reference = self.orm_move(charges, {self.dues.id: self.dues, repair.id: repair})

        # the copies come after the income lines: compared in the same order
        def by_line(row):
            return (row["account_id"], row["name"], row["balance"])

        self.assertEqual(
            sorted(self.rows(moves.line_ids), key=by_line),
            sorted(self.rows(reference.line_ids), key=by_line),
        )
        self.assertEqual(
            self.rows(moves, self.MOVE_IGNORED), self.rows(reference, self.MOVE_IGNORED)
        )

    def test_bulk_lines_reconcile_with_odoos_tools(self):
        moves = self.env["site.ledger"]._post_charges(self.site, DECEMBER, self.charges(), "Bulk")
        copy = moves.line_ids.filtered("site_unit_id").sorted("id")[-1]
        payment = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.site.site_dues_journal_id.id,
                "date": DECEMBER,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": copy.account_id.id,
                            "partner_id": copy.partner_id.id,
                            "balance": -0.35,
                        }
                    ),
                    Command.create({"account_id": self.dues.income_account_id.id, "balance": 0.35}),
                ],
            }
        )
        payment.action_post()
        (copy + payment.line_ids.filtered("partner_id")).reconcile()
        self.assertTrue(copy.reconciled)
        receivables = moves.line_ids.filtered("site_unit_id")
        self.assertAlmostEqual(sum(receivables.mapped("amount_residual")), 300.30)

    def test_a_hashing_journal_gets_every_line_before_posting(self):
        journal = self.site.site_dues_journal_id
        journal.restrict_mode_hash_table = True
        moves = self.env["site.ledger"]._post_charges(self.site, DECEMBER, self.charges(), "Bulk")
        self.assertTrue(moves.inalterable_hash)
        self.assertEqual(len(moves.line_ids.filtered("site_unit_id")), 3)
        self.assertEqual(moves.amount_total, 300.65)
        receivables = moves.line_ids.filtered("site_unit_id")
        self.assertEqual(sum(receivables.mapped("amount_residual")), 300.65)
        self.assertEqual((moves.line_ids - receivables).balance, -300.65)

    def test_bulk_notices_equal_orm_notices(self):
        Notice = self.env["site.charge.notice"]
        due_dates = {
            (unit.id, owner.id): date(2026, 12, 10) for unit, owner in zip(self.units, self.owners)
        }
        with self.env.cr.savepoint() as savepoint:
            bulk = Notice._get_or_create(self.site, DECEMBER, due_dates)
            bulk_rows = self.rows(Notice.union(*bulk.values()), self.NOTICE_IGNORED)
            tokens = [notice.access_token for notice in bulk.values()]
            savepoint.close()  # rolls back
        self.env.invalidate_all()
        orm = Notice.with_context(tracking_disable=True).create(
            [
                {
                    "company_id": self.site.id,
                    "unit_id": unit_id,
                    "partner_id": partner_id,
                    "period": DECEMBER,
                    "due_date": due,
                }
                for (unit_id, partner_id), due in due_dates.items()
            ]
        )
        self.assertEqual(bulk_rows, self.rows(orm, self.NOTICE_IGNORED))
        self.assertEqual(len(set(tokens)), 3)
        self.assertTrue(all(tokens))
