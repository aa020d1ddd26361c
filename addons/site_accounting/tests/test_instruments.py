from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import BooksCase


@tagged("post_install", "-at_install")
class TestInstruments(BooksCase):
    """Cheques and promissory notes on the Turkish site with January's dues charged
    (1000 a flat)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create({"name": "Korkmaz Yapı A.Ş."})

    def instrument(self, unit=None, **values):
        owner = unit.get_liable_partner(date(2026, 1, 15)) if unit else self.supplier
        return self.env["site.negotiable.instrument"].create(
            {
                "company_id": self.site.id,
                "number": f"C-{unit.code if unit else 'S'}-{values.get('amount', 1000)}",
                "partner_id": owner.id,
                "unit_id": unit.id if unit else False,
                "amount": 1000,
                "issue_date": date(2026, 1, 15),
                "due_date": date(2026, 2, 15),
                "journal_id": self.bank.id,
                **values,
            }
        )

    def balance(self, prefix):
        """The posted balance of the site's accounts whose code starts with ``prefix``."""
        lines = self.env["account.move.line"].search(
            [("company_id", "=", self.site.id), ("parent_state", "=", "posted")]
        )
        return round(
            sum(
                line.balance
                for line in lines
                if line.account_id.with_company(self.site).code.startswith(prefix)
            ),
            2,
        )

    def unit_debt(self, unit):
        return round(
            sum(
                self.env["account.move.line"]
                .search(
                    [
                        ("site_unit_id", "=", unit.id),
                        ("parent_state", "=", "posted"),
                        ("account_id.account_type", "=", "asset_receivable"),
                    ]
                )
                .mapped("amount_residual")
            ),
            2,
        )

    def dues_of(self, unit):
        return self.env["account.move.line"].search(
            [("site_unit_id", "=", unit.id), ("site_charge_type_id", "!=", False)]
        )

    def test_cheque_collected(self):
        cheque = self.instrument(self.u1)
        cheque._site_step("portfolio", date(2026, 1, 15))
        self.assertEqual(self.balance("101"), 1000.0)
        self.assertEqual(self.unit_debt(self.u1), 0.0, "the cheque pays the unit's dues")
        self.assertTrue(self.dues_of(self.u1).reconciled)
        self.assertEqual(cheque.receipt_line_id.site_unit_id, self.u1)

        cheque._site_step("deposited", date(2026, 1, 20))
        at_bank = (
            self.env["account.account"]
            .with_company(self.site)
            .search([("company_ids", "in", self.site.ids), ("code", "=", "101.02")])
        )
        self.assertEqual(self.balance("101"), 1000.0)
        self.assertEqual(self.balance("101.02"), 1000.0)

        cheque._site_step("collected", date(2026, 2, 15))
        self.assertEqual(self.balance("101"), 0.0)
        self.assertEqual(self.balance("102"), 1000.0)
        st_line = cheque.move_ids.statement_line_id
        self.assertEqual(st_line.journal_id, self.bank)
        self.assertEqual(st_line.amount, 1000.0)
        self.assertTrue(st_line.is_reconciled, "not in the queue of transactions to match")
        self.assertEqual(
            st_line.move_id.line_ids.filtered(lambda line: line.credit).account_id, at_bank
        )
        self.assertEqual(len(cheque.move_ids), 3)
        self.assertEqual(self.balance("120"), 2000.0, "the other two flats still owe")
        cash_in = self.env["site.cash.report"].search(
            [("company_id", "=", self.site.id), ("move_id", "=", st_line.move_id.id)]
        )
        self.assertEqual(sum(cash_in.mapped("amount_in")), 1000.0)

    def test_cheque_bounced_reopens_the_debt(self):
        cheque = self.instrument(self.u2)
        cheque._site_step("portfolio", date(2026, 1, 15))
        cheque._site_step("deposited", date(2026, 1, 20))
        self.assertEqual(self.unit_debt(self.u2), 0.0)
        cheque._site_step("bounced", date(2026, 2, 16))
        self.assertEqual(cheque.state, "bounced")
        self.assertEqual(self.balance("101"), 0.0)
        self.assertEqual(self.balance("102"), 0.0)
        self.assertEqual(self.balance("120"), 3000.0)
        self.assertEqual(self.unit_debt(self.u2), 1000.0)
        dues = self.dues_of(self.u2)
        self.assertEqual(dues.amount_residual, 1000.0, "the dues are open again")
        self.assertTrue(cheque.receipt_line_id.reconciled)

        statement = (
            self.env["site.statement.wizard"]
            .create(
                {
                    "company_id": self.site.id,
                    "unit_id": self.u2.id,
                    "date_from": date(2026, 1, 1),
                    "date_to": date(2026, 12, 31),
                }
            )
            ._statement_data()
        )
        self.assertEqual(
            [(line["debit"], line["credit"]) for line in statement["sections"][0]["lines"]],
            [(1000.0, 0.0), (0.0, 1000.0), (1000.0, 0.0)],
        )
        self.assertEqual(statement["closing"], 1000.0)

        cheque._site_step("returned", date(2026, 2, 20))
        self.assertEqual(self.unit_debt(self.u2), 1000.0, "handing the paper back posts nothing")
        self.assertEqual(len(cheque.move_ids), 3)

    def test_note_endorsed_to_a_supplier(self):
        note = self.instrument(self.u3, kind="promissory_note", endorsee_id=self.supplier.id)
        note._site_step("portfolio", date(2026, 1, 15))
        self.assertEqual(self.balance("121"), 1000.0)
        note._site_step("endorsed", date(2026, 1, 18))
        self.assertEqual(self.balance("121"), 0.0)
        payable = note.move_ids.line_ids.filtered(
            lambda line: line.account_id.account_type == "liability_payable"
        )
        self.assertEqual((payable.partner_id, payable.debit), (self.supplier, 1000.0))
        self.assertEqual(self.unit_debt(self.u3), 0.0)

        # The supplier could not collect it: the site owes him again, the flat owes the site.
        note._site_step("bounced", date(2026, 2, 20))
        self.assertEqual(self.balance("320"), 0.0)
        self.assertEqual(self.unit_debt(self.u3), 1000.0)

    def test_given_cheque_paid(self):
        given = self.instrument(direction="given", amount=750)
        given._site_step("issued", date(2026, 1, 25))
        self.assertEqual(self.balance("103"), -750.0)
        self.assertEqual(self.balance("320"), 750.0, "the supplier is paid by the cheque")
        given._site_step("paid", date(2026, 2, 15))
        self.assertEqual(self.balance("103"), 0.0)
        self.assertEqual(self.balance("102"), -750.0)
        self.assertEqual(given.move_ids.statement_line_id.amount, -750.0)

    def test_refused_steps(self):
        cheque = self.instrument(self.u1)
        with self.assertRaisesRegex(UserError, "allowed: portfolio"):
            cheque._site_step("collected", date(2026, 1, 15))
        cheque._site_step("portfolio", date(2026, 1, 15))
        with self.assertRaisesRegex(UserError, "already booked"):
            cheque.amount = 500
        with self.assertRaisesRegex(UserError, "endorsed to"):
            cheque._site_step("endorsed", date(2026, 1, 16))
        cheque.journal_id = False
        cheque._site_step("deposited", date(2026, 1, 16))
        with self.assertRaisesRegex(UserError, "bank account"):
            cheque._site_step("collected", date(2026, 1, 17))

    def test_site_setup_creates_accounts_and_journal(self):
        accounts = (
            self.env["account.account"]
            .with_company(self.site_b)
            .search(
                [
                    ("company_ids", "in", self.site_b.ids),
                    (
                        "code",
                        "in",
                        ["101000", "101.02", "103000", "121000", "121.02", "321000", "195000"],
                    ),
                ]
            )
        )
        self.assertEqual(len(accounts), 7)
        self.site_b._site_accounting_setup()
        self.assertEqual(
            self.env["account.journal"].search_count(
                [("company_id", "=", self.site_b.id), ("code", "=", "CKSN")]
            ),
            1,
        )

    def test_two_sites_users(self):
        Instrument = self.env["site.negotiable.instrument"]
        as_a = Instrument.with_env(self.as_user(self.accountant_a))
        cheque = as_a.create(
            {
                "company_id": self.site.id,
                "number": "77",
                "partner_id": self.owners[0].id,
                "unit_id": self.u1.id,
                "amount": 400,
                "issue_date": date(2026, 1, 15),
                "due_date": date(2026, 1, 30),
            }
        )
        cheque.action_receive()
        self.assertEqual(cheque.state, "portfolio")
        other = self.instrument(direction="given", amount=10).with_company(self.site_b)
        other_b = Instrument.create(
            {
                "company_id": self.site_b.id,
                "number": "88",
                "partner_id": self.owner_b.id,
                "unit_id": self.unit_b.id,
                "amount": 100,
                "issue_date": date(2026, 1, 15),
                "due_date": date(2026, 1, 30),
            }
        )
        as_b = Instrument.with_env(self.as_user(self.accountant_b))
        self.assertEqual(as_b.search([]), other_b.with_env(as_b.env))
        with self.assertRaises(AccessError):
            as_b.browse(cheque.id).read(["amount"])
        board_a = Instrument.with_env(self.as_user(self.board_a))
        self.assertEqual(board_a.search([]), (cheque | other).with_env(board_a.env))
        with self.assertRaises(AccessError):
            board_a.browse(cheque.id).write({"note": "x"})
