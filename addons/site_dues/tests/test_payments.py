from datetime import date
from decimal import Decimal

from odoo.tests import TransactionCase, tagged

from odoo.addons.site_dues.engine.payment_codes import reference_candidates
from odoo.addons.site_dues.models.site_ledger import Charge


class SiteDuesPaymentCase(TransactionCase):
    """A Turkish site with its chart, one unit owned by Ali, and helpers to charge and pay."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create(
            {"name": "Test Sitesi", "is_site": True, "country_id": cls.env.ref("base.tr").id}
        )
        cls.env["account.chart.template"].try_loading("tr", cls.company, install_demo=False)
        cls.company._site_dues_setup()
        cls.env.user.company_ids |= cls.company
        cls.env = cls.env["base"].with_company(cls.company).env
        cls.owner = cls.env["res.partner"].create({"name": "Ali Yılmaz"})
        cls.unit = cls.env["site.unit"].create({"code": "A-1", "company_id": cls.company.id})
        cls.env["site.unit.relation"].create(
            {
                "unit_id": cls.unit.id,
                "partner_id": cls.owner.id,
                "role": "owner",
                "date_from": date(2024, 1, 1),
            }
        )
        types = cls.company.site_charge_type_ids
        cls.dues = types.filtered(lambda t: t.code == "DUES")
        cls.heat = types.filtered(lambda t: t.code == "HEAT")
        cls.late_fee = types.filtered(lambda t: t.code == "LATEFEE")
        cls.bank_journal = cls.env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "bank")], limit=1
        )

    def charge(self, amount, due, charge_type=None, unit=None, partner=None, label=None):
        """Post one charge dated on its month's first day; returns its receivable line."""
        charge_type = charge_type or self.dues
        unit = unit or self.unit
        moves = self.env["site.ledger"]._post_charges(
            self.company,
            due.replace(day=1),
            [
                Charge(
                    unit.id,
                    (partner or self.owner).id,
                    charge_type.id,
                    Decimal(str(amount)),
                    due,
                    label or f"{charge_type.name} {due:%Y-%m}",
                    due.replace(day=1),
                )
            ],
            f"TEST {due}",
        )
        return moves.line_ids.filtered(lambda line: line.site_unit_id)

    def pay(self, amount, day, unit=None, memo=None, payment_type="inbound", partner=None):
        payment = self.env["account.payment"].create(
            {
                "payment_type": payment_type,
                "partner_type": "customer",
                "partner_id": partner.id if partner else False,
                "amount": amount,
                "date": day,
                "journal_id": self.bank_journal.id,
                "site_unit_id": unit.id if unit else False,
                "memo": memo,
            }
        )
        payment.action_post()
        return payment

    def receivable(self, payment):
        return payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def unit_balance(self):
        self.unit.invalidate_recordset(["balance"])
        return self.unit.balance

    def assertResiduals(self, lines, expected):
        self.assertEqual([round(line.amount_residual, 2) for line in lines], expected)


@tagged("post_install", "-at_install")
class TestPayments(SiteDuesPaymentCase):
    def _three_charges(self):
        """January dues 100, its late fee 5 (due 1 February), February dues 100."""
        return (
            self.charge(100, date(2025, 1, 10))
            | self.charge(5, date(2025, 2, 1), self.late_fee)
            | self.charge(100, date(2025, 2, 10))
        )

    def test_oldest_first_partial_then_overpayment_used_later(self):
        self.company.site_payment_order = "oldest_first"
        january, fee, february = self._three_charges()
        payment = self.pay(150, date(2025, 2, 15), unit=self.unit)
        self.assertEqual(payment.partner_id, self.owner, "the unit's liable partner pays")
        line = self.receivable(payment)
        self.assertEqual(line.site_unit_id, self.unit)
        self.assertResiduals(january | fee | february, [0.0, 0.0, 55.0])
        self.assertTrue(line.reconciled)

        overpayment = self.receivable(self.pay(80, date(2025, 2, 20), unit=self.unit))
        self.assertResiduals(february | overpayment, [0.0, -25.0])
        self.assertEqual(overpayment.site_unit_id, self.unit, "the credit stays on the unit")
        self.assertAlmostEqual(self.unit_balance(), -25.0)

        march = self.charge(100, date(2025, 3, 10))
        self.env["account.move.line"]._site_settle(self.unit.ids, self.company)
        self.assertResiduals(march | overpayment, [75.0, 0.0])
        self.assertAlmostEqual(self.unit_balance(), 75.0)

    def test_fees_first(self):
        self.company.site_payment_order = "fees_first"
        january, fee, february = self._three_charges()
        self.pay(50, date(2025, 2, 15), unit=self.unit)
        self.assertResiduals(january | fee | february, [55.0, 0.0, 100.0])

    def test_principal_first(self):
        self.company.site_payment_order = "principal_first"
        january, fee, february = self._three_charges()
        self.pay(150, date(2025, 2, 15), unit=self.unit)
        self.assertResiduals(january | fee | february, [0.0, 5.0, 50.0])
        self.pay(60, date(2025, 2, 20), unit=self.unit)
        self.assertResiduals(january | fee | february, [0.0, 0.0, 0.0])
        self.assertAlmostEqual(self.unit_balance(), -5.0)

    def test_unit_found_from_memo(self):
        january = self.charge(100, date(2025, 1, 10))
        reference = self.unit.payment_reference
        spaced = f"{reference[:4]} {reference[4:]}"
        payment = self.pay(100, date(2025, 1, 20), memo=f"A-1 aidat ocak, ref {spaced}")
        self.assertEqual(payment.site_unit_id, self.unit)
        self.assertEqual(payment.partner_id, self.owner)
        self.assertTrue(january.reconciled)

    def test_reference_candidates(self):
        reference = self.unit.payment_reference
        self.assertIn(reference, reference_candidates(f"Aidat {reference} 2025"))
        self.assertIn(reference, reference_candidates(f"ref:{reference[:3]}-{reference[3:]}."))
        wrong = reference[:-1] + str((int(reference[-1]) + 1) % 10)
        self.assertNotIn(wrong, reference_candidates(f"Aidat {wrong}"), "the check digit fails")

    def test_reference_of_another_site_is_ignored(self):
        other_site = self.env["res.company"].create(
            {"name": "Other Site", "is_site": True, "country_id": self.env.ref("base.tr").id}
        )
        other_unit = (
            self.env["site.unit"].sudo().create({"code": "B-1", "company_id": other_site.id})
        )
        payment = self.pay(
            10, date(2025, 1, 20), memo=f"ref {other_unit.payment_reference}", partner=self.owner
        )
        self.assertFalse(payment.site_unit_id)
        self.assertFalse(self.receivable(payment).site_unit_id)

    def test_refund_reduces_the_credit(self):
        self.charge(100, date(2025, 1, 10))
        credit = self.receivable(self.pay(130, date(2025, 1, 20), unit=self.unit))
        self.assertResiduals(credit, [-30.0])
        refund = self.pay(10, date(2025, 1, 25), unit=self.unit, payment_type="outbound")
        refund_line = self.receivable(refund)
        self.assertEqual(refund_line.site_unit_id, self.unit)
        self.assertTrue(refund_line.reconciled)
        self.assertResiduals(credit, [-20.0])
        self.pay(20, date(2025, 1, 26), unit=self.unit, payment_type="outbound")
        self.assertTrue(credit.reconciled)
        self.assertAlmostEqual(self.unit_balance(), 0.0)

    def test_bank_statement_line_matched_by_reference(self):
        january = self.charge(100, date(2025, 1, 10))
        lines = self.env["account.bank.statement.line"].create(
            [
                {
                    "journal_id": self.bank_journal.id,
                    "date": date(2025, 1, 18),
                    "payment_ref": f"EFT ALI YILMAZ A1 AIDAT {self.unit.payment_reference}",
                    "amount": 120.0,
                },
                {
                    "journal_id": self.bank_journal.id,
                    "date": date(2025, 1, 18),
                    "payment_ref": "Bank fee refund 12345",
                    "amount": 3.0,
                },
            ]
        )
        matched, unmatched = lines
        lines.action_site_match_reference()
        self.assertEqual(matched.site_unit_id, self.unit)
        self.assertEqual(matched.partner_id, self.owner)
        self.assertFalse(unmatched.site_unit_id)

        lines._site_reconcile()
        self.assertTrue(matched.is_reconciled)
        self.assertFalse(unmatched.is_reconciled, "without a unit the line waits")
        receivable = matched.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.site_unit_id, self.unit)
        self.assertEqual(receivable.partner_id, self.owner)
        self.assertTrue(january.reconciled)
        self.assertResiduals(receivable, [-20.0])
        self.assertEqual(matched.move_id.state, "posted")
        self.assertAlmostEqual(sum(matched.move_id.line_ids.mapped("balance")), 0.0)
        self.assertAlmostEqual(self.unit_balance(), -20.0)

        # Outgoing money from the bank (a refund) takes the credit back.
        refund = self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank_journal.id,
                "date": date(2025, 1, 25),
                "payment_ref": f"Iade {self.unit.payment_reference}",
                "amount": -20.0,
            }
        )
        refund.action_site_reconcile()
        self.assertTrue(refund.is_reconciled)
        self.assertTrue(receivable.reconciled)
        self.assertAlmostEqual(self.unit_balance(), 0.0)
