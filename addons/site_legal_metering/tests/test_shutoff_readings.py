from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.site_legal.tests.common import LegalCase


@tagged("post_install", "-at_install")
class TestShutoffReadings(LegalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.site_legal_reopening_fee = 500
        cls.meter = cls.env["site.meter"].create(
            {
                "serial": "W-LEGAL-1",
                "kind": "cold_water",
                "unit_id": cls.u1.id,
                "company_id": cls.site.id,
                "register_digits": 5,
            }
        )

    def test_readings_at_shut_off_and_reopening(self):
        shutoff = self.env["site.legal.shutoff"].create(
            {
                "company_id": self.site.id,
                "unit_id": self.u1.id,
                "notice_date": date(2026, 5, 1),
                "order_date": date(2026, 5, 10),
                "ordered_by_id": self.env.user.id,
                "seal_number": "MH-9",
            }
        )
        self.assertEqual(shutoff.meter_id, self.meter, "the unit's water meter by default")
        shutoff.action_order()
        with self.assertRaisesRegex(UserError, "Reading at Shut-off"):
            shutoff.action_shut_off()
        shutoff.shutoff_value = 123.4
        shutoff.action_shut_off()
        reading = shutoff.shutoff_reading_id
        self.assertEqual(reading.meter_id, self.meter)
        self.assertEqual(reading.date, date(2026, 5, 10))
        self.assertAlmostEqual(reading.value, 123.4)

        shutoff.write({"reopen_value": 123.4, "reopen_date": date(2026, 5, 20)})
        shutoff.action_reopen()
        shutoff.action_reopen()  # again: no second reading, no second fee
        readings = self.env["site.meter.reading"].search([("meter_id", "=", self.meter.id)])
        self.assertEqual(readings, reading | shutoff.reopen_reading_id)
        self.assertEqual(shutoff.reopen_reading_id.date, date(2026, 5, 20))
        self.assertEqual(len(shutoff.fee_move_id), 1)
        self.assertEqual(
            self.env["account.move.line"].search_count(
                [("move_id", "=", shutoff.fee_move_id.id), ("site_unit_id", "=", self.u1.id)]
            ),
            1,
        )
