from datetime import date

from odoo.tests import tagged

from .common import SiteCase


@tagged("post_install", "-at_install")
class TestLiability(SiteCase):
    """Who is charged, by charge category and date, across owner and tenant changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Ali owns until the sale on 2025-07-01, then Ayşe. Mehmet rents from
        # 2025-03-01 to 2025-08-31, Zeynep from 2025-10-01 on.
        cls.relate(cls.ali, start="2024-01-01", end="2025-06-30")
        cls.relate(cls.ayse, start="2025-07-01")
        cls.relate(cls.mehmet, "tenant", start="2025-03-01", end="2025-08-31")
        cls.relate(cls.zeynep, "tenant", start="2025-10-01")

    def liable(self, day, category="running"):
        return self.unit.get_liable_partner(date.fromisoformat(day), category)

    def test_running_costs_follow_the_tenant(self):
        self.assertEqual(self.liable("2025-02-28"), self.ali, "no tenant yet: the owner")
        self.assertEqual(self.liable("2025-03-01"), self.mehmet)
        self.assertEqual(self.liable("2025-07-15"), self.mehmet, "tenant stays after the sale")
        self.assertEqual(self.liable("2025-09-15"), self.ayse, "between tenants: new owner")
        self.assertEqual(self.liable("2025-10-01"), self.zeynep)

    def test_investments_follow_the_owner(self):
        self.assertEqual(self.liable("2025-03-01", "investment"), self.ali)
        self.assertEqual(self.liable("2025-06-30", "investment"), self.ali)
        self.assertEqual(self.liable("2025-07-01", "investment"), self.ayse)
        self.assertEqual(self.liable("2025-10-01", "investment"), self.ayse)

    def test_nobody_before_the_first_owner(self):
        self.assertFalse(self.liable("2023-12-31"))

    def test_unit_override_and_site_rule(self):
        self.unit.payer_running = "owner"
        self.assertEqual(self.liable("2025-03-15"), self.ali)
        self.unit.payer_running = False
        self.site.site_payer_investment = "tenant"
        self.assertEqual(self.liable("2025-03-15", "investment"), self.mehmet)

    def test_segments_split_a_month_with_changes(self):
        segments = self.unit.get_liable_segments(date(2025, 6, 1), date(2025, 9, 30))[self.unit]
        self.assertEqual(
            [(s.partner_id, str(s.date_from), str(s.date_to), s.days) for s in segments],
            [
                (self.mehmet.id, "2025-06-01", "2025-08-31", 92),
                (self.ayse.id, "2025-09-01", "2025-09-30", 30),
            ],
        )
        owners = self.unit.get_liable_segments(date(2025, 6, 16), date(2025, 7, 15), "investment")[
            self.unit
        ]
        self.assertEqual(
            [(s.partner_id, s.days) for s in owners], [(self.ali.id, 15), (self.ayse.id, 15)]
        )

    def test_segments_for_many_units_in_one_query(self):
        units = self.unit
        for number in range(2, 12):
            unit = self.env["site.unit"].create({"code": f"A-{number}", "company_id": self.site.id})
            self.relate(self.zeynep, unit=unit, start="2025-01-01")
            units |= unit
        units.invalidate_recordset()
        with self.assertQueryCount(__system__=2):
            result = units.get_liable_segments(date(2025, 1, 1), date(2025, 1, 31))
        self.assertEqual(len(result), 11)
        self.assertTrue(all(segs[0].partner_id for segs in result.values()))
