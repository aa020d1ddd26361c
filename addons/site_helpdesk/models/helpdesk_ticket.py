from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, format_amount

from odoo.addons.site_residents.engine import money
from odoo.addons.site_residents.engine.dates import month_start

from ..engine import routing, service

SERVICE_STATES = [
    ("none", "Not Quoted"),
    ("quoted", "Quoted"),
    ("accepted", "Accepted"),
    ("declined", "Declined"),
]
# What the resident accepted: fixed once the quote is accepted.
SERVICE_TERMS = ("site_service_amount", "site_service_description", "site_service_charge_type_id")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    site_unit_id = fields.Many2one(
        "site.unit",
        string="Unit",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('company_id', '=', company_id)]",
    )
    site_building_id = fields.Many2one(
        "site.building",
        string="Building",
        compute="_compute_site_building_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="The unit's building; or the building of a ticket about common parts.",
    )
    site_kind = fields.Selection(related="category_id.site_kind", store=True, string="Kind")
    site_holder_ids = fields.Many2many(
        "res.partner",
        string="Unit's People Today",
        compute="_compute_site_holder_ids",
        search="_search_site_holder_ids",
        compute_sudo=True,
        help="The people who hold the ticket's unit today (owners, tenants, their "
        "households): with the reporter, those who see the ticket on the portal.",
    )
    site_first_response_date = fields.Datetime(
        string="First Response",
        readonly=True,
        copy=False,
        help="When the ticket was first taken in hand: moved out of an unattended stage "
        "(New), which a first reply to the resident does.",
    )
    # A paid service: quoted by the staff, accepted by the resident on the portal, then
    # charged to the unit once.
    site_service_state = fields.Selection(
        SERVICE_STATES,
        string="Quote",
        default="none",
        readonly=True,
        copy=False,
        tracking=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    site_service_amount = fields.Monetary(string="Quoted Amount", copy=False, tracking=True)
    site_service_description = fields.Text(string="Quoted Service", copy=False)
    site_service_charge_type_id = fields.Many2one(
        "site.charge.type",
        string="Charged As",
        check_company=True,
        copy=False,
        domain="[('company_id', '=', company_id), ('kind', '=', 'charge')]",
        help="Empty: the site's charge type for paid services.",
    )
    site_service_quote_date = fields.Datetime(string="Quoted On", readonly=True, copy=False)
    site_service_accept_date = fields.Datetime(string="Accepted On", readonly=True, copy=False)
    site_service_accepted_by_id = fields.Many2one(
        "res.partner", string="Accepted By", readonly=True, copy=False
    )
    site_service_partner_id = fields.Many2one(
        "res.partner", string="Charged To", readonly=True, copy=False
    )
    site_service_move_id = fields.Many2one(
        "account.move", string="Charge Entry", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("site_unit_id")
    def _compute_site_building_id(self):
        for ticket in self:
            if ticket.site_unit_id:
                ticket.site_building_id = ticket.site_unit_id.building_id

    def _compute_site_holder_ids(self):
        for ticket in self:
            ticket.site_holder_ids = ticket.site_unit_id.current_relation_ids.partner_id

    def _search_site_holder_ids(self, operator, value):
        """Tickets of the units ``value`` (partner ids) hold today, in the portal's terms
        (site_portal's ``_access``); the units are found here, so that a domain on this
        field needs no access to the units."""
        if operator != "in":
            return NotImplemented
        partners = self.env["res.partner"].sudo().browse(list(value))
        portal = self.env["site.portal"].sudo()
        unit_ids = {
            unit_id
            for partner in partners
            for unit_id, access in portal._access(partner).items()
            if access.current
        }
        return Domain("site_unit_id", "in", sorted(unit_ids))

    # --- routing ----------------------------------------------------------------

    @api.model
    def _site_route(self, vals_list):
        """Fill in the team of new tickets of a site that come without one, from their
        category and building (the routing engine), and the site of those that come
        with a unit only."""
        units = self.env["site.unit"].browse(
            {vals["site_unit_id"] for vals in vals_list if vals.get("site_unit_id")}
        )
        unit_by_id = {unit.id: unit for unit in units.sudo()}
        for vals in vals_list:
            unit = unit_by_id.get(vals.get("site_unit_id"))
            if unit and not vals.get("company_id"):
                vals["company_id"] = unit.company_id.id
        todo = [vals for vals in vals_list if not vals.get("team_id") and vals.get("company_id")]
        if not todo:
            return
        companies = self.env["res.company"].browse({vals["company_id"] for vals in todo})
        sites = companies.sudo().filtered("is_site")
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search([("company_id", "in", sites.ids), ("active", "=", True)])
        )
        routes = {site.id: teams.filtered(lambda t, s=site: t.company_id == s) for site in sites}
        for vals in todo:
            if vals["company_id"] not in routes:
                continue
            unit = unit_by_id.get(vals.get("site_unit_id"))
            building_id = (unit.building_id.id if unit else None) or vals.get("site_building_id")
            team_id = routing.pick_team(
                routes[vals["company_id"]]._site_routes(),
                vals.get("category_id") or None,
                building_id or None,
            )
            if team_id:
                vals["team_id"] = team_id

    @api.onchange("category_id", "site_unit_id", "site_building_id")
    def _onchange_site_route(self):
        """In the form, choosing the category or the unit chooses the team (the staff may
        still change it afterwards)."""
        if not self.company_id.is_site:
            return
        vals = {
            "company_id": self.company_id.id,
            "category_id": self.category_id.id,
            "site_unit_id": self.site_unit_id.id,
            "site_building_id": self.site_building_id.id,
        }
        self._site_route([vals])
        if vals.get("team_id"):
            self.team_id = vals["team_id"]

    # --- deadlines and first response ---------------------------------------------

    def _get_sla_ticket_domain(self):
        # SLAs are shared or the ticket's site's own, never another site's.
        return super()._get_sla_ticket_domain() & Domain(
            "company_id", "in", [False, self.company_id.id]
        )

    def _site_first_attended_stage(self):
        """The first open stage after the unattended ones of the ticket's team."""
        self.ensure_one()
        stages = self.team_id._get_applicable_stages() if self.team_id else None
        if stages is None:
            stages = self.env["helpdesk.ticket.stage"].search(
                [("company_id", "in", [False, self.company_id.id]), ("team_ids", "=", False)]
            )
        return stages.filtered(lambda s: not s.unattended and not s.closed).sorted(
            lambda s: (s.sequence, s.id)
        )[:1]

    def _site_take_in_hand(self):
        """A site's new ticket answered by the staff is in hand: it leaves New for the
        first open stage, which is its first response."""
        for ticket in self.filtered(
            lambda t: t.company_id.is_site and t.stage_id.unattended and not t.closed
        ):
            stage = ticket._site_first_attended_stage()
            if stage:
                ticket.stage_id = stage

    def _site_set_history(self, created, responded=None, closed=None):
        """The demo data's and the tests' past: the ticket came in at ``created``, was
        first answered at ``responded`` and closed at ``closed``. Its deadlines are set
        again from its arrival; one reached after its time is breached."""
        self.ensure_one()
        created, responded, closed = map(fields.Datetime.to_datetime, (created, responded, closed))
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE helpdesk_ticket SET create_date = %s, site_first_response_date = %s, "
                "closed_date = %s, last_stage_update = %s WHERE id = %s",
                created,
                responded,
                closed,
                closed or responded or created,
                self.id,
            )
        )
        self.invalidate_recordset(
            ["create_date", "site_first_response_date", "closed_date", "last_stage_update"]
        )
        self.set_sla()
        for line in self.ticket_sla_ids.filtered(lambda line: line.state == "accomplished"):
            reached = closed if line.expected_stage_id.closed else responded
            if reached and line.deadline and reached > line.deadline:
                line.state = "expired"

    @api.model_create_multi
    def create(self, vals_list):
        self._site_route(vals_list)
        tickets = super().create(vals_list)
        in_hand = tickets.filtered(lambda t: t.stage_id and not t.stage_id.unattended)
        if in_hand:
            in_hand.site_first_response_date = fields.Datetime.now()
        return tickets

    def write(self, vals):
        self._site_check_service_write(vals)
        answered = self.browse()
        if vals.get("stage_id"):
            stage = self.env["helpdesk.ticket.stage"].browse(vals["stage_id"])
            if not stage.unattended:
                answered = self.filtered(lambda t: not t.site_first_response_date)
        result = super().write(vals)
        if answered:
            answered.site_first_response_date = fields.Datetime.now()
        return result

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids.filtered(lambda user: not user.share)
        ):
            self.sudo()._site_take_in_hand()
        return message

    # --- e-mail -------------------------------------------------------------------

    @api.model
    def message_new(self, msg, custom_values=None):
        """A ticket e-mailed to a site's alias: channel E-mail, and the sender's unit when
        they hold exactly one in that site today."""
        custom_values = dict(custom_values or {})
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", False)
        if channel and not custom_values.get("channel_id"):
            custom_values["channel_id"] = channel.id
        ticket = super().message_new(msg, custom_values=custom_values)
        ticket._site_guess_unit()
        return ticket

    def _site_guess_unit(self):
        for ticket in self.filtered(
            lambda t: t.company_id.is_site and t.partner_id and not t.site_unit_id
        ):
            relations = (
                self.env["site.unit.relation"]
                .sudo()
                .search(
                    [
                        ("partner_id", "=", ticket.partner_id.id),
                        ("company_id", "=", ticket.company_id.id),
                        ("unit_id.active", "=", True),
                        *self.env["site.unit.relation"]._domain_active_on(
                            fields.Date.context_today(self)
                        ),
                    ]
                )
            )
            if len(relations.unit_id) == 1:
                ticket.site_unit_id = relations.unit_id

    # --- paid services --------------------------------------------------------------

    def _site_check_service_write(self, vals):
        if vals.get("site_service_state") == "accepted":
            raise UserError(self.env._("Only the resident accepts a quote, on the portal."))
        if any(name in vals for name in SERVICE_TERMS):
            accepted = self.filtered(lambda t: t.site_service_state == "accepted")
            if accepted:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s: the quote was accepted and charged; its amount, "
                        "service and charge type no longer change.",
                        ticket=accepted[0].number,
                    )
                )

    def _site_service_charge_type(self):
        self.ensure_one()
        return (
            self.site_service_charge_type_id or self.company_id.site_helpdesk_service_charge_type_id
        )

    def action_site_quote(self):
        """Send the quote to the resident, who accepts or declines it on the portal."""
        for ticket in self:
            if ticket.site_service_state == "accepted":
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s: the quote is already accepted.", ticket=ticket.number
                    )
                )
            missing = [
                ticket._fields[name]._description_string(self.env)
                for name, value in (
                    ("site_unit_id", ticket.site_unit_id),
                    ("partner_id", ticket.partner_id),
                    ("site_service_description", (ticket.site_service_description or "").strip()),
                    ("site_service_charge_type_id", ticket._site_service_charge_type()),
                )
                if not value
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s: fill in %(fields)s before sending the quote.",
                        ticket=ticket.number,
                        fields=", ".join(missing),
                    )
                )
            if ticket.currency_id.compare_amounts(ticket.site_service_amount, 0.0) <= 0:
                raise UserError(
                    self.env._(
                        "Ticket %(ticket)s: the %(field)s must be positive.",
                        ticket=ticket.number,
                        field=ticket._fields["site_service_amount"]._description_string(self.env),
                    )
                )
            if not ticket.site_service_charge_type_id:
                ticket.site_service_charge_type_id = ticket._site_service_charge_type()
            ticket.write(
                {"site_service_state": "quoted", "site_service_quote_date": fields.Datetime.now()}
            )
            ticket.message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._(
                        "Quote: %(amount)s, charged to unit %(unit)s once you accept it on "
                        "the portal.",
                        amount=format_amount(
                            self.env, ticket.site_service_amount, ticket.currency_id
                        ),
                        unit=ticket.site_unit_id.code,
                    ),
                    ticket.site_service_description,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.partner_id.ids,
            )
        return True

    def action_site_withdraw_quote(self):
        for ticket in self:
            if ticket.site_service_state != "quoted":
                raise UserError(
                    self.env._("Ticket %(ticket)s has no open quote.", ticket=ticket.number)
                )
        self.write({"site_service_state": "none"})
        return True

    def _site_claim_service(self):
        """Mark the quote accepted in the database; False if it no longer is open.

        The row stays locked until the transaction ends: an acceptance at the same time
        (a double click) waits, then fails to serialize and Odoo runs it again, when it
        finds the quote accepted.
        """
        self.ensure_one()
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET site_service_state = 'accepted' "
                "WHERE id = %s AND site_service_state = 'quoted' RETURNING id",
                SQL.identifier(self._table),
                self.id,
            )
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["site_service_state"])
        return claimed

    def _site_accept_service(self, accepted_by, payer, amount_seen):
        """The resident ``accepted_by`` accepts the quote they saw for ``amount_seen``:
        the unit is charged the amount through the site's ledger, to ``payer``, once.
        Returns False when the quote was already accepted (nothing is charged again)."""
        self.ensure_one()
        if self.site_service_state == "accepted":
            return False
        if self.site_service_state != "quoted":
            raise UserError(self.env._("This ticket has no quote to accept."))
        if self.currency_id.compare_amounts(amount_seen, self.site_service_amount) != 0:
            raise UserError(
                self.env._("The quote has changed since you opened the page: check it again.")
            )
        if not self._site_claim_service():
            return False
        today = fields.Date.context_today(self)
        company = self.company_id
        due = service.due_date(today, company.site_charge_due_day)
        charge_type = self._site_service_charge_type()
        label = self.env._(
            "%(service)s (ticket %(ticket)s)",
            service=(self.site_service_description or "").strip().splitlines()[0][:120],
            ticket=self.number,
        )
        moves, _charges = self.env["site.ledger"]._post_month(
            company,
            month_start(today),
            due,
            [
                (
                    self.site_unit_id.id,
                    payer.id,
                    charge_type.id,
                    money.to_decimal(self.site_service_amount),
                    label,
                    due,
                )
            ],
            self.env._("Paid service, ticket %(ticket)s", ticket=self.number),
            date=today,
        )
        self.write(
            {
                "site_service_accept_date": fields.Datetime.now(),
                "site_service_accepted_by_id": accepted_by.id,
                "site_service_partner_id": payer.id,
                "site_service_move_id": moves[:1].id,
            }
        )
        self.message_post(
            body=self.env._(
                "%(person)s accepted the quote: %(amount)s charged to unit %(unit)s, due %(due)s.",
                person=accepted_by.name,
                amount=format_amount(self.env, self.site_service_amount, self.currency_id),
                unit=self.site_unit_id.code,
                due=due,
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        return True

    def _site_decline_service(self, declined_by):
        self.ensure_one()
        if self.site_service_state != "quoted":
            raise UserError(self.env._("This ticket has no quote to decline."))
        self.site_service_state = "declined"
        self.message_post(
            body=self.env._("%(person)s declined the quote.", person=declined_by.name),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # --- portal -----------------------------------------------------------------------

    @api.model
    def _site_portal_domain(self, partner):
        """The tickets a resident sees (the portal record rule says the same for the ORM):
        those they reported, and those of the units they hold today."""
        return Domain("partner_id", "=", partner.id) | Domain("site_holder_ids", "in", partner.ids)

    def _site_rate(self, partner, value, feedback=None):
        """``partner``'s rating of the closed ticket (1 to 5), once per person: rating
        again changes their rating."""
        self.ensure_one()
        if not self.closed:
            raise UserError(self.env._("A ticket is rated once it is closed."))
        if value not in (1, 2, 3, 4, 5):
            raise UserError(self.env._("A rating is from 1 to 5."))
        rating = self.rating_ids.filtered(lambda r: r.partner_id == partner and r.consumed)[:1]
        if rating:
            rating.write({"rating": value, "feedback": feedback or False})
            return rating
        token = self._rating_get_access_token(partner)
        return self.rating_apply(value, token=token, feedback=feedback or False)
