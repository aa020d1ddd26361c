from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SiteCase

FIELDS = [
    "code",
    "company_id",
    "building_id",
    "type_id",
    "floor",
    "area_net",
    "land_share_numerator",
    "land_share_denominator",
]


@tagged("post_install", "-at_install")
class TestImport(SiteCase):
    """Units and people come from spreadsheets through Odoo's own import."""

    def load(self, model, fields, rows):
        return (
            self.env[model]
            .with_company(self.site)
            .with_context(import_file=True)
            .load(fields, rows)
        )

    def test_units_import_with_references_by_name_and_code(self):
        # Another site has a block "A" too: rows match the site being imported into.
        self.env["site.building"].create(
            {"name": "Blok A", "code": "A", "company_id": self.other_site.id}
        )
        result = self.load(
            "site.unit",
            FIELDS,
            [
                ["A-2", "Test Site A", "A", "Flat 2+1", "1", "95.5", "12", "240"],
                ["A-3", "Test Site A", "Block A", "Shop", "0", "40", "8", "240"],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        units = self.env["site.unit"].browse(result["ids"])
        self.assertEqual(units.mapped("code"), ["A-2", "A-3"])
        self.assertEqual(units.building_id, self.building)
        self.assertEqual(units[0].type_id, self.env.ref("site_residents.unit_type_flat_2_1"))
        self.assertTrue(all(units.mapped("analytic_account_id")))

    @mute_logger("odoo.sql_db")
    def test_a_bad_row_rejects_the_whole_file(self):
        result = self.load(
            "site.unit",
            FIELDS,
            [
                ["A-2", "Test Site A", "A", "Flat 2+1", "1", "95.5", "12", "240"],
                ["A-3", "Test Site A", "A", "Penthouse 9+1", "1", "95.5", "12", "240"],
                ["A-4", "Test Site A", "A", "Flat 2+1", "1", "-5", "12", "240"],
            ],
        )
        self.assertFalse(result["ids"])
        texts = [m["message"] for m in result["messages"]]
        self.assertTrue(any("Penthouse 9+1" in t for t in texts), texts)
        self.assertFalse(
            self.env["site.unit"].search(
                [("company_id", "=", self.site.id), ("code", "in", ["A-2", "A-3", "A-4"])]
            )
        )

    def test_relations_import_finds_units_by_code(self):
        self.env["site.unit"].create({"code": "A-9", "company_id": self.site.id})
        result = self.load(
            "site.unit.relation",
            ["unit_id", "partner_id", "role", "share", "date_from"],
            [
                ["A-9", "Ali Yılmaz", "owner", "60", "2024-01-01"],
                ["A-9", "Ayşe Demir", "owner", "40", "2024-01-01"],
            ],
        )
        self.assertFalse(result["messages"], result["messages"])
        relations = self.env["site.unit.relation"].browse(result["ids"])
        self.assertEqual(sum(relations.mapped("share")), 100.0)

    def test_people_import_checks_national_ids(self):
        result = self.load(
            "res.partner",
            ["name", "country_id", "national_id"],
            [["Kemal Aydın", "Türkiye", "10000000146"], ["Bad Number", "Türkiye", "10000000147"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn(
            "10000000147 is not a valid T.C. Kimlik No",
            " ".join(m["message"] for m in result["messages"]),
        )
