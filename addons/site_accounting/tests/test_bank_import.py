from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DATA, BooksCase


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
