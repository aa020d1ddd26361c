from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user


def site_user(env, login, group, *sites, **values):
    """A user of ``group`` (XML id) working in ``sites``, the first one by default."""
    return new_test_user(
        env,
        login=login,
        groups=group,
        company_id=sites[0].id,
        company_ids=[Command.set([site.id for site in sites])],
        **values,
    )


class SiteCase(TransactionCase):
    """Two sites without books (fast), a building and units in the first one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.site = cls.env["res.company"].create(
            {"name": "Test Site A", "is_site": True, "country_id": cls.env.ref("base.tr").id}
        )
        cls.other_site = cls.env["res.company"].create(
            {
                "name": "Test Site B",
                "is_site": True,
                "country_id": cls.env.ref("base.pl").id,
                "site_payer_running": "owner",
            }
        )
        cls.env.user.company_ids |= cls.site | cls.other_site
        cls.building = cls.env["site.building"].create(
            {"name": "Block A", "code": "A", "company_id": cls.site.id}
        )
        cls.unit = cls.env["site.unit"].create(
            {
                "code": "A-1",
                "company_id": cls.site.id,
                "building_id": cls.building.id,
                "area_net": 100.0,
                "land_share_numerator": 10,
                "land_share_denominator": 240,
            }
        )
        Partner = cls.env["res.partner"]
        cls.ali = Partner.create({"name": "Ali Yılmaz"})
        cls.ayse = Partner.create({"name": "Ayşe Demir"})
        cls.mehmet = Partner.create({"name": "Mehmet Kaya"})
        cls.zeynep = Partner.create({"name": "Zeynep Şahin"})

    @classmethod
    def relate(cls, partner, role="owner", share=None, start="2024-01-01", end=None, unit=None):
        values = {
            "unit_id": (unit or cls.unit).id,
            "partner_id": partner.id,
            "role": role,
            "date_from": date.fromisoformat(start),
            "date_to": date.fromisoformat(end) if end else False,
        }
        if share is not None:
            values["share"] = share
        return cls.env["site.unit.relation"].create(values)
