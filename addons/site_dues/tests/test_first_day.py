import unittest
from datetime import date

from lxml import html

from odoo.tests import HttpCase, tagged

DECEMBER = date(2026, 12, 1)
# The Turkish demo site's IBAN, also the one site_residents' New Site tour enters.
IBAN_TR = "TR33 0006 1005 1978 6457 8413 26"
# Tours on a busy two-core machine: the imports and the month's charges take a while.
TOUR_TIMEOUT = 600


@tagged("post_install", "-at_install")
class TestFirstDay(HttpCase):
    """A site's first day as the README tells it, in Chromium, with the demo users:
    the Site Administrator sets up a Turkish site and imports the README's example
    files, the Site Manager charges a month and prints a notice, a board member with
    one site selected opens the debtor list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_tr = cls.env.ref("site_residents.site_company_tr", raise_if_not_found=False)
        if not cls.site_tr:
            raise unittest.SkipTest("needs the demo data")
        cls.site_pl = cls.env.ref("site_residents.site_company_pl")
        # The tours read Odoo's English labels and type an English date.
        for login in ("site_admin", "site_manager", "site_board"):
            cls.env.ref(f"site_residents.user_{login}").lang = "en_US"

    def test_site_admin_sets_up_a_site_from_the_readme(self):
        self.start_tour(
            "/odoo/action-site_residents.action_site_company",
            "site_first_day_new_site_tour",
            login="site_admin",
            timeout=TOUR_TIMEOUT,
        )
        site = self.env["res.company"].search([("name", "=", "Tur Sitesi")])
        self.assertEqual(site.country_id, self.env.ref("base.tr"))
        self.assertEqual(site._site_notice_bank().sanitized_acc_number, IBAN_TR.replace(" ", ""))

        self.start_tour(
            "/odoo/action-site_residents.action_site_building",
            "site_first_day_import_tour",
            login="site_admin",
            timeout=TOUR_TIMEOUT,
        )
        units = self.env["site.unit"].search([("company_id", "=", site.id)])
        self.assertEqual(units.mapped("code"), ["A-1", "A-2", "A-3", "A-4", "B-1", "B-2"])
        by_code = {unit.code: unit for unit in units}
        self.assertEqual(by_code["A-1"].building_id.company_id, site)
        self.assertEqual(by_code["A-3"].type_id, self.env.ref("site_residents.unit_type_flat_3_1"))
        self.assertEqual(by_code["B-2"].area_net, 12.5)
        self.assertEqual(by_code["A-1"].owner_names, "Nazlı Karataş, Tarık Karataş")
        self.assertEqual(by_code["A-2"].owner_names, "Cemile Özkan")
        self.assertEqual(by_code["B-1"].owner_names, "Dilek Varol")
        relations = self.env["site.unit.relation"].search([("unit_id", "in", units.ids)])
        self.assertEqual(len(relations), 9)
        self.assertEqual(relations.partner_id.company_id, site)
        # Nobody declared persons: they follow who lives there.
        self.assertEqual(
            {unit.code: unit.persons for unit in units},
            {"A-1": 2, "A-2": 2, "A-3": 1, "A-4": 0, "B-1": 0, "B-2": 0},
        )

    def test_site_manager_charges_a_month_and_prints_a_notice(self):
        manager = self.env.ref("site_residents.user_site_manager")
        Run = self.env["site.accrual.run"]
        december = [("company_id", "=", self.site_tr.id), ("period", "=", DECEMBER)]
        self.assertFalse(Run.search(december))
        self.start_tour(
            "/odoo/action-site_dues.action_site_charge_notice",
            "site_first_day_charge_tour",
            login="site_manager",
            cookies={"cids": str(self.site_tr.id)},
            timeout=TOUR_TIMEOUT,
        )
        runs = Run.search(december)
        plans = self.env.ref("site_dues.plan_tr_dues_2026") | self.env.ref(
            "site_dues.plan_tr_elevator_2026"
        )
        self.assertEqual(runs.plan_id, plans)
        self.assertEqual(set(runs.mapped("state")), {"posted"})
        self.assertEqual(runs.create_uid, manager)

        unit = self.env.ref("site_residents.unit_tr_a3")
        notice = self.env["site.charge.notice"].search(
            [("unit_id", "=", unit.id), ("period", "=", DECEMBER)]
        )
        self.assertEqual(len(notice), 1)
        self.authenticate("site_manager", "site_manager")
        # The report route is read-only: a print that writes (the payment link's access
        # token) fails, is logged as an error and is rendered a second time.
        with self.assertNoLogs("odoo.sql_db", "ERROR"):
            response = self.url_open(
                f"/report/html/site_dues.report_site_charge_notice/{notice.id}", timeout=120
            )
        self.assertEqual(response.status_code, 200)
        page = html.fromstring(response.content)
        (payment,) = page.xpath("//div[@name='notice_payment']")
        self.assertIn(IBAN_TR, payment.text_content())
        (qr,) = payment.xpath(".//img[hasclass('o_site_notice_qr')]")
        self.assertTrue(qr.get("src").startswith("data:image/png;base64,"))

    def test_board_member_opens_the_debtors_with_one_site_selected(self):
        board = self.env.ref("site_residents.user_site_board")
        self.assertGreater(len(board.company_ids), 1)
        self.start_tour(
            "/odoo/action-site_dues.action_site_charge_notice",
            "site_first_day_debtors_tour",
            login="site_board",
            cookies={"cids": str(self.site_pl.id)},
            timeout=TOUR_TIMEOUT,
        )
        wizard = self.env["site.debtor.report.wizard"].search([("create_uid", "=", board.id)])
        self.assertEqual(wizard.company_ids, self.site_pl)
        self.assertEqual(wizard.line_ids.company_id, self.site_pl)
