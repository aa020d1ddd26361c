import io
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import DuesCase
from .xlsx import xlsx_report

JAN, FEB, MAR, APR, MAY, JUN = (date(2026, month, 1) for month in range(1, 7))


@tagged("post_install", "-at_install")
class TestBudgets(DuesCase):
    """A 2026 budget: the dues project plans cleaning on 632 (months differ) and
    maintenance on 659; the roof project (April to June) plans 632 on its analytic
    account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.general = cls.expense_account("632")
        cls.other = cls.expense_account("659")
        cls.payable = cls.env["account.account"].search(
            [("company_ids", "in", cls.site.id), ("account_type", "=", "liability_payable")],
            limit=1,
        )
        cls.vendor = cls.env["res.partner"].create({"name": "Temiz Hizmet Ltd."})
        analytic_plan = cls.env["account.analytic.plan"].create({"name": "Site Projects"})
        cls.roof_analytic = cls.env["account.analytic.account"].create(
            {"name": "Roof 2026", "plan_id": analytic_plan.id, "company_id": cls.site.id}
        )
        Category = cls.env["site.budget.category"]
        cls.cleaning = Category.create(
            {"name": "Cleaning", "company_id": cls.site.id, "account_id": cls.general.id}
        )
        cls.maintenance = Category.create(
            {"name": "Maintenance", "company_id": cls.site.id, "account_id": cls.other.id}
        )
        cls.roofing = Category.create(
            {"name": "Roofing", "company_id": cls.site.id, "account_id": cls.general.id}
        )
        cls.budget = cls.env["site.budget"].create(
            {
                "name": "Budget 2026",
                "company_id": cls.site.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        cls.dues_project = cls.budget.project_ids
        cls.roof = cls.env["site.budget.project"].create(
            {
                "budget_id": cls.budget.id,
                "name": "Roof Renovation",
                "kind": "investment",
                "date_from": APR,
                "date_to": date(2026, 6, 30),
                "analytic_account_id": cls.roof_analytic.id,
            }
        )
        cls.line(cls.dues_project, cls.cleaning, JAN, 1000.0)
        cls.line(cls.dues_project, cls.cleaning, date(2026, 2, 14), 1200.0)  # any day: February
        cls.line(cls.dues_project, cls.cleaning, MAR, 1000.0)
        cls.line(cls.dues_project, cls.maintenance, JAN, 500.0)
        cls.line(cls.roof, cls.roofing, APR, 10000.0)
        cls.line(cls.roof, cls.roofing, MAY, 20000.0)

    @classmethod
    def expense_account(cls, code):
        return cls.env["account.account"].search(
            [
                ("company_ids", "in", cls.site.id),
                ("code", "=like", f"{code}%"),
                ("account_type", "=", "expense"),
            ],
            order="code",
            limit=1,
        )

    @classmethod
    def line(cls, project, category, month, amount):
        return cls.env["site.budget.line"].create(
            {"project_id": project.id, "category_id": category.id, "month": month, "amount": amount}
        )

    def bill(self, day, amount, account=None, analytic=None, post=True):
        line = {
            "name": "Expense",
            "account_id": (account or self.general).id,
            "quantity": 1,
            "price_unit": amount,
            "tax_ids": [Command.clear()],
        }
        if analytic:
            line["analytic_distribution"] = analytic
        move = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.vendor.id,
                "invoice_date": day,
                "date": day,
                "invoice_line_ids": [Command.create(line)],
            }
        )
        if post:
            move.action_post()
        return move

    def entry(self, day, amount, account=None):
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "date": day,
                "line_ids": [
                    Command.create({"account_id": (account or self.general).id, "balance": amount}),
                    Command.create(
                        {
                            "account_id": self.payable.id,
                            "partner_id": self.vendor.id,
                            "balance": -amount,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        return move

    @contextmanager
    def raises(self, exception, pattern):
        """assertRaisesRegex in a savepoint (rolled back), like assertRaises."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def rows(self, by_month=True):
        return {
            (row["project"].name, row["category"].name, row.get("month")): (
                row["planned"],
                row["actual"],
                row["variance"],
            )
            for row in self.budget._budget_vs_actual_rows(by_month)
        }

    # --- budget vs actual --------------------------------------------------

    def test_planned_against_posted_expenses_by_month(self):
        self.assertEqual(self.budget.line_ids.mapped("month")[:3], [JAN, JAN, FEB])
        self.bill(date(2026, 1, 15), 800.0)  # vendor bill
        self.entry(date(2026, 2, 10), 1500.0)  # journal entry
        self.bill(date(2026, 1, 20), 650.0, account=self.other)
        self.bill(date(2026, 3, 5), 999.0, post=False)  # draft: not an expense yet
        self.entry(date(2025, 12, 31), 300.0)  # before the budget
        self.entry(date(2026, 7, 1), 400.0)  # a month the budget does not plan
        rows = self.rows()
        self.assertEqual(rows[("Dues", "Cleaning", JAN)], (1000.0, 800.0, 200.0))
        self.assertEqual(rows[("Dues", "Cleaning", FEB)], (1200.0, 1500.0, -300.0))
        self.assertEqual(rows[("Dues", "Cleaning", MAR)], (1000.0, 0.0, 1000.0))
        self.assertEqual(rows[("Dues", "Maintenance", JAN)], (500.0, 650.0, -150.0))
        self.assertEqual(
            rows[("Dues", "Cleaning", date(2026, 7, 1))], (0.0, 400.0, -400.0), "unplanned"
        )
        self.assertEqual(rows[("Roof Renovation", "Roofing", APR)], (10000.0, 0.0, 10000.0))
        self.assertNotIn(("Dues", "Cleaning", date(2025, 12, 1)), rows)
        self.assertEqual(len(rows), 7)
        summary = self.rows(by_month=False)
        self.assertEqual(summary[("Dues", "Cleaning", None)], (3200.0, 2700.0, 500.0))
        self.assertEqual(
            (self.budget.amount_planned, self.budget.amount_actual, self.budget.amount_variance),
            (33700.0, 3350.0, 30350.0),
        )
        self.assertEqual(
            (self.dues_project.amount_planned, self.dues_project.amount_actual),
            (3700.0, 3350.0),
        )

    def test_analytic_account_takes_its_share_of_the_account(self):
        analytic = str(self.roof_analytic.id)
        self.bill(date(2026, 4, 20), 12000.0, analytic={analytic: 100})
        # Half of this bill is the roof's, half the running cleaning.
        self.bill(date(2026, 5, 3), 2000.0, analytic={analytic: 50})
        rows = self.rows()
        self.assertEqual(rows[("Roof Renovation", "Roofing", APR)], (10000.0, 12000.0, -2000.0))
        self.assertEqual(rows[("Roof Renovation", "Roofing", MAY)], (20000.0, 1000.0, 19000.0))
        self.assertEqual(rows[("Dues", "Cleaning", MAY)], (0.0, 1000.0, -1000.0))
        self.assertNotIn(("Dues", "Cleaning", APR), rows, "the April bill is all the roof's")
        self.assertEqual(
            (self.roof.amount_planned, self.roof.amount_actual, self.roof.amount_variance),
            (30000.0, 13000.0, 17000.0),
        )

    def test_report_is_live(self):
        Report = self.env["site.budget.report"]
        domain = [("budget_id", "=", self.budget.id), ("project_id", "=", self.roof.id)]

        def by_month():
            return {
                month: (planned, actual)
                for month, planned, actual in Report._read_group(
                    domain, ["month:month"], ["planned:sum", "actual:sum"]
                )
            }

        self.assertEqual(by_month(), {APR: (10000.0, 0.0), MAY: (20000.0, 0.0)})
        bill = self.bill(date(2026, 6, 2), 750.0, analytic={str(self.roof_analytic.id): 100})
        self.assertEqual(by_month()[JUN], (0.0, 750.0))
        bill.button_draft()
        self.assertNotIn(JUN, by_month())
        self.line(self.roof, self.roofing, JUN, 5000.0)
        self.assertEqual(by_month()[JUN], (5000.0, 0.0))

    def test_xlsx_export_is_a_readable_workbook(self):
        self.bill(date(2026, 1, 15), 800.0)
        report = self.env.ref("site_dues.action_report_site_budget_xlsx")
        # In the budget's Print menu.
        self.assertEqual(report.binding_model_id.model, "site.budget")
        _name, content = xlsx_report(
            self.env, "site_dues.action_report_site_budget_xlsx", self.budget
        )
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(workbook.sheetnames, ["Summary", "By Month"])
        summary = list(workbook["Summary"].iter_rows(values_only=True))
        self.assertEqual(
            summary[3][:7],
            ("Project", "Category", "Account", "Analytic Account", "Planned", "Actual", "Variance"),
        )
        cleaning = next(row for row in summary if row[:2] == ("Dues", "Cleaning"))
        self.assertEqual(cleaning[4:7], (3200.0, 800.0, 2400.0))
        self.assertEqual(summary[-1][0], "Total")
        self.assertEqual(summary[-1][4:7], (33700.0, 800.0, 32900.0))
        by_month = list(workbook["By Month"].iter_rows(values_only=True))
        january = next(
            row
            for row in by_month
            if row[:2] == ("Dues", "Cleaning") and row[4] and row[4].date() == JAN
        )
        self.assertEqual(january[5:8], (1000.0, 800.0, 200.0))

    # --- rules ---------------------------------------------------------------

    def test_an_account_belongs_to_one_project_and_category(self):
        with self.raises(ValidationError, "under more than one project or category"):
            self.line(self.dues_project, self.roofing, APR, 100.0)  # 632 without analytic
        with self.raises(ValidationError, "cannot plan July 2026"):
            self.line(self.roof, self.roofing, date(2026, 7, 1), 100.0)
        with self.raises(ValidationError, "within the budget's period"):
            self.roof.date_to = date(2027, 1, 31)

    def test_approved_budget_is_locked(self):
        self.budget.action_approve()
        with self.raises(UserError, "set it back to draft"):
            self.line(self.dues_project, self.cleaning, APR, 1000.0)
        with self.raises(UserError, "set it back to draft"):
            self.budget.line_ids[0].amount = 1.0
        with self.raises(UserError, "Only draft budgets can be deleted"):
            self.budget.unlink()
        self.budget.action_reset_to_draft()
        self.budget.line_ids[0].amount = 1100.0
        self.assertEqual(self.budget.amount_planned, 33800.0)

    def test_board_reads_accountant_writes(self):
        board = new_test_user(
            self.env,
            "budget_board",
            groups="site_residents.group_site_board",
            company_id=self.site.id,
            company_ids=[Command.set(self.site.ids)],
        )
        budget = self.budget.with_user(board)
        self.assertEqual(budget.amount_planned, 33700.0)
        self.assertTrue(budget._budget_vs_actual_rows())
        with self.assertRaises(AccessError), mute_logger("odoo.addons.base.models.ir_model"):
            budget.name = "Mine"

    # --- accrual from a budget project ---------------------------------------

    def test_accrual_plan_charges_the_projects_planned_amounts(self):
        plan = self.plan(budget_project_id=self.dues_project.id, amount_monthly=0.0)
        with self.raises(UserError, "not approved yet"):
            self.env["site.accrual.run"]._accrue(plan, JAN)
        self.budget.action_approve()
        self.assertEqual(plan._amount_for(JAN), Decimal("1500"))
        self.assertEqual(self.plan(name="Other")._amount_for(JAN), Decimal("1000.0"))
        january = self.env["site.accrual.run"]._accrue(plan, date(2026, 1, 20))
        # 70/240, 80/240, 90/240 of 1 500.00 (cleaning 1 000 + maintenance 500)
        self.assertEqual(self.amounts_by_unit(january), {"A-1": 437.5, "A-2": 500.0, "A-3": 562.5})
        self.assertEqual(january.amount_total, 1500.0)
        february = self.env["site.accrual.run"]._accrue(plan, FEB)
        self.assertEqual(february.amount_total, 1200.0)
        self.assertEqual(self.amounts_by_unit(february), {"A-1": 350.0, "A-2": 400.0, "A-3": 450.0})

    def test_budget_form_plans_by_month(self):
        with Form(self.env["site.budget"]) as form:
            form.name = "Budget 2027"
            form.date_from = date(2027, 1, 1)
            form.date_to = date(2027, 12, 31)
        budget = form.record
        self.assertEqual(
            (budget.project_ids.name, budget.project_ids.kind, budget.state),
            ("Dues", "dues", "draft"),
        )
        with Form(budget) as form, form.line_ids.new() as line:
            line.project_id = budget.project_ids
            line.month = date(2027, 3, 17)
            line.category_id = self.cleaning
            self.assertEqual(line.account_id, self.general)
            line.amount = 900.0
        self.assertEqual(budget.line_ids.month, date(2027, 3, 1))
        self.assertEqual(budget.amount_planned, 900.0)
        budget.action_approve()
        self.assertEqual(budget.action_view_report()["domain"], [("budget_id", "=", budget.id)])

    def test_plan_form_takes_the_project_months_and_charge_type(self):
        with Form(self.env["site.accrual.plan"]) as form:
            form.name = "Roof"
            form.budget_project_id = self.roof
            self.assertEqual((form.date_start, form.date_end), (APR, JUN))
            self.assertEqual(form.charge_type_id, self.charge_type("INVEST"))
        self.assertEqual(form.record.budget_project_id, self.roof)

    def test_plan_takes_the_project_months_and_site(self):
        roof_plan = self.plan(name="Roof", budget_project_id=self.roof.id)
        self.budget.action_approve()
        self.assertEqual(roof_plan._amount_for(MAY), Decimal("20000.0"))
        self.assertEqual(roof_plan._amount_for(JUN), Decimal("0"))
        with self.raises(ValidationError, "budget"):
            self.plan(allocation_key="type_fixed", budget_project_id=self.roof.id)
        other_site = self.env["res.company"].create({"name": "Other Site", "is_site": True})
        self.env.user.company_ids |= other_site
        other_budget = self.env["site.budget"].create(
            {
                "name": "Other",
                "company_id": other_site.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        with self.assertRaises(UserError):  # the project of another site
            roof_plan.with_context(
                allowed_company_ids=[self.site.id, other_site.id]
            ).budget_project_id = other_budget.project_ids
