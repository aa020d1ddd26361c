from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import format_datetime

from odoo.addons.site_residents.engine.money import round_half_up

from ..engine import voting
from .site_resolution import CHOICES

SOURCES = [
    ("portal", "Portal"),
    ("paper", "Paper Ballot"),
    ("assembly", "Assembly Count"),
]
# Written by casting only: who voted, how and when.
CAST_FIELDS = {"voted", "voted_on", "source", "choice", "voter_id", "cast_by_id"}
# Frozen on the roll when the vote opens.
ROLL_FIELDS = {"resolution_id", "unit_id", "weight", "area", "is_secret"}


class SiteVote(models.Model):
    """A unit on the roll of a resolution: its frozen weight, who votes for it and, once
    it has voted, how. One per unit and resolution. For a secret ballot this row only
    says that the unit voted: the choice is added to the resolution's tally
    (``site.ballot.tally``) and kept nowhere else."""

    _name = "site.vote"
    _description = "Vote of a Unit"
    _order = "resolution_id, unit_code_sort, id"
    _check_company_auto = True
    _rec_name = "unit_id"

    resolution_id = fields.Many2one(
        "site.resolution", required=True, readonly=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="resolution_id.company_id", store=True, index=True, string="Site"
    )
    state = fields.Selection(related="resolution_id.state", string="Resolution State")
    unit_id = fields.Many2one(
        "site.unit", required=True, readonly=True, index=True, ondelete="restrict"
    )
    unit_code_sort = fields.Char(related="unit_id.code_sort", store=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True)
    weight = fields.Float(
        string="Weight Value", digits=(32, 8), readonly=True, help="Frozen when the vote opened."
    )
    weight_shown = fields.Char(string="Weight", compute="_compute_weight_shown")
    weight_percent = fields.Float(
        string="Weight (%)", digits=(7, 4), compute="_compute_weight_shown"
    )
    area = fields.Float(string="Area (m²)", digits=(16, 2), readonly=True)
    owner_ids = fields.Many2many("res.partner", string="Owners Today", compute="_compute_owner_ids")
    voter_id = fields.Many2one(
        "res.partner",
        string="Voter",
        help="The owner who votes for the unit: the one its co-owners named, or its only owner.",
    )
    proxy_name = fields.Char(string="Proxy", help="The person who voted in the voter's name.")
    proxy_document = fields.Binary(string="Proxy Document", attachment=True)
    proxy_document_name = fields.Char()
    voted = fields.Boolean(readonly=True, index=True, default=False)
    voted_on = fields.Datetime(readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    cast_by_id = fields.Many2one("res.users", string="Recorded By", readonly=True)
    is_secret = fields.Boolean(string="Secret Ballot", readonly=True)
    choice = fields.Selection(
        CHOICES, readonly=True, help="Open ballots only: a secret ballot keeps no choice here."
    )

    _unit_uniq = models.Constraint(
        "UNIQUE (resolution_id, unit_id)", "A unit has one vote per resolution."
    )
    _secret_no_choice = models.Constraint(
        "CHECK (NOT is_secret OR choice IS NULL)",
        "A secret ballot keeps no choice beside the unit.",
    )
    _choice_when_voted = models.Constraint(
        "CHECK (is_secret OR COALESCE(voted, FALSE) = (choice IS NOT NULL))",
        "An open vote has a choice once cast, and none before.",
    )

    @api.depends("weight", "resolution_id.weight_basis")
    def _compute_weight_shown(self):
        totals = {
            resolution.id: weight
            for resolution, weight in self.env["site.vote"]
            .sudo()
            ._read_group(
                [("resolution_id", "in", self.resolution_id.ids)],
                ["resolution_id"],
                ["weight:sum"],
            )
        }
        for vote in self:
            resolution = vote.resolution_id
            vote.weight_shown = resolution._format_weight(resolution._weight(vote.weight))
            total = totals.get(resolution.id)
            vote.weight_percent = vote.weight * 100 / total if total else 0.0

    def _compute_owner_ids(self):
        owners = self.unit_id._site_owners(fields.Date.context_today(self))
        for vote in self:
            vote.owner_ids = [(6, 0, sorted(owners.get(vote.unit_id.id, ())))]

    # --- casting -------------------------------------------------------------

    def action_cast(self):
        """A teller's button (For, Against, Abstain) recording a paper ballot or the
        assembly's count: the choice comes with the click, never through a stored field."""
        choice = self.env.context.get("site_choice")
        source = self.env.context.get("site_source") or "paper"
        if source not in ("paper", "assembly"):
            raise UserError(self.env._("Staff record paper ballots or the assembly's count."))
        for vote in self:
            vote._cast(choice, source=source)
        return True

    def _cast(self, choice, *, source, voter=None):
        """Record the unit's vote: ``choice`` for, against or abstain, by ``voter`` (the
        roll's voter by default), from the portal, a paper ballot or the assembly's
        count. Refused outside the window, after closing, twice for a secret ballot,
        or changed where the site does not allow it."""
        self.ensure_one()
        self.check_access("write")
        if choice not in voting.CHOICES:
            raise ValidationError(
                self.env._("Choose For, Against or Abstain (Choice); got %(value)r.", value=choice)
            )
        # One vote per unit, whatever arrives at the same moment.
        self.env.cr.execute("SELECT id FROM site_vote WHERE id = %s FOR UPDATE", [self.id])
        self.invalidate_recordset()
        resolution = self.resolution_id
        unit = self.unit_id
        if resolution.state != "open":
            raise UserError(self.env._("The vote on %(name)s is not open.", name=resolution.name))
        if source == "portal" and not resolution._window_open():
            raise UserError(
                self.env._(
                    "The vote on %(name)s is open from %(start)s to %(end)s.",
                    name=resolution.name,
                    start=format_datetime(self.env, resolution.date_open),
                    end=format_datetime(self.env, resolution.date_close),
                )
            )
        if self.voted:
            self._check_change(source)
        if not voter:
            voter = self.voter_id or self.env["res.partner"].browse(
                unit._site_voters()[unit.id] or []
            )
        if not voter:
            raise ValidationError(
                self.env._(
                    "Unit %(unit)s has several owners and they have named nobody to vote "
                    "for it: choose the Voter among them.",
                    unit=unit.code,
                )
            )
        if voter.id not in unit._site_owners(fields.Date.context_today(self))[unit.id]:
            raise ValidationError(
                self.env._(
                    "Unit %(unit)s: %(person)s does not own the unit today and cannot vote "
                    "for it (Voter).",
                    unit=unit.code,
                    person=voter.name,
                )
            )
        if self.proxy_name and not self.proxy_document:
            raise ValidationError(
                self.env._(
                    "Unit %(unit)s: the vote by proxy of %(proxy)s needs the proxy's "
                    "document (Proxy Document).",
                    unit=unit.code,
                    proxy=self.proxy_name,
                )
            )
        values = {
            "voted": True,
            "voted_on": fields.Datetime.now(),
            "source": source,
            "voter_id": voter.id,
            "cast_by_id": self.env.uid,
        }
        if self.is_secret:
            # exact decimals, as the roll froze them
            self.env["site.ballot.tally"].sudo()._add(
                resolution,
                choice,
                resolution._weight(self.weight),
                round_half_up(self.area, voting.AREA_DIGITS),
            )
        else:
            values["choice"] = choice
        self.with_context(site_vote_cast=True).write(values)
        return True

    def _check_change(self, source):
        """A vote already cast changes only where allowed: never a secret one; on the
        portal where the site allows it; a teller corrects the entries of tellers."""
        unit = self.unit_id
        if self.is_secret:
            raise UserError(
                self.env._(
                    "Unit %(unit)s has voted in this secret ballot; a secret vote is final.",
                    unit=unit.code,
                )
            )
        if source == "portal":
            if self.source != "portal" or not self.resolution_id.change_allowed:
                raise UserError(
                    self.env._(
                        "Unit %(unit)s has voted; this site does not allow changing a vote.",
                        unit=unit.code,
                    )
                )
        elif self.source == "portal":
            raise UserError(
                self.env._(
                    "Unit %(unit)s voted on the portal: only its voter changes that vote.",
                    unit=unit.code,
                )
            )

    # --- guards --------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.context.get("site_vote_roll"):
            raise UserError(
                self.env._("The roll is made when the vote opens: every unit of the site.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if any(vote.state == "closed" for vote in self):
            raise UserError(self.env._("The vote is closed: its votes do not change any more."))
        if not self.env.context.get("site_vote_cast"):
            fixed = (CAST_FIELDS | ROLL_FIELDS) & vals.keys()
            # The voter may be named before the vote is cast.
            if fixed == {"voter_id"} and not any(self.mapped("voted")):
                fixed = set()
            if fixed:
                raise UserError(
                    self.env._(
                        "%(fields)s are recorded by casting the vote (For, Against, Abstain).",
                        fields=", ".join(
                            self._fields[name]._description_string(self.env)
                            for name in sorted(fixed)
                        ),
                    )
                )
            if {"proxy_name", "proxy_document"} & vals.keys() and any(self.mapped("voted")):
                raise UserError(self.env._("A vote cast keeps the proxy it was cast with."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if any(vote.resolution_id.state != "draft" for vote in self):
            raise UserError(self.env._("A unit stays on the roll of a vote once it has opened."))
