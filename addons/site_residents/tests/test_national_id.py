from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, tagged

VALID = {
    "base.tr": ["10000000146", "17291716060"],
    "base.pl": ["44051401359", "02070803628"],
    "base.ua": ["1759013776", "3148901285"],
}
INVALID = {
    "base.tr": [
        ("17291716061", "check digit"),
        ("1729171606", "11 digits"),
        ("07291716060", "well-formed"),
    ],
    "base.pl": [("44051401358", "check digit"), ("4405140135A", "digits only")],
    "base.ua": [("1759013775", "check digit"), ("175901377", "10 digits")],
}


@tagged("post_install", "-at_install")
class TestNationalId(TransactionCase):
    def test_valid_numbers_are_accepted(self):
        for country, numbers in VALID.items():
            for number in numbers:
                with self.subTest(country=country, number=number):
                    partner = self.env["res.partner"].create(
                        {
                            "name": "Valid Person",
                            "country_id": self.env.ref(country).id,
                            "national_id": number,
                        }
                    )
                    self.assertEqual(partner.national_id, number)

    def test_invalid_numbers_are_rejected_with_the_reason(self):
        for country, cases in INVALID.items():
            for number, reason in cases:
                with (
                    self.subTest(country=country, number=number),
                    self.assertRaisesRegex(
                        ValidationError, rf"Bad Person: {number} is not a valid .*{reason}"
                    ),
                ):
                    self.env["res.partner"].create(
                        {
                            "name": "Bad Person",
                            "country_id": self.env.ref(country).id,
                            "national_id": number,
                        }
                    )

    def test_other_countries_are_not_checked(self):
        partner = self.env["res.partner"].create(
            {
                "name": "German Person",
                "country_id": self.env.ref("base.de").id,
                "national_id": "T22000129",
            }
        )
        self.assertTrue(partner.national_id)

    def test_country_change_rechecks(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Moving Person",
                "country_id": self.env.ref("base.pl").id,
                "national_id": "44051401359",
            }
        )
        with self.assertRaisesRegex(ValidationError, "T.C. Kimlik No"):
            partner.country_id = self.env.ref("base.tr")

    def test_label_follows_country(self):
        partner = self.env["res.partner"].create(
            {"name": "Label", "country_id": self.env.ref("base.ua").id}
        )
        self.assertEqual(partner.national_id_label, "RNOKPP")
