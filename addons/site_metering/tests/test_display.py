import io

import openpyxl

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval, time

from odoo.addons.site_dues.tests.xlsx import xlsx_export
from odoo.addons.site_residents.tests.common import site_user

from .common import APR, FEB, JAN, MeteringCase


@tagged("post_install", "-at_install")
class TestMeteringDisplay(MeteringCase):
    """A Turkish board member's metering downloads: months as month and year."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("tr_TR")
        cls.board = site_user(
            cls.env,
            "display_board_metering_tr",
            "site_residents.group_site_board",
            cls.site,
            lang="tr_TR",
        )

    def setUp(self):
        super().setUp()
        self.tr_env = self.env(
            user=self.board,
            context=dict(self.env.context, lang="tr_TR", allowed_company_ids=self.site.ids),
        )

    def test_consumption_export_names_its_months_in_turkish(self):
        self.read_all(self.water, JAN, [100, 200, 300])
        self.read_all(self.water, FEB, [110, 212, 315])
        wizard = self.tr_env["site.metering.export.wizard"].create(
            {
                "export_type": "consumption",
                "company_id": self.site.id,
                "date_from": JAN,
                "date_to": APR,
            }
        )
        name, content = xlsx_export(self.tr_env, wizard.action_export())
        self.assertEqual(name, "Tüketim Dues Test Sitesi Ocak 2026 - Nisan 2026.xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        self.assertEqual(sheet["A2"].value, "Dues Test Sitesi: Ocak 2026 - Nisan 2026")
        month = sheet["D5"]
        self.assertEqual(month.value.date(), FEB.replace(day=1))
        self.assertEqual(month.number_format, "mmmm yyyy", "a month, not 2026-02")

    def test_expense_notices_are_named_with_their_month(self):
        allocation = self.env["site.cost.allocation"].create(
            {
                "company_id": self.site.id,
                "building_id": self.building.id,
                "date_from": JAN,
                "date_to": FEB,
            }
        )
        part = self.env["site.cost.allocation.part"].create(
            {"allocation_id": allocation.id, "method": "key"}
        )
        line = self.env["site.cost.allocation.line"].create(
            {"allocation_id": allocation.id, "part_id": part.id, "unit_id": self.u1.id}
        )
        notices, notice = self.tr_env._("Expense Notices"), self.tr_env._("Expense Notice")
        for record, report, expected in (
            (allocation, "action_report_expense_notice", f"{notices} Blok A Şubat 2026"),
            (line, "action_report_expense_notice_line", f"{notice} A-1 Şubat 2026"),
        ):
            print_report_name = self.env.ref(f"site_metering.{report}").print_report_name
            name = safe_eval(
                print_report_name, {"object": record.with_env(self.tr_env), "time": time}
            )
            self.assertEqual(name, expected)
