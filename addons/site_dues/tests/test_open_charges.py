from datetime import date, timedelta
from decimal import Decimal

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models.site_ledger import Charge
from .common import TwoSitesCase

TODAY = date(2026, 6, 15)


@tagged("post_install", "-at_install")
class TestOpenCharges(TwoSitesCase):
    """ "Open Charges": the units' open amounts with their unit, building, charge type,
    period, due date and age, filtered and grouped as the site's staff need."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.building_b = cls.env["site.building"].create(
            {"name": "Blok B", "code": "B", "company_id": cls.site.id}
        )
        cls.u3.building_id = cls.building_b
        cls.heat = cls.charge_type("HEAT")
        Ledger = cls.env["site.ledger"]
        # due 100, 45, 10 days ago and in 5 days; the late one partly paid
        cls.lines = {}
        for key, unit, charge_type, amount, days in (
            ("old", cls.u1, cls.dues, 100.0, -100),
            ("mid", cls.u1, cls.heat, 40.0, -45),
            ("recent", cls.u2, cls.dues, 60.0, -10),
            ("future", cls.u3, cls.dues, 80.0, 5),
        ):
            due = TODAY + timedelta(days=days)
            moves = Ledger._post_charges(
                cls.site,
                due.replace(day=1),
                [
                    Charge(
                        unit.id,
                        cls.owners[list(cls.units).index(unit)].id,
                        charge_type.id,
                        Decimal(str(amount)),
                        due,
                        charge_type.name,
                        due.replace(day=1),
                    )
                ],
                f"TEST {key}",
            )
            cls.lines[key] = moves.line_ids.filtered("site_unit_id")
        payment = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "company_id": cls.site.id,
                "date": TODAY - timedelta(days=20),
                "journal_id": cls.dues.journal_id.id,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "account_id": cls.lines["old"].account_id.id,
                            "partner_id": cls.owners[0].id,
                            "balance": -30.0,
                            "site_unit_id": cls.u1.id,
                        },
                    ),
                    (0, 0, {"account_id": cls.dues.income_account_id.id, "balance": 30.0}),
                ],
            }
        )
        payment.action_post()
        (payment.line_ids.filtered("site_unit_id") | cls.lines["old"]).reconcile()

    def board_env(self):
        return self.as_user(self.board_a)

    def test_action_has_its_own_list_and_search(self):
        action = self.env.ref("site_dues.action_site_charges")
        self.assertEqual(action.name, "Open Charges")
        list_view = action.view_ids.filtered(lambda v: v.view_mode == "list").view_id
        self.assertEqual(
            list_view, self.env.ref("site_dues.account_move_line_view_list_site_charges")
        )
        self.assertEqual(
            action.search_view_id,
            self.env.ref("site_dues.account_move_line_view_search_site_charges"),
        )
        Line = self.board_env()["account.move.line"]
        arch = etree.fromstring(Line.get_view(list_view.id, "list")["arch"])
        columns = [field.get("name") for field in arch.iter("field")]
        for name in (
            "site_unit_id",
            "site_building_id",
            "site_charge_type_id",
            "site_period",
            "date_maturity",
            "site_age",
            "amount_residual",
        ):
            self.assertIn(name, columns)
        self.assertNotIn("debit", columns)
        search = etree.fromstring(Line.get_view(action.search_view_id.id, "search")["arch"])
        group_bys = {f.get("context") for f in search.iter("filter") if f.get("context")}
        for field in ("site_building_id", "site_charge_type_id", "site_age"):
            self.assertIn(f"{{'group_by': '{field}'}}", group_bys)

    def test_phones_get_a_card_per_charge(self):
        action = self.env.ref("site_dues.action_site_charges")
        kanban = action.view_ids.filtered(lambda v: v.view_mode == "kanban").view_id
        self.assertEqual(
            kanban, self.env.ref("site_dues.account_move_line_view_kanban_site_charges")
        )
        Line = self.board_env()["account.move.line"]
        arch = etree.fromstring(Line.get_view(kanban.id, "kanban")["arch"])
        shown = {field.get("name") for field in arch.iter("field")}
        self.assertLessEqual(
            {"site_unit_id", "site_charge_type_id", "partner_id", "site_period", "site_age"},
            shown,
        )
        self.assertIn("amount_residual", shown)

    @freeze_time(TODAY)
    def test_open_amounts_by_age_building_and_charge_type(self):
        Line = self.board_env()["account.move.line"]
        action = self.env.ref("site_dues.action_site_charges")
        domain = [*safe_eval(action.domain), ("amount_residual", "!=", 0)]
        lines = Line.search(domain)
        self.assertEqual(lines, Line.browse([line.id for line in self.lines.values()]))
        self.assertEqual(
            {
                line.site_unit_id.code: line.site_age
                for line in lines
                if line.site_charge_type_id == self.dues
            },
            {"A-1": "90+", "A-2": "0-30", "A-3": "not_due"},
        )
        self.assertEqual(self.lines["mid"].with_env(Line.env).site_age, "31-60")
        self.assertEqual(self.lines["old"].with_env(Line.env).amount_residual, 70.0)
        self.assertEqual(self.lines["old"].site_building_id, self.building)

        # filters
        self.assertEqual(Line.search(domain + [("site_age", "=", "90+")]), self.lines["old"])
        self.assertEqual(
            Line.search(domain + [("site_age", "in", ("0-30", "31-60", "61-90", "90+"))]),
            self.lines["old"] | self.lines["mid"] | self.lines["recent"],
        )
        self.assertEqual(Line.search(domain + [("site_age", "=", "not_due")]), self.lines["future"])
        self.assertEqual(
            Line.search(domain + [("site_building_id", "=", self.building_b.id)]),
            self.lines["future"],
        )

        # group-bys, with the open amount (70.00 left of the oldest charge)
        def grouped(groupby):
            groups = Line.formatted_read_group(domain, [groupby], ["amount_residual:sum"])
            return {
                (group[groupby][1] if isinstance(group[groupby], tuple) else group[groupby]): group[
                    "amount_residual:sum"
                ]
                for group in groups
            }

        self.assertEqual(
            grouped("site_age"), {"not_due": 80.0, "0-30": 60.0, "31-60": 40.0, "90+": 70.0}
        )
        self.assertEqual(
            grouped("site_building_id"),
            {self.building.display_name: 170.0, self.building_b.display_name: 80.0},
        )
        self.assertEqual(
            grouped("site_charge_type_id"), {self.dues.name: 210.0, self.heat.name: 40.0}
        )
