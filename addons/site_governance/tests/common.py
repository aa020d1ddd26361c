from datetime import date, timedelta

from odoo import fields
from odoo.tests import TransactionCase

from odoo.addons.site_residents.tests.common import site_user


class GovernanceCase(TransactionCase):
    """Two sites without books (fast). Site A: three units of known shares, over 100,
    with their gross areas: A-1 (10/100, 50 m², Ali), A-2 (10/100, 50 m², co-owned by
    Berk and Cem, half each, who have named nobody to vote) and A-3 (80/100, 400 m²,
    Deniz). Site B: B-1 (1/1, Emre). A manager and a board member per site."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Company = cls.env["res.company"]
        cls.site = Company.create(
            {"name": "Governance Site A", "is_site": True, "country_id": cls.env.ref("base.tr").id}
        )
        cls.site_b = Company.create(
            {"name": "Governance Site B", "is_site": True, "country_id": cls.env.ref("base.ua").id}
        )
        cls.env.user.company_ids |= cls.site | cls.site_b
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.site.id, cls.site_b.id])
        )
        Unit = cls.env["site.unit"]
        cls.a1, cls.a2, cls.a3 = Unit.create(
            [
                {
                    "code": code,
                    "company_id": cls.site.id,
                    "area_gross": area,
                    "land_share_numerator": share,
                    "land_share_denominator": 100,
                }
                for code, area, share in (("A-1", 50.0, 10), ("A-2", 50.0, 10), ("A-3", 400.0, 80))
            ]
        )
        cls.b1 = Unit.create(
            {
                "code": "B-1",
                "company_id": cls.site_b.id,
                "area_gross": 90.0,
                "land_share_numerator": 1,
                "land_share_denominator": 1,
            }
        )
        Partner = cls.env["res.partner"]
        cls.ali, cls.berk, cls.cem, cls.deniz, cls.emre = Partner.create(
            [
                {"name": name, "email": f"{name.lower()}@example.com"}
                for name in ("Ali", "Berk", "Cem", "Deniz", "Emre")
            ]
        )
        start = date(2020, 1, 1)
        cls.env["site.unit.relation"].create(
            [
                {"unit_id": unit.id, "partner_id": partner.id, "date_from": start, "share": share}
                for unit, partner, share in (
                    (cls.a1, cls.ali, 100.0),
                    (cls.a2, cls.berk, 50.0),
                    (cls.a2, cls.cem, 50.0),
                    (cls.a3, cls.deniz, 100.0),
                    (cls.b1, cls.emre, 100.0),
                )
            ]
        )
        cls.manager_a = site_user(
            cls.env, "gov_manager_a", "site_residents.group_site_manager", cls.site
        )
        cls.manager_b = site_user(
            cls.env, "gov_manager_b", "site_residents.group_site_manager", cls.site_b
        )
        cls.board_a = site_user(cls.env, "gov_board_a", "site_residents.group_site_board", cls.site)

    @classmethod
    def resolution(cls, site=None, **values):
        """A draft resolution of ``site`` (A), open from an hour ago for a day."""
        now = fields.Datetime.now()
        return cls.env["site.resolution"].create(
            {
                "name": "Paint the façade",
                "company_id": (site or cls.site).id,
                "date_open": now - timedelta(hours=1),
                "date_close": now + timedelta(days=1),
                **values,
            }
        )

    @classmethod
    def opened(cls, site=None, **values):
        resolution = cls.resolution(site, **values)
        resolution.action_open()
        return resolution

    @staticmethod
    def vote_of(resolution, unit):
        return resolution.vote_ids.filtered(lambda vote: vote.unit_id == unit)

    def cast(self, resolution, choices, source="paper"):
        """Cast {unit: choice} on ``resolution`` by the units' voters."""
        for unit, choice in choices.items():
            self.vote_of(resolution, unit)._cast(choice, source=source)

    def as_user(self, user):
        return self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=user.company_ids.ids)
        )
