from datetime import date, datetime

from odoo import api, fields, models

from ..engine import alarms as alarms_engine

# Demo readings: the 20th of each month, August (the start) to November 2026.
DEMO_DAYS = [date(2026, 8, 20), date(2026, 9, 20), date(2026, 10, 20), date(2026, 11, 20)]
# Monthly use per m² by meter kind (register units), scaled by each unit's own pattern.
DEMO_RATE = {"hca": 0.9, "heat": 2.1, "cold_water": 0.06, "hot_water": 0.03}
# How much of the month's rate each month uses: heating rises into winter.
DEMO_SEASON = {"hca": [0, 0.7, 0.9, 1.15], "heat": [0, 0.7, 0.9, 1.15]}
DEMO_MODELS = {
    "hca": "site_metering.meter_model_qundis_q_caloric",
    "heat": "site_metering.meter_model_kamstrup_multical_403",
    "cold_water": "site_metering.meter_model_kamstrup_multical_21",
    "hot_water": "site_metering.meter_model_apator_sv_rtn",
}
DEMO_PREFIX = {"heat": "HM", "cold_water": "CW", "hot_water": "HW"}
DEMO_ROOMS = [("Salon", 1.35, 1.0), ("Yatak Odası", 0.85, 1.0)]


class SiteMeterDemo(models.Model):
    _inherit = "site.meter"

    @api.model
    def _demo_install(self, company_ids, kinds_by_company):
        """Meters and four months of readings on the demo sites.

        A heat cost allocator in two rooms of every Turkish flat, hot and cold water,
        building main meters; one spike waits for acceptance and one meter was replaced.
        Deterministic, so the demo looks the same on every install.
        """
        companies = self.env["res.company"].browse(company_ids)
        units = self.env["site.unit"].search([("company_id", "in", companies.ids)])
        values = []
        for unit in units:
            for kind in kinds_by_company[str(unit.company_id.id)]:
                base = {
                    "kind": kind,
                    "model_id": self.env.ref(DEMO_MODELS[kind]).id,
                    "unit_id": unit.id,
                    "company_id": unit.company_id.id,
                    "install_date": date(2024, 6, 1),
                    "calibration_expiry": date(2030, 6, 1),
                }
                if kind == "hca":
                    values += [
                        dict(base, serial=f"HCA-{unit.code}-{index}", room=room, kq=kq, kc=kc)
                        for index, (room, kq, kc) in enumerate(DEMO_ROOMS, 1)
                    ]
                else:
                    values.append(
                        dict(
                            base,
                            serial=f"{DEMO_PREFIX[kind]}-{unit.code}",
                            register_digits=5 if "water" in kind else 8,
                        )
                    )
        for building in units.building_id:
            values.append(
                {
                    "kind": "cold_water",
                    "placement": "main",
                    "building_id": building.id,
                    "company_id": building.company_id.id,
                    "serial": f"MAIN-{building.code}",
                    "register_digits": 7,
                }
            )
        meters = self.create(values)
        Reading = self.env["site.meter.reading"]
        # Unit meters first (batched per month), then the main meters, which measure
        # the sum of their units plus a loss of about 6 %.
        registers = dict.fromkeys(meters.ids, 0.0)
        # November's reading campaign is under way on the first site: block B is not read yet.
        unread = units.filtered(lambda u: u.company_id == companies[0]).building_id[1:]
        for month, day in enumerate(DEMO_DAYS):
            rows = []
            for meter in meters.filtered(lambda m: m.placement == "unit"):
                if day == DEMO_DAYS[-1] and meter.building_id in unread:
                    continue
                pattern = 0.6 + (sum(map(ord, meter.serial)) % 9) / 10
                season = DEMO_SEASON.get(meter.kind, [0, 1.0, 0.95, 1.05])[month]
                used = DEMO_RATE[meter.kind] * meter.unit_id.area_net * pattern * season
                # Allocators count whole units.
                digits = 0 if meter.kind == "hca" else 3
                registers[meter.id] = round(registers[meter.id] + used, digits)
                rows.append({"meter_id": meter.id, "date": day, "value": registers[meter.id]})
            for meter in meters.filtered(lambda m: m.placement == "main"):
                if day == DEMO_DAYS[-1] and meter.building_id in unread:
                    continue
                unit_meters = meters.filtered(
                    lambda m, b=meter.building_id: (
                        m.building_id == b and m.kind == "cold_water" and m.placement == "unit"
                    )
                )
                registers[meter.id] = round(sum(registers[m.id] for m in unit_meters) * 1.06, 3)
                rows.append({"meter_id": meter.id, "date": day, "value": registers[meter.id]})
            Reading.create([dict(row, source="engineer") for row in rows])
        self._demo_incidents(meters.filtered(lambda m: m.company_id == companies[0]))
        return meters

    def _demo_incidents(self, meters):
        """A spike in the acceptance queue and a replaced meter."""
        water = meters.filtered(lambda m: m.kind == "cold_water" and m.placement == "unit")
        spiking, replaced = water[0], water[1]
        self.env["site.meter.reading"].create(
            {
                "meter_id": spiking.id,
                "date": date(2026, 11, 22),
                "value": spiking.last_value + 60,
                "source": "portal",
            }
        )
        self.env["site.meter.replace.wizard"].create(
            {
                "meter_id": replaced.id,
                "date": date(2026, 11, 21),
                "final_value": replaced.last_value + 0.4,
                "new_serial": f"{replaced.serial}-N",
                "initial_value": 0.0,
                "reason": "Calibration expired",
            }
        ).action_replace()

    @api.model
    def _demo_alarms(self, company_id):
        """What the Turkish site's radio meters report: a leak behind a cold-water meter
        (an activity for the engineer) and an allocator's low battery, through the same
        path as the telegrams' alarms."""
        meters = self.env["site.meter"].search(
            [("company_id", "=", company_id), ("kind", "in", ("cold_water", "hca"))],
            order="id",
        )
        water = meters.filtered(lambda meter: meter.kind == "cold_water")[:1]
        allocator = meters.filtered(lambda meter: meter.kind == "hca")[:1]
        moment = datetime(2026, 11, 28, 3, 15)
        self.env["site.meter.alarm"]._record(
            [
                alarms_engine.Observation(
                    meter.id, moment, frozenset({code}), origin=("collector", False, False)
                )
                for meter, code in ((water, "leak"), (allocator, "low_battery"))
                if meter
            ]
        )

    @api.model
    def _demo_campaign(self, company_id, reader_id):
        """November's reading campaign of the Turkish site, started: block A is read."""
        campaign = self.env["site.reading.campaign"].create(
            {
                "company_id": company_id,
                "name": "Kasım 2026 Okumaları",
                "period": date(2026, 11, 1),
                "user_id": reader_id,
            }
        )
        campaign.action_start()
        return campaign

    @api.model
    def _demo_allocate(self, company_id):
        """October's heating and water bill of the Turkish site, computed and posted."""
        allocation = self.env["site.cost.allocation"].create(
            {
                "company_id": company_id,
                "name": "Ekim 2026 Isınma ve Su",
                "date_from": date(2026, 9, 20),
                "date_to": date(2026, 10, 20),
                "amount_total": 74500.0,
                "part_ids": [
                    fields.Command.create(
                        {
                            "part_type": "water",
                            "name": "Su",
                            "amount": 8500.0,
                            "method": "water_loss",
                            "meter_kind": "cold_water",
                        }
                    ),
                    fields.Command.create(
                        {
                            "part_type": "heating",
                            "name": "Isınma",
                            "takes_rest": True,
                            "method": "tr_heat",
                            "meter_kind": "hca",
                            "area_key": "area",
                            "apply_minimum": True,
                        }
                    ),
                ],
            }
        )
        allocation.action_compute()
        allocation.action_post()
        return allocation
