from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .helpdesk_ticket_category import SITE_KINDS

# The figures of a group of tickets, as the board's page and the XLSX show them:
# (key, field:aggregate).
FIGURES = [
    ("tickets", "ticket_count:sum"),
    ("closed", "closed_count:sum"),
    ("response_hours", "response_hours:avg"),
    ("resolution_hours", "resolution_hours:avg"),
    ("breaches", "breach_count:sum"),
    ("rating", "rating:avg"),
]


class SiteHelpdeskPerformance(models.Model):
    """Staff performance, live: one row per ticket with what it took.

    Grouped by person (the assigned user), team and period (the day the ticket came in),
    the measures give the tickets handled, the mean hours to the first response and to
    the resolution (over the tickets that reached them: PostgreSQL's average leaves the
    others out), the deadlines breached (OCA's SLA lines expired, or still running past
    their deadline) and the average of the residents' ratings (the last one of each rated
    ticket). Times are elapsed hours since the ticket came in.
    """

    _name = "site.helpdesk.performance"
    _description = "Helpdesk Staff Performance"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Person", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", string="Category", readonly=True)
    site_kind = fields.Selection(SITE_KINDS, string="Kind", readonly=True)
    building_id = fields.Many2one("site.building", string="Building", readonly=True)
    unit_id = fields.Many2one("site.unit", string="Unit", readonly=True)
    date = fields.Datetime(string="Received On", readonly=True)
    closed_date = fields.Datetime(string="Closed On", readonly=True)
    ticket_count = fields.Integer(string="Tickets", readonly=True, aggregator="sum")
    closed_count = fields.Integer(string="Closed", readonly=True, aggregator="sum")
    response_hours = fields.Float(
        string="Hours to First Response", digits=(16, 1), readonly=True, aggregator="avg"
    )
    resolution_hours = fields.Float(
        string="Hours to Resolution", digits=(16, 1), readonly=True, aggregator="avg"
    )
    breach_count = fields.Integer(string="Deadlines Breached", readonly=True, aggregator="sum")
    rating = fields.Float(string="Average Rating", digits=(16, 2), readonly=True, aggregator="avg")

    _depends = {
        "helpdesk.ticket": [
            "company_id",
            "team_id",
            "user_id",
            "category_id",
            "site_kind",
            "site_building_id",
            "site_unit_id",
            "stage_id",
            "closed_date",
            "site_first_response_date",
            "active",
        ],
        "helpdesk.ticket.stage": ["closed"],
        "helpdesk.ticket.sla": ["ticket_id", "state", "deadline"],
        "rating.rating": ["res_model", "res_id", "rating", "consumed"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT ticket.id AS id,
                   ticket.id AS ticket_id,
                   ticket.company_id,
                   ticket.team_id,
                   ticket.user_id,
                   ticket.category_id,
                   ticket.site_kind,
                   ticket.site_building_id AS building_id,
                   ticket.site_unit_id AS unit_id,
                   ticket.create_date AS date,
                   ticket.closed_date,
                   1 AS ticket_count,
                   CASE WHEN stage.closed THEN 1 ELSE 0 END AS closed_count,
                   (EXTRACT(EPOCH FROM ticket.site_first_response_date - ticket.create_date)
                       / 3600)::float8 AS response_hours,
                   CASE WHEN stage.closed
                        THEN (EXTRACT(EPOCH FROM ticket.closed_date - ticket.create_date)
                              / 3600)::float8
                   END AS resolution_hours,
                   COALESCE(breaches.count, 0)::int AS breach_count,
                   last_rating.rating
              FROM helpdesk_ticket ticket
              LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
              LEFT JOIN (
                    SELECT ticket_id, COUNT(*) AS count
                      FROM helpdesk_ticket_sla
                     WHERE state = 'expired'
                        OR (state = 'in_progress' AND deadline < NOW() AT TIME ZONE 'UTC')
                  GROUP BY ticket_id
              ) breaches ON breaches.ticket_id = ticket.id
              LEFT JOIN LATERAL (
                    SELECT rating.rating
                      FROM rating_rating rating
                     WHERE rating.res_model = 'helpdesk.ticket'
                       AND rating.res_id = ticket.id
                       AND rating.consumed
                       AND rating.rating >= 1
                  ORDER BY rating.write_date DESC, rating.id DESC
                     LIMIT 1
              ) last_rating ON TRUE
             WHERE ticket.active
            """
        )

    @api.model
    def _site_board_figures(self, sites, months):
        """[{'site', 'total', 'categories'}]: per site, the figures of the tickets received
        in the last ``months`` months, in all and per category ([(category, figures)]);
        figures are {key: value} of FIGURES, None where no ticket gave one."""
        since = fields.Datetime.now() - relativedelta(months=months)
        domain = [("company_id", "in", sites.ids), ("date", ">=", since)]
        keys = [key for key, _aggregate in FIGURES]
        aggregates = [aggregate for _key, aggregate in FIGURES]
        totals = {
            site: dict(zip(keys, figures))
            for site, *figures in self._read_group(domain, ["company_id"], aggregates)
        }
        categories = defaultdict(list)
        for site, category, *figures in self._read_group(
            domain, ["company_id", "category_id"], aggregates
        ):
            categories[site].append((category, dict(zip(keys, figures))))
        return [
            {"site": site, "total": totals.get(site), "categories": categories[site]}
            for site in sites
        ]
