from odoo.tests import HttpCase, TransactionCase, new_test_user, tagged
from odoo.tools import file_open

EXAMPLES = "site_residents/static/examples"

# What the import screen sends for a CSV file with ISO dates and decimal points.
CSV_OPTIONS = {
    "quoting": '"',
    "separator": ",",
    "encoding": "utf-8",
    "has_headers": True,
    "date_format": "%Y-%m-%d",
    "datetime_format": "",
    "float_thousand_separator": "",
    "float_decimal_separator": ".",
    "advanced": True,
    "keep_matches": False,
    "name_create_enabled_fields": {},
    "import_set_empty_fields": [],
    "import_skip_records": [],
    "fallback_values": {},
    "skip": 0,
    "limit": 2000,
    "sheets": [],
    "sheet": "",
}


class SpreadsheetImportCase(TransactionCase):
    """A Turkish site and its Site Manager, who works in Turkish and imports files
    through Odoo's import screen (``base_import.import``)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("tr_TR")
        # The shipped Turkish names: "Flat 2+1" is stored as "Daire 2+1" for Turkish users.
        cls.env["ir.module.module"]._load_module_terms(["site_residents"], ["tr_TR"])
        cls.site = cls.env["res.company"].create(
            {"name": "Örnek Sitesi", "is_site": True, "country_id": cls.env.ref("base.tr").id}
        )
        cls.manager = new_test_user(
            cls.env,
            "import_manager",
            groups="site_residents.group_site_manager",
            company_id=cls.site.id,
            company_ids=[cls.site.id],
            lang="tr_TR",
        )

    def as_manager(self, **context):
        """The manager's environment as the web client gives it: their language and site."""
        return self.env(
            user=self.manager,
            context=dict(lang=self.manager.lang, allowed_company_ids=[self.site.id], **context),
        )

    def import_csv(self, model, file_name, content, **context):
        """Import ``content`` into ``model`` as the import screen does: the columns are
        matched to fields by their headers, then the file is imported."""
        wizard = (
            self.as_manager(**context)["base_import.import"]
            .create({"res_model": model, "file": content, "file_name": file_name})
            .with_context(**context)
        )
        preview = wizard.parse_preview(dict(CSV_OPTIONS))
        self.assertNotIn("error", preview, preview.get("error"))
        headers = preview["headers"]
        matches = preview["matches"] or {}
        fields = [
            "/".join(matches[index]) if index in matches else False for index in range(len(headers))
        ]
        self.assertTrue(all(fields), f"columns not matched to fields: {headers} → {fields}")
        return wizard.execute_import(fields, headers, dict(CSV_OPTIONS))

    def import_example(self, model, file_name, **context):
        with file_open(f"{EXAMPLES}/{file_name}", "rb") as example:
            content = example.read()
        result = self.import_csv(model, file_name, content, **context)
        self.assertFalse(result["messages"], result["messages"])
        return self.env[model].browse(result["ids"])


@tagged("post_install", "-at_install")
class TestReadmeExamples(SpreadsheetImportCase):
    """The README's example files import as it says, in Turkish too."""

    def test_readme_examples_import_in_turkish(self):
        types_before = self.env["site.unit.type"].with_context(active_test=False).search([])

        buildings = self.import_example("site.building", "buildings.csv")
        units = self.import_example("site.unit", "units.csv")
        people = self.import_example("res.partner", "people.csv", site_contact=True)
        relations = self.import_example("site.unit.relation", "owners_tenants_residents.csv")

        self.assertEqual(buildings.mapped("code"), ["A", "B"])
        self.assertEqual(buildings.company_id, self.site)
        self.assertEqual(units.mapped("code"), ["A-1", "A-2", "A-3", "A-4", "B-1", "B-2"])
        self.assertEqual(units.company_id, self.site)
        by_code = {unit.code: unit for unit in units}
        self.assertEqual(by_code["A-1"].building_id.code, "A")
        self.assertEqual(by_code["A-1"].type_id, self.env.ref("site_residents.unit_type_flat_2_1"))
        self.assertEqual(by_code["A-3"].type_id, self.env.ref("site_residents.unit_type_flat_3_1"))
        self.assertEqual(by_code["B-1"].type_id, self.env.ref("site_residents.unit_type_shop"))
        self.assertEqual(by_code["B-2"].type_id, self.env.ref("site_residents.unit_type_parking"))
        self.assertEqual(by_code["B-2"].area_net, 12.5)
        self.assertEqual(by_code["B-2"].floor, -1)
        self.assertAlmostEqual(by_code["A-3"].land_share, 52 / 480)
        # No unit type was created for a name the import did not recognise.
        self.assertEqual(
            self.env["site.unit.type"].with_context(active_test=False).search([]), types_before
        )

        self.assertEqual(len(people), 7)
        self.assertEqual(people.company_id, self.site)
        self.assertEqual(people.country_id, self.env.ref("base.tr"))
        self.assertEqual(len(relations), 9)
        self.assertEqual(relations.unit_id.company_id, self.site)
        self.assertEqual(by_code["A-1"].owner_names, "Nazlı Karataş, Tarık Karataş")
        self.assertEqual(sorted(by_code["A-1"].current_relation_ids.mapped("share")), [40.0, 60.0])
        self.assertEqual(by_code["A-2"].owner_names, "Cemile Özkan")
        self.assertEqual(by_code["A-2"].tenant_names, "Umut Tekeli")
        family = relations.filtered(lambda r: r.role == "family")
        self.assertEqual(family.partner_id.name, "Gonca Tekeli")
        self.assertEqual(family.related_partner_id.name, "Umut Tekeli")
        past = relations.filtered(lambda r: r.unit_id.code == "A-2" and r.date_to)
        self.assertEqual(past.partner_id.name, "Dilek Varol")
        self.assertEqual(str(past.date_to), "2024-06-30")

    def test_unit_types_match_by_code_or_name_in_any_language(self):
        content = b"code,type_id\nT-1,FLAT_2_1\nT-2,Flat 2+1\nT-3,Daire 2+1\nT-4,Parking Space\n"
        result = self.import_csv("site.unit", "types.csv", content)
        self.assertFalse(result["messages"], result["messages"])
        units = self.env["site.unit"].browse(result["ids"])
        flat = self.env.ref("site_residents.unit_type_flat_2_1")
        self.assertEqual(
            units.mapped("type_id"), flat | self.env.ref("site_residents.unit_type_parking")
        )
        self.assertEqual(units[:3].type_id, flat)

    def test_unit_types_of_other_sites_are_not_matched(self):
        other_site = self.env["res.company"].create({"name": "Başka Site", "is_site": True})
        self.env["site.unit.type"].create(
            {"name": "Dubleks", "code": "DUPLEX", "company_id": other_site.id}
        )
        mine = self.env["site.unit.type"].create(
            {"name": "Dubleks", "code": "DUPLEX", "company_id": self.site.id}
        )
        result = self.import_csv(
            "site.unit", "types.csv", b"code,type_id\nD-1,DUPLEX\nD-2,Dubleks\n"
        )
        self.assertFalse(result["messages"], result["messages"])
        self.assertEqual(self.env["site.unit"].browse(result["ids"]).type_id, mine)

    def test_an_unknown_unit_type_is_an_error_not_a_new_type(self):
        result = self.import_csv("site.unit", "types.csv", b"code,type_id\nT-1,Penthouse 9+1\n")
        self.assertFalse(result["ids"])
        self.assertEqual(result["messages"][0]["value"], "Penthouse 9+1")


@tagged("post_install", "-at_install")
class TestImportRows(SpreadsheetImportCase):
    """A refused row is named by the unit it is about and by its number in the sheet."""

    HEADER = "code,land_share_numerator,land_share_denominator,area_net\n"

    def errors(self, result):
        self.assertFalse(result["ids"])
        return [m for m in result["messages"] if m["type"] == "error"]

    def assert_row(self, message, row, *texts):
        self.assertEqual(message["sheet_rows"], {"from": row, "to": row}, message)
        for text in texts:
            self.assertIn(text, message["message"])

    def test_a_refused_unit_names_its_code_and_sheet_row(self):
        # Row 3 is blank: a spreadsheet counts it, Odoo's reader leaves it out.
        content = self.HEADER + "A-1,10,480,90\n,,,\nA-2,500,480,90\nA-3,10,480,90\n"
        [error] = self.errors(self.import_csv("site.unit", "units.csv", content.encode()))
        self.assert_row(error, 4, "A-2", "500/480")

    def test_a_unit_code_taken_in_the_site_names_the_unit(self):
        self.env["site.unit"].create({"code": "A-2", "company_id": self.site.id})
        content = self.HEADER + "A-1,10,480,90\nA-2,10,480,90\n"
        [error] = self.errors(self.import_csv("site.unit", "units.csv", content.encode()))
        self.assert_row(error, 3, "A-2", self.site.name)

    def test_a_negative_area_names_the_unit(self):
        content = self.HEADER + "A-1,10,480,90\nA-2,10,480,90\nA-3,10,480,-5\n"
        [error] = self.errors(self.import_csv("site.unit", "units.csv", content.encode()))
        self.assert_row(error, 4, "A-3")

    def test_an_unknown_value_names_its_sheet_row(self):
        content = b"code,type_id\nA-1,FLAT_2_1\nA-2,Penthouse 9+1\n"
        [error] = self.errors(self.import_csv("site.unit", "units.csv", content))
        self.assertEqual(error["value"], "Penthouse 9+1")
        self.assert_row(error, 3)

    def test_rows_of_a_later_batch_keep_their_sheet_numbers(self):
        content = self.HEADER + "A-1,10,480,90\nA-2,10,480,90\nA-3,10,480,90\nA-4,9,0,90\n"
        wizard = self.as_manager()["base_import.import"].create(
            {"res_model": "site.unit", "file": content.encode(), "file_name": "units.csv"}
        )
        fields = ["code", "land_share_numerator", "land_share_denominator", "area_net"]
        options = dict(CSV_OPTIONS, skip=2, limit=2)
        [error] = self.errors(wizard.execute_import(fields, fields, options))
        self.assert_row(error, 5, "A-4")

    def test_xlsx_rows_are_numbered_as_in_the_sheet(self):
        import io  # noqa: PLC0415

        import openpyxl  # noqa: PLC0415

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["code", "land_share_numerator", "land_share_denominator"])
        sheet.append(["A-1", 10, 480])
        sheet.append([])
        sheet.append([])
        sheet.append(["A-2", 10, -480])
        data = io.BytesIO()
        book.save(data)
        wizard = self.as_manager()["base_import.import"].create(
            {"res_model": "site.unit", "file": data.getvalue(), "file_name": "units.xlsx"}
        )
        fields = ["code", "land_share_numerator", "land_share_denominator"]
        [error] = self.errors(wizard.execute_import(fields, fields, dict(CSV_OPTIONS)))
        self.assert_row(error, 5, "A-2")

    def test_a_refused_relation_names_its_unit_and_sheet_row(self):
        self.env["site.unit"].create([{"code": "A-1", "company_id": self.site.id}])
        self.env["res.partner"].create([{"name": "Nazlı Karataş"}, {"name": "Tarık Karataş"}])
        header = "unit_id,partner_id,role,share,date_from,date_to\n"
        cases = [
            # a relation that ends before it starts
            ("A-1,Nazlı Karataş,owner,100,2020-01-01,2019-12-31\n", "A-1"),
            # an ownership share above 100 %
            ("A-1,Nazlı Karataş,owner,150,2020-01-01,\n", "A-1"),
            # co-owners whose shares do not add up
            (
                "A-1,Nazlı Karataş,owner,60,2020-01-01,\nA-1,Tarık Karataş,owner,30,2020-01-01,\n",
                "A-1",
            ),
        ]
        for rows, unit in cases:
            with self.subTest(rows=rows):
                content = (header + rows).encode()
                result = self.import_csv("site.unit.relation", "people.csv", content)
                errors = self.errors(result)
                self.assertTrue(errors)
                for error in errors:
                    self.assertIn(unit, error["message"])
                    self.assertGreaterEqual(error["sheet_rows"]["from"], 2)


@tagged("post_install", "-at_install")
class TestImportScreen(HttpCase):
    def test_import_screen_names_rows_as_the_sheet_does(self):
        site = self.env["res.company"].create({"name": "Import Screen Site", "is_site": True})
        new_test_user(
            self.env,
            "import_screen_manager",
            groups="site_residents.group_site_manager",
            company_id=site.id,
            company_ids=[site.id],
        )
        self.start_tour(
            "/odoo/action-site_residents.action_site_unit",
            "site_residents_import_rows_tour",
            login="import_screen_manager",
        )
