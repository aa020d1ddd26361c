from datetime import date

from odoo import Command
from odoo.tests import Form, new_test_user, tagged

from .common import TwoSitesCase
from .xlsx import xlsx_export, xlsx_report

JAN = date(2026, 1, 1)


@tagged("post_install", "-at_install")
class TestPartialSiteSelection(TwoSitesCase):
    """A board member and a manager of both sites, with only some of them selected in the
    company switcher: every report and wizard works on the selected sites."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        both = [Command.set([cls.site.id, cls.site_b.id])]
        cls.board_ab = new_test_user(
            cls.env,
            login="dues_board_ab",
            groups="site_residents.group_site_board",
            company_id=cls.site.id,
            company_ids=both,
        )
        cls.manager_ab = new_test_user(
            cls.env,
            login="dues_manager_ab",
            groups="site_residents.group_site_manager",
            company_id=cls.site.id,
            company_ids=both,
        )
        cls.plan_a = cls.plan()
        cls.plan_b = cls.plan(
            name="Dues B 2026",
            company_id=cls.site_b.id,
            charge_type_id=cls.charge_type_of(cls.site_b, "DUES").id,
        )
        Run = cls.env["site.accrual.run"]
        Run.with_company(cls.site)._accrue(cls.plan_a, JAN)
        Run.with_company(cls.site_b)._accrue(cls.plan_b, JAN)
        cls.selections = {
            "first selected": [cls.site.id],
            "second selected": [cls.site_b.id],
            "both selected": [cls.site.id, cls.site_b.id],
        }

    def selected(self, user, company_ids):
        """``user``'s environment with only ``company_ids`` selected in the switcher."""
        return self.env(user=user, context=dict(self.env.context, allowed_company_ids=company_ids))

    def test_debtor_list_and_collections(self):
        for name, company_ids in self.selections.items():
            for user in (self.board_ab, self.manager_ab):
                with self.subTest(selection=name, user=user.login):
                    env = self.selected(user, company_ids)
                    wizard = Form(env["site.debtor.report.wizard"]).save()
                    self.assertEqual(wizard.company_ids, env.companies)
                    action = wizard.action_preview()
                    lines = env["site.debtor.report.line"].search(action["domain"])
                    self.assertEqual(lines.company_id, env.companies)
                    # January's dues, 1000.00 a site, are all unpaid
                    self.assertEqual(sum(lines.mapped("total")), 1000.0 * len(company_ids))
                    for export in (
                        wizard.action_export_xlsx,
                        wizard.action_export_collections_xlsx,
                    ):
                        action = export()
                        self.assertEqual(action["type"], "ir.actions.report")
                        self.assertTrue(xlsx_export(env, action)[1].startswith(b"PK"))

    def test_statement(self):
        for name, company_ids in self.selections.items():
            with self.subTest(selection=name):
                env = self.selected(self.board_ab, company_ids)
                unit = self.unit_b if company_ids == [self.site_b.id] else self.u1
                with Form(env["site.statement.wizard"]) as form:
                    form.unit_id = unit
                    form.date_from = JAN
                    form.date_to = date(2026, 1, 31)
                wizard = form.record
                self.assertEqual(wizard._statement_data()["closing"], unit.balance)
                action = wizard.action_export_xlsx()
                self.assertEqual(action["type"], "ir.actions.report")
                self.assertTrue(xlsx_export(env, action)[1].startswith(b"PK"))
                self.assertEqual(wizard.action_print_pdf()["type"], "ir.actions.report")

    def test_charge_a_month(self):
        for name, company_ids in self.selections.items():
            with self.subTest(selection=name):
                env = self.selected(self.manager_ab, company_ids)
                with Form(env["site.accrual.wizard"]) as form:
                    form.period = date(2026, 2, 1)
                action = form.record.action_accrue()
                runs = env["site.accrual.run"].search(action["domain"])
                self.assertEqual(runs.company_id, env.company)
                self.assertEqual(runs.mapped("state"), ["posted"])

    def test_special_charge(self):
        for name, company_ids in self.selections.items():
            with self.subTest(selection=name):
                env = self.selected(self.manager_ab, company_ids)
                unit = self.unit_b if company_ids == [self.site_b.id] else self.u2
                with Form(env["site.special.charge.wizard"]) as form:
                    form.unit_id = unit
                    form.charge_type_id = self.charge_type_of(unit.company_id, "DUES")
                    form.amount = 25.0
                    form.description = f"Key copy {name}"
                wizard = form.record
                wizard.action_preview()
                action = wizard.action_post()
                lines = env["account.move.line"].search(action["domain"])
                self.assertEqual((lines.site_unit_id, lines.balance), (unit, 25.0))

    def test_budget_report(self):
        budget_b = self.env["site.budget"].create(
            {
                "name": "Budget B 2026",
                "company_id": self.site_b.id,
                "date_from": JAN,
                "date_to": date(2026, 12, 31),
            }
        )
        for name, company_ids in self.selections.items():
            with self.subTest(selection=name):
                env = self.selected(self.board_ab, company_ids)
                Report = env["site.budget.report"]
                self.assertLessEqual(Report.search([]).company_id, env.companies)
                Report.formatted_read_group([], ["company_id"], ["planned:sum", "actual:sum"])
                if self.site_b.id in company_ids:
                    budget = env["site.budget"].browse(budget_b.id)
                    _name, content = xlsx_report(
                        env, "site_dues.action_report_site_budget_xlsx", budget
                    )
                    self.assertTrue(content)
                    self.assertEqual(
                        Report.search(budget.action_view_report()["domain"]).budget_id,
                        Report.search([("budget_id", "=", budget.id)]).budget_id,
                    )
