import io
from collections import defaultdict
from datetime import date

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from odoo.addons.site_dues.tests.xlsx import xlsx_export, xlsx_report

from ..wizards.site_metering_export import XLSX_REPORTS
from .common import APR, FEB, JAN, MAR, MeteringCase

# The consumption report as it was defined before issue 18: a window over every reading
# of the database partitioned by the meter's unit, kind and month. The view must return
# exactly these rows, whatever the readings' own site, building, unit and kind say.
WINDOW_DEFINITION = """
    SELECT MIN(r.id) AS id, m.company_id, m.building_id, m.unit_id, u.type_id AS unit_type_id,
           r.meter_id, m.kind, m.placement, m.room,
           DATE_TRUNC('month', r.date)::date AS month,
           MAX(r.date) AS date,
           SUM(r.consumption) AS consumption,
           SUM(r.consumption_value) AS consumption_value,
           SUM(r.consumption_value) AS consumption_avg,
           CASE WHEN m.placement = 'unit' AND u.area_net > 0
                THEN u.area_net / COUNT(*) OVER (
                    PARTITION BY m.unit_id, m.kind, DATE_TRUNC('month', r.date))
                ELSE 0 END AS area,
           CASE WHEN m.placement = 'unit' AND u.area_net > 0
                THEN SUM(r.consumption_value) / u.area_net
                ELSE 0 END AS consumption_per_m2,
           COUNT(*) AS reading_count,
           BOOL_OR(COALESCE(r.estimated, FALSE)) AS estimated
      FROM site_meter_reading r
      JOIN site_meter m ON m.id = r.meter_id
 LEFT JOIN site_unit u ON u.id = m.unit_id
     WHERE r.state = 'validated'
       AND r.previous_reading_id IS NOT NULL
       AND NOT COALESCE(r.is_initial, FALSE)
  GROUP BY r.meter_id, m.company_id, m.building_id, m.unit_id, u.type_id,
           m.kind, m.placement, m.room, u.area_net, DATE_TRUNC('month', r.date)
"""
REPORT_COLUMNS = (
    "id, company_id, building_id, unit_id, unit_type_id, meter_id, kind, placement, room, "
    "month, date, consumption, consumption_value, consumption_avg, area, "
    "consumption_per_m2, reading_count, estimated"
)


@tagged("post_install", "-at_install")
class TestMeteringReports(MeteringCase):
    def _report(self, domain=()):
        self.env.flush_all()
        return self.env["site.meter.consumption.report"].search(list(domain))

    def _normal_months(self):
        self.read_all(self.water, JAN, [100, 200, 300])
        self.read_all(self.water, FEB, [110, 212, 315])
        self.read_all(self.water, MAR, [120, 224, 330])
        self.read_all(self.allocators, JAN, [0, 0, 0])
        self.read_all(self.allocators, FEB, [100, 150, 200])
        self.read_all(self.allocators, MAR, [200, 300, 400])

    def test_consumption_report_equals_readings(self):
        self._normal_months()
        readings = self.env["site.meter.reading"].search(
            [("meter_id", "in", (self.water | self.allocators).ids)]
        )
        self.assertEqual(set(readings.mapped("state")), {"validated"})
        expected = defaultdict(float)
        for reading in readings.filtered("previous_reading_id"):
            expected[(reading.meter_id.id, reading.date.replace(day=1))] += (
                reading.consumption_value
            )
        rows = self._report([("company_id", "=", self.site.id)])
        got = {(row.meter_id.id, row.month): row.consumption_value for row in rows}
        self.assertEqual(set(got), set(expected))
        for key, value in expected.items():
            self.assertAlmostEqual(got[key], value, places=3, msg=key)
        # Allocators: 100 display units · 1.5 · 0.8 = 120 billing units.
        row = rows.filtered(
            lambda r: r.meter_id == self.allocators[0] and r.month == FEB.replace(day=1)
        )
        self.assertAlmostEqual(row.consumption, 100)
        self.assertAlmostEqual(row.consumption_value, 120)
        self.assertEqual(row.area, 80)
        self.assertAlmostEqual(row.consumption_per_m2, 1.5)

        # The building per m² and month is total consumption over total area, not a sum.
        Report = self.env["site.meter.consumption.report"]
        groups = Report._read_group(
            [("company_id", "=", self.site.id), ("kind", "=", "cold_water")],
            ["building_id", "month:month"],
            ["consumption_value:sum", "area:sum", "consumption_per_m2:sum"],
        )
        by_month = {month: (used, area, per_m2) for _b, month, used, area, per_m2 in groups}
        self.assertEqual(by_month[date(2026, 2, 1)][:2], (37.0, 300.0))
        self.assertAlmostEqual(by_month[date(2026, 2, 1)][2], 37 / 300)
        self.assertAlmostEqual(by_month[date(2026, 3, 1)][2], 37 / 300)
        # Averages per room: one allocator's mean in the Salon.
        [(room, average)] = Report._read_group(
            [
                ("company_id", "=", self.site.id),
                ("kind", "=", "hca"),
                ("month", "=", date(2026, 2, 1)),
            ],
            ["room"],
            ["consumption_avg:avg"],
        )
        self.assertEqual(room, "Salon")
        self.assertAlmostEqual(average, (120 + 180 + 240) / 3)

    def test_consumption_report_leaves_out_unaccepted_and_marks_estimates(self):
        self._normal_months()
        spike = self.read(self.water[0], APR, 500)
        self.assertEqual(spike.state, "to_accept")
        estimates = self.water._estimate_missing(MAR, APR)
        self.assertEqual(estimates.meter_id, self.water[1:])
        april = self._report([("company_id", "=", self.site.id), ("month", "=", date(2026, 4, 1))])
        self.assertEqual(april.meter_id, self.water[1:], "the unaccepted spike is not counted")
        self.assertTrue(all(april.mapped("estimated")))
        spike.action_accept()
        april = self._report([("company_id", "=", self.site.id), ("month", "=", date(2026, 4, 1))])
        self.assertIn(self.water[0], april.meter_id)
        self.assertFalse(april.filtered(lambda r: r.meter_id == self.water[0]).estimated)

    def _rows(self, source, where):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM (%s) report WHERE company_id = %s AND %s ORDER BY meter_id, month",
                SQL(REPORT_COLUMNS),
                source,
                self.site.id,
                where,
            )
        )
        return self.env.cr.fetchall()

    def test_consumption_report_rows_are_the_window_definitions(self):
        """The view without its window gives the window's rows, column for column, when
        readings' own site, building, unit and kind differ from their meter's: a meter
        moved to another unit or building, a meter replaced, readings written without
        those columns or with stale ones; a unit with two allocators and a common-area
        meter of the unit's kind."""
        other = self.env["site.building"].create(
            {"name": "Blok B", "code": "B", "company_id": self.site.id}
        )
        Meter = self.env["site.meter"]
        second = Meter.create(
            {
                "serial": "H-A-1-2",
                "kind": "hca",
                "unit_id": self.u1.id,
                "company_id": self.site.id,
                "room": "Mutfak",
                "kq": 1.0,
                "kc": 1.0,
            }
        )
        common = Meter.create(
            {
                "serial": "W-COMMON",
                "kind": "cold_water",
                "placement": "common",
                "unit_id": self.u1.id,
                "company_id": self.site.id,
            }
        )
        meters = self.water | self.allocators | second | common
        self.read_all(meters, JAN, [100, 200, 300, 0, 0, 0, 0, 50])
        self.read_all(meters, FEB, [110, 212, 315, 100, 150, 200, 40, 55])
        old = self.water[0]
        wizard = self.env["site.meter.replace.wizard"].create(
            {
                "meter_id": old.id,
                "date": date(2026, 3, 10),
                "final_value": 115,
                "new_serial": "W-A-1-NEW",
                "initial_value": 3,
            }
        )
        new = Meter.browse(wizard.action_replace()["res_id"])
        self.read_all(
            new | self.water[1:] | self.allocators | second | common,
            MAR,
            [10, 224, 330, 200, 300, 400, 90, 61],
        )
        # Moved: an allocator to another flat, a water meter to another building.
        self.allocators[2].unit_id = self.u2
        self.water[2].building_id = other
        self.env.flush_all()
        Reading = self.env["site.meter.reading"]
        # Stale copies (a meter moved in SQL) and none at all (readings written in SQL).
        self.env.cr.execute(
            SQL(
                "UPDATE site_meter_reading SET unit_id = %s, building_id = %s, kind = 'hca' "
                "WHERE meter_id = %s",
                self.u3.id,
                other.id,
                self.water[1].id,
            )
        )
        march = Reading.search([("meter_id", "=", second.id), ("date", "=", MAR)])
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO site_meter_reading (meter_id, date, value, consumption,
                    consumption_value, previous_reading_id, state, source)
                VALUES (%s, %s, 130, 40, 40, %s, 'validated', 'import')
                """,
                second.id,
                APR,
                march.id,
            )
        )
        self.env.cr.execute(
            SQL(
                "UPDATE site_meter_reading SET company_id = NULL, unit_id = NULL, "
                "building_id = NULL, kind = NULL WHERE meter_id = %s AND date = %s",
                self.allocators[0].id,
                FEB,
            )
        )
        Reading.invalidate_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*) FROM site_meter_reading r JOIN site_meter m ON m.id = r.meter_id
                 WHERE r.meter_id = ANY(%s)
                   AND (r.unit_id IS DISTINCT FROM m.unit_id
                        OR r.building_id IS DISTINCT FROM m.building_id
                        OR r.kind IS DISTINCT FROM m.kind)
                """,
                meters.ids,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 5, "the readings' copies differ")

        view = SQL("SELECT * FROM site_meter_consumption_report")
        window = SQL(WINDOW_DEFINITION)
        every = self._rows(window, SQL("TRUE"))
        self.assertEqual(len(every), 18)
        for where in (
            SQL("TRUE"),
            SQL("unit_id = %s", self.u1.id),
            SQL("unit_id = %s AND kind = 'hca' AND placement = 'unit'", self.u2.id),
            SQL("building_id = %s", self.building.id),
            SQL("building_id = %s", other.id),
            SQL("kind = 'cold_water' AND month = %s", date(2026, 3, 1)),
            SQL("placement = 'unit' AND month IN %s", (date(2026, 2, 1), date(2026, 4, 1))),
        ):
            with self.subTest(where=where.code):
                self.assertEqual(self._rows(view, where), self._rows(window, where))
        # Flat A-1's February heat: its 80 m² over its two allocators read that month.
        [area] = {
            row[14]
            for row in every
            if row[5] in (self.allocators[0].id, second.id) and row[9] == date(2026, 2, 1)
        }
        self.assertEqual(area, 40)

    def test_unit_consumption_history_action(self):
        self._normal_months()
        action = self.u2.action_view_consumption()
        self.assertEqual(action["res_model"], "site.meter.consumption.report")
        self.assertIn("graph", action["view_mode"])
        rows = self._report(action["domain"])
        self.assertEqual(rows.unit_id, self.u2)
        self.assertEqual(len(rows), 4)  # two meters, two months

    def _faults(self):
        self.env.flush_all()
        rows = self.env["site.meter.fault.report"].search([("company_id", "=", self.site.id)])
        return {(row.meter_id.serial, row.reason): row for row in rows}

    def test_faulty_meters_stuck_zero_lower(self):
        # Only the stuck, zero and lower cases here: no outlier checks in the way.
        self.site.write({"site_reading_history_factor": 1000, "site_reading_building_factor": 1000})
        self.read_all(self.water, JAN, [5, 5, 10])
        self.read_all(self.water, FEB, [5, 6, 13])
        self.read_all(self.water, MAR, [5, 6, 16])
        Reading = self.env["site.meter.reading"]
        # A lower value recorded as rejected by the import, with its check code ...
        Reading._create_trusted(
            {
                "meter_id": self.water[2].id,
                "date": APR,
                "value": 15,
                "state": "rejected",
                "check_codes": "lower_than_last",
                "reject_reason": "Lower than the last reading.",
            },
            checks=False,
        )
        # ... and one rejected by hand, lower without a code: both are found.
        self.read(self.allocators[0], JAN, 50)
        self.read(self.allocators[0], FEB, 60)
        self.read(self.allocators[0], MAR, 70)._reject("Wrong meter read")
        Reading._create_trusted(
            {"meter_id": self.allocators[0].id, "date": APR, "value": 7, "state": "rejected"},
            checks=False,
        )
        faults = self._faults()
        self.assertEqual(
            set(faults),
            {
                ("W-A-1", "stuck"),
                ("W-A-2", "zero"),
                ("W-A-3", "lower"),
                ("H-A-1", "lower"),
            },
        )
        stuck = faults[("W-A-1", "stuck")]
        self.assertEqual(stuck.periods, 2)
        self.assertEqual(stuck.date, MAR)
        self.assertIn("5 for 2 reading periods", stuck.detail)
        self.assertEqual(faults[("W-A-2", "zero")].periods, 1)
        lower = faults[("W-A-3", "lower")]
        self.assertEqual((lower.value, lower.previous_value), (15, 16))
        self.assertIn("lower than the earlier 16", lower.detail)
        self.assertEqual(faults[("H-A-1", "lower")].previous_value, 60)

        # A meter taken out of service is not reported stuck; marking faulty works.
        faults[("W-A-2", "zero")].action_mark_faulty()
        self.assertEqual(self.water[1].state, "faulty")
        self.water[0].state = "removed"
        self.assertNotIn(("W-A-1", "stuck"), self._faults())
        self.assertIn(("W-A-2", "zero"), self._faults())

    def test_faulty_meters_outliers(self):
        self.read_all(self.allocators, JAN, [0, 0, 0])
        readings = self.read_all(self.allocators, FEB, [10, 10, 600])
        self.assertEqual(readings[2].state, "to_accept")
        faults = self._faults()
        self.assertEqual(set(faults), {("H-A-3", "outlier")})
        outlier = faults[("H-A-3", "outlier")]
        self.assertEqual(outlier.reading_id, readings[2])
        self.assertEqual(outlier.reading_state, "to_accept")
        self.assertEqual(outlier.previous_value, 0)
        self.assertIn("average", outlier.detail)
        # Rejected, the reading is no longer an outlier of the meter.
        readings[2]._reject("Typo")
        self.assertEqual(set(self._faults()), set())

    def test_consumption_xlsx_export(self):
        self._normal_months()
        wizard = self.env["site.metering.export.wizard"].create(
            {
                "export_type": "consumption",
                "company_id": self.site.id,
                "date_from": JAN,
                "date_to": APR,
            }
        )
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.report")
        name, content = xlsx_export(self.env, action)
        self.assertTrue(name.endswith(".xlsx"))
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]]
        # 3 units · 2 kinds · 2 months.
        self.assertEqual(len(rows), 12)
        first = rows[0]
        self.assertEqual(first[:3], ("A · Blok A", "A-1", "Cold Water"))
        self.assertEqual(first[3].date(), date(2026, 2, 1))
        self.assertEqual((first[4], first[5], first[6]), (80, 10, "m³"))
        self.assertAlmostEqual(first[7], 10 / 80)
        allocator = rows[2]
        self.assertEqual(allocator[1:3], ("A-1", "Heat Cost Allocator"))
        self.assertAlmostEqual(allocator[5], 120)
        self.assertAlmostEqual(allocator[7], 1.5)
        water = [row for row in rows if row[2] == "Cold Water" and row[1] == "A-2"]
        self.assertEqual([row[5] for row in water], [12, 12])
        totals = {
            row[2]: row[5]
            for row in sheet.iter_rows(min_row=5, values_only=True)
            if row[0] == "Total"
        }
        self.assertAlmostEqual(totals["Cold Water"], 74)  # 37 + 37
        # One kind only.
        wizard.kind = "cold_water"
        _name, content = xlsx_report(
            self.env, "site_metering.action_report_site_consumption_xlsx", wizard
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]]
        self.assertEqual(len(rows), 6)

    def test_access_board_and_engineer_read_board_exports(self):
        self._normal_months()
        board = new_test_user(
            self.env,
            "metering_board",
            groups="site_residents.group_site_board",
            company_id=self.site.id,
            company_ids=[(6, 0, self.site.ids)],
        )
        engineer = new_test_user(
            self.env,
            "metering_engineer",
            groups="site_residents.group_site_engineer",
            company_id=self.site.id,
            company_ids=[(6, 0, self.site.ids)],
        )
        self.env.flush_all()
        for user in (board, engineer):
            env = self.env(user=user, context={"allowed_company_ids": self.site.ids})
            self.assertEqual(env["site.meter.consumption.report"].search_count([]), 12, user.login)
            env["site.meter.fault.report"].search([])
        wizard = (
            self.env["site.metering.export.wizard"]
            .with_user(board)
            .create({"company_id": self.site.id, "date_from": JAN, "date_to": APR})
        )
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertTrue(xlsx_export(wizard.env, action)[1].startswith(b"PK"))
        with self.assertRaises(AccessError):
            self.env["site.metering.export.wizard"].with_user(engineer).create(
                {"company_id": self.site.id, "date_from": JAN, "date_to": APR}
            )
        # Another site's user sees none of these rows.
        other = self.env["res.company"].create({"name": "Other Site", "is_site": True})
        outsider = new_test_user(
            self.env,
            "metering_outsider",
            groups="site_residents.group_site_board",
            company_id=other.id,
            company_ids=[(6, 0, other.ids)],
        )
        self.assertFalse(
            self.env["site.meter.consumption.report"]
            .with_user(outsider)
            .with_context(allowed_company_ids=other.ids)
            .search_count([])
        )
        # Nor can they render the board member's export.
        outsider_env = self.env(user=outsider, context={"allowed_company_ids": other.ids})
        for report in XLSX_REPORTS.values():
            with self.subTest(report=report), self.assertRaises(AccessError):
                outsider_env["ir.actions.report"]._render_xlsx(report, wizard.ids, None)
