from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.site_residents.engine import history

from ..engine import voting
from .site_resolution import QUORUM_BASES, QUORUMS, WEIGHT_BASES

KINDS = [
    ("ordinary", "Ordinary"),
    ("extraordinary", "Extraordinary"),
    ("written", "Written Procedure"),
]


class SiteAssembly(models.Model):
    """A general assembly of a site's owners (or a written procedure in its place): the
    notice each owner got, who attended in person or by proxy, the quorum, the agenda
    and the resolutions voted."""

    _name = "site.assembly"
    _description = "General Assembly"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.company.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    date = fields.Datetime(required=True, tracking=True)
    place = fields.Char(tracking=True)
    kind = fields.Selection(KINDS, required=True, default="ordinary", tracking=True)
    founding = fields.Boolean(
        string="Founding an Association",
        tracking=True,
        help="The founding assembly of an association of co-owners (the Ukrainian OSBB): "
        "its lists of who was informed, who returned the questionnaire and who has not "
        "voted, and its votes recounted by area.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("convened", "Convened"),
            ("done", "Held"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    notice_date = fields.Date(
        default=fields.Date.context_today,
        tracking=True,
        help="The owners on this day get the notice.",
    )
    chair_name = fields.Char(string="Chair")
    secretary_name = fields.Char(string="Secretary")
    minutes = fields.Html(help="What was said and decided, for the minutes.")
    item_ids = fields.One2many("site.assembly.item", "assembly_id", string="Agenda", copy=True)
    notice_ids = fields.One2many("site.assembly.notice", "assembly_id", string="Notices")
    attendance_ids = fields.One2many("site.assembly.attendance", "assembly_id", string="Attendance")
    resolution_ids = fields.One2many("site.resolution", "assembly_id", string="Resolutions")
    weight_basis = fields.Selection(
        WEIGHT_BASES,
        string="Quorum Weight",
        required=True,
        default=voting.VOTING_SHARE,
        help="What a unit present weighs towards the quorum by share.",
    )
    quorum = fields.Selection(QUORUMS, required=True, default=voting.SIMPLE)
    quorum_by = fields.Selection(
        QUORUM_BASES, string="Quorum By", required=True, default=voting.BY_BOTH
    )
    unit_count = fields.Integer(string="Units", compute="_compute_quorum")
    present_count = fields.Integer(string="Units Present", compute="_compute_quorum")
    present_count_percent = fields.Float(
        string="Present (Units, %)", digits=(5, 2), compute="_compute_quorum"
    )
    present_weight_percent = fields.Float(
        string="Present (Share, %)", digits=(5, 2), compute="_compute_quorum"
    )
    quorum_met = fields.Boolean(compute="_compute_quorum")
    notice_count = fields.Integer(compute="_compute_counts")
    notice_unsent_count = fields.Integer(string="Not Sent", compute="_compute_counts")
    written_notice_count = fields.Integer(string="Informed in Writing", compute="_compute_counts")
    registered_notice_count = fields.Integer(
        string="By Registered Letter", compute="_compute_counts"
    )
    questionnaire_missing_count = fields.Integer(
        string="Questionnaires Not Returned", compute="_compute_counts"
    )
    resolution_count = fields.Integer(compute="_compute_counts")
    not_voted_count = fields.Integer(string="Votes Missing", compute="_compute_counts")
    color = fields.Integer()

    @api.depends("attendance_ids.unit_id", "weight_basis", "quorum", "quorum_by")
    def _compute_quorum(self):
        Unit = self.env["site.unit"]
        units_by_site = Unit.search([("company_id", "in", self.company_id.ids)]).grouped(
            "company_id"
        )
        for assembly in self:
            units = units_by_site.get(assembly.company_id, Unit)
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
            weights = voting.weights(shares, assembly.weight_basis)
            present = set(assembly.attendance_ids.unit_id.ids) & set(weights)
            present_weight = sum((weights[unit_id] for unit_id in present), voting.ZERO)
            total_weight = sum(weights.values(), voting.ZERO)
            assembly.unit_count = len(units)
            assembly.present_count = len(present)
            assembly.present_count_percent = float(voting.percent(len(present), len(units)))
            assembly.present_weight_percent = float(voting.percent(present_weight, total_weight))
            assembly.quorum_met = voting.quorum_met(
                len(present),
                present_weight,
                len(units),
                total_weight,
                assembly.quorum,
                assembly.quorum_by,
            )

    @api.depends(
        "notice_ids.sent_on",
        "notice_ids.method",
        "notice_ids.questionnaire_returned_on",
        "resolution_ids.state",
        "resolution_ids.vote_ids.voted",
    )
    def _compute_counts(self):
        Notice = self.env["site.assembly.notice"]

        def counted(model, domain):
            return dict(
                self.env[model]._read_group(
                    [("assembly_id", "in", self.ids), *domain], ["assembly_id"], ["__count"]
                )
            )

        notices = counted(Notice._name, [])
        unsent = counted(Notice._name, [("sent_on", "=", False)])
        written = counted(Notice._name, [("method", "in", ("letter", "registered"))])
        registered = counted(Notice._name, [("method", "=", "registered")])
        missing = counted(Notice._name, [("questionnaire_returned_on", "=", False)])
        resolutions = counted("site.resolution", [])
        not_voted = dict(
            self.env["site.vote"]._read_group(
                [
                    ("resolution_id.assembly_id", "in", self.ids),
                    ("resolution_id.state", "!=", "draft"),
                    ("voted", "=", False),
                ],
                ["resolution_id.assembly_id"],
                ["__count"],
            )
        )
        for assembly in self:
            assembly.notice_count = notices.get(assembly, 0)
            assembly.notice_unsent_count = unsent.get(assembly, 0)
            assembly.written_notice_count = written.get(assembly, 0)
            assembly.registered_notice_count = registered.get(assembly, 0)
            assembly.questionnaire_missing_count = missing.get(assembly, 0)
            assembly.resolution_count = resolutions.get(assembly, 0)
            assembly.not_voted_count = not_voted.get(assembly, 0)

    # --- notices -------------------------------------------------------------

    def action_generate_notices(self):
        """One notice for every person owning units of the site on the notice date, with
        their units; people already noticed keep their row (their units brought up to
        date). By e-mail where the person has an address, else by letter."""
        Notice = self.env["site.assembly.notice"]
        for assembly in self:
            day = assembly.notice_date or fields.Date.context_today(self)
            units = self.env["site.unit"].search([("company_id", "=", assembly.company_id.id)])
            owned = {}
            for unit_id, relations in units._relations_by_unit([history.OWNER]).items():
                for relation in history.active_on(relations, day):
                    owned.setdefault(relation.partner_id, []).append(unit_id)
            existing = {notice.partner_id.id: notice for notice in assembly.notice_ids}
            partners = self.env["res.partner"].browse(owned)
            new = []
            for partner in partners:
                unit_ids = [(6, 0, owned[partner.id])]
                if partner.id in existing:
                    existing[partner.id].unit_ids = unit_ids
                else:
                    new.append(
                        {
                            "assembly_id": assembly.id,
                            "partner_id": partner.id,
                            "unit_ids": unit_ids,
                            "method": "email" if partner.email else "letter",
                        }
                    )
            Notice.create(new)
        return True

    # --- states --------------------------------------------------------------

    def action_convene(self):
        for assembly in self:
            if not assembly.notice_ids:
                raise UserError(
                    self.env._(
                        "%(name)s: generate the owners' notices (Notices) before convening.",
                        name=assembly.name,
                    )
                )
        self.write({"state": "convened"})

    def action_done(self):
        self.write({"state": "done"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_draft(self):
        self.write({"state": "draft"})

    # --- lists ---------------------------------------------------------------

    def _action_list(self, xml_id, name, context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["name"] = name
        action["domain"] = [("assembly_id", "=", self.id)]
        action["context"] = dict(context or {}, default_assembly_id=self.id)
        return action

    def action_view_notices(self):
        return self._action_list("site_governance.action_site_assembly_notice", self.name)

    def action_view_unsent(self):
        return self._action_list(
            "site_governance.action_site_assembly_notice",
            self.env._("Notices Not Sent"),
            {"search_default_not_sent": 1},
        )

    def action_view_written(self):
        return self._action_list(
            "site_governance.action_site_assembly_notice",
            self.env._("Informed in Writing"),
            {"search_default_in_writing": 1},
        )

    def action_view_registered(self):
        return self._action_list(
            "site_governance.action_site_assembly_notice",
            self.env._("Informed by Registered Letter"),
            {"search_default_registered": 1},
        )

    def action_view_questionnaire_missing(self):
        return self._action_list(
            "site_governance.action_site_assembly_notice",
            self.env._("Questionnaires Not Returned"),
            {"search_default_questionnaire_missing": 1},
        )

    def action_view_attendance(self):
        return self._action_list(
            "site_governance.action_site_assembly_attendance", self.env._("Attendance")
        )

    def action_view_resolutions(self):
        return self._action_list("site_governance.action_site_resolution", self.name)

    def action_view_not_voted(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_governance.action_site_vote")
        action["name"] = self.env._("Not Voted")
        action["domain"] = [
            ("resolution_id.assembly_id", "=", self.id),
            ("resolution_id.state", "!=", "draft"),
        ]
        action["context"] = {"create": False, "search_default_not_voted": 1}
        return action

    def action_print_minutes(self):
        return self.env.ref("site_governance.action_report_assembly_minutes").report_action(self)
