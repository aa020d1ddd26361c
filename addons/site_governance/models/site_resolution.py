from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang

from odoo.addons.site_residents.engine.money import round_half_up

from ..engine import voting

WEIGHT_BASES = [
    (voting.UNIT, "One per Unit"),
    (voting.AREA, "By Area"),
    (voting.LAND_SHARE, "By Land Share"),
    (voting.VOTING_SHARE, "By Voting Share"),
]
MAJORITIES = [
    (voting.SIMPLE, "Simple (More Than Half)"),
    (voting.TWO_THIRDS, "Two Thirds"),
    (voting.THREE_QUARTERS, "Three Quarters"),
    (voting.UNANIMITY, "Unanimity"),
]
QUORUMS = [
    (voting.NONE, "None"),
    (voting.SIMPLE, "More Than Half"),
    (voting.TWO_THIRDS, "Two Thirds"),
    (voting.THREE_QUARTERS, "Three Quarters"),
]
QUORUM_BASES = [
    (voting.BY_COUNT, "Number of Units"),
    (voting.BY_WEIGHT, "Weight"),
    (voting.BY_BOTH, "Number and Weight"),
]
CHOICES = [(voting.FOR, "For"), (voting.AGAINST, "Against"), (voting.ABSTAIN, "Abstain")]

# Once a vote opens, what it asks and how it counts stay as they were.
RULE_FIELDS = {
    "name",
    "body",
    "attachment_ids",
    "company_id",
    "assembly_id",
    "weight_basis",
    "majority",
    "majority_base",
    "by_count_too",
    "abstentions_excluded",
    "quorum",
    "quorum_by",
    "ballot",
    "date_open",
}
# Set by the state changes only.
STATE_FIELDS = {"state", "outcome", "date_closed", "land_share_scale"}


class SiteResolution(models.Model):
    """A question put to the owners: its text, how votes weigh and what majority it
    needs, the window in which they vote, open or secret. Opening it puts every unit of
    the site on its roll (``site.vote``) with its weight frozen; closing it records the
    outcome, after which nothing of it or its votes changes."""

    _name = "site.resolution"
    _description = "Resolution"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.company.mixin"]
    _order = "date_open desc, sequence, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    sequence = fields.Integer(default=10)
    assembly_id = fields.Many2one(
        "site.assembly",
        string="Assembly",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="Empty for a written vote without an assembly.",
    )
    body = fields.Html(string="Text of the Resolution")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "site_resolution_attachment_rel",
        "resolution_id",
        "attachment_id",
        string="Attachments",
    )
    weight_basis = fields.Selection(
        WEIGHT_BASES,
        string="Voting Weight",
        required=True,
        default=voting.VOTING_SHARE,
        tracking=True,
        help="What a unit's vote weighs; by area: the unit's gross area.",
    )
    majority = fields.Selection(
        MAJORITIES, string="Majority Needed", required=True, default=voting.SIMPLE, tracking=True
    )
    majority_base = fields.Selection(
        [(voting.OF_VOTING, "Of Those Voting"), (voting.OF_ALL, "Of All Units")],
        string="Majority Of",
        required=True,
        default=voting.OF_VOTING,
        tracking=True,
    )
    by_count_too = fields.Boolean(
        string="Also by Number of Units",
        tracking=True,
        help="The majority must also be reached by the number of units, one vote each "
        "(e.g. the Turkish majority by number and land share).",
    )
    abstentions_excluded = fields.Boolean(
        string="Abstentions Not Counted",
        tracking=True,
        help="Of those voting: abstentions are left out of the base. Otherwise an "
        "abstention is a vote cast that is not for.",
    )
    quorum = fields.Selection(
        QUORUMS,
        required=True,
        default=voting.NONE,
        tracking=True,
        help="The share of the roll that must have voted (abstentions included).",
    )
    quorum_by = fields.Selection(
        QUORUM_BASES, string="Quorum By", required=True, default=voting.BY_BOTH
    )
    ballot = fields.Selection(
        [("open", "Open"), ("secret", "Secret")],
        required=True,
        default="open",
        tracking=True,
        help="Secret: the choices are counted apart from who voted, and cannot be read "
        "per person by anyone; a secret vote cannot be changed once cast.",
    )
    date_open = fields.Datetime(string="Voting Opens", tracking=True)
    date_close = fields.Datetime(string="Voting Closes", required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    outcome = fields.Selection(
        [("passed", "Passed"), ("rejected", "Rejected"), ("no_quorum", "No Quorum")],
        readonly=True,
        tracking=True,
        copy=False,
    )
    date_closed = fields.Datetime(string="Closed On", readonly=True, copy=False)
    land_share_scale = fields.Integer(
        readonly=True,
        copy=False,
        help="The common denominator the land-share weights of the roll are written over.",
    )
    vote_ids = fields.One2many("site.vote", "resolution_id", string="Roll and Votes")
    change_allowed = fields.Boolean(
        compute="_compute_change_allowed",
        help="Votes cast on the portal may be changed until the vote closes.",
    )
    results_visible = fields.Boolean(compute="_compute_results")
    roll_count = fields.Integer(string="Units on the Roll", compute="_compute_results")
    voted_count = fields.Integer(string="Units Voted", compute="_compute_results")
    not_voted_count = fields.Integer(string="Units Not Voted", compute="_compute_results")
    turnout_count = fields.Float(
        string="Turnout (Units, %)", digits=(5, 2), compute="_compute_results"
    )
    turnout_weight = fields.Float(
        string="Turnout (Weight, %)", digits=(5, 2), compute="_compute_results"
    )
    for_count = fields.Integer(string="For", compute="_compute_results")
    against_count = fields.Integer(string="Against", compute="_compute_results")
    abstain_count = fields.Integer(string="Abstain", compute="_compute_results")
    for_percent = fields.Float(string="For (% of Base)", digits=(5, 2), compute="_compute_results")
    quorum_met = fields.Boolean(compute="_compute_results")
    passing = fields.Boolean(
        string="Passes Now", compute="_compute_results", help="Would pass if it closed now."
    )
    area_passing = fields.Boolean(
        string="Passes by Area", compute="_compute_results", help="The same rule, votes by area."
    )
    results_html = fields.Html(string="Results", compute="_compute_results", sanitize=False)
    area_results_html = fields.Html(
        string="Recount by Area", compute="_compute_results", sanitize=False
    )
    color = fields.Integer()

    _window_ordered = models.Constraint(
        "CHECK (date_open IS NULL OR date_close > date_open)",
        "The voting closes after it opens.",
    )

    # --- computes ------------------------------------------------------------

    @api.depends("company_id.site_vote_change_allowed", "ballot")
    def _compute_change_allowed(self):
        for resolution in self:
            resolution.change_allowed = (
                resolution.ballot == "open" and resolution.company_id.site_vote_change_allowed
            )

    @api.depends("state", "vote_ids.voted", "vote_ids.choice", "ballot")
    def _compute_results(self):
        results = self._results()
        for resolution in self:
            result = results[resolution.id]
            totals, decision = result["totals"], result["decision"]
            visible = result["visible"]
            resolution.results_visible = visible
            resolution.roll_count = result["roll_count"]
            resolution.voted_count = result["voted_count"]
            resolution.not_voted_count = result["roll_count"] - result["voted_count"]
            resolution.turnout_count = float(result["turnout_count"])
            resolution.turnout_weight = float(result["turnout_weight"])
            resolution.for_count = totals.count[voting.FOR] if visible else 0
            resolution.against_count = totals.count[voting.AGAINST] if visible else 0
            resolution.abstain_count = totals.count[voting.ABSTAIN] if visible else 0
            resolution.for_percent = (
                float(voting.percent(totals.weight[voting.FOR], decision.base_weight))
                if visible
                else 0.0
            )
            resolution.quorum_met = bool(visible and decision.quorum_met)
            resolution.passing = bool(visible and decision.passed)
            resolution.area_passing = bool(visible and result["area_decision"].passed)
            resolution.results_html = resolution._results_table(result, by_area=False)
            resolution.area_results_html = resolution._results_table(result, by_area=True)

    # --- counting ------------------------------------------------------------

    def _rule(self):
        self.ensure_one()
        return voting.Rule(
            majority=self.majority,
            base=self.majority_base,
            by_count_too=self.by_count_too,
            abstentions_excluded=self.abstentions_excluded,
            quorum=self.quorum,
            quorum_by=self.quorum_by,
        )

    def _results(self):
        """{resolution id: the live results}: the roll, who voted, and (for an open
        ballot, or a secret one once closed) the totals by choice, by weight and by
        area, with the decision of the engine. Three grouped queries for all."""
        ids = [resolution.id for resolution in self if resolution.id]
        Vote = self.env["site.vote"].sudo()
        roll = {
            resolution.id: (count, weight or 0.0, area or 0.0)
            for resolution, count, weight, area in Vote._read_group(
                [("resolution_id", "in", ids)],
                ["resolution_id"],
                ["__count", "weight:sum", "area:sum"],
            )
        }
        voted = {
            resolution.id: (count, weight or 0.0)
            for resolution, count, weight in Vote._read_group(
                [("resolution_id", "in", ids), ("voted", "=", True)],
                ["resolution_id"],
                ["__count", "weight:sum"],
            )
        }
        cast = {}
        for resolution, choice, count, weight, area in Vote._read_group(
            [("resolution_id", "in", ids), ("voted", "=", True), ("is_secret", "=", False)],
            ["resolution_id", "choice"],
            ["__count", "weight:sum", "area:sum"],
        ):
            cast[resolution.id, choice] = (count, weight or 0.0, area or 0.0)
        closed_secret = self.filtered(lambda r: r.ballot == "secret" and r.state == "closed")
        for row in self.env["site.ballot.tally"].sudo()._totals(closed_secret):
            cast[row["resolution_id"], row["choice"]] = (
                row["ballots"],
                row["weight"],
                row["area"],
            )
        results = {}
        for resolution in self:
            count, weight, area = roll.get(resolution.id, (0, 0.0, 0.0))
            voted_count, voted_weight = voted.get(resolution.id, (0, 0.0))
            totals = voting.Totals(count, resolution._weight(weight))
            area_totals = voting.Totals(count, round_half_up(area, voting.AREA_DIGITS))
            for choice in voting.CHOICES:
                ballots, choice_weight, choice_area = cast.get(
                    (resolution.id, choice), (0, 0.0, 0.0)
                )
                totals.add(choice, resolution._weight(choice_weight), ballots)
                area_totals.add(choice, round_half_up(choice_area, voting.AREA_DIGITS), ballots)
            rule = resolution._rule()
            results[resolution.id] = {
                "visible": resolution.ballot == "open" or resolution.state == "closed",
                "roll_count": count,
                "roll_weight": totals.eligible_weight,
                "voted_count": voted_count,
                "voted_weight": resolution._weight(voted_weight),
                "turnout_count": voting.percent(voted_count, count),
                "turnout_weight": voting.percent(
                    resolution._weight(voted_weight), totals.eligible_weight
                ),
                "totals": totals,
                "decision": voting.decide(totals, rule),
                "area_totals": area_totals,
                "area_decision": voting.decide(area_totals, rule),
            }
        return results

    def _weight(self, value):
        """A weight read from the database as the exact Decimal it was written as."""
        digits = voting.AREA_DIGITS if self.weight_basis == voting.AREA else 8
        return round_half_up(value or 0.0, digits)

    def _format_weight(self, weight):
        """A weight as people read it: a number of units, m², a land share over the
        site's common denominator, a voting share."""
        self.ensure_one()
        if self.weight_basis == voting.UNIT:
            return str(int(weight))
        if self.weight_basis == voting.AREA:
            return f"{formatLang(self.env, float(weight), digits=2)} m²"
        if self.weight_basis == voting.LAND_SHARE:
            return f"{int(weight)}/{self.land_share_scale or 1}"
        return f"{weight.normalize():f}"

    def _result_rows(self, result, by_area=False):
        """The tally as people read it: {'rows': [{choice, label, count, weight, base,
        all}], 'count_percent', 'roll_count', 'roll_weight', 'verdict', 'passed'} (weights
        formatted, percentages of the base and of the whole roll; the units for, in
        percent of the units counted)."""
        self.ensure_one()
        totals = result["area_totals"] if by_area else result["totals"]
        decision = result["area_decision"] if by_area else result["decision"]

        def shown(weight):
            if by_area:
                return f"{formatLang(self.env, float(weight), digits=2)} m²"
            return self._format_weight(weight)

        labels = dict(self.env["site.vote"]._fields["choice"]._description_selection(self.env))
        rows = [
            {
                "choice": choice,
                "label": labels[choice],
                "count": totals.count[choice],
                "weight": shown(totals.weight[choice]),
                "base": voting.percent(totals.weight[choice], decision.base_weight)
                if choice != voting.ABSTAIN or not self.abstentions_excluded
                else None,
                "all": voting.percent(totals.weight[choice], totals.eligible_weight),
            }
            for choice in voting.CHOICES
        ]
        if decision.passed:
            verdict = self.env._("Passes")
        elif not decision.quorum_met:
            verdict = self.env._("No quorum")
        else:
            verdict = self.env._("Does not pass")
        return {
            "rows": rows,
            "count_percent": voting.percent(totals.count[voting.FOR], decision.base_count),
            "roll_count": totals.eligible_count,
            "roll_weight": shown(totals.eligible_weight),
            "verdict": verdict,
            "passed": decision.passed,
        }

    def _results_table(self, result, by_area):
        """The tally as an HTML table (choice, units, weight, % of base, % of all)."""
        self.ensure_one()
        if not result["visible"]:
            return Markup("<p class='text-muted o_site_results_hidden'>%s</p>") % self.env._(
                "The tally of a secret vote is counted when the vote closes; until then "
                "only who has voted is known."
            )
        table = self._result_rows(result, by_area)
        rows = [
            Markup(
                "<tr class='o_site_result_{choice}'><td>{label}</td><td class='text-end'>"
                "{count}</td><td class='text-end'>{weight}</td><td class='text-end'>{base}"
                "</td><td class='text-end'>{all} %</td></tr>"
            ).format(
                choice=row["choice"],
                label=row["label"],
                count=row["count"],
                weight=row["weight"],
                base=f"{row['base']} %" if row["base"] is not None else "—",
                all=row["all"],
            )
            for row in table["rows"]
        ]
        head = Markup(
            "<table class='table table-sm o_site_results'><thead><tr><th>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th class='text-end'>%s</th></tr></thead><tbody>"
        ) % (
            self.env._("Choice"),
            self.env._("Units"),
            self.env._("Weight"),
            self.env._("% of Base"),
            self.env._("% of All"),
        )
        foot = Markup(
            "</tbody><tfoot><tr><th>%s</th><th class='text-end'>%s</th>"
            "<th class='text-end'>%s</th><th colspan='2' class='text-end "
            "o_site_result_verdict' data-passed='%s'>%s</th></tr></tfoot></table>"
        ) % (
            self.env._("Roll"),
            table["roll_count"],
            table["roll_weight"],
            "1" if table["passed"] else "0",
            table["verdict"],
        )
        return head + Markup("").join(rows) + foot

    # --- state ---------------------------------------------------------------

    def action_open(self):
        """Open the vote: every unit of the site goes on the roll with its weight and
        area frozen, and the one who votes for it; a secret vote gets its tally."""
        now = fields.Datetime.now()
        for resolution in self:
            if resolution.state != "draft":
                raise UserError(
                    self.env._("%(name)s is not a draft: it opens once.", name=resolution.name)
                )
            date_open = resolution.date_open or now
            if resolution.date_close <= date_open:
                raise ValidationError(
                    self.env._(
                        "%(name)s: the voting closes (Voting Closes) before it opens.",
                        name=resolution.name,
                    )
                )
            units = self.env["site.unit"].search([("company_id", "=", resolution.company_id.id)])
            if not units:
                raise UserError(
                    self.env._("%(site)s has no units to vote.", site=resolution.company_id.name)
                )
            shares = [
                voting.UnitShares(
                    unit.id,
                    unit.area_gross,
                    unit.land_share_numerator,
                    unit.land_share_denominator,
                    unit.voting_share,
                )
                for unit in units
            ]
            try:
                weights = voting.weights(shares, resolution.weight_basis)
            except voting.VotingError as error:
                raise ValidationError(str(error)) from error
            areas = voting.weights(shares, voting.AREA)
            voters = units._site_voters()
            self.env["site.vote"].with_context(site_vote_roll=True).create(
                [
                    {
                        "resolution_id": resolution.id,
                        "unit_id": unit.id,
                        "weight": float(weights[unit.id]),
                        "area": float(areas[unit.id]),
                        "voter_id": voters[unit.id],
                        "is_secret": resolution.ballot == "secret",
                    }
                    for unit in units
                ]
            )
            if resolution.ballot == "secret":
                self.env["site.ballot.tally"].sudo()._create_for(resolution)
            resolution.with_context(site_resolution_state=True).write(
                {
                    "state": "open",
                    "date_open": date_open,
                    "land_share_scale": voting.land_share_scale(shares),
                }
            )
        return True

    def action_close(self):
        """Close the vote and record its outcome; nothing of it changes afterwards."""
        for resolution in self:
            if resolution.state != "open":
                raise UserError(
                    self.env._(
                        "%(name)s is not open: only an open vote closes.", name=resolution.name
                    )
                )
        self.env["site.ballot.tally"].sudo()._check_against_roll(
            self.filtered(lambda r: r.ballot == "secret")
        )
        self.with_context(site_resolution_state=True).write(
            {"state": "closed", "date_closed": fields.Datetime.now()}
        )
        for resolution, result in self._results().items():
            decision = result["decision"]
            outcome = (
                "passed"
                if decision.passed
                else ("no_quorum" if not decision.quorum_met else "rejected")
            )
            self.browse(resolution).with_context(site_resolution_state=True).outcome = outcome
        return True

    @api.model
    def _cron_close_ended(self):
        """Close the votes whose window has ended."""
        self.search(
            [("state", "=", "open"), ("date_close", "<=", fields.Datetime.now())]
        ).action_close()

    def _window_open(self, now=None):
        """Whether votes may be cast now: open, and inside its window."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        return self.state == "open" and self.date_open <= now < self.date_close

    # --- write guards --------------------------------------------------------

    def write(self, vals):
        if not self.env.context.get("site_resolution_state"):
            fixed = STATE_FIELDS & vals.keys()
            if fixed:
                raise UserError(
                    self.env._(
                        "%(fields)s change only by opening or closing the vote.",
                        fields=", ".join(sorted(fixed)),
                    )
                )
            changed = {name for name in vals if not name.startswith(("message_", "activity_"))}
            for resolution in self:
                if resolution.state == "closed" and changed:
                    raise UserError(
                        self.env._(
                            "%(name)s is closed: nothing of it changes any more.",
                            name=resolution.name,
                        )
                    )
                if resolution.state == "open" and changed & RULE_FIELDS:
                    raise UserError(
                        self.env._(
                            "%(name)s is open: its text and rules (%(fields)s) stay as they "
                            "were when it opened.",
                            name=resolution.name,
                            fields=", ".join(
                                self._fields[name]._description_string(self.env)
                                for name in sorted(changed & RULE_FIELDS)
                            ),
                        )
                    )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_drafts_only(self):
        for resolution in self:
            if resolution.state != "draft":
                raise UserError(
                    self.env._(
                        "%(name)s has been opened: it is kept, with its votes.",
                        name=resolution.name,
                    )
                )

    # --- actions -------------------------------------------------------------

    def action_view_votes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_governance.action_site_vote")
        action["domain"] = [("resolution_id", "=", self.id)]
        action["context"] = {"create": False, "search_default_group_by_building": 0}
        action["name"] = self.name
        return action

    def action_view_not_voted(self):
        action = self.action_view_votes()
        action["context"] = dict(action["context"], search_default_not_voted=1)
        return action

    def action_assembly_count(self):
        """The assembly's count of an open ballot: every unit present at the assembly
        (in person or by proxy) that has not voted yet votes for; the teller then
        records the units that voted against or abstained."""
        self.ensure_one()
        if self.ballot != "open" or not self.assembly_id:
            raise UserError(
                self.env._("Only an open ballot of an assembly is counted by show of hands.")
            )
        attendance = {row.unit_id.id: row for row in self.assembly_id.attendance_ids}
        votes = self.vote_ids.filtered(lambda v: v.unit_id.id in attendance and not v.voted)
        for vote in votes:
            row = attendance[vote.unit_id.id]
            if row.mode == "proxy" and not vote.proxy_name:
                vote.write(
                    {
                        "proxy_name": row.proxy_name,
                        "proxy_document": row.proxy_document,
                        "proxy_document_name": row.proxy_document_name,
                    }
                )
            vote._cast(voting.FOR, source="assembly", voter=row.partner_id or None)
        return True

    def action_print_protocol(self):
        return self.env.ref("site_governance.action_report_resolution_protocol").report_action(self)
