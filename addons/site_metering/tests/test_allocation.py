from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.sql_db import db_connect
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MeteringCase

NOV, DEC = date(2025, 11, 20), date(2025, 12, 20)
PERIOD = date(2025, 12, 1)


class AllocationCase(MeteringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.heat_type = cls.charge_type("HEAT")
        cls.hot_water_type = cls.charge_type("HOTWATER")

    @classmethod
    def fast_read(cls, meters, day, values):
        """Readings without the checks (test data), consumption still computed."""
        return cls.env["site.meter.reading"]._create_trusted(
            [
                {"meter_id": meter.id, "date": day, "value": value}
                for meter, value in zip(meters, values)
            ],
            checks=False,
        )

    def allocation(self, parts, **values):
        return self.env["site.cost.allocation"].create(
            dict(
                {
                    "company_id": self.site.id,
                    "date_from": NOV,
                    "date_to": DEC,
                    "part_ids": [(0, 0, part) for part in parts],
                },
                **values,
            )
        )

    def lines_of(self, allocation, part_type=None):
        lines = allocation.line_ids
        if part_type:
            lines = lines.filtered(lambda line: line.part_type == part_type)
        return {line.unit_id.code: line for line in lines}

    def receivables(self, allocation):
        return allocation.move_ids.line_ids.filtered("site_unit_id")


@tagged("post_install", "-at_install")
class TestFortyFlats(AllocationCase):
    """DOMAIN §1: the December 2015 bill of a billing firm, 40 flats, 7,486 m²."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.block = cls.env["site.building"].create(
            {"name": "Blok K", "code": "K", "company_id": cls.site.id}
        )
        # 34 flats of 187 m² and 6 of 188 m² = 7,486 m²;
        # 35 flats using 854 kWh and 5 using 853 kWh = 34,155 kWh.
        cls.flats = cls.env["site.unit"].create(
            [
                {
                    "code": f"K-{n + 1}",
                    "company_id": cls.site.id,
                    "building_id": cls.block.id,
                    "area_net": 187.0 if n < 34 else 188.0,
                }
                for n in range(40)
            ]
        )
        owners = cls.env["res.partner"].create([{"name": f"Owner K-{n + 1}"} for n in range(40)])
        cls.env["site.unit.relation"].create(
            [
                {"unit_id": flat.id, "partner_id": owner.id, "date_from": date(2020, 1, 1)}
                for flat, owner in zip(cls.flats, owners)
            ]
        )
        Meter = cls.env["site.meter"]
        cls.heat_meters = Meter.create(
            [
                {"serial": f"HM-{flat.code}", "kind": "heat", "unit_id": flat.id}
                for flat in cls.flats
            ]
        )
        cls.hot_meters = Meter.create(
            [
                {"serial": f"HW-{flat.code}", "kind": "hot_water", "unit_id": flat.id}
                for flat in cls.flats
            ]
        )
        cls.fast_read(cls.heat_meters, NOV, [1000.0] * 40)
        cls.fast_read(cls.heat_meters, DEC, [1854.0 if n < 35 else 1853.0 for n in range(40)])
        cls.fast_read(cls.hot_meters, NOV, [10.0] * 40)
        cls.fast_read(cls.hot_meters, DEC, [12.5] * 40)

    def forty_flat_bill(self, area_key):
        return self.allocation(
            [
                {
                    "part_type": "hot_water",
                    "name": "Hot water",
                    "amount": 379.0,
                    "method": "water_loss",
                    "meter_kind": "hot_water",
                },
                {
                    "part_type": "heating",
                    "takes_rest": True,
                    "method": "tr_heat",
                    "meter_kind": "heat",
                    "area_key": area_key,
                    "apply_minimum": False,
                },
            ],
            building_id=self.block.id,
            amount_total=13879.0,
        )

    def test_equal_split_to_the_cent_and_posting(self):
        allocation = self.forty_flat_bill("equal")
        allocation.action_compute()
        self.assertEqual(allocation.state, "computed")
        heating = allocation.part_ids.filtered(lambda p: p.part_type == "heating")
        self.assertAlmostEqual(heating.amount, 13500.0)
        self.assertAlmostEqual(heating.consumption_total, 34155.0)
        self.assertAlmostEqual(heating.unit_price, 0.2767)  # 9,450 / 34,155
        self.assertAlmostEqual(heating.area_price, 101.25)  # 4,050 / 40
        heat_lines = self.lines_of(allocation, "heating")
        self.assertEqual(len(heat_lines), 40)
        self.assertTrue(all(line.area_amount == 101.25 for line in heat_lines.values()))
        # Largest remainders: 15 · 236.29 + 20 · 236.28 + 5 · 236.01 = 9,450.00
        self.assertEqual(heat_lines["K-1"].consumption_amount, 236.29)
        self.assertEqual(heat_lines["K-20"].consumption_amount, 236.28)
        self.assertEqual(heat_lines["K-40"].consumption_amount, 236.01)
        self.assertEqual(heat_lines["K-1"].amount, 337.54)
        self.assertIn("854.0000 kWh × 0.2767 TRY/kWh = 236.29 TRY", heat_lines["K-1"].computation)
        self.assertIn("equal share 101.25 TRY", heat_lines["K-1"].computation)
        self.assertAlmostEqual(sum(line.amount for line in heat_lines.values()), 13500.0)
        hot = self.lines_of(allocation, "hot_water")
        # 379 / 40 = 9.475: 20 flats 9.48, 20 flats 9.47
        self.assertEqual(sorted({line.amount for line in hot.values()}), [9.47, 9.48])
        self.assertAlmostEqual(allocation.charged_total, 13879.0)
        self.assertEqual(allocation.penalised_count, 0)

        allocation.action_post()
        self.assertEqual(allocation.state, "posted")
        receivables = self.receivables(allocation)
        self.assertEqual(len(receivables), 80)  # 40 flats × heating and hot water
        self.assertAlmostEqual(sum(receivables.mapped("balance")), 13879.0)
        k1 = receivables.filtered(lambda line: line.site_unit_id.code == "K-1")
        self.assertEqual(sorted(k1.mapped("balance")), [9.48, 337.54])
        self.assertEqual(k1.site_charge_type_id, self.heat_type | self.hot_water_type)
        self.assertTrue(all(line.site_notice_id for line in receivables))
        self.assertEqual(k1.site_notice_id.period, PERIOD)
        month = self.env["site.display"].with_context(lang=self.site.partner_id.lang)
        self.assertIn(month._month_label(PERIOD), k1.filtered(lambda line: line.balance > 100).name)
        # Posting twice never charges twice.
        allocation.action_post()
        self.assertEqual(len(self.receivables(allocation)), 80)
        with self.assertRaises(UserError):
            allocation.action_compute()

    def test_by_area_to_the_cent(self):
        allocation = self.forty_flat_bill("area")
        allocation.action_compute()
        heating = allocation.part_ids.filtered(lambda p: p.part_type == "heating")
        self.assertAlmostEqual(heating.unit_price, 0.2767)
        self.assertAlmostEqual(heating.area_price, 0.5410)  # 4,050 / 7,486 m²
        lines = self.lines_of(allocation, "heating")
        # 30 · 101.17 + 4 · 101.16 + 6 · 101.71 = 4,050.00
        self.assertEqual(lines["K-1"].area_amount, 101.17)
        self.assertEqual(lines["K-34"].area_amount, 101.16)
        self.assertEqual(lines["K-35"].area_amount, 101.71)
        self.assertAlmostEqual(sum(line.area_amount for line in lines.values()), 4050.0)
        self.assertIn("area 187.00 m² × 0.5410 TRY/m² = 101.17 TRY", lines["K-1"].computation)
        self.assertAlmostEqual(sum(allocation.line_ids.mapped("amount")), 13879.0)

    def test_vendor_bill_amount_and_cancel(self):
        partner = self.env["res.partner"].create({"name": "Gas Company"})
        expense = self.env["account.account"].search(
            [("company_ids", "in", self.site.id), ("account_type", "=", "expense")], limit=1
        )
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "company_id": self.site.id,
                "partner_id": partner.id,
                "invoice_date": DEC,
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Gas",
                            "price_unit": 13879.0,
                            "account_id": expense.id,
                            "tax_ids": [(5, 0, 0)],
                        },
                    )
                ],
            }
        )
        allocation = self.forty_flat_bill("equal")
        allocation.vendor_bill_id = bill
        self.assertAlmostEqual(allocation.amount_total, 13879.0)
        allocation.action_compute()
        allocation.action_post()
        moves = allocation.move_ids
        allocation.action_cancel()
        self.assertEqual(allocation.state, "cancelled")
        self.assertTrue(allocation.reversal_move_ids)
        self.assertEqual(allocation.reversal_move_ids.reversed_entry_id, moves)
        self.assertTrue(all(moves.line_ids.filtered("site_unit_id").mapped("reconciled")))
        allocation.action_draft()
        self.assertEqual(allocation.state, "draft")
        self.assertFalse(allocation.line_ids)


@tagged("post_install", "-at_install")
class TestAllocationRules(AllocationCase):
    """Flats A-1..A-3 (80, 100, 120 m²) with one allocator each (KQ 1.5 · KC 0.8 = 1.2)."""

    def heating(self, **part):
        return dict(
            {"part_type": "heating", "method": "tr_heat", "meter_kind": "hca", "amount": 1000.0},
            **part,
        )

    def hot_water_read(self, values):
        """A hot-water meter in every flat, read 0 in November and ``values`` in December."""
        hot = self.env["site.meter"].create(
            [
                {"serial": f"HW-{unit.code}", "kind": "hot_water", "unit_id": unit.id}
                for unit in self.units
            ]
        )
        self.fast_read(hot, NOV, [0, 0, 0])
        self.fast_read(hot, DEC, values)

    def electricity(self, **values):
        return self.allocation(
            [{"part_type": "electricity", "method": "key", "area_key": "equal", "amount": 300.0}],
            amount_total=300.0,
            **values,
        )

    def test_unit_raised_to_the_minimum(self):
        self.env["site.heat.minimum"].create(
            {"company_id": self.site.id, "month": 12, "factor": 0.5}
        )
        self.fast_read(self.allocators, NOV, [0, 0, 0])
        self.fast_read(self.allocators, DEC, [800, 1000, 200])
        allocation = self.allocation([self.heating()], amount_total=1000.0)
        part = allocation.part_ids
        self.assertTrue(part.apply_minimum)
        self.assertEqual(part.minimum_factor, 0.5)  # from the site's factor for December
        allocation.action_compute()
        # Allocator readings converted: 800 · 1.2 = 960, 1,200, 240; St 2,400 over 300 m².
        # qt = 8, qR = 4 kWh/m²: A-3 uses 2 per m² → raised to 4 · 120 = 480.
        # StR = 2,640; price 700 / 2,640 = 0.2652. P1: 254.55, 318.18, 127.27.
        lines = self.lines_of(allocation)
        self.assertEqual(lines["A-1"].consumption, 960.0)
        self.assertAlmostEqual(part.minimum_per_m2, 4.0)
        self.assertAlmostEqual(part.billed_consumption_total, 2640.0)
        self.assertAlmostEqual(part.unit_price, 0.2652)
        self.assertTrue(lines["A-3"].raised)
        self.assertFalse(lines["A-1"].raised)
        self.assertEqual(lines["A-3"].billed_consumption, 480.0)
        self.assertIn("raised (penalised)", lines["A-3"].computation)
        self.assertEqual(
            [lines[c].consumption_amount for c in ("A-1", "A-2", "A-3")], [254.55, 318.18, 127.27]
        )
        self.assertEqual([lines[c].amount for c in ("A-1", "A-2", "A-3")], [334.55, 418.18, 247.27])
        self.assertEqual(allocation.penalised_count, 1)
        penalised = self.env["site.cost.allocation.line"].search(
            [("allocation_id", "=", allocation.id), ("raised", "=", True)]
        )
        self.assertEqual(penalised.unit_id, self.u3)

    def test_german_hot_water_share(self):
        # DOMAIN §2: 3,253.50 € for 34,000 kWh; 47.2 m³ at 60 °C = 5,900 kWh = 17.35 %.
        self.hot_water_read([10.0, 15.2, 22.0])  # 47.2 m³
        self.fast_read(self.allocators, NOV, [0, 0, 0])
        self.fast_read(self.allocators, DEC, [500, 700, 900])
        allocation = self.allocation(
            [
                {
                    "part_type": "hot_water",
                    "method": "hot_water_formula",
                    "hot_water_rule": "de",
                    "meter_kind": "hot_water",
                    "hw_temperature": 60.0,
                    "hw_total_energy": 34000.0,
                },
                self.heating(
                    method="consumption_share",
                    consumption_share=0.5,
                    amount=0.0,
                    takes_rest=True,
                ),
            ],
            amount_total=3253.50,
        )
        allocation.action_compute()
        hot_part = allocation.part_ids.filtered(lambda p: p.part_type == "hot_water")
        heating = allocation.part_ids - hot_part
        self.assertAlmostEqual(hot_part.hw_fuel, 5900.0)
        self.assertAlmostEqual(hot_part.hot_water_percent, 17.35)
        self.assertAlmostEqual(hot_part.amount, 564.48)
        self.assertAlmostEqual(heating.amount, 2689.02)
        self.assertFalse(heating.apply_minimum)
        hot_lines = self.lines_of(allocation, "hot_water")
        # 564.48 by 10 : 15.2 : 22 m³
        self.assertAlmostEqual(sum(line.amount for line in hot_lines.values()), 564.48)
        self.assertEqual(hot_lines["A-1"].amount, 119.59)  # 564.48 · 10 / 47.2 = 119.5932
        heat_lines = self.lines_of(allocation, "heating")
        # 50 %: 1,344.51 by consumption (600 : 840 : 1,080 kWh), 1,344.51 by area.
        self.assertAlmostEqual(
            sum(line.consumption_amount for line in heat_lines.values()), 1344.51
        )
        self.assertAlmostEqual(sum(line.area_amount for line in heat_lines.values()), 1344.51)
        self.assertAlmostEqual(sum(allocation.line_ids.mapped("amount")), 3253.50)

    def test_turkish_hot_water_formula(self):
        # By = 1.20 · 10 m³ · (60 − 10) / 10 = 60 fuel units; cost 60 · 2.5 = 150.00,
        # split by the hot-water meters 2 : 3 : 5; the heating takes the rest, 850.00.
        self.hot_water_read([2, 3, 5])
        self.fast_read(self.allocators, NOV, [0, 0, 0])
        self.fast_read(self.allocators, DEC, [500, 700, 900])
        allocation = self.allocation(
            [
                {
                    "part_type": "hot_water",
                    "method": "hot_water_formula",
                    "hw_temperature": 60.0,
                    "hw_heating_value": 10000.0,  # kcal per fuel unit
                    "hw_fuel_price": 2.5,
                },
                self.heating(amount=0.0, takes_rest=True),
            ],
            amount_total=1000.0,
        )
        allocation.action_compute()
        hot_part = allocation.part_ids.filtered(lambda p: p.part_type == "hot_water")
        self.assertEqual(hot_part.meter_kind, "hot_water")
        self.assertAlmostEqual(hot_part.hw_fuel, 60.0)  # V = 10 m³ from the meters
        self.assertAlmostEqual(hot_part.amount, 150.0)
        self.assertAlmostEqual((allocation.part_ids - hot_part).amount, 850.0)
        hot_lines = self.lines_of(allocation, "hot_water")
        self.assertEqual([hot_lines[c].amount for c in ("A-1", "A-2", "A-3")], [30.0, 45.0, 75.0])
        self.assertIn("2.0000 m³ × 15.0000 TRY/m³ = 30.00 TRY", hot_lines["A-1"].computation)
        self.assertAlmostEqual(sum(allocation.line_ids.mapped("amount")), 1000.0)

    def test_water_loss_shared(self):
        main = self.env["site.meter"].create(
            {
                "serial": "W-MAIN",
                "kind": "cold_water",
                "placement": "main",
                "building_id": self.building.id,
            }
        )
        self.fast_read(main, NOV, [1000])
        self.fast_read(main, DEC, [1080])
        self.fast_read(self.water, NOV, [0, 0, 0])
        self.fast_read(self.water, DEC, [10, 20, 30])
        allocation = self.allocation(
            [
                {
                    "part_type": "water",
                    "method": "water_loss",
                    "amount": 400.0,
                    "loss_key": "area",
                }
            ],
            amount_total=400.0,
            building_id=self.building.id,
        )
        allocation.action_compute()
        part = allocation.part_ids
        self.assertEqual(part.meter_kind, "cold_water")
        self.assertEqual(part.charge_type_id, self.charge_type("COLDWATER"))
        self.assertAlmostEqual(part.main_consumption, 80.0)
        self.assertAlmostEqual(part.loss, 20.0)
        self.assertAlmostEqual(part.loss_percent, 25.0)
        self.assertAlmostEqual(part.unit_price, 5.0)
        lines = self.lines_of(allocation)
        self.assertEqual([lines[c].amount for c in ("A-1", "A-2", "A-3")], [76.67, 133.33, 190.0])
        self.assertIn("loss 5.3333 m³ = 26.67 TRY", lines["A-1"].computation)
        allocation.action_post()
        self.assertAlmostEqual(sum(self.receivables(allocation).mapped("balance")), 400.0)

    def test_allocation_key_land_share(self):
        allocation = self.allocation(
            [
                {
                    "part_type": "electricity",
                    "method": "key",
                    "area_key": "land_share",
                    "amount": 240.0,
                }
            ],
            amount_total=240.0,
        )
        allocation.action_compute()
        lines = self.lines_of(allocation)
        self.assertEqual([lines[c].amount for c in ("A-1", "A-2", "A-3")], [70.0, 80.0, 90.0])
        self.assertEqual(allocation.part_ids.charge_type_id, self.charge_type("ELEC"))

    def test_parts_must_add_up_to_the_bill(self):
        allocation = self.allocation(
            [{"part_type": "electricity", "method": "key", "amount": 100.0}],
            amount_total=150.0,
        )
        with self.assertRaisesRegex(UserError, "the parts come to 100.00 but the bill is 150.00"):
            allocation.action_compute()
        with self.assertRaisesRegex(ValidationError, "between 0.50 and 0.70"):
            self.allocation([self.heating(consumption_share=0.8)])
        with self.assertRaisesRegex(UserError, "add the parts"):
            self.allocation([], amount_total=10.0).action_compute()

    def test_estimation_and_the_25_percent_rule(self):
        self.fast_read(self.allocators, NOV, [0, 0, 0])
        self.fast_read(self.allocators, DEC - date.resolution * 30, [100, 100, 100])
        self.fast_read(self.allocators[:2], DEC, [900, 1100])  # A-3 not read in December
        allocation = self.allocation(
            [self.heating(apply_minimum=False)], amount_total=1000.0, date_from=date(2025, 11, 25)
        )
        allocation.action_compute()
        estimate = self.env["site.meter.reading"].search(
            [("meter_id", "=", self.allocators[2].id), ("estimated", "=", True)]
        )
        self.assertEqual(estimate.date, DEC)
        lines = self.lines_of(allocation)
        self.assertTrue(lines["A-3"].estimated)
        self.assertFalse(lines["A-1"].estimated)
        self.assertIn("includes an estimate", lines["A-3"].computation)
        # 120 of 300 m² estimated: 40 % > 25 %.
        self.assertAlmostEqual(allocation.estimated_area_share, 40.0)
        self.assertTrue(allocation.estimate_exceeded)
        self.assertIn("more than the site's limit", allocation.message_ids[0].body)
        # The manager bills it by area only.
        allocation.area_only = True
        allocation.action_compute()
        lines = self.lines_of(allocation)
        self.assertEqual([lines[c].amount for c in ("A-1", "A-2", "A-3")], [266.67, 333.33, 400.0])
        self.assertIn("Billed by area only", lines["A-1"].computation)
        allocation.action_post()
        labels = {line.site_unit_id.code: line.name for line in self.receivables(allocation)}
        self.assertIn("(estimated)", labels["A-3"])
        self.assertNotIn("(estimated)", labels["A-1"])

    def test_below_the_limit_no_warning(self):
        self.site.site_estimated_area_limit = 50.0
        self.fast_read(self.allocators, NOV, [0, 0, 0])
        self.fast_read(self.allocators, DEC - date.resolution * 30, [100, 100, 100])
        self.fast_read(self.allocators[:2], DEC, [900, 1100])
        allocation = self.allocation(
            [self.heating(apply_minimum=False)], amount_total=1000.0, date_from=date(2025, 11, 25)
        )
        allocation.action_compute()
        self.assertAlmostEqual(allocation.estimated_area_share, 40.0)
        self.assertFalse(allocation.estimate_exceeded)

    def test_liable_partners_split_by_days(self):
        # A tenant moves into A-1 on 2025-12-06: heating (running costs) goes to whoever
        # is liable, by days of the reading period (21 Nov – 20 Dec: 15 + 15 days).
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u1.id,
                "partner_id": self.tenant.id,
                "role": "tenant",
                "date_from": date(2025, 12, 6),
            }
        )
        allocation = self.allocation(
            [{"part_type": "heating", "method": "key", "area_key": "equal", "amount": 300.0}],
            amount_total=300.0,
        )
        allocation.action_compute()
        allocation.action_post()
        a1 = self.receivables(allocation).filtered(lambda line: line.site_unit_id == self.u1)
        self.assertAlmostEqual(sum(a1.mapped("balance")), 100.0)
        by_partner = {line.partner_id: line.balance for line in a1}
        self.assertEqual(by_partner, {self.owners[0]: 50.0, self.tenant: 50.0})
        self.assertEqual(len(a1.site_notice_id), 2)

    def test_metered_part_split_at_the_reading_of_the_change_date(self):
        # DOMAIN §4: a tenant moves into A-1 on 2025-12-06, when its allocator reads 600
        # of the period's 800 units: the consumption part goes 600 : 200, the area part
        # by days (15 + 15).
        self.env["site.unit.relation"].create(
            {
                "unit_id": self.u1.id,
                "partner_id": self.tenant.id,
                "role": "tenant",
                "date_from": date(2025, 12, 6),
            }
        )
        self.fast_read(self.allocators, NOV, [0, 0, 0])
        self.fast_read(self.allocators[:1], date(2025, 12, 6), [600])
        self.fast_read(self.allocators, DEC, [800, 1000, 200])
        allocation = self.allocation(
            [
                {
                    "part_type": "heating",
                    "method": "tr_heat",
                    "meter_kind": "hca",
                    "area_key": "area",
                    "apply_minimum": False,
                    "amount": 2000.0,
                }
            ],
            amount_total=2000.0,
        )
        allocation.action_compute()
        line = allocation.line_ids.filtered(lambda share: share.unit_id == self.u1)
        self.assertEqual((line.consumption_amount, line.area_amount), (560.0, 160.0))
        allocation.action_post()
        a1 = self.receivables(allocation).filtered(lambda entry: entry.site_unit_id == self.u1)
        by_partner = {entry.partner_id: entry.balance for entry in a1}
        self.assertEqual(by_partner, {self.owners[0]: 500.0, self.tenant: 220.0})

    def test_due_date_the_sites_due_day_or_the_one_chosen(self):
        self.site.site_charge_due_day = 31
        allocation = self.electricity()
        allocation.action_compute()
        allocation.action_post()
        self.assertEqual(allocation.due_date, date(2025, 12, 31))
        self.assertEqual(
            set(self.receivables(allocation).mapped("date_maturity")), {date(2025, 12, 31)}
        )
        chosen = self.electricity(due_date=date(2026, 1, 5))
        chosen.action_compute()
        chosen.action_post()
        self.assertEqual(chosen.due_date, date(2026, 1, 5))
        self.assertEqual(set(self.receivables(chosen).mapped("date_maturity")), {date(2026, 1, 5)})
        # Cancelling reverses the entries; "Charges" shows both.
        chosen.action_cancel()
        self.assertEqual(chosen.state, "cancelled")
        self.assertEqual(chosen.reversal_move_ids.reversed_entry_id, chosen.move_ids)
        shown = self.env["account.move.line"].search(chosen.action_view_moves()["domain"])
        self.assertEqual(shown.move_id, chosen.move_ids | chosen.reversal_move_ids)

    @mute_logger("odoo.sql_db")
    def test_a_concurrent_posting_is_refused(self):
        allocation = self.electricity()
        allocation.action_compute()
        other = db_connect(self.env.cr.dbname).cursor()
        try:
            other.execute(
                "SELECT pg_advisory_lock(%s, %s)",
                [self.env["site.lock"]._namespace("site.cost.allocation"), allocation.id],
            )
            with self.assertRaisesRegex(UserError, "is being posted right now"):
                allocation.action_post()
        finally:
            other.execute("SELECT pg_advisory_unlock_all()")
            other.close()
        self.assertEqual(allocation.state, "computed")
        self.assertFalse(allocation.move_ids)
        allocation.action_post()
        self.assertEqual(allocation.state, "posted")

    def test_access(self):
        def user(login, group):
            return self.env["res.users"].create(
                {
                    "name": login,
                    "login": login,
                    "company_id": self.site.id,
                    "company_ids": [Command.set(self.site.ids)],
                    "group_ids": [Command.set(self.env.ref(group).ids)],
                }
            )

        accountant = user("alloc_accountant", "site_residents.group_site_accountant")
        board = user("alloc_board", "site_residents.group_site_board")
        self.fast_read(self.allocators, NOV, [0, 0, 0])
        self.fast_read(self.allocators, DEC, [800, 1000, 1200])
        Allocation = self.env["site.cost.allocation"].with_context(
            allowed_company_ids=self.site.ids
        )
        allocation = Allocation.with_user(accountant).create(
            {
                "company_id": self.site.id,
                "date_from": NOV,
                "date_to": DEC,
                "amount_total": 1000.0,
                "part_ids": [Command.create(self.heating(apply_minimum=False))],
            }
        )
        allocation.action_compute()
        self.assertEqual(allocation.state, "computed")
        self.assertAlmostEqual(allocation.with_user(board).charged_total, 1000.0)
        self.assertEqual(len(allocation.with_user(board).line_ids), 3)
        with self.assertRaises(AccessError):
            Allocation.with_user(board).create(
                {"company_id": self.site.id, "date_from": NOV, "date_to": DEC}
            )
        with self.assertRaises(AccessError):
            self.env["site.meter.tariff"].with_user(board).create(
                {"name": "X", "company_id": self.site.id}
            )
