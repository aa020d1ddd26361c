from datetime import date

import psycopg2

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from odoo.addons.site_dues.tests.common import DuesCase

from ..engine import service
from .common import HelpdeskSetup


@tagged("post_install", "-at_install")
class TestPaidService(DuesCase, HelpdeskSetup):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.teams, cls.technician, cls.manager = cls.setup_helpdesk(cls.site)
        cls.ali = cls.owners[0]
        cls.service_type = cls.charge_type("SERVICE")

    def quoted(self, amount=1250.5, unit=None, partner=None):
        ticket = self.ticket(
            unit or self.u1,
            "paid_service",
            partner=partner or self.ali,
            site_service_amount=amount,
            site_service_description="A new combi boiler, installed\nwith its flue",
        )
        ticket.action_site_quote()
        return ticket

    def service_lines(self, unit):
        return unit.charge_line_ids.filtered(
            lambda line: line.site_charge_type_id == self.service_type
        )

    def test_every_site_gets_a_paid_services_charge_type(self):
        self.assertEqual(self.service_type.name, "Paid Services")
        self.assertEqual(self.site.site_helpdesk_service_charge_type_id, self.service_type)
        self.site._site_dues_setup()  # again: nothing new
        self.assertEqual(len(self.charge_type("SERVICE")), 1)

    def test_a_quote_names_what_it_lacks(self):
        ticket = self.ticket(self.u1, "paid_service", partner=self.ali, site_service_amount=100)
        with self.assertRaisesRegex(UserError, "fill in Quoted Service"):
            ticket.action_site_quote()
        ticket.site_service_description = "Door lock"
        ticket.site_service_amount = 0
        with self.assertRaisesRegex(UserError, "Quoted Amount must be positive"):
            ticket.action_site_quote()
        ticket.write({"site_service_amount": 80, "site_unit_id": False, "partner_id": False})
        with self.assertRaisesRegex(UserError, "fill in Unit, Contact"):
            ticket.action_site_quote()
        self.assertEqual(ticket.site_service_state, "none")

    def test_the_quote_reaches_the_resident(self):
        ticket = self.quoted()
        self.assertEqual(ticket.site_service_state, "quoted")
        self.assertEqual(ticket.site_service_charge_type_id, self.service_type)
        message = ticket.message_ids.filtered(lambda m: "Quote: " in (m.body or ""))
        self.assertEqual(message.partner_ids, self.ali)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))

    def test_accepting_charges_the_unit_once(self):
        ticket = self.quoted()
        self.assertTrue(ticket._site_accept_service(self.ali, self.ali, 1250.5))
        line = self.service_lines(self.u1)
        self.assertEqual(line.mapped("balance"), [1250.5])
        self.assertEqual(line.partner_id, self.ali)
        self.assertEqual(line.move_id.state, "posted")
        self.assertEqual(line.move_id, ticket.site_service_move_id)
        today = fields.Date.context_today(ticket)
        self.assertEqual(line.date_maturity, service.due_date(today, self.site.site_charge_due_day))
        self.assertIn(ticket.number, line.name)
        self.assertEqual(ticket.site_service_state, "accepted")
        self.assertEqual(ticket.site_service_accepted_by_id, self.ali)
        self.assertEqual(ticket.site_service_partner_id, self.ali)
        # Accepting again, as a double click does, charges nothing more.
        self.assertFalse(ticket._site_accept_service(self.ali, self.ali, 1250.5))
        self.assertEqual(self.service_lines(self.u1).mapped("balance"), [1250.5])
        with self.assertRaisesRegex(UserError, "no quote to decline"):
            ticket._site_decline_service(self.ali)

    def test_a_quote_changed_since_the_page_opened_is_not_accepted(self):
        ticket = self.quoted(amount=100)
        ticket.site_service_amount = 120
        with self.assertRaisesRegex(UserError, "quote has changed"):
            ticket._site_accept_service(self.ali, self.ali, 100)
        self.assertEqual(ticket.site_service_state, "quoted")
        self.assertFalse(self.service_lines(self.u1))

    def test_accepted_terms_stay_and_only_the_resident_accepts(self):
        ticket = self.quoted()
        with self.assertRaisesRegex(UserError, "Only the resident accepts"):
            ticket.site_service_state = "accepted"
        ticket._site_accept_service(self.ali, self.ali, 1250.5)
        with self.assertRaisesRegex(UserError, "no longer change"):
            ticket.site_service_amount = 10
        with self.assertRaisesRegex(UserError, "already accepted"):
            ticket.action_site_quote()
        with self.assertRaisesRegex(UserError, "no open quote"):
            ticket.action_site_withdraw_quote()

    def test_declined_withdrawn_and_quoted_again(self):
        ticket = self.quoted()
        ticket._site_decline_service(self.ali)
        self.assertEqual(ticket.site_service_state, "declined")
        with self.assertRaisesRegex(UserError, "no quote to accept"):
            ticket._site_accept_service(self.ali, self.ali, 1250.5)
        ticket.site_service_amount = 990
        ticket.action_site_quote()
        self.assertEqual(ticket.site_service_state, "quoted")
        ticket.action_site_withdraw_quote()
        self.assertEqual(ticket.site_service_state, "none")
        self.assertFalse(self.service_lines(self.u1))


@tagged("post_install", "-at_install")
class TestAcceptedFromTwoTransactions(TransactionCase):
    """A double click: two real transactions accept the same quote, the second one's
    snapshot taken before the first commits. Their data is committed on the main
    company and removed afterwards."""

    def setUp(self):
        super().setUp()
        self.company_id = self.env.ref("base.main_company").id
        with self.registry.cursor() as cr:
            env = self.real_env(cr)
            journal = env["account.journal"].create(
                {"name": "Helpdesk Test", "code": "HDTS", "type": "general"}
            )
            charge_type = env["site.charge.type"].create(
                {
                    "code": "HDTEST",
                    "name": "Helpdesk Test Services",
                    "company_id": self.company_id,
                    "journal_id": journal.id,
                }
            )
            unit = env["site.unit"].create({"code": "HD-1", "company_id": self.company_id})
            owner = env["res.partner"].create({"name": "Helpdesk Owner"})
            env["site.unit.relation"].create(
                {"unit_id": unit.id, "partner_id": owner.id, "date_from": date(2020, 1, 1)}
            )
            ticket = env["helpdesk.ticket"].create(
                {
                    "name": "Boiler",
                    "description": "New boiler",
                    "company_id": self.company_id,
                    "site_unit_id": unit.id,
                    "partner_id": owner.id,
                    "user_id": False,
                    "site_service_amount": 300.0,
                    "site_service_description": "Concurrency boiler",
                    "site_service_charge_type_id": charge_type.id,
                }
            )
            ticket.action_site_quote()
            self.ids = {
                "journal": journal.id,
                "charge_type": charge_type.id,
                "unit": unit.id,
                "owner": owner.id,
                "ticket": ticket.id,
            }
        self.addCleanup(self.remove_committed_data)

    def real_env(self, cr):
        return api.Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "allowed_company_ids": [self.company_id]}
        )

    def accept(self, cr):
        env = self.real_env(cr)
        owner = env["res.partner"].browse(self.ids["owner"])
        return (
            env["helpdesk.ticket"]
            .browse(self.ids["ticket"])
            ._site_accept_service(owner, owner, 300.0)
        )

    def remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = self.real_env(cr)
            moves = env["account.move"].search([("journal_id", "=", self.ids["journal"])])
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env["site.charge.notice"].search([("unit_id", "=", self.ids["unit"])]).unlink()
            env["helpdesk.ticket"].browse(self.ids["ticket"]).unlink()
            env["site.unit.relation"].search([("unit_id", "=", self.ids["unit"])]).unlink()
            env["site.unit"].browse(self.ids["unit"]).unlink()
            env["res.partner"].browse(self.ids["owner"]).unlink()
            env["site.charge.type"].browse(self.ids["charge_type"]).unlink()
            env["account.journal"].browse(self.ids["journal"]).unlink()

    @mute_logger("odoo.sql_db")
    def test_a_double_click_charges_once(self):
        with self.registry.cursor() as second, self.registry.cursor() as first:
            second.execute("SELECT 1")  # the second click's snapshot: before the first commits
            self.assertTrue(self.accept(first))
            first.commit()
            try:
                accepted_again = self.accept(second)
                second.commit()
            except psycopg2.errors.SerializationFailure:
                # refused: run again, as Odoo retries a request that failed to serialize
                second.rollback()
                accepted_again = self.accept(second)
                second.commit()
        self.assertFalse(accepted_again)
        with self.registry.cursor() as cr:
            lines = self.real_env(cr)["account.move.line"].search(
                [("site_unit_id", "=", self.ids["unit"]), ("parent_state", "=", "posted")]
            )
            self.assertEqual(lines.mapped("balance"), [300.0])
