from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import DATA, BooksCase

# A payment to the Ukrainian site in February, as a row of PrivatBank's export (the
# sample file's layout).
PRIVATBANK_ROW = (
    '"43210987";"305299";"UA213052990000026007233566001";"UAH";"{day}.02.2026 10:00";"1";'
    '"305299";"АТ КБ ПРИВАТБАНК";"{account}";"";"{payer}";"@2PL2{day}";"{day}.02.2026";"";'
    '"{amount}";"{label}";"{amount}"'
)


@tagged("post_install", "-at_install")
class TestBankImport(BooksCase):
    """A sample file per country, in the bank's own export layout, imports and its lines
    are matched to the right units and booked; the others wait in the queue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_pl, cls.units_pl, cls.owners_pl = cls.new_site(
            "WM Słoneczna 12 (test)",
            "base.pl",
            "pl",
            "base.PLN",
            [
                ("M1", "00020016", "Jan Kowalski"),
                ("M2", "00020024", "Anna Nowak"),
                ("M3", "00020032", "Piotr Zieliński"),
                ("M4", None, "Zofia Wiśniewska"),
            ],
        )
        cls.charge_january(cls.site_pl, cls.units_pl, (420, 1380.50, 512.30, 600))
        cls.site_ua, cls.units_ua, cls.owners_ua = cls.new_site(
            "ОСББ Сонячний (тест)",
            "base.ua",
            "ua_psbo",
            "base.UAH",
            [
                ("1", "00030015", "Шевченко Тарас Григорович"),
                ("2", "00030023", "Коваленко Олена Петрівна"),
                ("3", "00030031", "Бондаренко Ігор Васильович"),
            ],
        )
        cls.charge_january(cls.site_ua, cls.units_ua, (1450, 980, 700))

    def assertBooked(self, line, unit, partner):
        self.assertEqual(line.site_unit_id, unit, line.payment_ref)
        self.assertEqual(line.partner_id, partner, line.payment_ref)
        self.assertTrue(line.is_reconciled, line.payment_ref)
        receivable = line.move_id.line_ids.filtered(
            lambda move_line: move_line.account_id.account_type == "asset_receivable"
        )
        self.assertEqual(receivable.site_unit_id, unit)

    def charge_residual(self, unit):
        return sum(
            unit.charge_line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and line.balance > 0
            ).mapped("amount_residual")
        )

    def test_turkish_ziraat_csv(self):
        self.env["res.partner.bank"].create(
            {"acc_number": "TR320010009999901234567890", "partner_id": self.owners[1].id}
        )
        mapping = self.env.ref("site_accounting.mapping_tr_ziraat_csv")
        lines = self.import_file(self.bank, "ziraat_hesap_hareketleri.csv", mapping)
        self.assertEqual(len(lines), 5)
        self.assertEqual(
            lines.mapped("amount"), [1250.0, 1000.0, 750.0, 500.0, -25.0], "1.250,00 is 1250"
        )
        by_reference, by_iban, spaced_reference, by_code, fee = lines
        self.assertIn("ALİ YILMAZ", by_reference.payment_ref, "read as Windows-1254")
        self.assertBooked(by_reference, self.u1, self.owners[0])
        self.assertBooked(by_iban, self.u2, self.owners[1])
        self.assertBooked(spaced_reference, self.u3, self.owners[2])
        # Allocated: January's charge settled, the rest an advance or still due.
        self.assertAlmostEqual(self.u1.balance, -250.0)
        self.assertAlmostEqual(self.u2.balance, 0.0)
        self.assertAlmostEqual(self.charge_residual(self.u3), 250.0)

        self.assertEqual(self.to_match(self.site), by_code | fee)
        self.assertEqual(by_code.site_suggested_unit_ids, self.u1, "the label quotes A-1")
        self.assertFalse(fee.site_suggested_unit_ids)
        by_code.action_site_use_suggestion()
        self.assertBooked(by_code, self.u1, self.owners[0])
        self.assertEqual(self.to_match(self.site), fee)

    def test_reimport_ignores_known_transactions(self):
        mapping = self.env.ref("site_accounting.mapping_tr_ziraat_csv")
        self.import_file(self.bank, "ziraat_hesap_hareketleri.csv", mapping)
        with self.assertRaisesRegex(Exception, "already imported"):
            self.import_file(self.bank, "ziraat_hesap_hareketleri.csv", mapping)

    def test_polish_mbank_csv(self):
        journal = self.bank_journal(self.site_pl)
        mapping = self.env.ref("site_accounting.mapping_pl_mbank_csv")
        lines = self.import_file(journal, "mbank_lista_operacji.csv", mapping)
        self.assertEqual(lines.mapped("amount"), [420.0, 1380.5, 600.0, -9.99])
        jan, anna, zofia, fee = lines
        self.assertIn("WIŚNIEWSKA", zofia.payment_ref, "read as Windows-1250")
        self.assertBooked(jan, self.units_pl[0], self.owners_pl[0])
        self.assertBooked(anna, self.units_pl[1], self.owners_pl[1])
        self.assertAlmostEqual(self.units_pl[0].balance, 0.0)
        self.assertAlmostEqual(self.units_pl[1].balance, 0.0)
        self.assertEqual(self.to_match(self.site_pl), zofia | fee)
        self.assertEqual(zofia.site_suggested_unit_ids, self.units_pl[3], "her name")

    def test_polish_camt053(self):
        journal = self.bank_journal(self.site_pl)
        journal.bank_account_id = self.env["res.partner.bank"].create(
            {
                "acc_number": "PL61109010140000071219812874",
                "partner_id": self.site_pl.partner_id.id,
                "company_id": self.site_pl.id,
            }
        )
        lines = self.import_file(journal, "pko_bp_camt053.xml")
        self.assertEqual(lines.mapped("amount"), [512.30, -14.0])
        rent, fee = lines
        self.assertBooked(rent, self.units_pl[2], self.owners_pl[2])
        self.assertAlmostEqual(self.units_pl[2].balance, 0.0)
        self.assertEqual(self.to_match(self.site_pl), fee)

    def test_ukrainian_privatbank_csv(self):
        journal = self.bank_journal(self.site_ua)
        self.env["res.partner.bank"].create(
            {"acc_number": "UA173220010000026201234567890", "partner_id": self.owners_ua[1].id}
        )
        mapping = self.env.ref("site_accounting.mapping_ua_privatbank_csv")
        lines = self.import_file(journal, "privatbank_vypyska.csv", mapping)
        self.assertEqual(lines.mapped("amount"), [1450.0, 980.0, 700.0, -55.0], "credit is in")
        shevchenko, kovalenko, bondarenko, fee = lines
        self.assertEqual(bondarenko.partner_name, "Бондаренко Ігор Васильович")
        self.assertBooked(shevchenko, self.units_ua[0], self.owners_ua[0])
        self.assertBooked(kovalenko, self.units_ua[1], self.owners_ua[1])
        self.assertEqual(self.to_match(self.site_ua), bondarenko | fee)
        self.assertEqual(bondarenko.site_suggested_unit_ids, self.units_ua[2])
        self.assertAlmostEqual(self.charge_residual(self.units_ua[2]), 700.0)

    def test_file_in_another_encoding_is_refused(self):
        mapping = self.env.ref("site_accounting.mapping_ua_privatbank_csv").copy(
            {"name": "PrivatBank, wrong encoding", "file_encoding": "windows-1250"}
        )
        utf8 = (DATA / "privatbank_vypyska.csv").read_bytes().decode("windows-1251").encode()
        with self.assertRaisesRegex(UserError, "not in the encoding of the mapping"):
            self.import_file(self.bank_journal(self.site_ua), "vypyska.csv", mapping, utf8)
        self.assertFalse(self.to_match(self.site_ua), "nothing imported")

    def test_suite_rules_win_over_reconcile_oca(self):
        """With account_reconcile_oca matching on creation as in production, a payment
        whose amount is another unit's open charge goes to the unit its reference or its
        payer's account names, with that unit's partner; a payer known only by name
        waits in the queue."""
        self.env["res.partner.bank"].create(
            {"acc_number": "UA173220010000026201234567890", "partner_id": self.owners_ua[1].id}
        )
        header = (DATA / "privatbank_vypyska.csv").read_bytes().decode("windows-1251")
        rows = [
            # For flat 1, paid by flat 3's owner: 700.00 is what flat 3 owes.
            ("10", "", self.owners_ua[2].name, "700.00", "Внесок, ос. рах. 00030015"),
            # By flat 2's owner's account: 1450.00 is what flat 1 owes.
            ("11", "UA173220010000026201234567890", "", "1450.00", "Оплата внесків"),
            # Flat 1's owner by name only: 980.00 is what flat 2 owes.
            ("12", "UA843052990000026209876543210", self.owners_ua[0].name, "980.00", "Внесок"),
        ]
        content = "\r\n".join(
            [header.splitlines()[0]]
            + [
                PRIVATBANK_ROW.format(
                    day=day, account=account, payer=payer, amount=amount, label=label
                )
                for day, account, payer, amount, label in rows
            ]
        ).encode("windows-1251")
        # Under tests account_reconcile_oca matches on creation only when asked to.
        self.env = self.env(context=dict(self.env.context, _test_account_reconcile_oca=True))
        mapping = self.env.ref("site_accounting.mapping_ua_privatbank_csv")
        journal = self.bank_journal(self.site_ua)
        by_reference, by_account, by_name = self.import_file(
            journal, "vypyska.csv", mapping, content
        )

        self.assertBooked(by_reference, self.units_ua[0], self.owners_ua[0])
        self.assertBooked(by_account, self.units_ua[1], self.owners_ua[1])
        self.assertAlmostEqual(self.charge_residual(self.units_ua[0]), 750.0)
        self.assertAlmostEqual(self.charge_residual(self.units_ua[2]), 700.0, "flat 3 still owes")
        self.assertEqual(self.to_match(self.site_ua), by_name)
        self.assertFalse(by_name.partner_id, "a payer's name only suggests a unit")
        self.assertEqual(by_name.site_suggested_unit_ids, self.units_ua[0])
        self.assertAlmostEqual(self.charge_residual(self.units_ua[1]), 0.0)

    def test_queued_line_reconciled_in_reconcile_widget(self):
        """The accountant books a queued line with account_reconcile_oca's widget: a
        reconcile model chosen, cleared and chosen again, then reconciled."""
        journal = self.bank_journal(self.site_ua)
        mapping = self.env.ref("site_accounting.mapping_ua_privatbank_csv")
        fee = self.import_file(journal, "privatbank_vypyska.csv", mapping)[-1]
        expense = self.env["account.account"].search(
            [("company_ids", "in", self.site_ua.ids), ("account_type", "=", "expense")], limit=1
        )
        bank_fees = (
            self.env["account.reconcile.model"]
            .with_company(self.site_ua)
            .create(
                {
                    "name": "Bank fees (test)",
                    "match_journal_ids": journal.ids,
                    "line_ids": [Command.create({"account_id": expense.id})],
                }
            )
        )
        with Form(
            fee.with_company(self.site_ua),
            view="account_reconcile_oca.bank_statement_line_form_reconcile_view",
        ) as widget:
            self.assertFalse(widget.can_reconcile)
            widget.manual_model_id = bank_fees
            self.assertTrue(widget.can_reconcile)
            widget.manual_model_id = self.env["account.reconcile.model"]
            self.assertFalse(widget.can_reconcile)
            widget.manual_model_id = bank_fees
        fee.reconcile_bank_line()
        self.assertTrue(fee.is_reconciled)
        self.assertEqual(
            fee.move_id.line_ids.filtered(lambda line: line.account_id == expense).balance, 55.0
        )
        self.assertNotIn(fee, self.to_match(self.site_ua))

    def test_unit_charge_settled_in_reconcile_widget(self):
        """A queued payment the accountant matches to a unit's charge in the reconcile
        widget lands on that unit: its balance and the transaction's unit follow."""
        journal = self.bank_journal(self.site_ua)
        mapping = self.env.ref("site_accounting.mapping_ua_privatbank_csv")
        bondarenko = self.import_file(journal, "privatbank_vypyska.csv", mapping)[2]
        flat = self.units_ua[2]
        charge = flat.charge_line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        with Form(
            bondarenko.with_company(self.site_ua),
            view="account_reconcile_oca.bank_statement_line_form_reconcile_view",
        ) as widget:
            widget.add_account_move_line_id = charge
            self.assertTrue(widget.can_reconcile)
        bondarenko.reconcile_bank_line()
        self.assertTrue(bondarenko.is_reconciled)
        self.assertEqual(bondarenko.site_unit_id, flat)
        self.assertAlmostEqual(self.charge_residual(flat), 0.0)
        self.assertAlmostEqual(flat.balance, 0.0)
