import base64
import io
import logging
from datetime import date, datetime

import openpyxl

from odoo.tests import tagged

from .common import FEB, JAN, MeteringCase

_logger = logging.getLogger(__name__)
HEADER = "Seri No;Tarih;Endeks;Daire\n"
LAYOUT = {
    "file_type": "csv",
    "delimiter": ";",
    "decimal_separator": ",",
    "date_format": "%d.%m.%Y",
    "header_row": 1,
    "col_meter": "Seri No",
    "col_date": "Tarih",
    "col_value": "Endeks",
    "col_unit": "Daire",
}


@tagged("post_install", "-at_install")
class TestReadingImport(MeteringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm = cls.env["res.partner"].create(
            {"name": "Okuma Hizmetleri A.Ş.", "is_company": True}
        )
        cls.Reading = cls.env["site.meter.reading"]

    def wizard(self, content, **values):
        data = content if isinstance(content, bytes) else content.encode()
        return self.env["site.reading.import.wizard"].create(
            dict(
                LAYOUT,
                company_id=self.site.id,
                file=base64.b64encode(data),
                filename="okuma-mart.csv",
            )
            | values
        )

    def imported(self):
        return self.Reading.search([("source", "=", "import"), ("company_id", "=", self.site.id)])

    def test_csv_happy_path_in_one_batch(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [110, 110, 110])
        wizard = self.wizard(
            HEADER
            + "W-A-1;20.03.2026;121,5;A-1\n"
            + "W-A-2;20.03.2026;120;A-2\n"
            + "W-A-3;20.03.2026;119,25;A-3\n"
        )
        wizard.action_preview()
        self.assertEqual(wizard.state, "preview")
        self.assertEqual(wizard.line_ids.mapped("status"), ["ok"] * 3)
        self.assertFalse(self.imported(), "the preview writes nothing")
        with self.assertQueryCount(__system__=400):  # one batch, not a query storm per row
            wizard.action_import()
        self.assertEqual(wizard.state, "done")
        readings = self.imported()
        self.assertEqual(len(readings), 3)
        self.assertEqual(wizard.reading_ids, readings)
        self.assertEqual((wizard.created_count, wizard.to_accept_count), (3, 0))
        w1 = readings.filtered(lambda r: r.meter_id == self.water[0])
        self.assertEqual((w1.date, w1.value), (date(2026, 3, 20), 121.5))
        self.assertAlmostEqual(w1.consumption, 11.5)
        self.assertIn("okuma-mart.csv, row 2", w1.note)
        self.assertIn("3 reading(s) imported, 0 awaiting acceptance", wizard.summary)

    def test_xlsx_with_date_cells_column_letters_and_a_title_row(self):
        self.read_all(self.allocators, JAN, [0, 0, 0])
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Okuma"
        sheet.append(["Mart 2026 okumaları"])
        sheet.append(["Daire", "Cihaz", "Okuma Tarihi", "Değer"])
        for unit, serial, value in (
            ("A-1", "H-A-1", 100),
            ("A-2", "H-A-2", 200.5),
            ("A-3", "H-A-3", 300),
        ):
            sheet.append([unit, serial, datetime(2026, 3, 21), value])
        buffer = io.BytesIO()
        workbook.save(buffer)
        wizard = self.wizard(
            buffer.getvalue(),
            file_type="xlsx",
            filename="okuma.xlsx",
            header_row=2,
            col_meter="#B",
            col_date="3",
            col_value="değer",
            col_unit="Daire",
            sheet_name="Okuma",
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.summary)
        readings = self.imported()
        self.assertEqual(readings.meter_id, self.allocators)
        self.assertEqual(set(readings.mapped("date")), {date(2026, 3, 21)})
        a2 = readings.filtered(lambda r: r.meter_id == self.allocators[1])
        self.assertAlmostEqual(a2.consumption_value, 200.5 * 1.5 * 0.8)

    def test_bad_rows_write_nothing_and_each_is_listed(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        other_site = self.env["res.company"].create({"name": "Başka Site", "is_site": True})
        self.env["site.meter"].create(
            {
                "serial": "W-ELSEWHERE",
                "kind": "cold_water",
                "placement": "common",
                "company_id": other_site.id,
            }
        )
        before = self.Reading.search_count([])
        wizard = self.wizard(
            HEADER
            + "W-A-1;20.03.2026;110;A-1\n"  # 2: fine
            + "W-NOPE;20.03.2026;10;A-1\n"  # 3: unknown meter
            + "W-A-2;32.03.2026;10;A-2\n"  # 4: bad date
            + "W-A-3;20.03.2026;12x;A-3\n"  # 5: bad number
            + "W-A-1;20.03.2026;111;A-1\n"  # 6: duplicate of row 2
            + "W-A-2;20.03.2026;90;A-2\n"  # 7: lower than last (100)
            + "W-ELSEWHERE;20.03.2026;5;\n"  # 8: meter of another site
            + "W-A-3;20.03.2026;150;A-2\n"  # 9: meter in another unit
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "error")
        self.assertEqual(self.Reading.search_count([]), before, "nothing written")
        errors = {line.row: line.message for line in wizard.error_line_ids}
        self.assertEqual(sorted(errors), [3, 4, 5, 6, 7, 8, 9])
        self.assertIn("unknown meter", errors[3])
        self.assertIn("not a date", errors[4])
        self.assertIn("not a number", errors[5])
        self.assertIn("duplicate row", errors[6])
        self.assertIn("row 2", errors[6])
        self.assertIn("lower than the previous one, 100", errors[7])
        self.assertIn("unknown meter", errors[8])  # nothing said of another site's meters
        self.assertIn("is in unit A-3, not A-2", errors[9])
        self.assertEqual(wizard.error_count, 7)
        self.assertIn("7 bad row(s): nothing was imported", wizard.summary)
        self.assertIn("Row 7: the reading 90", wizard.summary)
        # Importing again after a fix is possible: the wizard goes back to the file.
        wizard.action_back()
        self.assertEqual(wizard.state, "draft")
        self.assertFalse(wizard.line_ids)

    def test_unusual_values_imported_awaiting_acceptance(self):
        self.read_all(self.water, JAN, [0, 0, 0])
        wizard = self.wizard(
            HEADER + "W-A-1;20.02.2026;1;A-1\nW-A-2;20.02.2026;1;A-2\nW-A-3;20.02.2026;60;A-3\n"
        )
        wizard.action_import()
        self.assertEqual((wizard.created_count, wizard.to_accept_count), (3, 1))
        flagged = self.imported().filtered(lambda r: r.state == "to_accept")
        self.assertEqual(flagged.meter_id, self.water[2])
        self.assertIn("above_building_average", flagged.check_codes)

    def test_profile_saved_per_firm_and_reused(self):
        content = HEADER + "W-A-1;20.01.2026;5;A-1\n"
        first = self.wizard(
            content, partner_id=self.firm.id, save_profile=True, profile_name="Aylık su"
        )
        first.action_import()
        profile = self.env["site.reading.import.profile"].search(
            [("partner_id", "=", self.firm.id)]
        )
        self.assertEqual(profile.name, "Aylık su")
        self.assertEqual(
            (profile.col_meter, profile.col_value, profile.delimiter), ("Seri No", "Endeks", ";")
        )
        self.assertEqual(first.profile_id, profile)

        # The next file of that firm: only the file and the profile.
        second = self.env["site.reading.import.wizard"].create(
            {
                "company_id": self.site.id,
                "profile_id": profile.id,
                "file": base64.b64encode(b"Seri No;Tarih;Endeks;Daire\nW-A-1;20.02.2026;7,5;A-1\n"),
                "filename": "subat.csv",
            }
        )
        self.assertEqual(second.partner_id, self.firm)
        second.action_import()
        self.assertEqual(second.state, "done", second.summary)
        self.assertEqual(self.water[0].last_value, 7.5)

    def test_import_marks_campaign_lines_read(self):
        campaign = self.env["site.reading.campaign"].create(
            {"company_id": self.site.id, "period": date(2026, 3, 1), "read_hca": False}
        )
        campaign.action_start()
        wizard = self.wizard(HEADER + "W-A-1;20.03.2026;5;A-1\n")
        wizard.action_import()
        line = campaign.line_ids.filtered(lambda line: line.meter_id == self.water[0])
        self.assertEqual(line.state, "done")
        self.assertEqual(line.reading_id.source, "import")
        self.assertAlmostEqual(campaign.progress, 100 / 3)

    def test_ambiguous_serial_needs_the_kind_column(self):
        self.env["site.meter"].create(
            {
                "serial": "W-A-1",
                "kind": "hot_water",
                "unit_id": self.u1.id,
                "company_id": self.site.id,
            }
        )
        wizard = self.wizard(HEADER + "W-A-1;20.03.2026;5;A-1\n")
        wizard.action_import()
        self.assertIn("matches several meters", wizard.error_line_ids.message)
        with_kind = self.wizard(
            "Seri No;Tarih;Endeks;Daire;Tür\nW-A-1;20.03.2026;5;A-1;sıcak su\n", col_kind="Tür"
        )
        with_kind.action_import()
        self.assertEqual(with_kind.state, "done", with_kind.summary)
        self.assertEqual(with_kind.reading_ids.kind, "hot_water")

    def test_queries_do_not_grow_with_the_rows(self):
        """60 meters in one file cost about as many queries as 3."""
        unit = self.u1
        meters = self.env["site.meter"].create(
            [
                {
                    "serial": f"BULK-{number:03d}",
                    "kind": "cold_water",
                    "unit_id": unit.id,
                    "company_id": self.site.id,
                }
                for number in range(60)
            ]
        )
        self.read_all(meters, JAN, [10] * 60)

        def run(selection, day):
            body = "".join(f"{meter.serial};{day};12;A-1\n" for meter in selection)
            wizard = self.wizard(HEADER + body)
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            wizard.action_import()
            self.env.flush_all()
            self.assertEqual(wizard.state, "done", wizard.summary)
            return self.env.cr.sql_log_count - start

        few = run(meters[:3], "20.02.2026")
        many = run(meters[3:], "20.02.2026")
        _logger.info("reading import: 3 rows in %s queries, 57 rows in %s", few, many)
        self.assertLess(many, few * 2 + 40, f"3 rows: {few} queries, 57 rows: {many}")
