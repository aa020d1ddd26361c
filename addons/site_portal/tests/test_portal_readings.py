from odoo.tests import tagged

from .common import PortalCase


@tagged("post_install", "-at_install")
class TestPortalReadings(PortalCase):
    def submit(self, meter, value, **files):
        return self.url_open(
            f"/my/site/meters/{meter.id}/reading",
            data={"value": value, "csrf_token": self.csrf_token()},
            files=files or None,
        )

    def readings(self, meter):
        return self.env["site.meter.reading"].search(
            [("meter_id", "=", meter.id), ("source", "=", "portal")]
        )

    def test_reading_accepted_with_photo(self):
        self.login(self.user_a)
        page = self.submit(
            self.meter_a, "104,5", photo=("meter.jpg", b"\xff\xd8\xff\xe0fake", "image/jpeg")
        )
        self.assertEqual(page.status_code, 200)
        reading = self.readings(self.meter_a)
        self.assertEqual((reading.value, reading.state), (104.5, "validated"))
        self.assertEqual(reading.reader_id, self.user_a)
        self.assertIn("o_site_reading_submitted", page.text)
        self.assertIn('data-state="validated"', page.text)
        photo = self.env["site.portal"]._photos(reading)[reading.id]
        self.assertEqual(photo.raw, b"\xff\xd8\xff\xe0fake")

    def test_unusual_reading_awaits_acceptance_with_reason(self):
        """Far above the building's average: kept, awaiting acceptance, and why."""
        other = self.env["site.meter"].create(
            {
                "serial": "W-A2",
                "kind": "cold_water",
                "unit_id": self.u2.id,
                "company_id": self.site.id,
            }
        )
        first = self.readings(self.meter_a).browse()
        day = self.env["site.meter.reading"].search([("meter_id", "=", self.meter_a.id)]).date
        self.env["site.meter.reading"].create({"meter_id": other.id, "date": day, "value": 0.0})
        self.env["site.meter.reading"].create(
            {"meter_id": other.id, "date": self.today, "value": 5.0}
        )
        self.login(self.user_a)
        page = self.submit(self.meter_a, "900")
        reading = self.readings(self.meter_a) - first
        self.assertEqual(reading.state, "to_accept")
        self.assertIn('data-state="to_accept"', page.text)
        self.assertTrue(reading.check_reasons)
        self.assertIn("awaiting acceptance", page.text)

    def test_lower_reading_refused_with_reason(self):
        self.login(self.user_a)
        page = self.submit(self.meter_a, "50")
        self.assertFalse(self.readings(self.meter_a))
        self.assertIn("o_site_reading_error", page.text)
        self.assertIn("lower than the last one", page.text)

    def test_outside_window_says_when_next_opens(self):
        day = self.today.day
        start = day + 1 if day < 28 else 1
        end = start + 1 if day < 28 else max(day - 1, 2)
        self.site.write({"site_reading_window_start": start, "site_reading_window_end": end})
        self.login(self.user_a)
        window = self.env["site.portal"]._reading_window(self.site)
        self.assertFalse(window["open"])
        self.assertGreater(window["opens"], self.today)
        self.assertEqual(window["opens"].day, start)
        page = self.url_open(f"/my/site/meters/{self.meter_a.id}")
        self.assertNotIn("o_site_reading_form", page.text)
        self.assertIn("the next window opens on", page.text)
        # Posting anyway is refused by site_metering's window rule.
        page = self.submit(self.meter_a, "110")
        self.assertFalse(self.readings(self.meter_a))
        self.assertIn("next window opens on", page.text)

    def test_too_many_readings_are_slowed_down(self):
        self.env["ir.config_parameter"].sudo().set_param("site_portal.reading_limit", "2")
        self.login(self.user_a)
        self.submit(self.meter_a, "101")
        self.submit(self.meter_a, "102")
        page = self.submit(self.meter_a, "103")
        self.assertEqual(len(self.readings(self.meter_a)), 2)
        self.assertIn("many readings in a short time", page.text)

    def test_photo_must_be_an_image(self):
        self.login(self.user_a)
        page = self.submit(
            self.meter_a, "101", photo=("x.svg", b"<svg onload='alert(1)'/>", "image/svg+xml")
        )
        self.assertFalse(self.readings(self.meter_a))
        self.assertIn("must be a JPEG", page.text)
