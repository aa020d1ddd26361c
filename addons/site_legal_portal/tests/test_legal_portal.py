from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.site_legal.tests.common import LegalCase
from odoo.addons.site_portal.tests.common import PortalCase


@tagged("post_install", "-at_install")
class TestLegalPortal(PortalCase, LegalCase):
    """Lawyer A has a case on unit A-2 of site A, lawyer B one on A-3; Ali is a resident
    of site A with a portal login and no case. Each sees their own pages only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for user in (cls.lawyer_user_a, cls.lawyer_user_b):
            user.password = user.login
        cls.case_a = cls.open_case(
            cls.charge(cls.u2, 1000, date(2026, 1, 10)), file_number="2026/101"
        )
        cls.case_b = cls.open_case(
            cls.charge(cls.u3, 800, date(2026, 1, 10)), lawyer=cls.lawyer_user_b
        )
        cls.case_a.message_post(body="Staff note", message_type="comment")
        cls.document = cls.env["ir.attachment"].create(
            {
                "name": "payment-order.txt",
                "raw": b"payment order of case A",
                "res_model": "site.legal.case",
                "res_id": cls.case_a.id,
            }
        )

    def case_urls(self, case):
        base = f"/my/legal/cases/{case.id}"
        return [
            base,
            f"{base}/statement",
            f"{base}/statement.pdf",
            f"{base}/documents/{self.document.id}",
        ]

    def post(self, url, **data):
        return self.url_open(
            url, data=dict(data, csrf_token=self.csrf_token()), allow_redirects=False
        )

    # --- reading ---------------------------------------------------------------

    def test_case_list_shows_own_cases_only(self):
        self.login(self.lawyer_user_a)
        page = self.url_open("/my/legal/cases")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.case_a.name, page.text)
        self.assertIn("2026/101", page.text)
        self.assertIn(self.u2.code, page.text)
        self.assertNotIn(self.case_b.name, page.text)
        self.login(self.lawyer_user_b)
        page = self.url_open("/my/legal/cases")
        self.assertIn(self.case_b.name, page.text)
        self.assertNotIn(self.case_a.name, page.text)
        self.login(self.user_a)  # a resident has no cases
        self.assertEqual(self.url_open("/my/legal/cases").status_code, 404)
        self.assertEqual(self.url_open("/my/legal/statement").status_code, 404)

    def test_case_pages_for_its_lawyer(self):
        self.login(self.lawyer_user_a)
        page = self.url_open(f"/my/legal/cases/{self.case_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('o_legal_balance" data-amount="1000.00"', page.text)
        self.assertIn('o_legal_statement_closing" data-amount="1000.00"', page.text)
        self.assertIn("payment-order.txt", page.text)
        self.assertIn("Staff note", page.text)
        document = self.url_open(f"/my/legal/cases/{self.case_a.id}/documents/{self.document.id}")
        self.assertEqual(document.status_code, 200)
        self.assertEqual(document.content, b"payment order of case A")
        self.assertEqual(
            self.url_open(f"/my/legal/cases/{self.case_a.id}/statement").status_code, 200
        )

    def test_other_lawyer_and_resident_get_not_found(self):
        for user in (self.lawyer_user_b, self.user_a):
            self.login(user)
            for url in self.case_urls(self.case_a):
                with self.subTest(user=user.login, url=url):
                    self.assertEqual(self.url_open(url).status_code, 404)
        # A document of another record is not reached through one's own case either.
        self.login(self.lawyer_user_b)
        url = f"/my/legal/cases/{self.case_b.id}/documents/{self.document.id}"
        self.assertEqual(self.url_open(url).status_code, 404)

    def test_other_lawyer_and_resident_cannot_post(self):
        entries, messages = self.case_a.lawyer_entry_ids, self.case_a.message_ids
        base = f"/my/legal/cases/{self.case_a.id}"
        for user in (self.lawyer_user_b, self.user_a):
            self.login(user)
            for path, data in (
                ("stage", {"stage": "objection", "note": "x"}),
                (
                    "expense",
                    {"amount": "50", "date": "2026-03-05", "description": "x", "charge_to": "site"},
                ),
                ("note", {"note": "x"}),
            ):
                with self.subTest(user=user.login, path=path):
                    self.assertEqual(self.post(f"{base}/{path}", **data).status_code, 404)
            response = self.url_open(
                f"{base}/document",
                data={"csrf_token": self.csrf_token()},
                files={"document": ("x.txt", b"x")},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 404)
        self.case_a.invalidate_recordset()
        self.assertEqual(self.case_a.stage, "notice")
        self.assertEqual(self.case_a.lawyer_entry_ids, entries)
        self.assertEqual(self.case_a.message_ids, messages)

    def test_orm_refuses_other_lawyers_case(self):
        Case = self.as_user(self.lawyer_user_b)["site.legal.case"]
        self.assertEqual(Case.search([]), self.case_b)
        with self.assertRaises(AccessError):
            Case.browse(self.case_a.id).read(["name"])
        with self.assertRaises(AccessError):
            Case.browse(self.case_b.id).write({"office": "x"})
        with self.assertRaises(AccessError):
            self.as_user(self.user_a)["site.legal.case"].browse(self.case_a.id).read(["name"])
        Entry = self.as_user(self.lawyer_user_a)["site.legal.lawyer.entry"]
        with self.assertRaises(AccessError):
            Entry.create({"case_id": self.case_a.id, "kind": "expense", "amount": 10})

    # --- writing ---------------------------------------------------------------

    def test_stage_change_is_logged(self):
        self.login(self.lawyer_user_a)
        response = self.post(
            f"/my/legal/cases/{self.case_a.id}/stage",
            stage="payment_order",
            note="Payment order served",
        )
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.case_a.stage, "payment_order")
        log = self.case_a.stage_log_ids.sorted("id")[-1]
        self.assertEqual((log.stage, log.note), ("payment_order", "Payment order served"))
        self.assertEqual(log.create_uid, self.lawyer_user_a)
        # Stages that follow the money are not set by hand.
        page = self.post(f"/my/legal/cases/{self.case_a.id}/stage", stage="collected")
        self.assertIn("o_legal_error", page.text)
        self.assertEqual(self.case_a.stage, "payment_order")

    def test_expense_charged_on_posts_once(self):
        self.login(self.lawyer_user_a)
        data = {
            "amount": "250",
            "date": "2026-03-05",
            "description": "Court fee",
            "charge_to": "debtor",
            "form_token": "token-1",
        }
        url = f"/my/legal/cases/{self.case_a.id}/expense"
        self.assertEqual(self.post(url, **data).status_code, 303)
        self.assertEqual(self.post(url, **data).status_code, 303)  # sent twice
        entry = self.case_a.lawyer_entry_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(
            (entry.kind, entry.amount, entry.charge_to, entry.state, entry.description),
            ("expense", 250.0, "debtor", "posted", "Court fee"),
        )
        self.assertEqual(self.case_a.charged_on_amount, 250.0)
        self.assertEqual(self.case_a.balance, 1250.0)
        lawyer_line = entry.move_ids.line_ids.filtered("site_legal_lawyer_line")
        self.assertEqual(lawyer_line.credit, 250.0)
        self.assertEqual(lawyer_line.partner_id, self.lawyer_user_a.partner_id)
        # Another form is another expense; the lawyer's account shows both.
        self.post(url, **dict(data, form_token="token-2", charge_to="site", amount="40"))
        self.assertEqual(len(self.case_a.lawyer_entry_ids), 2)
        self.assertEqual(self.case_a.balance, 1250.0)
        page = self.url_open(f"/my/legal/cases/{self.case_a.id}/statement")
        self.assertIn('o_legal_lawyer_balance" data-amount="-290.00"', page.text)

    def test_expense_bad_input_names_the_field(self):
        self.login(self.lawyer_user_a)
        page = self.post(
            f"/my/legal/cases/{self.case_a.id}/expense",
            amount="-5",
            date="2026-03-05",
            description="Notary",
            charge_to="site",
        )
        self.assertIn("Amount:", page.text)
        self.assertFalse(self.case_a.lawyer_entry_ids)

    def test_note_and_document(self):
        self.login(self.lawyer_user_a)
        base = f"/my/legal/cases/{self.case_a.id}"
        self.assertEqual(self.post(f"{base}/note", note="Debtor called").status_code, 303)
        message = self.case_a.message_ids.filtered(lambda m: "Debtor called" in (m.body or ""))
        self.assertEqual(message.author_id, self.lawyer_user_a.partner_id)
        response = self.url_open(
            f"{base}/document",
            data={"csrf_token": self.csrf_token()},
            files={"document": ("decision.pdf", b"%PDF-1.4 decision")},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "site.legal.case"),
                ("res_id", "=", self.case_a.id),
                ("name", "=", "decision.pdf"),
            ]
        )
        self.assertEqual(attachment.raw, b"%PDF-1.4 decision")
        self.login(self.lawyer_user_b)
        self.assertEqual(self.url_open(f"{base}/documents/{attachment.id}").status_code, 404)

    def test_home_counter(self):
        for user, count in ((self.lawyer_user_a, 1), (self.user_a, 0)):
            self.login(user)
            response = self.make_jsonrpc_request(
                "/my/counters", {"counters": ["site_legal_case_count"]}
            )
            self.assertEqual(response["site_legal_case_count"], count)
