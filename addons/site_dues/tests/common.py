from datetime import date

from odoo.tests import TransactionCase

from odoo.addons.site_residents.tests.common import site_user


class DuesCase(TransactionCase):
    """A Turkish site with its books, a block of three flats and their owners."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.site = cls.env["res.company"].create(
            {
                "name": "Dues Test Sitesi",
                "is_site": True,
                "country_id": cls.env.ref("base.tr").id,
                "currency_id": cls.env.ref("base.TRY").id,
            }
        )
        cls.env.user.company_ids |= cls.site
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.site.id]))
        cls.env["account.chart.template"].try_loading("tr", cls.site, install_demo=False)
        cls.site._site_dues_setup()
        cls.dues = cls.charge_type("DUES")
        cls.building = cls.env["site.building"].create(
            {"name": "Blok A", "code": "A", "company_id": cls.site.id}
        )
        Unit = cls.env["site.unit"]
        cls.units = Unit.create(
            [
                {
                    "code": f"A-{number}",
                    "company_id": cls.site.id,
                    "building_id": cls.building.id,
                    "area_net": area,
                    "land_share_numerator": share,
                    "land_share_denominator": 240,
                }
                for number, area, share in ((1, 80.0, 70), (2, 100.0, 80), (3, 120.0, 90))
            ]
        )
        cls.u1, cls.u2, cls.u3 = cls.units
        Partner = cls.env["res.partner"]
        cls.owners = Partner.create([{"name": name} for name in ("Ali", "Berk", "Cem")])
        cls.tenant = Partner.create({"name": "Deniz"})
        cls.env["site.unit.relation"].create(
            [
                {"unit_id": unit.id, "partner_id": owner.id, "date_from": date(2020, 1, 1)}
                for unit, owner in zip(cls.units, cls.owners)
            ]
        )

    @classmethod
    def charge_type(cls, code):
        return cls.env["site.charge.type"].search(
            [("company_id", "=", cls.site.id), ("code", "=", code)]
        )

    @classmethod
    def plan(cls, **values):
        return cls.env["site.accrual.plan"].create(
            dict(
                {
                    "name": "Dues 2026",
                    "company_id": cls.site.id,
                    "charge_type_id": cls.dues.id,
                    "date_start": date(2026, 1, 1),
                    "date_end": date(2026, 12, 1),
                    "amount_monthly": 1000.0,
                    "allocation_key": "land_share",
                },
                **values,
            )
        )

    def receivables(self, runs):
        return runs.move_ids.line_ids.filtered("site_unit_id")

    def amounts_by_unit(self, runs):
        result = {}
        for line in self.receivables(runs):
            result[line.site_unit_id.code] = round(
                result.get(line.site_unit_id.code, 0.0) + line.balance, 2
            )
        return result


class TwoSitesCase(DuesCase):
    """DuesCase's site and a second site with one flat and its owner, each site with its
    own board member and accountant (real users, one site each)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site_b = cls.env["res.company"].create(
            {
                "name": "Dues Test Sitesi B",
                "is_site": True,
                "country_id": cls.env.ref("base.tr").id,
                "currency_id": cls.env.ref("base.TRY").id,
            }
        )
        cls.env.user.company_ids |= cls.site_b
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.site.id, cls.site_b.id])
        )
        cls.env["account.chart.template"].try_loading("tr", cls.site_b, install_demo=False)
        cls.site_b._site_dues_setup()
        cls.unit_b = cls.env["site.unit"].create(
            {
                "code": "B-1",
                "company_id": cls.site_b.id,
                "area_net": 90.0,
                "land_share_numerator": 1,
                "land_share_denominator": 1,
            }
        )
        cls.owner_b = cls.env["res.partner"].create({"name": "Emre"})
        cls.env["site.unit.relation"].create(
            {"unit_id": cls.unit_b.id, "partner_id": cls.owner_b.id, "date_from": date(2020, 1, 1)}
        )
        cls.board_a = cls.site_user("dues_board_a", "site_residents.group_site_board", cls.site)
        cls.board_b = cls.site_user("dues_board_b", "site_residents.group_site_board", cls.site_b)
        cls.accountant_a = cls.site_user(
            "dues_accountant_a", "site_residents.group_site_accountant", cls.site
        )
        cls.accountant_b = cls.site_user(
            "dues_accountant_b", "site_residents.group_site_accountant", cls.site_b
        )

    @classmethod
    def site_user(cls, login, group, site):
        return site_user(cls.env, login, group, site)

    def as_user(self, user):
        """The environment of ``user`` working in all their sites."""
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        )

    @classmethod
    def charge_type_of(cls, site, code):
        return cls.env["site.charge.type"].search(
            [("company_id", "=", site.id), ("code", "=", code)]
        )
