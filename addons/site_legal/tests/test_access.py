from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestAccess(LegalCase):
    """Lawyers are portal users who see their own cases only; site staff see their sites'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_a = cls.open_case(cls.charge(cls.u1, 1000, date(2026, 1, 10)))
        cls.case_b = cls.open_case(
            cls.charge(cls.u2, 800, date(2026, 1, 10)), lawyer=cls.lawyer_user_b
        )
        cls.env["site.legal.lawyer.entry"].create(
            {
                "case_id": cls.case_b.id,
                "kind": "fee",
                "charge_to": "site",
                "amount": 100,
                "date": date(2026, 3, 2),
            }
        ).action_post()
        cls.case_b._settle_in_instalments(2, date(2026, 4, 30), date(2026, 3, 3))
        cls.case_site_b = cls.open_case(cls.charge(cls.unit_b, 500, date(2026, 1, 10)))

    def test_a_lawyer_reads_only_their_own_cases(self):
        for user, own, other in (
            (self.lawyer_user_a, self.case_a | self.case_site_b, self.case_b),
            (self.lawyer_user_b, self.case_b, self.case_a),
        ):
            env = self.as_user(user)
            Case = env["site.legal.case"]
            self.assertEqual(Case.search([]), own)
            Case.browse(own.ids).read(["name", "stage", "balance"])
            with self.assertRaises(AccessError):
                Case.browse(other.ids).read(["name"])
            for model in (
                "site.legal.case.stage.log",
                "site.legal.instalment",
                "site.legal.lawyer.entry",
            ):
                visible = env[model].search([])
                self.assertLessEqual(visible.sudo().case_id, own, model)
                others = env[model].sudo().search([("case_id", "in", other.ids)])
                if others:
                    with self.assertRaises(AccessError, msg=model):
                        env[model].browse(others.ids).read(["case_id"])

    def test_a_lawyer_changes_nothing_by_the_orm(self):
        env = self.as_user(self.lawyer_user_a)
        case = env["site.legal.case"].browse(self.case_a.id)
        with self.assertRaises(AccessError):
            case.write({"stage": "objection"})
        with self.assertRaises(AccessError):
            env["site.legal.case"].create({"company_id": self.site.id, "unit_id": self.u1.id})
        with self.assertRaises(AccessError):
            env["site.legal.lawyer.entry"].create(
                {"case_id": case.id, "kind": "fee", "charge_to": "site", "amount": 1}
            )
        # the ledger itself stays the site's: the portal pages read it for the lawyer
        self.assertTrue(
            self.env["account.move.line"].search([("site_legal_case_id", "=", case.id)])
        )
        self.assertFalse(env["account.move.line"].search([("site_legal_case_id", "=", case.id)]))

    def test_staff_see_their_sites_cases_only(self):
        board_a = self.as_user(self.board_a)["site.legal.case"]
        self.assertEqual(board_a.search([]), self.case_a | self.case_b)
        with self.assertRaises(AccessError):
            board_a.browse(self.case_a.id).write({"file_number": "X"})
        accountant_b = self.as_user(self.accountant_b)
        self.assertEqual(accountant_b["site.legal.case"].search([]), self.case_site_b)
        with self.assertRaises(AccessError):
            accountant_b["site.legal.case"].browse(self.case_a.id).read(["name"])
        for model in (
            "site.legal.instalment",
            "site.legal.lawyer.entry",
            "site.legal.case.stage.log",
        ):
            self.assertFalse(
                accountant_b[model]
                .search([])
                .filtered(lambda r: r.sudo().case_id != self.case_site_b)
            )
        # the accountant of site A runs its cases
        accountant_a = self.as_user(self.accountant_a)
        accountant_a["site.legal.case"].browse(self.case_a.id).write({"file_number": "2026/7 E."})
        self.assertEqual(self.case_a.file_number, "2026/7 E.")

    def test_the_xlsx_report_refuses_another_sites_cases(self):
        report = self.as_user(self.accountant_b)["ir.actions.report"]
        with self.assertRaises(AccessError):
            report._render_xlsx("site_legal.report_site_legal_cases_xlsx", self.case_a.ids, {})

    def test_lawyer_must_be_a_portal_user(self):
        with self.assertRaisesRegex(Exception, "not a portal user"):
            self.case_a.lawyer_user_id = self.accountant_a
