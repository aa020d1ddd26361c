from datetime import date

from odoo.addons.site_dues.tests.common import DuesCase


class MeteringCase(DuesCase):
    """DuesCase's Turkish site (block A, flats A-1..A-3 of 80, 100 and 120 m², owned
    since 2020) with a cold-water meter and a heat cost allocator in every flat."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site.write({"site_reading_window_start": 1, "site_reading_window_end": 31})
        Meter = cls.env["site.meter"]
        cls.water = Meter.create(
            [
                {
                    "serial": f"W-{unit.code}",
                    "kind": "cold_water",
                    "unit_id": unit.id,
                    "company_id": cls.site.id,
                    "register_digits": 5,
                }
                for unit in cls.units
            ]
        )
        cls.allocators = Meter.create(
            [
                {
                    "serial": f"H-{unit.code}",
                    "kind": "hca",
                    "unit_id": unit.id,
                    "company_id": cls.site.id,
                    "room": "Salon",
                    "kq": 1.5,
                    "kc": 0.8,
                }
                for unit in cls.units
            ]
        )

    @classmethod
    def read(cls, meter, day, value, **extra):
        return cls.env["site.meter.reading"].create(
            dict({"meter_id": meter.id, "date": day, "value": value}, **extra)
        )

    @classmethod
    def read_all(cls, meters, day, values, **extra):
        return cls.env["site.meter.reading"].create(
            [
                dict({"meter_id": meter.id, "date": day, "value": value}, **extra)
                for meter, value in zip(meters, values)
            ]
        )


JAN, FEB, MAR, APR = date(2026, 1, 20), date(2026, 2, 20), date(2026, 3, 20), date(2026, 4, 20)
