"""Runs that never charge twice, also when two transactions run them at once.

The two-transaction tests cannot share the test's own transaction: their data is
committed on the main company (every database has it, with a chart of accounts) and
removed afterwards, and the main company's late-fee settings are put back.
"""

from datetime import date
from decimal import Decimal

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..models.site_ledger import Charge
from .common import DuesCase

CONCURRENCY_ERRORS = (psycopg2.errors.SerializationFailure, UserError)


@tagged("post_install", "-at_install")
class TestSpecialChargePostsOnce(DuesCase):
    def test_posting_twice_posts_once(self):
        repair = self.charge_type("REPAIR")
        wizard = self.env["site.special.charge.wizard"].create(
            {
                "company_id": self.site.id,
                "unit_id": self.u2.id,
                "charge_type_id": repair.id,
                "amount": 450.0,
                "date": date(2026, 12, 5),
                "due_date": date(2026, 12, 20),
            }
        )
        first = wizard.action_post()
        second = wizard.action_post()
        lines = self.u2.charge_line_ids.filtered(lambda line: line.site_charge_type_id == repair)
        self.assertEqual(lines.mapped("balance"), [450.0])
        self.assertEqual(wizard.state, "posted")
        self.assertEqual(first["domain"], second["domain"])
        with self.assertRaisesRegex(UserError, "already posted"):
            wizard.action_preview()


@tagged("post_install", "-at_install")
class TestConcurrentRuns(TransactionCase):
    """Two real transactions: the second one's snapshot is taken before the first
    commits, as when two people (or a person and the cron) run the same thing."""

    LATE_FEE_SETTINGS = ("site_late_fee_method", "site_late_fee_rate")

    def setUp(self):
        super().setUp()
        self.company_id = self.env.ref("base.main_company").id
        with self.registry.cursor() as cr:
            env = self.real_env(cr)
            company = env["res.company"].browse(self.company_id)
            self.saved_settings = company.read(list(self.LATE_FEE_SETTINGS))[0]
            self.last_run_id = env["site.late.fee.run"].search([], order="id desc", limit=1).id or 0
            company.write({"site_late_fee_method": "turkey", "site_late_fee_rate": 5.0})
            journal = env["account.journal"].create(
                {
                    "name": "Concurrency Test Charges",
                    "code": "SCCT",
                    "type": "general",
                    "company_id": company.id,
                }
            )
            charge_types = env["site.charge.type"].create(
                [
                    {
                        "code": code,
                        "name": f"Concurrency {code}",
                        "kind": kind,
                        "late_fee_applies": kind == "charge",
                        "company_id": company.id,
                        "journal_id": journal.id,
                    }
                    for code, kind in (("CTDUES", "charge"), ("CTFEE", "late_fee"))
                ]
            )
            unit = env["site.unit"].create({"code": "CT-1", "company_id": company.id})
            owner = env["res.partner"].create({"name": "Concurrency Owner"})
            env["site.unit.relation"].create(
                {"unit_id": unit.id, "partner_id": owner.id, "date_from": date(1990, 1, 1)}
            )
            env["site.ledger"]._post_charges(
                company,
                date(2025, 1, 1),
                [
                    Charge(
                        unit.id,
                        owner.id,
                        charge_types[0].id,
                        Decimal("1000.00"),
                        date(2025, 1, 31),
                        "Dues 2025-01",
                        date(2025, 1, 1),
                    )
                ],
                "Dues 2025-01",
            )
            self.journal_id, self.unit_id, self.owner_id = journal.id, unit.id, owner.id
            self.charge_type_ids = charge_types.ids
        self.addCleanup(self.remove_committed_data)

    def real_env(self, cr):
        return api.Environment(
            cr,
            SUPERUSER_ID,
            {"tracking_disable": True, "allowed_company_ids": [self.company_id]},
        )

    def remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = self.real_env(cr)
            company = env["res.company"].browse(self.company_id)
            runs = env["site.late.fee.run"].search(
                [("company_id", "=", self.company_id), ("id", ">", self.last_run_id)]
            )
            runs.write({"state": "cancelled"})
            runs.unlink()
            plans = env["site.accrual.plan"].search(
                [("charge_type_id", "in", self.charge_type_ids), ("active", "in", [True, False])]
            )
            env["site.accrual.run"].search([("plan_id", "in", plans.ids)]).unlink()
            moves = env["account.move"].search([("journal_id", "=", self.journal_id)])
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env["site.charge.notice"].search([("unit_id", "=", self.unit_id)]).unlink()
            plans.unlink()
            env["site.special.charge.wizard"].search([("unit_id", "=", self.unit_id)]).unlink()
            env["site.unit.relation"].search([("unit_id", "=", self.unit_id)]).unlink()
            env["site.unit"].browse(self.unit_id).unlink()
            env["res.partner"].browse(self.owner_id).unlink()
            env["site.charge.type"].browse(self.charge_type_ids).unlink()
            env["account.journal"].browse(self.journal_id).unlink()
            company.write({name: self.saved_settings[name] for name in self.LATE_FEE_SETTINGS})

    def late_fees(self, cr, until):
        env = self.real_env(cr)
        return env["site.late.fee.run"]._run(env["res.company"].browse(self.company_id), until)

    def posted_fees(self):
        with self.registry.cursor() as cr:
            lines = self.real_env(cr)["account.move.line"].search(
                [
                    ("site_unit_id", "=", self.unit_id),
                    ("site_charge_type_id", "=", self.charge_type_ids[1]),
                    ("parent_state", "=", "posted"),
                ]
            )
            return round(sum(lines.mapped("balance")), 2)

    @mute_logger("odoo.sql_db")
    def test_a_late_fee_run_with_a_stale_snapshot_posts_no_fee_twice(self):
        with self.registry.cursor() as cr:
            single = self.late_fees(cr, date(2025, 3, 17)).amount_total
            cr.rollback()
        self.assertEqual(single, 75.0)
        with self.registry.cursor() as late, self.registry.cursor() as early:
            late.execute("SELECT 1")  # the second run's snapshot: before the first commits
            self.assertGreater(self.late_fees(early, date(2025, 2, 28)).amount_total, 0.0)
            early.commit()
            try:
                self.late_fees(late, date(2025, 3, 17))
                late.commit()
            except CONCURRENCY_ERRORS:
                # refused: run again, as Odoo retries a request that failed to serialize
                late.rollback()
                self.late_fees(late, date(2025, 3, 17))
                late.commit()
        self.assertEqual(self.posted_fees(), single)

    @mute_logger("odoo.sql_db")
    def test_special_charges_posted_from_two_transactions_post_once(self):
        with self.registry.cursor() as cr:
            wizard = self.real_env(cr)["site.special.charge.wizard"].create(
                {
                    "company_id": self.company_id,
                    "unit_id": self.unit_id,
                    "charge_type_id": self.charge_type_ids[0],
                    "amount": 300.0,
                    "date": date(2025, 2, 1),
                    "due_date": date(2025, 2, 20),
                    "description": "Concurrency repair",
                }
            )
            wizard.action_preview()
            wizard_id = wizard.id
        with self.registry.cursor() as second, self.registry.cursor() as first:
            second.execute("SELECT 1")
            self.real_env(first)["site.special.charge.wizard"].browse(wizard_id).action_post()
            first.commit()
            try:
                self.real_env(second)["site.special.charge.wizard"].browse(wizard_id).action_post()
                second.commit()
            except CONCURRENCY_ERRORS:
                second.rollback()
                self.real_env(second)["site.special.charge.wizard"].browse(wizard_id).action_post()
                second.commit()
        with self.registry.cursor() as cr:
            lines = self.real_env(cr)["account.move.line"].search(
                [("site_unit_id", "=", self.unit_id), ("name", "=", "Concurrency repair")]
            )
            self.assertEqual(lines.mapped("balance"), [300.0])

    @mute_logger("odoo.sql_db")
    def test_an_accrual_with_a_stale_snapshot_charges_once(self):
        """The unique index on a plan's posted month refuses the second charge."""
        with self.registry.cursor() as cr:
            plan_id = (
                self.real_env(cr)["site.accrual.plan"]
                .create(
                    {
                        "name": "Concurrency Dues",
                        "company_id": self.company_id,
                        "charge_type_id": self.charge_type_ids[0],
                        "date_start": date(2025, 1, 1),
                        "date_end": date(2025, 12, 1),
                        "amount_monthly": 100.0,
                        "allocation_key": "equal",
                    }
                )
                .id
            )

        def accrue(cr):
            env = self.real_env(cr)
            env["site.accrual.run"]._accrue(
                env["site.accrual.plan"].browse(plan_id), date(2025, 3, 1)
            )

        with self.registry.cursor() as late, self.registry.cursor() as early:
            late.execute("SELECT 1")
            accrue(early)
            early.commit()
            try:
                accrue(late)
                late.commit()
            except (*CONCURRENCY_ERRORS, psycopg2.errors.UniqueViolation):
                late.rollback()
                accrue(late)
                late.commit()
        with self.registry.cursor() as cr:
            lines = self.real_env(cr)["account.move.line"].search(
                [
                    ("site_unit_id", "=", self.unit_id),
                    ("site_charge_type_id", "=", self.charge_type_ids[0]),
                    ("site_period", "=", date(2025, 3, 1)),
                ]
            )
            self.assertEqual(lines.mapped("balance"), [100.0])
