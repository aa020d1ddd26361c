from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.site_residents.engine.dates import day_of_month

from ..engine import readings as readings_engine
from .site_meter import METER_KINDS

KIND_FIELDS = {kind: f"read_{kind}" for kind, _label in METER_KINDS}
LINE_STATES = [
    ("todo", "To Read"),
    ("done", "Read"),
    ("skipped", "Skipped"),
    ("missing", "Missing"),
]


class SiteReadingCampaign(models.Model):
    """One round of meter readings on a site for a period: which meters, who reads
    them, how far it got; at its close the meters not read are listed (and may be
    estimated)."""

    _name = "site.reading.campaign"
    _description = "Reading Campaign"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "period desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    period = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
        tracking=True,
        help="The month read; any day of it may be entered, the first is kept.",
    )
    date_from = fields.Date(
        string="Read From",
        required=True,
        compute="_compute_window",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="First day of the reading window (the site's window days by default).",
    )
    date_to = fields.Date(
        string="Read Until",
        required=True,
        compute="_compute_window",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    building_ids = fields.Many2many(
        "site.building",
        string="Buildings",
        check_company=True,
        help="Leave empty to read the meters of every building of the site.",
    )
    read_hca = fields.Boolean(string="Heat Cost Allocators", default=True)
    read_heat = fields.Boolean(string="Heat Meters", default=True)
    read_cold_water = fields.Boolean(string="Cold Water", default=True)
    read_hot_water = fields.Boolean(string="Hot Water", default=True)
    read_gas = fields.Boolean(string="Gas", default=True)
    read_electricity = fields.Boolean(string="Electricity", default=True)
    user_id = fields.Many2one(
        "res.users",
        string="Default Reader",
        default=lambda self: self.env.user,
        help="Reads the meters of the buildings with no reader of their own.",
    )
    reader_ids = fields.One2many(
        "site.reading.campaign.reader", "campaign_id", string="Readers by Building"
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In Progress"),
            ("done", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many("site.reading.campaign.line", "campaign_id", string="Meters")
    line_count = fields.Integer(compute="_compute_counts", string="Meters to Read")
    todo_count = fields.Integer(compute="_compute_counts", string="To Read")
    done_count = fields.Integer(compute="_compute_counts", string="Read")
    skipped_count = fields.Integer(compute="_compute_counts", string="Skipped")
    missing_count = fields.Integer(compute="_compute_counts", string="Missing")
    flagged_count = fields.Integer(compute="_compute_counts", string="Awaiting Acceptance")
    estimated_count = fields.Integer(compute="_compute_counts", string="Estimated")
    progress = fields.Float(compute="_compute_counts", string="Progress (%)")
    note = fields.Html()

    _dates_check = models.Constraint(
        "CHECK (date_from <= date_to)", "A campaign's reading window cannot end before it starts."
    )

    @api.depends("period")
    def _compute_name(self):
        for campaign in self:
            if campaign.period and not campaign.name:
                campaign.name = self.env._(
                    "Readings %(month)s", month=campaign.period.strftime("%Y-%m")
                )

    @api.depends("period", "company_id")
    def _compute_window(self):
        for campaign in self:
            if not campaign.period:
                continue
            first, last = (campaign.company_id or self.env.company)._site_reading_window()
            campaign.date_from = day_of_month(campaign.period, first)
            campaign.date_to = day_of_month(campaign.period, last)

    @api.depends("line_ids.state", "line_ids.flagged", "line_ids.estimated")
    def _compute_counts(self):
        counts = defaultdict(int)
        for campaign, state, flagged, estimated, count in self.env[
            "site.reading.campaign.line"
        ]._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "state", "flagged", "estimated"],
            ["__count"],
        ):
            counts[campaign.id, state] += count
            counts[campaign.id, "flagged"] += count if flagged else 0
            counts[campaign.id, "estimated"] += count if estimated else 0
        for campaign in self:
            key = campaign.id
            states = {state: counts[key, state] for state, _label in LINE_STATES}
            total = sum(states.values())
            campaign.line_count = total
            campaign.todo_count = states["todo"]
            campaign.done_count = states["done"]
            campaign.skipped_count = states["skipped"]
            campaign.missing_count = states["missing"]
            campaign.flagged_count = counts[key, "flagged"]
            campaign.estimated_count = counts[key, "estimated"]
            campaign.progress = (
                100.0 * (states["done"] + states["skipped"]) / total if total else 0.0
            )

    @api.onchange("period")
    def _onchange_period_name(self):
        if self.period and self.state == "draft":
            self.name = self.env._("Readings %(month)s", month=self.period.strftime("%Y-%m"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("period"):
                vals["period"] = fields.Date.to_date(vals["period"]).replace(day=1)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("period"):
            vals["period"] = fields.Date.to_date(vals["period"]).replace(day=1)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        if any(campaign.state == "done" for campaign in self):
            raise UserError(self.env._("A closed reading campaign cannot be deleted."))

    # --- scope -------------------------------------------------------------------

    def _kinds(self):
        self.ensure_one()
        return [kind for kind, name in KIND_FIELDS.items() if self[name]]

    def _meters_in_scope(self):
        """The site's meters in service this campaign reads."""
        self.ensure_one()
        kinds = self._kinds()
        if not kinds:
            raise UserError(
                self.env._("Campaign %(name)s: choose the kinds of meter to read.", name=self.name)
            )
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "active"),
            ("kind", "in", kinds),
        ]
        if self.building_ids:
            domain.append(("building_id", "in", self.building_ids.ids))
        return self.env["site.meter"].search(domain)

    def _reader_of(self, building):
        self.ensure_one()
        for assignment in self.reader_ids:
            if assignment.building_id == building:
                return assignment.reader_id
        return self.user_id

    # --- actions -----------------------------------------------------------------

    def action_start(self):
        """Create one line per meter to read (one batched create), then link the
        readings already taken in the window."""
        Line = self.env["site.reading.campaign.line"]
        Reading = self.env["site.meter.reading"]
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(
                    self.env._("Campaign %(name)s was already started.", name=campaign.display_name)
                )
            meters = campaign._meters_in_scope()
            if not meters:
                raise UserError(
                    self.env._(
                        "Campaign %(name)s: the site has no meters in service of the chosen "
                        "kinds in the chosen buildings.",
                        name=campaign.display_name,
                    )
                )
            campaign._check_overlap(meters)
            last = Reading._last_readings(meters.ids)
            readers = {}
            values = []
            for meter in meters:
                if meter.building_id not in readers:
                    readers[meter.building_id] = campaign._reader_of(meter.building_id)
                previous = last.get(meter.id)
                values.append(
                    {
                        "campaign_id": campaign.id,
                        "meter_id": meter.id,
                        "reader_id": readers[meter.building_id].id,
                        "previous_value": previous.value if previous else 0.0,
                        "previous_date": previous.date if previous else False,
                    }
                )
            Line.create(values)
            campaign.state = "in_progress"
        self._sync_readings()
        return True

    def _check_overlap(self, meters):
        """A meter is read by one campaign at a time: refuse overlapping windows."""
        self.ensure_one()
        busy = self.env["site.reading.campaign.line"].search(
            [
                ("meter_id", "in", meters.ids),
                ("campaign_id", "!=", self.id),
                ("campaign_id.state", "=", "in_progress"),
                ("campaign_id.date_from", "<=", self.date_to),
                ("campaign_id.date_to", ">=", self.date_from),
            ]
        )
        if busy:
            raise UserError(
                self.env._(
                    "Campaign %(other)s in progress already reads %(count)s of these meters "
                    "(%(meters)s) in an overlapping window: close it or choose other buildings "
                    "or kinds.",
                    other=busy.campaign_id[0].display_name,
                    count=len(busy),
                    meters=", ".join(busy[:5].meter_id.mapped("serial")),
                )
            )

    def action_apply_readers(self):
        """Give the lines still to read the reader of their building."""
        for campaign in self:
            todo = campaign.line_ids.filtered(lambda line: line.state == "todo")
            by_reader = defaultdict(lambda: self.env["site.reading.campaign.line"])
            for line in todo:
                by_reader[campaign._reader_of(line.building_id)] |= line
            for reader, lines in by_reader.items():
                lines.write({"reader_id": reader.id})
        return True

    def action_sync_readings(self):
        self._sync_readings()
        return True

    def _sync_readings(self):
        """Mark done the lines whose meter was read in the window by any channel."""
        lines = self.line_ids.filtered(lambda line: line.state in ("todo", "missing"))
        if not lines:
            return
        date_from = min(self.mapped("date_from"))
        date_to = max(self.mapped("date_to"))
        found = {}
        for reading in self.env["site.meter.reading"].search(
            [
                ("meter_id", "in", lines.meter_id.ids),
                ("state", "in", ("to_accept", "validated")),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date, id",
        ):
            found.setdefault(reading.meter_id.id, []).append(reading)
        for line in lines:
            for reading in found.get(line.meter_id.id, []):
                if line.campaign_id.date_from <= reading.date <= line.campaign_id.date_to:
                    line.write({"state": "done", "reading_id": reading.id})
                    break

    def _missing_lines(self):
        """{line: reason} of the meters not read in the window (skipped ones too), once
        the readings taken meanwhile by any channel are linked
        (``engine.readings.check_missing``)."""
        self._sync_readings()
        todo = self.line_ids.filtered(lambda line: line.state in ("todo", "skipped"))
        history = defaultdict(list)
        for reading in self.env["site.meter.reading"].search(
            [
                ("meter_id", "in", todo.meter_id.ids),
                ("state", "in", ("to_accept", "validated")),
                ("date", ">=", min(self.mapped("date_from"), default=date.min)),
                ("date", "<=", max(self.mapped("date_to"), default=date.max)),
            ]
        ):
            history[reading.meter_id.id].append(
                readings_engine.Reading(reading.date, reading.value)
            )
        missing = {}
        for line in todo:
            flag = readings_engine.check_missing(
                history[line.meter_id.id], line.campaign_id.date_from, line.campaign_id.date_to
            )
            if flag:
                missing[line] = self.env["site.meter.reading"]._flag_message(flag)
        return missing

    def action_close(self):
        return self._close(estimate=False)

    def action_close_estimate(self):
        return self._close(estimate=True)

    def _close(self, estimate):
        """Close: the lines still to read become missing, listed in the chatter.

        With ``estimate``, each missing unit meter gets an estimated reading on the
        window's last day for the month ending then (``site.meter._estimate_missing``
        over (date_to − 1 month, date_to]); meters never read cannot be estimated and
        stay listed.
        """
        for campaign in self:
            if campaign.state != "in_progress":
                raise UserError(
                    self.env._(
                        "Only a campaign in progress can be closed (%(name)s).",
                        name=campaign.display_name,
                    )
                )
        for campaign in self:
            reasons = campaign._missing_lines()
            missing = self.env["site.reading.campaign.line"]
            by_reason = defaultdict(lambda: self.env["site.reading.campaign.line"])
            for line, reason in reasons.items():
                by_reason[reason] |= line
                missing |= line
            for reason, lines in by_reason.items():
                lines.write({"state": "missing", "missing_reason": reason})
            estimated = self.env["site.meter.reading"]
            if estimate and missing:
                estimated = campaign._estimate(missing)
            campaign.state = "done"
            campaign._post_close_summary(missing, estimated)
        return True

    def _estimate(self, missing):
        self.ensure_one()
        meters = missing.meter_id.filtered(lambda m: m.placement == "unit")
        last = self.env["site.meter.reading"]._last_readings(meters.ids)
        meters = meters.filtered(lambda m: m.id in last)
        # The meters read in the campaign are the comparable units and the building's
        # average; _estimate_missing estimates only those with no reading in the period.
        read = self.line_ids.filtered(lambda line: line.state == "done").meter_id
        period_from = self.date_to - relativedelta(months=1)
        estimated = (meters | read)._estimate_missing(period_from, self.date_to)
        by_meter = {reading.meter_id.id: reading for reading in estimated}
        for line in missing:
            if line.meter_id.id in by_meter:
                line.reading_id = by_meter[line.meter_id.id]
        return estimated

    def _post_close_summary(self, missing, estimated):
        self.ensure_one()
        if not missing:
            body = self.env._("Campaign closed: every meter was read or skipped.")
            self.message_post(body=body)
            return
        items = [
            self.env._(
                "%(meter)s%(estimate)s",
                meter=line.meter_id.display_name,
                estimate=self.env._(" (estimated)") if line.reading_id else "",
            )
            for line in missing
        ]
        self.message_post(
            body=self.env._(
                "Campaign closed with %(count)s meter(s) not read between %(start)s and "
                "%(end)s: %(meters)s. %(estimated)s estimated.",
                count=len(missing),
                start=self.date_from,
                end=self.date_to,
                meters=", ".join(items),
                estimated=len(estimated),
            )
        )

    def action_cancel(self):
        for campaign in self:
            if campaign.state == "done":
                raise UserError(
                    self.env._(
                        "Campaign %(name)s is closed; it cannot be cancelled.",
                        name=campaign.display_name,
                    )
                )
        self.write({"state": "cancelled"})
        return True

    def action_draft(self):
        """Back to draft from cancelled; lines not read are dropped."""
        for campaign in self.filtered(lambda c: c.state == "cancelled"):
            campaign.line_ids.filtered(lambda line: not line.reading_id).unlink()
            campaign.state = "draft"
        return True

    def _open_lines(self, domain, name):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_reading_campaign_line"
        )
        action["domain"] = [("campaign_id", "=", self.id)] + domain
        action["context"] = {"default_campaign_id": self.id, "search_default_group_building": 1}
        action["name"] = name
        return action

    def action_view_lines(self):
        return self._open_lines([], self.env._("Meters to Read"))

    def action_view_missing(self):
        return self._open_lines([("state", "=", "missing")], self.env._("Missing Readings"))

    def action_view_flagged(self):
        return self._open_lines([("flagged", "=", True)], self.env._("Awaiting Acceptance"))
