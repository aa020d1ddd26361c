import io
from datetime import date

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from odoo.addons.site_dues.tests.xlsx import xlsx_export
from odoo.addons.site_residents.tests.printing import render_pdf

from .common import FEB, JAN, MeteringCase

NOTICE = "site_metering.action_report_expense_notice"
NOTICE_LINE = "site_metering.action_report_expense_notice_line"


@tagged("post_install", "-at_install")
class TestExpenseNotice(MeteringCase):
    """The notice is printed from allocations written by hand: it shows what the
    allocation computed, whatever the allocation's own arithmetic."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.read_all(cls.allocators, JAN, [0, 0, 0])
        cls.read_all(cls.allocators, FEB, [100, 150, 200])
        cls.read_all(cls.water, JAN, [100, 200, 300])
        cls.read(cls.water[0], FEB, 110)
        cls.read(cls.water[2], FEB, 315)
        cls.estimate = cls.water._estimate_missing(JAN, FEB)
        cls.february = cls.allocation(
            date(2026, 2, 1),
            JAN,
            FEB,
            heating=[
                # unit, consumption, billed, raised, amount
                (120.0, 129.6, True, 288.32),
                (180.0, 180.0, False, 345.04),
                (240.0, 240.0, False, 366.64),
            ],
            water=[(10.0, 100.0), (cls.estimate.consumption_value, 120.0), (15.0, 150.0)],
            estimated_units=[cls.u2],
        )
        cls.january = cls.allocation(
            date(2026, 1, 1),
            date(2025, 12, 20),
            JAN,
            heating=[(100.0, 100.0, False, 300.0), (150.0, 150.0, False, 320.0)],
            water=[(9.0, 90.0), (11.0, 110.0)],
        )
        cls.last_year = cls.allocation(
            date(2025, 2, 1),
            date(2025, 1, 20),
            date(2025, 2, 20),
            heating=[(150.0, 150.0, False, 350.0)],
            water=[],
        )

    @classmethod
    def allocation(
        cls, period, date_from, date_to, heating, water, estimated_units=(), state="computed"
    ):
        allocation = cls.env["site.cost.allocation"].create(
            {
                "name": f"Blok A {period:%Y-%m}",
                "company_id": cls.site.id,
                "building_id": cls.building.id,
                "period": period,
                "date_from": date_from,
                "date_to": date_to,
                "amount_total": 1370.0,
            }
        )
        Part = cls.env["site.cost.allocation.part"]
        heat = Part.create(
            {
                "allocation_id": allocation.id,
                "sequence": 1,
                "part_type": "heating",
                "name": "Heating",
                "amount": 1000.0,
                "method": "tr_heat",
                "consumption_share": 0.7,
                "area_key": "area",
                "apply_minimum": True,
                "minimum_factor": 0.9,
                "meter_kind": "hca",
                "consumption_total": 540.0,
                "billed_consumption_total": 549.6,
                "unit_price": 1.2737,
                "area_price": 1.0,
                "minimum_per_m2": 1.62,
            }
        )
        cold = Part.create(
            {
                "allocation_id": allocation.id,
                "sequence": 2,
                "part_type": "water",
                "name": "Cold Water",
                "amount": 370.0,
                "method": "water_loss",
                "meter_kind": "cold_water",
                "consumption_total": 37.0,
            }
        )
        lines = []
        for unit, (used, billed, raised, amount) in zip(cls.units, heating):
            text = (
                f"Consumption {billed:.4f} kWh × 1.2737 TRY/kWh = {amount - unit.area_net:.2f}"
                f" TRY; area {unit.area_net:.2f} m² × 1.0000 TRY/m² = {unit.area_net:.2f} TRY"
            )
            if raised:
                text = (
                    f"Measured {used:.4f} kWh is below the minimum 1.6200 kWh/m² × "
                    f"{unit.area_net:.2f} m²: raised (penalised).\n{text}"
                )
            lines.append(
                {
                    "allocation_id": allocation.id,
                    "part_id": heat.id,
                    "unit_id": unit.id,
                    "area": unit.area_net,
                    "consumption": used,
                    "billed_consumption": billed,
                    "raised": raised,
                    "consumption_amount": amount - unit.area_net,
                    "area_amount": unit.area_net,
                    "amount": amount,
                    "computation": text,
                }
            )
        for unit, (used, amount) in zip(cls.units, water):
            lines.append(
                {
                    "allocation_id": allocation.id,
                    "part_id": cold.id,
                    "unit_id": unit.id,
                    "area": unit.area_net,
                    "consumption": used,
                    "billed_consumption": used,
                    "estimated": unit in estimated_units,
                    "consumption_amount": amount,
                    "amount": amount,
                    "computation": f"Water {used:.3f} m³ × 10.0000 TRY/m³ = {amount:.2f} TRY",
                }
            )
        cls.env["site.cost.allocation.line"].create(lines)
        allocation.write({"state": state})
        return allocation

    def _html(self, report, records, data=None):
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(report, records.ids, data)
        return html.decode().replace("\N{ZERO WIDTH NO-BREAK SPACE}", "")

    def _unit_html(self, unit):
        return self._html(NOTICE, self.february, {"unit_ids": unit.ids})

    def test_pages_gather_readings_history_and_averages(self):
        pages = self.env["report.site_metering.report_expense_notice"]._pages(
            self.february.line_ids
        )
        self.assertEqual([page["unit"] for page in pages], list(self.units))
        first = pages[0]
        self.assertEqual(first["partner"], self.owners[0])
        self.assertAlmostEqual(first["total"], 388.32)
        self.assertEqual(len(first["raised"]), 1)
        meters = {row["meter"]: row for row in first["meters"]}
        allocator = meters[self.allocators[0]]
        self.assertEqual((allocator["previous"].value, allocator["current"].value), (0, 100))
        self.assertAlmostEqual(allocator["consumption_value"], 120)
        self.assertAlmostEqual(allocator["factor"], 1.2)
        self.assertEqual(first["rooms"][0]["room"], "Salon")
        self.assertAlmostEqual(first["rooms"][0]["value"], 120)
        heating = first["comparisons"][0]
        self.assertEqual(heating["amounts"], [288.32, 300.0, 350.0])
        self.assertAlmostEqual(heating["average"], 540 / 300 * 80)
        # its water reading is estimated; A-3 had no line last January.
        self.assertTrue(pages[1]["estimated"])
        self.assertTrue(meters[self.water[0]]["read"])
        self.assertTrue(
            {row["meter"]: row for row in pages[1]["meters"]}[self.water[1]]["estimated"]
        )
        self.assertFalse(pages[2]["estimated"])
        self.assertEqual(pages[2]["comparisons"][0]["amounts"], [366.64, None, None])

    def test_notice_renders_readings_computation_and_minimum_heating(self):
        html = self._unit_html(self.u1)
        for text in (
            "Expense Notice",
            "February 2026",
            "A-1",
            "Ali",
            "H-A-1",
            "W-A-1",
            "Salon",
            "110.000",  # the water meter's current reading
            "100.000",  # its previous one, and the allocator's display units
            "120.000",  # 100 display units · KQ 1.5 · KC 0.8
            "1.50",  # KQ
            "Measured 120.0000 kWh is below the minimum 1.6200 kWh/m²",
            "Minimum heating applied",
            "129.600",
            "288.32",
            "388.32",
            "<svg",
            "Jan 2026",
            "Feb 2025",
            "300.00",
            "350.00",
        ):
            self.assertIn(text, html)
        self.assertNotIn("Contains estimated values", html)
        self.assertNotIn("Berk", html)

        estimated = self._unit_html(self.u2)
        self.assertIn("Contains estimated values", estimated)
        self.assertIn("(estimated)", estimated)
        self.assertNotIn("Minimum heating applied", estimated)

        everyone = self._html(NOTICE, self.february)
        self.assertEqual(everyone.count('class="page o_site_expense_notice"'), 3)

    def test_print_all_notices_of_an_allocation(self):
        action = self.february.action_print_expense_notices()
        self.assertEqual(action["report_name"], "site_metering.report_expense_notice")
        self.assertEqual(action["context"]["active_ids"], self.february.ids)
        self.february.state = "draft"
        with self.assertRaisesRegex(UserError, "Compute the cost allocation"):
            self.february.action_print_expense_notices()

    def test_notice_from_unit_and_lines(self):
        action = self.u3.action_print_expense_notice()
        self.assertEqual(action["report_name"], "site_metering.report_expense_notice_line")
        lines = self.env["site.cost.allocation.line"].browse(action["context"]["active_ids"])
        self.assertEqual(lines.allocation_id, self.february)
        self.assertEqual(lines.unit_id, self.u3)
        # One line selected prints the unit's whole notice (every part).
        html = self._html(NOTICE_LINE, lines[:1])
        self.assertIn("Cold Water", html)
        self.assertIn("Heating", html)
        self.assertEqual(html.count('class="page o_site_expense_notice"'), 1)

    def test_notice_in_turkish_for_a_turkish_owner(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.owners[0].lang = "tr_TR"
        html = self._unit_html(self.u1)
        self.assertIn("Şubat 2026", html)
        self.assertIn("Oca 2026", html)
        self.assertIn("February 2026", self._unit_html(self.u3), "Cem reads English")

    def test_notice_pdf(self):
        render_pdf(self, NOTICE_LINE, self.february.line_ids.filtered("raised").ids)

    def test_notices_print_together_with_the_letterhead(self):
        """Every unit of two allocations in one call: the site's letterhead on each
        notice, one HTML body without header/footer files (unpatched Qt prints it)."""
        self.site.write({"phone": "+90 312 444 55 66", "website": "https://blok.example"})
        allocations = self.february | self.january
        html = self._html(NOTICE, allocations)
        self.assertEqual(html.count("o_site_letterhead_name"), 5, "3 units + 2 units")
        self.assertIn(self.site.name, html)
        self.assertIn("+90 312 444 55 66", html)
        self.assertIn(f"{self.february.name} · A-1", html)
        self.assertNotIn('class="header', html)

        report = self.env["ir.actions.report"]._get_report(NOTICE)
        bodies, html_ids, header, footer, _args = report._prepare_html(
            html.encode(), report_model="site.cost.allocation"
        )
        self.assertEqual(len(bodies), 1)
        self.assertIsNone(header)
        self.assertIsNone(footer)
        self.assertEqual(set(html_ids), set(allocations.ids))

        _pdf, pages = render_pdf(self, NOTICE, allocations.ids)
        self.assertGreaterEqual(pages, 5)

        # From the unit shares too: two units, two notices at least.
        lines = self.february.line_ids.filtered(lambda line: line.unit_id in self.u1 | self.u3)
        _pdf, pages = render_pdf(self, NOTICE_LINE, lines.ids)
        self.assertGreaterEqual(pages, 2)

    def test_penalised_units_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_cost_allocation_line_penalised"
        )
        lines = self.env["site.cost.allocation.line"].search(
            [*safe_eval(action["domain"]), ("company_id", "=", self.site.id)]
        )
        self.assertEqual(lines.unit_id, self.u1)
        self.assertEqual(lines.allocation_id, self.february)

    def test_allocation_lines_xlsx_export(self):
        wizard = self.env["site.metering.export.wizard"].create(
            {
                "export_type": "allocation_lines",
                "company_id": self.site.id,
                "date_from": date(2026, 1, 1),
                "date_to": date(2026, 2, 28),
            }
        )
        _name, content = xlsx_export(self.env, wizard.action_export())
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[3]]
        # January: 2 units × 2 parts; February: 3 units × 2 parts.
        self.assertEqual(len(rows), 10)
        raised = [row for row in rows if row[9]]
        self.assertEqual(len(raised), 1)
        self.assertEqual(raised[0][1].date(), date(2026, 2, 1))
        self.assertEqual(raised[0][3], "A-1")
        self.assertEqual(raised[0][8], 129.6)
        self.assertEqual(raised[0][13], 288.32)
        self.assertIn("raised (penalised)", raised[0][14])
        estimated = [row for row in rows if row[10]]
        self.assertEqual(
            [(row[1].date(), row[3]) for row in estimated], [(date(2026, 2, 1), "A-2")]
        )
        total = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Total")
        self.assertAlmostEqual(total[13], 1000 + 370 + 620 + 200)
