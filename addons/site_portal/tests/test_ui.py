from datetime import date

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestPortalTour(HttpCase):
    """A demo resident in Chromium: sees the balance, pays it with the demo provider and
    sees it drop, then sends a reading that awaits acceptance."""

    def test_resident_tour(self):
        site = self.env.ref("site_residents.site_company_tr", raise_if_not_found=False)
        if not site:
            self.skipTest("needs the demo data")
        site.write({"site_reading_window_start": 1, "site_reading_window_end": 31})
        unit = self.env["site.unit"].search([("company_id", "=", site.id), ("code", "=", "A-3")])
        self.assertGreater(unit.balance, 0)
        self.start_tour("/my", "site_portal_resident_tour", login="resident_owner")
        owner = self.env.ref("site_residents.partner_tr_ayse_yilmaz")
        self.assertEqual(self.env["site.portal"]._amount_due(unit, owner), 0.0)
        reading = self.env["site.meter.reading"].search(
            [("unit_id", "=", unit.id), ("source", "=", "portal"), ("date", "=", date.today())]
        )
        self.assertEqual(reading.state, "to_accept")
