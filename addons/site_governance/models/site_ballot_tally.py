from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import voting
from .site_resolution import CHOICES


class SiteBallotTally(models.Model):
    """The running totals of a secret ballot, one row per choice: how many ballots and
    what weight and area they carry. Nothing here names a unit, a person or a user,
    and nothing records when: the rows have no creation or update columns
    (``_log_access = False``), no ballot is kept one by one, and every ballot updates
    the three rows of its resolution in one statement, so that not even the database's
    row versions tell which choice the last ballot added to.

    Nobody has access rights on this model: the resolution reads it with ``sudo()``,
    once the vote is closed."""

    _name = "site.ballot.tally"
    _description = "Secret Ballot Tally"
    _log_access = False

    resolution_id = fields.Many2one(
        "site.resolution", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="resolution_id.company_id", store=True, string="Site", readonly=True
    )
    choice = fields.Selection(CHOICES, required=True, readonly=True)
    ballots = fields.Integer(readonly=True)
    weight = fields.Float(digits=(32, 8), readonly=True)
    area = fields.Float(digits=(16, 2), readonly=True)

    _choice_uniq = models.Constraint(
        "UNIQUE (resolution_id, choice)", "A secret ballot has one tally per choice."
    )

    @api.model
    def _create_for(self, resolution):
        """The three empty rows of a secret ballot's tally."""
        return self.create(
            [
                {
                    "resolution_id": resolution.id,
                    "choice": choice,
                    "ballots": 0,
                    "weight": 0.0,
                    "area": 0.0,
                }
                for choice in voting.CHOICES
            ]
        )

    @api.model
    def _add(self, resolution, choice, weight, area):
        """Add one ballot. All three rows are rewritten, whatever the choice: their row
        versions (PostgreSQL's xmin, ctid) are then the same for every choice."""
        self.env.cr.execute(
            """
            UPDATE site_ballot_tally
               SET ballots = ballots + CASE WHEN choice = %(choice)s THEN 1 ELSE 0 END,
                   weight = weight + CASE WHEN choice = %(choice)s THEN %(weight)s ELSE 0 END,
                   area = area + CASE WHEN choice = %(choice)s THEN %(area)s ELSE 0 END
             WHERE resolution_id = %(resolution)s
            """,
            {"choice": choice, "weight": weight, "area": area, "resolution": resolution.id},
        )
        if self.env.cr.rowcount != len(voting.CHOICES):
            raise UserError(self.env._("The tally of %(name)s is missing.", name=resolution.name))
        self.invalidate_model(["ballots", "weight", "area"])

    @api.model
    def _totals(self, resolutions):
        """[{resolution_id, choice, ballots, weight, area}] of closed ``resolutions``."""
        if any(resolution.state != "closed" for resolution in resolutions):
            raise UserError(self.env._("A secret ballot is counted once it is closed."))
        return self.search_read(
            [("resolution_id", "in", resolutions.ids)],
            ["resolution_id", "choice", "ballots", "weight", "area"],
            load=None,
        )

    @api.model
    def _check_against_roll(self, resolutions):
        """Before closing: as many ballots in each tally as units that voted."""
        if not resolutions:
            return
        ballots = dict(
            self._read_group(
                [("resolution_id", "in", resolutions.ids)], ["resolution_id"], ["ballots:sum"]
            )
        )
        voted = dict(
            self.env["site.vote"]
            .sudo()
            ._read_group(
                [("resolution_id", "in", resolutions.ids), ("voted", "=", True)],
                ["resolution_id"],
                ["__count"],
            )
        )
        for resolution in resolutions:
            if ballots.get(resolution, 0) != voted.get(resolution, 0):
                raise UserError(
                    self.env._(
                        "%(name)s: the secret tally holds %(ballots)s ballots for %(voted)s "
                        "units that voted; it is not closed.",
                        name=resolution.name,
                        ballots=ballots.get(resolution, 0),
                        voted=voted.get(resolution, 0),
                    )
                )
