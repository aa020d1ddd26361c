import io
import json
from datetime import date
from decimal import Decimal

import openpyxl

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import content_disposition
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.site_ledger import Charge
from .common import TwoSitesCase
from .xlsx import xlsx_report


@tagged("post_install", "-at_install")
class TestPlanLineIsolation(TwoSitesCase):
    """The months, amounts per unit type and coefficients of a plan are its site's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.flat = cls.env["site.unit.type"].create({"name": "Isolation Flat"})
        cls.plan_b = cls.env["site.accrual.plan"].create(
            {
                "name": "Dues B",
                "company_id": cls.site_b.id,
                "charge_type_id": cls.charge_type_of(cls.site_b, "DUES").id,
                "date_start": date(2026, 1, 1),
                "date_end": date(2026, 12, 1),
                "amount_monthly": 1000.0,
                "allocation_key": "coefficient",
                "month_ids": [(0, 0, {"month": date(2026, 12, 1), "amount": 500.0})],
                "type_amount_ids": [(0, 0, {"type_id": cls.flat.id, "amount": 80.0})],
                "coefficient_ids": [(0, 0, {"unit_id": cls.unit_b.id, "coefficient": 2.0})],
            }
        )
        cls.lines_b = {
            "site.accrual.plan.month": (cls.plan_b.month_ids, "amount"),
            "site.accrual.plan.type.amount": (cls.plan_b.type_amount_ids, "amount"),
            "site.accrual.plan.coefficient": (cls.plan_b.coefficient_ids, "coefficient"),
        }

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_another_sites_plan_lines_are_out_of_reach(self):
        env_a = self.as_user(self.accountant_a)
        for model, (lines, field) in self.lines_b.items():
            with self.subTest(model=model):
                self.assertEqual(lines.company_id, self.site_b)
                self.assertFalse(env_a[model].search([("plan_id", "=", self.plan_b.id)]))
                with self.assertRaises(AccessError):
                    env_a[model].browse(lines.ids).read([field])
                with self.assertRaises(AccessError):
                    env_a[model].browse(lines.ids).write({field: 1.0})
                with self.assertRaises(AccessError):
                    env_a[model].browse(lines.ids).unlink()
        with self.assertRaises(AccessError):
            env_a["site.accrual.plan.month"].create(
                {"plan_id": self.plan_b.id, "month": date(2026, 11, 1), "amount": 1.0}
            )
        # site B's own accountant still keeps them
        env_b = self.as_user(self.accountant_b)
        for model, (lines, field) in self.lines_b.items():
            env_b[model].browse(lines.ids).write({field: 3.0})
            self.assertEqual(lines[field], 3.0)

    def test_line_amounts_are_checked_on_the_lines(self):
        plan = self.plan()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["site.accrual.plan.month"].create(
                {"plan_id": plan.id, "month": date(2026, 3, 1), "amount": -1.0}
            )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.env["site.accrual.plan.type.amount"].create(
                {"plan_id": plan.id, "type_id": self.flat.id, "amount": -5.0}
            )
        month = self.env["site.accrual.plan.month"].create(
            {"plan_id": plan.id, "month": date(2026, 4, 1), "amount": 10.0}
        )
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            month.amount = -10.0

    def test_a_coefficient_names_a_unit_of_the_plans_site(self):
        with self.assertRaises(UserError):
            self.env["site.accrual.plan.coefficient"].create(
                {"plan_id": self.plan_b.id, "unit_id": self.u1.id, "coefficient": 1.0}
            )


@tagged("post_install", "-at_install")
class TestWizardIsolation(TwoSitesCase):
    """Wizards and their lines are seen and changed only by the user who made them, in
    their own sites."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["site.ledger"]._post_charges(
            cls.site_b,
            date(2026, 1, 1),
            [
                Charge(
                    cls.unit_b.id,
                    cls.owner_b.id,
                    cls.charge_type_of(cls.site_b, "DUES").id,
                    Decimal("700"),
                    date(2026, 1, 10),
                    "Dues 2026-01",
                    date(2026, 1, 1),
                )
            ],
            "Dues B",
        )

    def special_charge_wizard(self, env, site, unit):
        wizard = env["site.special.charge.wizard"].create(
            {
                "company_id": site.id,
                "unit_id": unit.id,
                "charge_type_id": self.charge_type_of(site, "REPAIR").id,
                "amount": 120.0,
                "date": date(2026, 2, 1),
                "due_date": date(2026, 2, 20),
            }
        )
        wizard.action_preview()
        return wizard

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_debtor_lines_of_another_site_are_hidden(self):
        env_b = self.as_user(self.board_b)
        wizard = env_b["site.debtor.report.wizard"].create(
            {"company_ids": [(6, 0, self.site_b.ids)], "date": date(2026, 3, 31)}
        )
        wizard.action_preview()
        self.assertEqual(wizard.line_ids.partner_id, self.owner_b)
        env_a = self.as_user(self.board_a)
        self.assertFalse(env_a["site.debtor.report.line"].search([]))
        with self.assertRaises(AccessError):
            env_a["site.debtor.report.line"].browse(wizard.line_ids.ids).read(["total"])
        with self.assertRaises(AccessError):
            env_a["site.debtor.report.wizard"].browse(wizard.id).read(["date"])
        with self.assertRaises(AccessError):
            env_a["site.debtor.report.wizard"].browse(wizard.id).action_preview()
        # a report on a site one does not belong to cannot even be started
        with self.assertRaises(AccessError):
            env_a["site.debtor.report.wizard"].create({"company_ids": [(6, 0, self.site_b.ids)]})

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_pending_special_charges_of_another_site_cannot_be_changed(self):
        wizard = self.special_charge_wizard(
            self.as_user(self.accountant_b), self.site_b, self.unit_b
        )
        lines = wizard.line_ids
        self.assertEqual(lines.amount, 120.0)
        env_a = self.as_user(self.accountant_a)
        Line = env_a["site.special.charge.wizard.line"]
        self.assertFalse(Line.search([]))
        with self.assertRaises(AccessError):
            Line.browse(lines.ids).read(["amount"])
        with self.assertRaises(AccessError):
            Line.browse(lines.ids).write({"amount": 99999.0})
        with self.assertRaises(AccessError):
            Line.browse(lines.ids).unlink()
        with self.assertRaises(AccessError):
            Line.create(
                {
                    "wizard_id": wizard.id,
                    "unit_id": self.unit_b.id,
                    "partner_id": self.owner_b.id,
                    "charge_type_id": lines.charge_type_id.id,
                    "amount": 1.0,
                    "due_date": date(2026, 2, 20),
                }
            )
        with self.assertRaises(AccessError):
            env_a["site.special.charge.wizard"].browse(wizard.id).write({"amount": 1.0})
        with self.assertRaises(AccessError):
            env_a["site.special.charge.wizard"].browse(wizard.id).action_post()
        with self.assertRaises(AccessError):
            env_a["site.special.charge.wizard"].create({"company_id": self.site_b.id})
        self.assertEqual(lines.amount, 120.0)
        self.assertFalse(self.unit_b.charge_line_ids.filtered(lambda line: line.balance == 120.0))

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_a_wizard_is_its_creators_even_within_the_site(self):
        wizard = self.special_charge_wizard(self.as_user(self.accountant_a), self.site, self.u1)
        colleague = self.site_user(
            "dues_accountant_a2", "site_residents.group_site_accountant", self.site
        )
        env_colleague = self.as_user(colleague)
        with self.assertRaises(AccessError):
            env_colleague["site.special.charge.wizard"].browse(wizard.id).read(["amount"])
        with self.assertRaises(AccessError):
            env_colleague["site.special.charge.wizard.line"].browse(wizard.line_ids.ids).read(
                ["amount"]
            )

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_statement_and_accrual_wizards_of_another_site_are_hidden(self):
        env_b = self.as_user(self.accountant_b)
        statement = env_b["site.statement.wizard"].create(
            {"company_id": self.site_b.id, "unit_id": self.unit_b.id}
        )
        accrual = env_b["site.accrual.wizard"].create({"company_id": self.site_b.id})
        env_a = self.as_user(self.accountant_a)
        for wizard in (statement, accrual):
            with self.subTest(model=wizard._name):
                self.assertFalse(env_a[wizard._name].search([]))
                with self.assertRaises(AccessError):
                    env_a[wizard._name].browse(wizard.id).read(["company_id"])
                with self.assertRaises(AccessError):
                    env_a[wizard._name].create({"company_id": self.site_b.id})


@tagged("post_install", "-at_install")
class TestWizardDownloads(TwoSitesCase, HttpCase):
    """XLSX reports render with the reader's rights: a wizard's export is its creator's,
    a budget's is its site's. Asked for someone else's, by the ORM or by URL, they are
    refused."""

    def xlsx_url(self, report_ref, records):
        report_name = self.env.ref(report_ref).report_name
        return f"/report/xlsx/{report_name}/{','.join(str(id_) for id_ in records.ids)}"

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.http")
    def test_another_sites_debtor_list_cannot_be_downloaded(self):
        wizard = self.as_user(self.board_b)["site.debtor.report.wizard"].create(
            {"company_ids": [(6, 0, self.site_b.ids)], "date": date(2026, 3, 31)}
        )
        url = self.xlsx_url("site_dues.action_report_site_debtors_xlsx", wizard)
        self.authenticate(self.board_b.login, self.board_b.login)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"PK"))
        self.authenticate(self.board_a.login, self.board_a.login)
        response = self.url_open(url)
        self.assertIn(response.status_code, (403, 404))
        self.assertFalse(response.content.startswith(b"PK"))

    @mute_logger(
        "odoo.addons.base.models.ir_rule", "odoo.http", "odoo.addons.report_xlsx.controllers.main"
    )
    def test_another_sites_budget_cannot_be_exported(self):
        report = "site_dues.action_report_site_budget_xlsx"
        budget_a, budget_b = (
            self.env["site.budget"].create(
                {
                    "name": f"Budget 2026 {site.name}",
                    "company_id": site.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                }
            )
            for site in (self.site, self.site_b)
        )
        # Through the ORM
        env_a = self.as_user(self.board_a)
        _name, content = xlsx_report(env_a, report, budget_a)
        title = openpyxl.load_workbook(io.BytesIO(content)).active["A1"].value
        self.assertIn(budget_a.name, title)
        for budgets in (budget_b, budget_a | budget_b):
            with self.subTest(budgets=budgets.mapped("name")), self.assertRaises(AccessError):
                env_a["ir.actions.report"]._render_xlsx(report, budgets.ids, None)
        # By URL, as the Print menu downloads it
        self.authenticate(self.board_a.login, self.board_a.login)
        response = self.url_open(self.xlsx_url(report, budget_a))
        self.assertEqual(response.status_code, 200)
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(workbook.sheetnames, ["Summary", "By Month"])
        self.assertIn(budget_a.name, workbook.active["A1"].value)
        for budgets in (budget_b, budget_a | budget_b):
            with self.subTest(url=budgets.mapped("name")):
                response = self.url_open(self.xlsx_url(report, budgets))
                self.assertEqual(response.status_code, 403)
                self.assertFalse(response.content.startswith(b"PK"))
                self.assertNotIn(budget_b.name.encode(), response.content)
        # Through the Print menu's download, which names the file
        for budget, allowed in ((budget_a, True), (budget_b, False)):
            with self.subTest(download=budget.name):
                response = self.url_open(
                    "/report/download",
                    data={
                        "data": json.dumps([self.xlsx_url(report, budget), "xlsx"]),
                        "context": json.dumps({"lang": "en_US"}),
                        "csrf_token": http.Request.csrf_token(self),
                    },
                )
                self.assertEqual(response.content.startswith(b"PK"), allowed)
                if allowed:
                    name = env_a["site.budget"].browse(budget.id)._report_file_name()
                    self.assertIn(budget.name, name)
                    self.assertEqual(
                        response.headers["Content-Disposition"], content_disposition(f"{name}.xlsx")
                    )
                else:
                    self.assertNotIn(budget.name.encode(), response.content)
