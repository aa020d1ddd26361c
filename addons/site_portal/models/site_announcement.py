"""Announcements of a site to its residents or its board, with read receipts.

Who receives an announcement is decided today, from the persons' current relations to
the site's units (the same relations the portal reads in ``site.portal._access``):
the whole site, the people of some buildings, owners or tenants (of some buildings or of
all), or the board (internal users of the board group working in the site).
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import is_html_empty

AUDIENCE_SELECTION = [
    ("site", "Whole Site"),
    ("buildings", "Buildings"),
    ("owners", "Owners"),
    ("tenants", "Tenants"),
    ("board", "Board Members"),
]
# The unit roles an audience reaches (None: every role).
AUDIENCE_ROLES = {"site": None, "buildings": None, "owners": "owner", "tenants": "tenant"}
# Audiences that may be narrowed to some buildings.
BUILDING_AUDIENCES = ("buildings", "owners", "tenants")


class SiteAnnouncement(models.Model):
    _name = "site.announcement"
    _description = "Site Announcement"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.company.mixin"]
    _order = "publish_date desc, id desc"
    _rec_name = "title"
    _check_company_auto = True

    title = fields.Char(required=True, tracking=True)
    body = fields.Html(string="Text", sanitize_style=True)
    audience = fields.Selection(
        AUDIENCE_SELECTION,
        required=True,
        default=lambda self: self._default_audience(),
        tracking=True,
        help="Board Members: internal, only the site's board and managers see it.",
    )
    building_ids = fields.Many2many(
        "site.building",
        string="Buildings",
        check_company=True,
        domain="[('company_id', '=', company_id)]",
        help="Buildings audience: the people of these buildings. Owners or Tenants: only "
        "those of these buildings; empty: of the whole site.",
    )
    publish_date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="Shown to its audience from this moment on, once published.",
    )
    expiry_date = fields.Date(tracking=True, help="Last day it is shown; empty: no end.")
    published = fields.Boolean(
        readonly=True,
        copy=False,
        tracking=True,
        help="Set by Publish: the announcement goes live at its publish date.",
    )
    published_notified = fields.Boolean(
        string="Publication Handled",
        readonly=True,
        copy=False,
        help="Its going live has been handled once (see _site_published).",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("scheduled", "Scheduled"),
            ("published", "Published"),
            ("expired", "Expired"),
        ],
        compute="_compute_state",
        search="_search_state",
    )
    author_id = fields.Many2one(
        "res.users", string="Author", default=lambda self: self.env.user, tracking=True
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "site_announcement_attachment_rel",
        "announcement_id",
        "attachment_id",
        string="Attachments",
    )
    read_ids = fields.One2many("site.announcement.read", "announcement_id", string="Read By")
    read_count = fields.Integer(string="Read", compute="_compute_read_count")
    recipient_count = fields.Integer(string="Recipients", compute="_compute_recipients")
    unread_count = fields.Integer(string="Not Read Yet", compute="_compute_recipients")
    unread_partner_ids = fields.Many2many(
        "res.partner", string="Not Read By", compute="_compute_recipients"
    )
    color = fields.Integer()
    active = fields.Boolean(default=True)

    @api.model
    def _default_audience(self):
        # Board members post only to the board.
        manager = self.env.user.has_group("site_residents.group_site_manager")
        return "site" if manager else "board"

    @api.constrains("audience", "building_ids")
    def _check_buildings(self):
        for announcement in self:
            if announcement.audience == "buildings" and not announcement.building_ids:
                raise ValidationError(
                    self.env._(
                        "Announcement “%(title)s”: choose at least one building in Buildings.",
                        title=announcement.title,
                    )
                )

    @api.constrains("publish_date", "expiry_date")
    def _check_dates(self):
        for announcement in self:
            if (
                announcement.expiry_date
                and announcement.expiry_date < announcement.publish_date.date()
            ):
                raise ValidationError(
                    self.env._(
                        "Announcement “%(title)s”: the Expiry Date cannot be before the "
                        "Publish Date.",
                        title=announcement.title,
                    )
                )

    @api.onchange("audience")
    def _onchange_audience(self):
        if self.audience not in BUILDING_AUDIENCES:
            self.building_ids = False

    def write(self, vals):
        result = super().write(vals)
        if "audience" in vals:
            self._check_board_audience()
        return result

    def _check_board_audience(self):
        """Board members write board announcements only: the record rules check the
        audience before a write, this after it (no turning one into a residents' one)."""
        if self.env.su or self.env.user.has_group("site_residents.group_site_manager"):
            return
        if any(announcement.audience != "board" for announcement in self):
            raise AccessError(self.env._("Only site managers post announcements to residents."))

    @api.ondelete(at_uninstall=False)
    def _unlink_if_never_published(self):
        if any(announcement.published_notified for announcement in self):
            raise UserError(
                self.env._("A published announcement cannot be deleted; archive it instead.")
            )

    # --- state ---------------------------------------------------------------

    @api.depends("published", "publish_date", "expiry_date")
    @api.depends_context("tz")
    def _compute_state(self):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        for announcement in self:
            if not announcement.published:
                announcement.state = "draft"
            elif announcement.publish_date and announcement.publish_date > now:
                announcement.state = "scheduled"
            elif announcement.expiry_date and announcement.expiry_date < today:
                announcement.state = "expired"
            else:
                announcement.state = "published"

    @api.model
    def _state_domain(self, state):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        not_expired = Domain("expiry_date", "=", False) | Domain("expiry_date", ">=", today)
        return {
            "draft": Domain("published", "=", False),
            "scheduled": Domain("published", "=", True) & Domain("publish_date", ">", now),
            "published": Domain("published", "=", True)
            & Domain("publish_date", "<=", now)
            & not_expired,
            "expired": Domain("published", "=", True)
            & Domain("publish_date", "<=", now)
            & Domain("expiry_date", "<", today),
        }[state]

    def _search_state(self, operator, value):
        if operator != "in":
            return NotImplemented
        return Domain.OR(self._state_domain(state) for state in value)

    # --- audience --------------------------------------------------------------

    def _site_recipients_by_announcement(self):
        """{announcement id: res.partner} of each announcement's audience today, in two
        queries for all of them."""
        relations = self._site_current_relations(Domain("company_id", "in", self.company_id.ids))
        board = self.filtered(lambda a: a.audience == "board")
        board_users = self.env["res.users"]
        if board:
            board_users = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("share", "=", False),
                        ("all_group_ids", "in", self.env.ref("site_residents.group_site_board").id),
                        ("company_ids", "in", board.company_id.ids),
                    ]
                )
            )
        Partner = self.env["res.partner"]
        result = {}
        for announcement in self:
            site = announcement.company_id.id
            if announcement.audience == "board":
                partner_ids = [
                    user.partner_id.id for user in board_users if site in user.company_ids.ids
                ]
            else:
                partner_ids = [
                    row["partner_id"]
                    for row in relations
                    if row["company_id"] == site and announcement._site_reaches(row)
                ]
            result[announcement.id] = Partner.browse(sorted(set(partner_ids)))
        return result

    def _site_recipients(self):
        """The persons (res.partner) in the announcement's audience today."""
        self.ensure_one()
        return self._site_recipients_by_announcement()[self.id]

    def _site_reaches(self, relation):
        """Whether a current relation (a row of _site_current_relations) of the
        announcement's site is in its audience (board aside)."""
        audience = self.audience
        if audience not in AUDIENCE_ROLES:
            return False
        role = AUDIENCE_ROLES[audience]
        if role and relation["role"] != role:
            return False
        if audience in BUILDING_AUDIENCES and self.building_ids:
            return relation["building_id"] in self.building_ids._origin.ids
        return True

    @api.model
    def _site_current_relations(self, domain):
        """Rows (partner, site, building, role) of today's relations to active units."""
        Relation = self.env["site.unit.relation"].sudo()
        return Relation.search_read(
            Domain.AND(
                [
                    domain,
                    Domain("unit_id.active", "=", True),
                    Domain(Relation._domain_active_on(fields.Date.context_today(self))),
                ]
            ),
            ["partner_id", "company_id", "building_id", "role"],
            load=None,
        )

    @api.model
    def _site_audience_domain(self, user):
        """The announcements whose audience holds ``user`` today: by their person's own
        current relations (as in site.portal._access), and for an internal user of the
        board group, the board announcements of their sites."""
        relations = self.env["site.portal"]._current_relation_rows(user.partner_id)
        parts = []
        if relations:
            sites = sorted({row["company_id"] for row in relations})
            buildings = sorted({row["building_id"] for row in relations if row["building_id"]})
            parts.append(Domain("audience", "=", "site") & Domain("company_id", "in", sites))
            if buildings:
                parts.append(
                    Domain("audience", "=", "buildings") & Domain("building_ids", "in", buildings)
                )
        for audience in ("owners", "tenants"):
            rows = [row for row in relations if row["role"] == AUDIENCE_ROLES[audience]]
            if not rows:
                continue
            buildings = sorted({row["building_id"] for row in rows if row["building_id"]})
            in_buildings = Domain("building_ids", "=", False)
            if buildings:
                in_buildings |= Domain("building_ids", "in", buildings)
            parts.append(
                Domain("audience", "=", audience)
                & Domain("company_id", "in", sorted({row["company_id"] for row in rows}))
                & in_buildings
            )
        if not user.share and user.has_group("site_residents.group_site_board"):
            parts.append(
                Domain("audience", "=", "board") & Domain("company_id", "in", user.company_ids.ids)
            )
        return Domain.OR(parts) if parts else Domain.FALSE

    @api.model
    def _site_visible_domain(self, user):
        """What ``user`` reads on the portal: live announcements of their audience."""
        return Domain.AND([self._site_audience_domain(user), self._state_domain("published")])

    # --- who has read --------------------------------------------------------

    @api.depends("read_ids")
    def _compute_read_count(self):
        counts = dict(
            self.env["site.announcement.read"]
            .sudo()
            ._read_group(
                [("announcement_id", "in", self._origin.ids)], ["announcement_id"], ["__count"]
            )
        )
        for announcement in self:
            announcement.read_count = counts.get(announcement._origin, 0)

    @api.depends("audience", "building_ids", "company_id", "read_ids")
    def _compute_recipients(self):
        recipients = self._site_recipients_by_announcement()
        readers = defaultdict(set)
        for row in (
            self.env["site.announcement.read"]
            .sudo()
            .search_read(
                [("announcement_id", "in", self._origin.ids)],
                ["announcement_id", "partner_id"],
                load=None,
            )
        ):
            readers[row["announcement_id"]].add(row["partner_id"])
        for announcement in self:
            partners = recipients[announcement.id]
            read_by = readers[announcement._origin.id]
            unread = partners.filtered(lambda p, read_by=read_by: p.id not in read_by)
            announcement.recipient_count = len(partners)
            announcement.unread_count = len(unread)
            announcement.unread_partner_ids = unread

    def _site_mark_read(self, user):
        """Record that ``user``'s person has read the announcement, once: the first
        time counts. The caller has checked that it is in their audience."""
        self.ensure_one()
        Read = self.env["site.announcement.read"].sudo()
        partner = user.partner_id
        domain = [("announcement_id", "=", self.id), ("partner_id", "=", partner.id)]
        existing = Read.search(domain, limit=1)
        if existing:
            return existing
        values = {
            "announcement_id": self.id,
            "partner_id": partner.id,
            "user_id": user.id,
            "read_datetime": fields.Datetime.now(),
        }
        return Read._create_once(values, domain)

    # --- actions ---------------------------------------------------------------

    def action_publish(self):
        """Publish: live at once, or at the publish date when it is later."""
        for announcement in self:
            if is_html_empty(announcement.body):
                raise UserError(
                    self.env._(
                        "Announcement “%(title)s”: write its Text before publishing it.",
                        title=announcement.title,
                    )
                )
        self.filtered(lambda a: not a.published).write({"published": True})
        live = self.filtered(lambda a: a.publish_date <= fields.Datetime.now())
        if live:
            live._site_published()
        return True

    def action_draft(self):
        """Take it off the portal. Its publication stays handled: publishing it again
        does not announce it twice."""
        self.write({"published": False})
        return True

    def action_mark_read(self):
        """A board member marks a board announcement they read in the backend."""
        self.ensure_one()
        visible = self.search(
            Domain.AND(
                [
                    Domain("id", "=", self.id),
                    self._site_visible_domain(self.env.user),
                ]
            )
        )
        if not visible:
            raise UserError(self.env._("This announcement is not addressed to you."))
        self._site_mark_read(self.env.user)
        return True

    def action_view_reads(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_portal.action_site_announcement_read"
        )
        action["domain"] = [("announcement_id", "=", self.id)]
        action["context"] = {"default_announcement_id": self.id}
        return action

    # --- going live ------------------------------------------------------------

    def _site_published(self):
        """Called when announcements go live (Publish, or the cron at their publish
        date); acts once per announcement, whatever the number of calls. Returns the
        announcements handled now; site_messaging overrides it to send those:

            def _site_published(self):
                announcements = super()._site_published()
                ...  # send them
                return announcements
        """
        todo = self.filtered(lambda a: a.published and not a.published_notified)
        # Two concurrent calls write the same rows: one transaction fails on the
        # concurrent update and is retried, then finds them handled.
        todo.write({"published_notified": True})
        return todo

    @api.model
    def _cron_publish_due(self):
        """Handle the publication of the announcements whose publish date has come."""
        due = self.search(
            [
                ("published", "=", True),
                ("published_notified", "=", False),
                ("publish_date", "<=", fields.Datetime.now()),
            ]
        )
        if due:
            due._site_published()
        return due
