from datetime import date

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import APR, FEB, JAN, MAR, MeteringCase


@tagged("post_install", "-at_install")
class TestReadings(MeteringCase):
    def test_consumption_and_previous_reading(self):
        w1 = self.water[0]
        first = self.read(w1, JAN, 100)
        second = self.read(w1, FEB, 112.5)
        self.assertEqual(first.consumption, 0)
        self.assertEqual(second.previous_reading_id, first)
        self.assertAlmostEqual(second.consumption, 12.5)
        self.assertEqual(second.state, "validated")
        self.assertEqual(w1.last_value, 112.5)

    def test_lower_reading_refused_naming_the_meter(self):
        w1 = self.water[0]
        self.read(w1, JAN, 100)
        with self.assertRaisesRegex(ValidationError, "W-A-1.*lower than the last one"):
            self.read(w1, FEB, 99)

    def test_rollover_counts_through_zero(self):
        w1 = self.water[0]  # five digits: 99990 → 00010 is 20 m³
        self.read_all(self.water, JAN, [99990, 10, 10])
        self.read_all(self.water, FEB, [10, 20, 20])
        reading = w1.last_reading_id
        self.assertAlmostEqual(reading.consumption, 20)
        self.assertIn("rollover", reading.check_codes)

    def test_allocator_consumption_value_applies_factors(self):
        self.read_all(self.allocators, JAN, [0, 0, 0])
        self.read_all(self.allocators, FEB, [100, 200, 300])
        reading = self.allocators[0].last_reading_id
        self.assertAlmostEqual(reading.consumption, 100)
        self.assertAlmostEqual(reading.consumption_value, 120)  # 100 · 1.5 · 0.8

    def test_far_above_own_history_waits_for_acceptance(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [110, 110, 110])
        self.read_all(self.water, MAR, [120, 121, 122])
        spike = self.read(self.water[0], APR, 220)
        self.assertEqual(spike.state, "to_accept")
        self.assertIn("above_history", spike.check_codes)
        self.assertIn("usual consumption", spike.check_reasons)
        spike.action_accept()
        self.assertEqual(spike.state, "validated")

    def test_heating_ramp_up_is_not_taken_for_a_spike(self):
        # Allocators use five times more in November than in October: the season, not
        # a fault. Without last year's readings their history is not compared.
        self.read_all(self.allocators, date(2026, 9, 20), [0, 0, 0])
        self.read_all(self.allocators, date(2026, 10, 20), [10, 12, 14])
        november = self.read_all(self.allocators, date(2026, 11, 20), [60, 70, 80])
        self.assertEqual(set(november.mapped("state")), {"validated"})
        # The same jump in water is flagged.
        self.read_all(self.water, date(2026, 9, 20), [0, 0, 0])
        self.read_all(self.water, date(2026, 10, 20), [10, 12, 14])
        water = self.read_all(self.water, date(2026, 11, 20), [60, 70, 80])
        self.assertEqual(set(water.mapped("state")), {"to_accept"})

    def test_far_above_building_average_waits(self):
        self.read_all(self.water, JAN, [0, 0, 0])
        # Building: 1 + 1 + 60 m³ over 300 m²; A-3 uses 0.5 m³/m², the average 0.207.
        readings = self.read_all(self.water, FEB, [1, 1, 60])
        self.assertEqual(readings[2].state, "to_accept")
        self.assertIn("above_building_average", readings[2].check_codes)
        self.assertEqual(readings[0].state, "validated")

    def test_reasons_worded_in_the_sites_language(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(["site_metering"], ["tr_TR"])
        self.site.partner_id.lang = "tr_TR"
        self.read_all(self.water, JAN, [5, 5, 5])
        self.read_all(self.water, FEB, [5, 6, 7])
        zero = self.read(self.water[0], MAR, 5)
        self.assertIn("zero_consumption", zero.check_codes)
        self.assertNotIn("No consumption", zero.check_reasons)
        self.assertIn("2", zero.check_reasons)

    def test_zero_consumption_flagged_after_periods(self):
        self.read_all(self.water, JAN, [5, 5, 5])
        self.read_all(self.water, FEB, [5, 6, 7])
        zero = self.read(self.water[0], MAR, 5)
        self.assertEqual(zero.state, "to_accept")
        self.assertIn("zero_consumption", zero.check_codes)

    def test_outside_window_refused_for_portal_only(self):
        self.site.write({"site_reading_window_start": 20, "site_reading_window_end": 25})
        self.read(self.water[0], JAN, 1)
        with self.assertRaisesRegex(ValidationError, "next window opens on 02/20/2026"):
            self.read(self.water[0], date(2026, 2, 5), 2, source="portal")
        staff = self.read(self.water[0], date(2026, 2, 5), 2)
        self.assertEqual(staff.state, "to_accept")
        self.assertIn("outside_window", staff.check_codes)

    def test_reject_needs_reason_and_frees_the_register(self):
        self.read(self.water[0], JAN, 100)
        self.read(self.water[0], FEB, 110)
        spike = self.read(self.water[0], MAR, 500)
        with self.assertRaises(UserError):
            spike._reject("  ")
        spike._reject("Photo shows 150.0")
        self.assertEqual(spike.state, "rejected")
        self.assertEqual(spike.consumption, 0)
        fixed = self.read(self.water[0], MAR, 150)
        self.assertAlmostEqual(fixed.consumption, 40)

    def test_earlier_reading_inserted_recomputes_later(self):
        self.read(self.water[0], JAN, 100)
        later = self.read(self.water[0], MAR, 130)
        self.read(self.water[0], FEB, 110)
        self.assertAlmostEqual(later.consumption, 20)

    def test_replacement_keeps_consumption_continuous(self):
        old = self.water[0]
        self.read(old, JAN, 100)
        wizard = (
            self.env["site.meter.replace.wizard"]
            .with_context(default_meter_id=old.id)
            .create(
                {
                    "date": date(2026, 2, 10),
                    "final_value": 107,
                    "new_serial": "W-A-1-NEW",
                    "initial_value": 3,
                }
            )
        )
        new = self.env["site.meter"].browse(wizard.action_replace()["res_id"])
        self.assertEqual(old.state, "replaced")
        self.assertEqual(new.replaces_id, old)
        self.assertEqual(new.unit_id, old.unit_id)
        self.read(new, FEB, 8)  # 7 on the old meter, 5 on the new one
        used = self.env["site.meter.reading"]._period_consumption(new, JAN, FEB)
        self.assertAlmostEqual(used[new.id], 12)
        with self.assertRaisesRegex(UserError, "already replaced"):
            old.action_replace()

    def test_batch_import_is_all_or_nothing(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        count = self.env["site.meter.reading"].search_count([])
        with self.assertRaisesRegex(ValidationError, "W-A-2"):
            self.read_all(self.water, FEB, [110, 90, 120])
        self.assertEqual(self.env["site.meter.reading"].search_count([]), count)


@tagged("post_install", "-at_install")
class TestEstimation(MeteringCase):
    def test_estimates_from_own_history_then_building(self):
        self.read_all(self.water, date(2025, 12, 20), [0, 0, 0])
        self.read_all(self.water, JAN, [20, 25, 30])
        self.read_all(self.water, FEB, [40, 50, 60])
        # March: A-1 not read; its history says 20 m³ per 31 days.
        self.read_all(self.water[1:], MAR, [75, 90])
        estimated = self.water._estimate_missing(FEB, MAR)
        self.assertEqual(estimated.meter_id, self.water[0])
        self.assertTrue(estimated.estimated)
        self.assertEqual(estimated.state, "validated")
        self.assertEqual(estimated.estimate_method, "own_history")
        self.assertAlmostEqual(estimated.consumption, 20 / 31 * 28, places=3)

    def test_new_meter_without_history_uses_building_average(self):
        self.read_all(self.water, JAN, [0, 0, 0])
        self.read_all(self.water[1:], FEB, [10, 30])  # 40 m³ over 220 m²
        estimated = self.water._estimate_missing(JAN, FEB)
        self.assertEqual(estimated.estimate_method, "building_average")
        self.assertAlmostEqual(estimated.consumption, 40 / 220 * 80, places=3)

    def test_meter_replaced_after_the_period_is_not_estimated(self):
        self.read_all(self.water, JAN, [0, 0, 0])
        self.read_all(self.water, FEB, [10, 20, 30])
        wizard = self.env["site.meter.replace.wizard"].create(
            {
                "meter_id": self.water[0].id,
                "date": MAR,
                "final_value": 15,
                "new_serial": "W-A-1-NEW",
                "initial_value": 0,
            }
        )
        new = self.env["site.meter"].browse(wizard.action_replace()["res_id"])
        meters = self.water[1:] | new
        self.assertFalse(meters._estimate_missing(JAN, FEB))

    def test_never_read_meter_cannot_be_estimated(self):
        with self.assertRaisesRegex(UserError, "never been read"):
            self.water[:1]._estimate_missing(JAN, FEB)


@tagged("post_install", "-at_install")
class TestReadingsAtChange(MeteringCase):
    def test_sale_asks_for_the_units_meter_readings(self):
        self.read_all(self.water, JAN, [10, 10, 10])
        buyer = self.env["res.partner"].create({"name": "Ece"})
        wizard = self.env["site.unit.change.wizard"].create(
            {
                "unit_id": self.u1.id,
                "change_type": "sale",
                "date": "2026-02-15",
                "line_ids": [fields.Command.create({"partner_id": buyer.id, "share": 100})],
            }
        )
        action = wizard.action_apply()
        self.assertEqual(action["res_model"], "site.unit.readings.wizard")
        readings_wizard = self.env["site.unit.readings.wizard"].browse(action["res_id"])
        self.assertEqual(readings_wizard.line_ids.meter_id, self.water[0] | self.allocators[0])
        water_line = readings_wizard.line_ids.filtered(lambda line: line.meter_id == self.water[0])
        water_line.write({"value": 14, "entered": True})
        readings_wizard.action_save()
        reading = self.water[0].last_reading_id
        self.assertEqual((reading.date, reading.value), (date(2026, 2, 15), 14))
        self.assertFalse(self.allocators[0].last_reading_id)
