from datetime import date

from odoo.tests import tagged

from .common import JANUARY, MonthCase


@tagged("post_install", "-at_install")
class TestBudgetBooks(MonthCase):
    """The accountant's budget vs actual under Books: site_dues' report, by category,
    account and month; the month's garden expense (300) against the 500 planned."""

    def test_budget_vs_actual_in_the_books(self):
        garden = self.env["site.budget.category"].create(
            {"name": "Garden", "company_id": self.site.id, "account_id": self.expense_account.id}
        )
        budget = self.env["site.budget"].create(
            {
                "name": "Budget 2026",
                "company_id": self.site.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        self.env["site.budget.line"].create(
            {
                "project_id": budget.project_ids.id,
                "category_id": garden.id,
                "month": JANUARY,
                "amount": 500.0,
            }
        )
        budget.action_approve()
        self.run_month()
        action = self.env.ref("site_accounting.action_site_budget_report_books")
        env = self.as_user(self.accountant_a)
        Report = env[action.res_model]
        views = Report.get_views([(view.view_id.id, view.view_mode) for view in action.view_ids])
        self.assertIn("category_id", views["views"]["pivot"]["arch"])
        groups = Report._read_group(
            [("budget_state", "=", "approved")],
            ["category_id", "account_id", "month:month"],
            ["planned:sum", "actual:sum", "variance:sum"],
        )
        self.assertEqual(
            [
                (category, account, planned, actual, variance)
                for category, account, _month, planned, actual, variance in groups
            ],
            [(garden.with_env(env), self.expense_account.with_env(env), 500.0, 300.0, 200.0)],
        )
        # Site B's accountant reads none of it.
        self.assertFalse(self.as_user(self.accountant_b)[action.res_model].search([]))
