from odoo.tests import tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalLegalSection(PortalCase):
    """Site A hands the rest of Ali's first month (400 of 500, 100 being paid) to its
    lawyer: an entry moves it from the receivable to the site's receivables in legal
    follow-up. The statement shows it apart, with its own total; the home balance says
    how much of it is in legal follow-up; it is not paid online."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.legal_account = cls.env["account.account"].create(
            {
                "name": "Receivables in Legal Follow-up",
                "code": "128100",
                "account_type": "asset_receivable",
                "reconcile": True,
                "company_ids": [cls.site.id],
            }
        )
        cls.site.site_legal_receivable_account_id = cls.legal_account
        access = cls.env["site.portal"]._access(cls.ali)[cls.u1.id]
        cls.charge = cls.env["site.portal"]._open_lines(access)[0]  # 400 left of 500
        journal = cls.env["account.journal"].search(
            [("company_id", "=", cls.site.id), ("type", "=", "general")], limit=1
        )
        common = {"partner_id": cls.ali.id, "site_unit_id": cls.u1.id}
        cls.reclass = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": cls.today,
                "ref": "Handed to the lawyer",
                "line_ids": [
                    (
                        0,
                        0,
                        dict(
                            common,
                            name="Moved to legal follow-up",
                            account_id=cls.charge.account_id.id,
                            credit=400.0,
                        ),
                    ),
                    (
                        0,
                        0,
                        dict(
                            common,
                            name="Dues in legal follow-up",
                            account_id=cls.legal_account.id,
                            debit=400.0,
                        ),
                    ),
                ],
            }
        )
        cls.reclass.action_post()
        moved = cls.reclass.line_ids.filtered(lambda line: line.account_id == cls.charge.account_id)
        (cls.charge + moved).reconcile()

    def test_statement_shows_legal_debts_apart(self):
        self.login(self.user_a)
        page = self.url_open(f"/my/site/units/{self.u1.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_site_statement_legal", page.text)
        self.assertIn('o_site_legal_closing" data-amount="400.00"', page.text)
        self.assertIn("Dues in legal follow-up", page.text)
        # The statement above ends at what is still open outside legal follow-up.
        statement = self.env["site.portal"]._statements(
            self.u1,
            self.env["site.portal"]._access(self.ali)[self.u1.id],
            self.today.replace(month=1, day=1),
            self.today,
        )[0]
        self.assertEqual(statement["closing"], 700.0)
        self.assertEqual(statement["legal"]["closing"], 400.0)
        self.assertEqual(statement["legal"]["opening"], 0.0)
        legal_lines = [
            line for section in statement["legal"]["sections"] for line in section["lines"]
        ]
        self.assertEqual([line["debit"] for line in legal_lines], [400.0])
        normal_lines = [
            line["description"] for section in statement["sections"] for line in section["lines"]
        ]
        self.assertNotIn("Dues in legal follow-up", normal_lines)

    def test_home_balance_of_which_in_legal_follow_up(self):
        self.login(self.user_a)
        page = self.url_open("/my")
        self.assertIn('data-amount="1100.00"', page.text)  # the whole balance
        self.assertIn('o_site_legal_balance" data-amount="400.00"', page.text)
        self.assertIn("of which in legal follow-up", page.text)

    def test_legal_debts_are_not_paid_online(self):
        self.assertEqual(self.balance(self.u1, self.ali), 700.0)
        self.login(self.user_a)
        choose = self.url_open(f"/my/site/units/{self.u1.id}/pay")
        self.assertNotIn(f'value="{self.reclass.line_ids[1].id}"', choose.text)
        self.assertIn("700.00", choose.text)
        self.assertNotIn("400.00", choose.text)
        self.assertNotIn("1,100.00", choose.text)
        response = self.url_open(
            f"/my/site/units/{self.u1.id}/pay",
            data={"csrf_token": self.csrf_token()},
            allow_redirects=False,
        )
        token = response.headers["Location"].rsplit("/site/pay/", 1)[1]
        self.assertEqual(self.env["site.portal"]._read_pay_link(token)[2], 700.0)

    def test_no_legal_section_elsewhere(self):
        """Site B has no legal account: no section; Emre never sees Ali's."""
        self.login(self.user_b)
        page = self.url_open(f"/my/site/units/{self.unit_b.id}")
        self.assertNotIn("o_site_statement_legal", page.text)
        self.assertEqual(self.url_open(f"/my/site/units/{self.u1.id}").status_code, 404)
        self.assertNotIn("o_site_legal_balance", self.url_open("/my").text)
