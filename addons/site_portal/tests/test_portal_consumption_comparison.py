from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalConsumptionComparison(PortalCase):
    """Last month's hot water of block A, as in the demo: A-1 (80 m²) used 12 m³ against
    10 m³ the same month a year before; the block used 48 m³ on 300 m², 0.16 m³/m², so
    12.8 m³ for A-1's area. The expense notice and the portal show these same numbers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.write({"site_reading_history_factor": 1000, "site_reading_building_factor": 1000})
        cls.period = cls.month - relativedelta(months=1)
        cls.before = cls.period - relativedelta(months=1)
        days = [
            cls.period - relativedelta(years=1, months=1),  # the first reading
            cls.period - relativedelta(years=1),
            cls.before,
            cls.period,
        ]
        cls.meters = cls.env["site.meter"].create(
            [
                {
                    "serial": f"HW-{unit.code}",
                    "kind": "hot_water",
                    "unit_id": unit.id,
                    "company_id": cls.site.id,
                }
                for unit in cls.units
            ]
        )
        values = {
            cls.u1: [100, 110, 150, 162],  # a year before 10; the month before 40; now 12
            cls.u2: [200, 215, 250, 266],  # now 16
            cls.u3: [300, 318, 360, 380],  # now 20
        }
        # Day by day, as they are read: each reading follows the one before it.
        for index, day in enumerate(days):
            cls.env["site.meter.reading"].create(
                [
                    {
                        "meter_id": meter.id,
                        "date": day.replace(day=15),
                        "value": values[meter.unit_id][index],
                    }
                    for meter in cls.meters
                ]
            )
        cls.allocation = cls.env["site.cost.allocation"].create(
            {
                "name": "Blok A hot water",
                "company_id": cls.site.id,
                "building_id": cls.building.id,
                "period": cls.period,
                "date_from": cls.before.replace(day=15),
                "date_to": cls.period.replace(day=15),
                "amount_total": 480.0,
            }
        )
        part = cls.env["site.cost.allocation.part"].create(
            {
                "allocation_id": cls.allocation.id,
                "part_type": "water",
                "name": "Hot Water",
                "amount": 480.0,
                "method": "water_loss",
                "meter_kind": "hot_water",
                "consumption_total": 48.0,
            }
        )
        cls.env["site.cost.allocation.line"].create(
            [
                {
                    "allocation_id": cls.allocation.id,
                    "part_id": part.id,
                    "unit_id": unit.id,
                    "area": unit.area_net,
                    "consumption": used,
                    "billed_consumption": used,
                    "consumption_amount": used * 10,
                    "amount": used * 10,
                }
                for unit, used in ((cls.u1, 12.0), (cls.u2, 16.0), (cls.u3, 20.0))
            ]
        )
        cls.allocation.write({"state": "computed"})

    def notice_figures(self):
        pages = self.env["report.site_metering.report_expense_notice"]._pages(
            self.allocation.line_ids
        )
        page = next(page for page in pages if page["unit"] == self.u1)
        return page["comparisons"][0]

    def portal_rows(self):
        chart = self.env["site.portal"]._consumption_chart(self.u1, "hot_water")
        return {row["month"]: row for row in chart["rows"]}

    def test_notice_and_portal_show_the_same_numbers(self):
        notice = self.notice_figures()["consumption"]
        rows = self.portal_rows()
        portal = rows[self.period]
        self.assertEqual(
            (notice["current"], notice["last_year"], notice["average"]),
            (portal["current"], portal["last_year"], portal["average"]),
        )
        self.assertAlmostEqual(notice["current"], 12.0)
        self.assertAlmostEqual(notice["last_year"], 10.0)
        self.assertAlmostEqual(notice["average"], 48.0 / 300.0 * 80.0)  # 12.8
        # The month before, the notice's second bar, is the portal's row of that month.
        self.assertAlmostEqual(rows[self.before]["current"], 40.0)

    def test_printed_and_shown_alike(self):
        """The notice's chart and the portal's table print the same figures."""
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "site_metering.action_report_expense_notice",
            self.allocation.ids,
            {"unit_ids": self.u1.ids},
        )
        html = html.decode()
        for figure in ("12.00 m³", "10.00 m³", "12.80 m³", "40.00 m³"):
            self.assertIn(figure, html)
        self.login(self.user_a)
        page = self.url_open(f"/my/site/units/{self.u1.id}/consumption")
        self.assertEqual(page.status_code, 200)
        for figure in ("12.00", "10.00", "12.80", "40.00"):
            self.assertIn(f">{figure}<", page.text)
