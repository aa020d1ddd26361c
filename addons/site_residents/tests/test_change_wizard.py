from datetime import date

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged

from .common import SiteCase


@tagged("post_install", "-at_install")
class TestChangeWizard(SiteCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["site.unit.relation"].create(
            [
                {
                    "unit_id": cls.unit.id,
                    "partner_id": cls.ali.id,
                    "share": 50,
                    "date_from": date(2020, 1, 1),
                    "lives_here": True,
                },
                {
                    "unit_id": cls.unit.id,
                    "partner_id": cls.ayse.id,
                    "share": 50,
                    "date_from": date(2020, 1, 1),
                    "lives_here": True,
                },
            ]
        )
        cls.child = cls.env["res.partner"].create({"name": "Can Yılmaz"})
        cls.env["site.unit.relation"].create(
            {
                "unit_id": cls.unit.id,
                "partner_id": cls.child.id,
                "role": "family",
                "related_partner_id": cls.ali.id,
                "date_from": date(2020, 1, 1),
            }
        )

    def wizard(self, change_type, day, lines=(), **values):
        return self.env["site.unit.change.wizard"].create(
            dict(
                values,
                unit_id=self.unit.id,
                change_type=change_type,
                date=date.fromisoformat(day),
                line_ids=[Command.create(line) for line in lines],
            )
        )

    def test_sale_closes_old_owners_and_opens_new_ones(self):
        wizard = self.wizard(
            "sale",
            "2026-07-01",
            [{"partner_id": self.mehmet.id, "share": 100, "lives_here": False}],
            persons=0,
        )
        self.assertEqual(wizard.current_relation_ids.partner_id, self.ali | self.ayse | self.child)
        wizard.action_apply()
        relations = self.unit.relation_ids
        old = relations.filtered(lambda r: r.partner_id in self.ali | self.ayse | self.child)
        self.assertEqual(
            set(old.mapped("date_to")),
            {date(2026, 6, 30)},
            "old owners and their household end the day before",
        )
        new = relations.filtered(lambda r: r.partner_id == self.mehmet)
        self.assertEqual((new.role, new.share, new.date_from), ("owner", 100.0, date(2026, 7, 1)))
        for day in (date(2026, 6, 30), date(2026, 7, 1)):
            owners = relations.filtered(
                lambda r, d=day: (
                    r.role == "owner" and r.date_from <= d and (not r.date_to or r.date_to >= d)
                )
            )
            self.assertEqual(sum(owners.mapped("share")), 100.0, f"shares on {day}")
        self.assertEqual(self.unit.get_liable_partner(date(2026, 7, 1), "investment"), self.mehmet)
        self.assertIn("Sale (new owners) on 2026-07-01", self.unit.message_ids[0].body)

    def test_sale_with_wrong_shares_writes_nothing(self):
        wizard = self.wizard(
            "sale",
            "2026-07-01",
            [
                {"partner_id": self.mehmet.id, "share": 60},
                {"partner_id": self.zeynep.id, "share": 30},
            ],
        )
        with self.assertRaisesRegex(UserError, "add up to 90.0 %, not 100 %"):
            wizard.action_apply()
        self.assertFalse(self.unit.relation_ids.filtered("date_to"))

    def test_move_in_and_move_out(self):
        self.wizard(
            "move_in", "2026-02-01", [{"partner_id": self.mehmet.id}], persons=2
        ).action_apply()
        self.assertEqual(self.unit.get_liable_partner(date(2026, 2, 1)), self.mehmet)
        self.assertEqual(self.unit._persons_on(date(2026, 2, 1)), {self.unit.id: 2})
        self.wizard("move_out", "2026-09-01").action_apply()
        tenant = self.unit.relation_ids.filtered(lambda r: r.role == "tenant")
        self.assertEqual(tenant.date_to, date(2026, 8, 31))
        self.assertEqual(self.unit.get_liable_partner(date(2026, 9, 1)), self.ali)

    def test_move_out_without_tenant_is_refused(self):
        with self.assertRaisesRegex(UserError, "A-1 has no tenant on 2026-09-01"):
            self.wizard("move_out", "2026-09-01").action_apply()

    def test_change_before_the_current_start_is_refused(self):
        with self.assertRaisesRegex(UserError, "only starts on 2020-01-01"):
            self.wizard("sale", "2020-01-01", [{"partner_id": self.mehmet.id}]).action_apply()

    def test_wizard_form_from_the_unit(self):
        action = self.unit.action_change_people()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        form.change_type = "move_in"
        form.date = date(2026, 3, 1)
        with form.line_ids.new() as line:
            line.partner_id = self.zeynep
        form.save().action_apply()
        self.assertEqual(self.unit.get_liable_partner(date(2026, 3, 1)), self.zeynep)
