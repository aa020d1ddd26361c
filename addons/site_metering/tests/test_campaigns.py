from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import FEB, JAN, MAR, MeteringCase


class CampaignCase(MeteringCase):
    @classmethod
    def campaign(cls, **values):
        return cls.env["site.reading.campaign"].create(
            dict({"company_id": cls.site.id, "period": date(2026, 3, 1)}, **values)
        )

    def lines_of(self, campaign, meters):
        return campaign.line_ids.filtered(lambda line: line.meter_id in meters)


@tagged("post_install", "-at_install")
class TestCampaigns(CampaignCase):
    def test_window_defaults_from_the_site(self):
        self.site.write({"site_reading_window_start": 20, "site_reading_window_end": 31})
        campaign = self.campaign(period=date(2026, 2, 14))
        self.assertEqual(campaign.period, date(2026, 2, 1))
        self.assertEqual(
            (campaign.date_from, campaign.date_to), (date(2026, 2, 20), FEB.replace(day=28))
        )
        self.assertEqual(campaign.name, "Readings 2026-02")

    def test_start_creates_lines_for_active_meters_in_scope(self):
        block_b = self.env["site.building"].create(
            {"name": "Blok B", "code": "B", "company_id": self.site.id}
        )
        unit_b = self.env["site.unit"].create(
            {"code": "B-1", "company_id": self.site.id, "building_id": block_b.id, "area_net": 90}
        )
        Meter = self.env["site.meter"]
        other_building = Meter.create(
            {
                "serial": "W-B-1",
                "kind": "cold_water",
                "unit_id": unit_b.id,
                "company_id": self.site.id,
            }
        )
        removed = Meter.create(
            {
                "serial": "W-OLD",
                "kind": "cold_water",
                "unit_id": self.u1.id,
                "company_id": self.site.id,
                "state": "removed",
            }
        )
        self.read_all(self.water, FEB, [100, 200, 300])

        everything = self.campaign()
        everything.action_start()
        self.assertEqual(everything.state, "in_progress")
        self.assertEqual(
            everything.line_ids.meter_id, self.water | self.allocators | other_building
        )
        self.assertNotIn(removed, everything.line_ids.meter_id)
        everything.action_cancel()  # one campaign in progress per meter and window

        block_a_water = self.campaign(building_ids=[self.building.id], read_hca=False)
        block_a_water.action_start()
        self.assertEqual(block_a_water.line_ids.meter_id, self.water)
        line = self.lines_of(block_a_water, self.water[1])
        self.assertEqual((line.previous_value, line.previous_date), (200, FEB))
        self.assertEqual(line.reader_id, self.env.user)
        self.assertEqual(block_a_water.line_count, 3)
        self.assertEqual(block_a_water.progress, 0)
        with self.assertRaisesRegex(UserError, "already started"):
            block_a_water.action_start()

    def test_readers_by_building(self):
        engineer = self.env["res.users"].create(
            {
                "name": "Engin",
                "login": "engin-campaign",
                "company_id": self.site.id,
                "company_ids": [self.site.id],
                "group_ids": [self.env.ref("site_residents.group_site_engineer").id],
            }
        )
        campaign = self.campaign(
            reader_ids=[Command.create({"building_id": self.building.id, "reader_id": engineer.id})]
        )
        campaign.action_start()
        self.assertEqual(campaign.line_ids.reader_id, engineer)
        data = self.env["site.reading.campaign.line"].with_user(engineer).get_engineer_data()
        self.assertEqual(data["count"], 6)
        self.assertEqual(
            [group["title"] for group in data["groups"]],
            ["Blok A / A-1", "Blok A / A-2", "Blok A / A-3"],
        )
        self.assertEqual(
            sorted(line["serial"] for line in data["groups"][0]["lines"]), ["H-A-1", "W-A-1"]
        )
        # Someone else's list is empty; reassigning to the campaign's reader moves them.
        self.assertEqual(self.env["site.reading.campaign.line"].get_engineer_data()["count"], 0)
        campaign.reader_ids.unlink()
        campaign.action_apply_readers()
        self.assertEqual(campaign.line_ids.reader_id, self.env.user)

    def test_recording_through_the_line_creates_the_reading_and_progress(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [110, 110, 110])
        campaign = self.campaign(read_hca=False)
        campaign.action_start()
        w1, w2, w3 = (self.lines_of(campaign, meter) for meter in self.water)

        reading = w1.record_value(121, MAR)
        self.assertEqual(reading.source, "engineer")
        self.assertEqual(reading.meter_id, self.water[0])
        self.assertEqual((w1.state, w1.reading_id, w1.value), ("done", reading, 121))
        self.assertAlmostEqual(w1.consumption, 11)
        self.assertFalse(w1.flagged)
        self.assertAlmostEqual(campaign.progress, 100 / 3)

        # Lower than last: refused with the meter named, the line still to read.
        with self.assertRaisesRegex(ValidationError, "W-A-2.*lower than the last one"):
            w2.record_value(99, MAR)
        self.assertEqual(w2.state, "todo")

        # Far above the meter's own history: kept, awaiting acceptance with the reasons.
        spike = w2.record_value(250, MAR)
        self.assertEqual(spike.state, "to_accept")
        self.assertTrue(w2.flagged)
        self.assertIn("usual consumption", w2.check_reasons)
        self.assertEqual(campaign.flagged_count, 1)
        spike.action_accept()
        self.assertFalse(w2.flagged)

        w3.action_skip("No access: flat empty")
        self.assertEqual((w3.state, w3.skip_reason), ("skipped", "No access: flat empty"))
        self.assertEqual(campaign.progress, 100)
        self.assertEqual((campaign.done_count, campaign.skipped_count), (2, 1))
        with self.assertRaisesRegex(UserError, "already read"):
            w1.record_value(130, MAR)

    def test_engineer_entry_reports_flagged_and_saved(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [110, 110, 110])
        campaign = self.campaign(
            read_hca=False, date_from=date(2026, 3, 1), date_to=date(2099, 12, 31)
        )
        campaign.action_start()
        w1, w2 = self.lines_of(campaign, self.water[0]), self.lines_of(campaign, self.water[1])
        refused = w1.engineer_record_value(99)
        self.assertEqual(refused["status"], "refused")
        self.assertIn("W-A-1", refused["message"])
        self.assertIn("lower than the last one", refused["message"])
        self.assertEqual(w1.state, "todo")
        saved = w1.engineer_record_value("112.5")
        self.assertEqual(saved["status"], "done", saved)
        self.assertIn("Saved: 112.5", saved["message"])
        flagged = w2.engineer_record_value(900)
        self.assertEqual(flagged["status"], "flagged")
        self.assertTrue(flagged["message"].startswith("Awaiting acceptance:"))
        self.assertEqual(self.env["site.reading.campaign.line"].get_engineer_data()["count"], 1)

    def test_one_campaign_at_a_time_per_meter(self):
        self.campaign(read_hca=False).action_start()
        self.campaign(read_cold_water=False).action_start()  # other meters: fine
        with self.assertRaisesRegex(UserError, "already reads 3 of these meters.*W-A-1"):
            self.campaign(period=date(2026, 3, 15), read_hca=False).action_start()
        self.campaign(period=date(2026, 4, 1), read_hca=False).action_start()  # April: fine

    def test_window_and_state_guard_the_entry(self):
        campaign = self.campaign(read_hca=False)
        campaign.action_start()
        line = campaign.line_ids[0]
        with self.assertRaisesRegex(UserError, "outside that window"):
            line.record_value(5, date(2026, 4, 2))
        campaign.action_cancel()
        with self.assertRaisesRegex(UserError, "not in progress"):
            line.record_value(5, MAR)

    def test_close_lists_missing_and_links_other_channels(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [110, 110, 110])
        campaign = self.campaign()
        campaign.action_start()
        self.lines_of(campaign, self.water[0]).record_value(120, MAR)
        # A reading taken by another channel inside the window counts as read.
        self.read(self.water[1], date(2026, 3, 5), 118, source="portal")
        self.lines_of(campaign, self.allocators[0]).action_skip("Flat locked")
        campaign.action_close()
        self.assertEqual(campaign.state, "done")
        self.assertEqual(self.lines_of(campaign, self.water[1]).state, "done")
        missing = campaign.line_ids.filtered(lambda line: line.state == "missing")
        self.assertEqual(missing.meter_id, self.water[2] | self.allocators)
        self.assertEqual(campaign.missing_count, 4)
        self.assertIn("No reading between 03/01/2026 and 03/31/2026", missing[0].missing_reason)
        skipped = self.lines_of(campaign, self.allocators[0])
        self.assertEqual((skipped.state, skipped.skip_reason), ("missing", "Flat locked"))
        body = campaign.message_ids[0].body
        self.assertIn("4 meter(s) not read", body)
        for serial in ("W-A-3", "H-A-1", "H-A-2", "H-A-3"):
            self.assertIn(serial, body)
        self.assertNotIn("W-A-1 (", body)
        with self.assertRaisesRegex(UserError, "Only a campaign in progress"):
            campaign.action_close()

    def test_close_and_estimate_missing(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [131, 120, 125])  # W-A-1: 31 m³ in 31 days
        campaign = self.campaign()
        campaign.action_start()
        self.lines_of(campaign, self.water[1]).record_value(140, MAR)
        self.lines_of(campaign, self.water[2]).record_value(150, MAR)
        campaign.action_close_estimate()
        w1 = self.lines_of(campaign, self.water[0])
        self.assertEqual(w1.state, "missing")
        self.assertTrue(w1.estimated)
        estimate = w1.reading_id
        self.assertEqual((estimate.date, estimate.source), (date(2026, 3, 31), "estimate"))
        # Own history: 1 m³ a day over the month ending on the window's last day.
        self.assertAlmostEqual(estimate.consumption, 31, places=3)
        # Allocators were never read: nothing to estimate from, listed as missing.
        self.assertFalse(self.lines_of(campaign, self.allocators).reading_id)
        self.assertEqual(campaign.estimated_count, 1)
        self.assertIn("1 estimated", campaign.message_ids[0].body)


@tagged("post_install", "-at_install")
class TestReadMetersTour(HttpCase, CampaignCase):
    def test_read_meters_tour(self):
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, self.site.id)], "company_id": self.site.id})
        today = date.today()
        self.read_all(self.water, date(today.year - 1, 1, 1), [100, 100, 100])
        self.read_all(self.water, date(today.year - 1, 2, 1), [110, 110, 110])
        campaign = self.campaign(
            read_hca=False,
            period=today,
            date_from=today.replace(day=1),
            date_to=date(today.year + 1, 1, 1),
            user_id=admin.id,
        )
        campaign.action_start()
        self.start_tour(
            "/odoo/action-site_metering.action_site_read_meters",
            "site_metering_read_meters",
            login="admin",
        )
        w1, w2, w3 = (self.lines_of(campaign, meter) for meter in self.water)
        self.assertEqual((w1.state, w1.value), ("done", 115))
        self.assertEqual(w2.state, "todo")  # 50 was refused, lower than 110
        self.assertEqual(w3.state, "skipped")

    def test_campaign_views_tour(self):
        admin = self.env.ref("base.user_admin")
        admin.write({"company_ids": [(4, self.site.id)], "company_id": self.site.id})
        today = date.today()
        self.read_all(self.water, date(today.year - 1, 1, 1), [100, 100, 100])
        campaign = self.campaign(
            name="Tour Campaign",
            read_hca=False,
            period=today,
            date_from=today.replace(day=1),
            date_to=date(today.year + 1, 1, 1),
        )
        campaign.action_start()
        self.start_tour(
            "/odoo/action-site_metering.action_site_reading_campaign",
            "site_metering_campaign_views",
            login="admin",
        )
        self.assertEqual(self.lines_of(campaign, self.water[1]).value, 120)
        self.start_tour(
            "/odoo/action-site_metering.action_site_reading_import_wizard",
            "site_metering_import_wizard",
            login="admin",
        )


@tagged("post_install", "-at_install")
class TestCampaignAccess(CampaignCase):
    @classmethod
    def user(cls, login, group):
        return cls.env["res.users"].create(
            {
                "name": login.title(),
                "login": login,
                "company_id": cls.site.id,
                "company_ids": [cls.site.id],
                "group_ids": [cls.env.ref(group).id],
            }
        )

    def test_engineer_runs_a_campaign_board_only_reads(self):
        engineer = self.user("engineer-acl", "site_residents.group_site_engineer")
        board = self.user("board-acl", "site_residents.group_site_board")
        self.read_all(self.water, JAN, [100, 100, 100])
        campaign = (
            self.env["site.reading.campaign"]
            .with_user(engineer)
            .create(
                {
                    "company_id": self.site.id,
                    "period": date(2026, 3, 1),
                    "read_hca": False,
                    "date_to": date(2099, 12, 31),
                }
            )
        )
        campaign.action_start()
        self.assertEqual(campaign.line_ids.reader_id, engineer)
        data = campaign.line_ids.get_engineer_data()
        self.assertEqual(data["count"], 3)
        line = campaign.line_ids.browse(data["groups"][0]["lines"][0]["id"])
        self.assertEqual(line.engineer_record_value(104)["status"], "done")
        self.assertEqual(line.reading_id.reader_id, engineer)
        # The phone fallback: the form's value field and Save Reading.
        second = campaign.line_ids.filtered(lambda item: item.state == "todo")[0]
        second.entry_value = 101
        second.action_record_entry()
        self.assertEqual((second.state, second.value, second.entry_value), ("done", 101, 0))

        as_board = campaign.with_user(board)
        self.assertEqual(as_board.done_count, 2)
        with self.assertRaises(AccessError):
            as_board.write({"name": "Nope"})
        with self.assertRaises(AccessError):
            as_board.line_ids[0].write({"reader_id": board.id})
        with self.assertRaises(AccessError):
            campaign.unlink()  # the engineer cannot delete a campaign; the manager can

    def test_other_site_campaigns_invisible(self):
        other = self.env["res.company"].create({"name": "Öteki Site", "is_site": True})
        self.campaign().action_start()
        engineer = self.user("engineer-other", "site_residents.group_site_engineer")
        engineer.write({"company_ids": [other.id], "company_id": other.id})
        Campaign = self.env["site.reading.campaign"].with_user(engineer)
        self.assertFalse(
            Campaign.with_context(allowed_company_ids=[other.id]).search(
                [("company_id", "=", self.site.id)]
            )
        )
