from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .test_allocation import DEC, NOV, AllocationCase


@tagged("post_install", "-at_install")
class TestTariffs(AllocationCase):
    """A village water service: no bill to split, a tariff on each unit's consumption."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tariff = cls.env["site.meter.tariff"].create(
            {
                "name": "Village Water",
                "company_id": cls.site.id,
                "meter_kind": "cold_water",
                "fixed_fee": 20.0,
                "minimum_charge": 60.0,
                "tax_percent": 8.0,
                "block_ids": [
                    (0, 0, {"sequence": 1, "up_to": 10.0, "price": 5.0}),
                    (0, 0, {"sequence": 2, "up_to": 20.0, "price": 7.5}),
                    (0, 0, {"sequence": 3, "up_to": 0.0, "price": 10.0}),
                ],
            }
        )

    def test_tariff_charges_each_unit(self):
        self.fast_read(self.water, NOV, [0, 0, 0])
        self.fast_read(self.water, DEC, [2, 12, 25])
        allocation = self.allocation(
            [{"part_type": "water", "method": "tariff", "tariff_id": self.tariff.id}]
        )
        allocation.action_compute()
        lines = self.lines_of(allocation)
        # 2 m³ = 10 + fee 20 = 30 < minimum 60 → 60, tax 4.80 = 64.80.
        # 12 m³ = 50 + 15 = 65 + 20 = 85, tax 6.80 = 91.80.
        # 25 m³ = 50 + 75 + 50 = 175 + 20 = 195, tax 15.60 = 210.60.
        self.assertEqual([lines[c].amount for c in ("A-1", "A-2", "A-3")], [64.8, 91.8, 210.6])
        self.assertEqual(lines["A-3"].consumption_amount, 175.0)
        self.assertIn("up to the minimum charge 30.00", lines["A-1"].computation)
        self.assertIn("5.000 m³ × 10.0000 = 50.00", lines["A-3"].computation)
        self.assertAlmostEqual(allocation.part_ids.amount, 367.2)
        allocation.action_post()
        receivables = allocation.move_ids.line_ids.filtered("site_unit_id")
        self.assertAlmostEqual(sum(receivables.mapped("balance")), 367.2)
        self.assertEqual(receivables.site_charge_type_id, self.charge_type("COLDWATER"))

    def test_two_months_double_limits_and_fee(self):
        self.fast_read(self.water, NOV.replace(month=10), [0, 0, 0])
        self.fast_read(self.water, DEC, [25, 25, 25])
        allocation = self.allocation(
            [{"part_type": "water", "method": "tariff", "tariff_id": self.tariff.id}],
            date_from=NOV.replace(month=10),
        )
        allocation.action_compute()
        # 2 months: 20 · 5 + 5 · 7.5 = 137.50 + fee 40 = 177.50, tax 14.20 = 191.70.
        self.assertEqual(allocation.line_ids[0].amount, 191.7)

    def test_bad_blocks_refused(self):
        with self.assertRaisesRegex(ValidationError, "Tariff Bad: .*must be above"):
            self.env["site.meter.tariff"].create(
                {
                    "name": "Bad",
                    "company_id": self.site.id,
                    "block_ids": [
                        (0, 0, {"up_to": 10.0, "price": 5.0}),
                        (0, 0, {"up_to": 10.0, "price": 6.0}),
                    ],
                }
            )
        with self.assertRaisesRegex(ValidationError, "choose the tariff"):
            self.allocation([{"part_type": "water", "method": "tariff"}])
