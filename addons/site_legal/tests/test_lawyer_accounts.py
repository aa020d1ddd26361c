from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import LegalCase


@tagged("post_install", "-at_install")
class TestLawyerAccounts(LegalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case_1 = cls.open_case_of(cls.u1, 2000)
        cls.case_2 = cls.open_case_of(cls.u2, 1000)
        cls.case_3 = cls.open_case_of(cls.u3, 500, lawyer=cls.lawyer_user_b)

    @classmethod
    def open_case_of(cls, unit, amount, lawyer=None):
        return cls.open_case(cls.charge(unit, amount, date(2026, 1, 10)), lawyer=lawyer)

    def lawyer_balances(self):
        """{(lawyer, case): (debit, credit, balance)} read from the ledger."""
        all_cases = self.case_1 | self.case_2 | self.case_3
        lines = self.env["account.move.line"].search(all_cases._lawyer_line_domain())
        cases = {str(case.analytic_account_id.id): case for case in all_cases}
        result = {}
        for line in lines:
            [key] = line.analytic_distribution
            debit, credit, _balance = result.get((line.partner_id, cases[key]), (0.0, 0.0, 0.0))
            debit, credit = round(debit + line.debit, 2), round(credit + line.credit, 2)
            result[(line.partner_id, cases[key])] = (debit, credit, round(debit - credit, 2))
        return result

    def test_flows_give_the_balances_by_case_and_lawyer(self):
        cash = {"journal_id": self.bank.id}
        self.entry(self.case_1, "advance", 1000, **cash)
        self.entry(self.case_1, "expense", 300, charge_to="debtor", description="Court fee")
        self.entry(self.case_1, "expense", 200, charge_to="site", description="Notary")
        self.entry(self.case_1, "fee", 500, charge_to="site")
        self.entry(self.case_1, "collection", 1800, day=date(2026, 4, 1))
        self.entry(self.case_1, "remittance", 1200, day=date(2026, 4, 5), **cash)
        self.entry(self.case_2, "advance", 400, **cash)
        self.entry(self.case_2, "fee", 250, charge_to="debtor")
        self.entry(self.case_3, "advance", 100, **cash)

        balances = self.lawyer_balances()
        self.assertEqual(
            balances,
            {
                (self.lawyer_a, self.case_1): (2800.0, 2200.0, 600.0),
                (self.lawyer_a, self.case_2): (400.0, 250.0, 150.0),
                (self.lawyer_b, self.case_3): (100.0, 0.0, 100.0),
            },
        )
        self.assertEqual(
            (self.case_1.lawyer_balance, self.case_2.lawyer_balance, self.case_3.lawyer_balance),
            (600.0, 150.0, 100.0),
        )
        # per lawyer: Ayla holds 750 of the site's money, in the statement's running balance
        [(lawyer, lines)] = [
            item
            for item in (self.case_1 | self.case_2)._lawyer_statement()
            if item[0] == self.lawyer_a
        ]
        self.assertEqual(float(lines[-1]["balance"]), 750.0)
        self.assertEqual({line["case"] for line in lines}, {self.case_1, self.case_2})
        self.assertEqual(lawyer, self.lawyer_a)
        # the costs charged on are debts of the case; the collection settled them
        self.assertEqual(
            (
                self.case_1.handed_over_amount,
                self.case_1.charged_on_amount,
                self.case_1.collected_amount,
                self.case_1.balance,
            ),
            (2000.0, 300.0, 1800.0, 500.0),
        )
        legal_costs = self.debts(self.case_1).filtered(
            lambda line: line.site_charge_type_id.code == "LEGAL"
        )
        self.assertEqual(legal_costs.mapped("balance"), [300.0])
        self.assertEqual((self.case_2.charged_on_amount, self.case_2.balance), (250.0, 1250.0))
        # the site bears 700 of legal costs on case 1; the bank paid 1500 and got 1200 back
        cost_lines = self.env["account.move.line"].search(
            [("account_id", "=", self.site.site_legal_cost_account_id.id)]
        )
        self.assertEqual(sum(cost_lines.mapped("balance")), 700.0)
        bank_lines = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.bank.default_account_id.id),
                ("move_id.site_legal_kind", "=", "lawyer"),
            ]
        )
        self.assertEqual(round(sum(bank_lines.mapped("balance")), 2), -300.0)

    def test_collection_beyond_the_debt_and_missing_details_are_refused(self):
        with self.assertRaisesRegex(UserError, "more than the 2,000.00|more than the 2000.0"):
            self.entry(self.case_1, "collection", 2500)
        with self.assertRaisesRegex(UserError, "Bank or Cash"):
            self.entry(self.case_1, "advance", 100)
        with self.assertRaisesRegex(UserError, "charged on to the debtor or the site"):
            self.entry(self.case_1, "expense", 100)
        with self.assertRaisesRegex(UserError, "positive"):
            self.entry(self.case_1, "fee", -5, charge_to="site")
        self.assertFalse(self.lawyer_balances())

    def test_cancelling_an_entry_reverses_it(self):
        cost = self.entry(self.case_1, "expense", 300, charge_to="debtor")
        collection = self.entry(self.case_1, "collection", 2100)
        self.assertEqual(self.case_1.balance, 200.0)
        collection.action_cancel()
        self.assertEqual((collection.state, self.case_1.balance), ("cancelled", 2300.0))
        cost.action_cancel()
        self.assertEqual((self.case_1.balance, self.case_1.charged_on_amount), (2000.0, 0.0))
        self.assertEqual(self.lawyer_balances()[(self.lawyer_a, self.case_1)][2], 0.0)
