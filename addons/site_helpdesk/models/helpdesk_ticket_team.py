from odoo import fields, models

from ..engine import routing


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    building_ids = fields.Many2many(
        "site.building",
        string="Buildings",
        check_company=True,
        help="The buildings whose tickets this team takes (empty: all). With the team's "
        "categories, they route a site's new tickets to the most specific team.",
    )

    def _site_routes(self):
        """The routing engine's view of these teams."""
        return [
            routing.Route(
                team.id,
                team.sequence,
                frozenset(team.category_ids.ids),
                frozenset(team.building_ids.ids),
            )
            for team in self
        ]
