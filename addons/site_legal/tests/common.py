from datetime import date
from decimal import Decimal

from odoo.addons.site_dues.models.site_ledger import Charge
from odoo.addons.site_dues.tests.common import TwoSitesCase
from odoo.addons.site_residents.tests.common import site_user


class LegalCase(TwoSitesCase):
    """TwoSitesCase's two Turkish sites with their legal follow-up set up, two lawyers
    with portal logins, and helpers to charge, pay and hand debts over."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.site | cls.site_b)._site_legal_setup()
        cls.legal_account = cls.site.site_legal_receivable_account_id
        cls.heat = cls.charge_type("HEAT")
        cls.bank = cls.env["account.journal"].search(
            [("company_id", "=", cls.site.id), ("type", "=", "bank")], limit=1
        )
        Partner = cls.env["res.partner"]
        cls.lawyer_a = Partner.create({"name": "Av. Ayla Akın"})
        cls.lawyer_b = Partner.create({"name": "Av. Burak Bal"})
        cls.lawyer_user_a = site_user(
            cls.env, "legal_lawyer_a", "base.group_portal", cls.site, partner_id=cls.lawyer_a.id
        )
        cls.lawyer_user_b = site_user(
            cls.env, "legal_lawyer_b", "base.group_portal", cls.site, partner_id=cls.lawyer_b.id
        )
        cls.ali, cls.berk, cls.cem = cls.owners

    @classmethod
    def charge(cls, unit, amount, due, charge_type=None, partner=None):
        """One charge of ``unit`` (its owner by default) due on ``due``; its line."""
        charge_type = charge_type or cls.charge_type_of(unit.company_id, "DUES")
        partner = partner or cls.owner_of(unit)
        moves = cls.env["site.ledger"]._post_charges(
            unit.company_id,
            due.replace(day=1),
            [
                Charge(
                    unit.id,
                    partner.id,
                    charge_type.id,
                    Decimal(str(amount)),
                    due,
                    f"{charge_type.name} {due:%Y-%m}",
                    due.replace(day=1),
                )
            ],
            f"TEST {due}",
        )
        return moves.line_ids.filtered("site_unit_id")

    @classmethod
    def owner_of(cls, unit):
        return unit.relation_ids.filtered(lambda r: r.role == "owner").partner_id[:1]

    def pay(self, unit, amount, day, partner=None):
        """A customer payment of the unit, matched by site_dues' rule; its receivable line."""
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": (partner or self.owner_of(unit)).id,
                "amount": amount,
                "date": day,
                "journal_id": self.env["account.journal"]
                .search([("company_id", "=", unit.company_id.id), ("type", "=", "bank")], limit=1)
                .id,
                "site_unit_id": unit.id,
            }
        )
        payment.action_post()
        return payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    @classmethod
    def open_case(cls, lines, day=date(2026, 3, 1), lawyer=None, **values):
        """A case of the lines' unit, handed to ``lawyer`` (A) on ``day``."""
        lawyer_user = lawyer or cls.lawyer_user_a
        case = cls.env["site.legal.case"].create(
            {
                "company_id": lines.company_id.id,
                "unit_id": lines.site_unit_id.id,
                "lawyer_user_id": lawyer_user.id,
                "lawyer_partner_id": lawyer_user.partner_id.id,
                "date_open": day,
                **values,
            }
        )
        case._hand_over(lines, day)
        return case

    def entry(self, case, kind, amount, day=date(2026, 3, 10), **values):
        """A posted operation on the case's lawyer's account."""
        entry = self.env["site.legal.lawyer.entry"].create(
            {"case_id": case.id, "kind": kind, "amount": amount, "date": day, **values}
        )
        entry.action_post()
        return entry

    def debts(self, case):
        return case.debt_line_ids.filtered(lambda line: line.parent_state == "posted")
