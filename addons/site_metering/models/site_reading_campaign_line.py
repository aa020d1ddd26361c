from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .site_meter import uom_label
from .site_reading_campaign import LINE_STATES


class SiteReadingCampaignLine(models.Model):
    """One meter to read in a campaign."""

    _name = "site.reading.campaign.line"
    _description = "Reading Campaign Meter"
    _order = "campaign_id, building_id, unit_code_sort, kind, room, id"
    _rec_name = "meter_id"
    _check_company_auto = True

    campaign_id = fields.Many2one(
        "site.reading.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="campaign_id.company_id", store=True, string="Site", index=True
    )
    campaign_state = fields.Selection(related="campaign_id.state", string="Campaign Status")
    meter_id = fields.Many2one("site.meter", required=True, index=True, check_company=True)
    serial = fields.Char(related="meter_id.serial")
    unit_id = fields.Many2one(related="meter_id.unit_id", store=True, index=True)
    unit_code_sort = fields.Char(related="meter_id.unit_code_sort", store=True)
    building_id = fields.Many2one(related="meter_id.building_id", store=True, index=True)
    room = fields.Char(related="meter_id.room", store=True)
    kind = fields.Selection(related="meter_id.kind", store=True)
    uom = fields.Char(related="meter_id.uom")
    reader_id = fields.Many2one("res.users", string="Reader", index=True)
    previous_value = fields.Float(digits=(16, 3), readonly=True)
    previous_date = fields.Date(readonly=True)
    reading_id = fields.Many2one("site.meter.reading", string="Reading", readonly=True)
    value = fields.Float(related="reading_id.value", string="Value Read")
    read_date = fields.Date(related="reading_id.date", string="Read On")
    consumption = fields.Float(related="reading_id.consumption")
    reading_state = fields.Selection(related="reading_id.state", string="Reading Status")
    check_reasons = fields.Text(related="reading_id.check_reasons")
    estimated = fields.Boolean(related="reading_id.estimated", store=True)
    flagged = fields.Boolean(
        string="Awaiting Acceptance",
        compute="_compute_flagged",
        store=True,
        help="The reading waits for acceptance: see its reasons.",
    )
    state = fields.Selection(LINE_STATES, default="todo", required=True, index=True)
    skip_reason = fields.Char(help="Why the meter was not read: no access, broken seal...")
    entry_value = fields.Float(
        string="New Value",
        digits=(16, 3),
        help="Type the value shown by the meter, then Save Reading.",
    )
    missing_reason = fields.Char(readonly=True)

    _meter_uniq = models.Constraint(
        "UNIQUE (campaign_id, meter_id)", "A meter is read once per campaign."
    )

    @api.depends("reading_id.state")
    def _compute_flagged(self):
        for line in self:
            line.flagged = line.reading_id.state == "to_accept"

    def _check_open(self):
        for line in self:
            if line.campaign_id.state != "in_progress":
                raise UserError(
                    self.env._(
                        "Campaign %(campaign)s is not in progress: meter %(meter)s cannot be "
                        "recorded in it.",
                        campaign=line.campaign_id.display_name,
                        meter=line.meter_id.display_name,
                    )
                )

    def record_value(self, value, day=None):
        """Record the meter's value read today (or on ``day``) and link the reading.

        The reading's checks run as for any reading: a refused value raises a
        ValidationError naming the meter; an unusual one is kept, awaiting acceptance.
        """
        self.ensure_one()
        self._check_open()
        if self.state == "done":
            raise UserError(
                self.env._(
                    "Meter %(meter)s was already read in this campaign (%(value)s on %(date)s); "
                    "correct that reading instead.",
                    meter=self.meter_id.display_name,
                    value=self.value,
                    date=self.read_date,
                )
            )
        try:
            value = float(value)
        except (TypeError, ValueError) as error:
            raise ValidationError(
                self.env._(
                    "Meter %(meter)s: %(value)s is not a number.",
                    meter=self.meter_id.display_name,
                    value=value,
                )
            ) from error
        day = fields.Date.to_date(day) if day else fields.Date.context_today(self)
        campaign = self.campaign_id
        if not campaign.date_from <= day <= campaign.date_to:
            raise UserError(
                self.env._(
                    "Campaign %(campaign)s reads from %(start)s to %(end)s; %(day)s is outside "
                    "that window. Ask the manager to extend it.",
                    campaign=campaign.display_name,
                    start=campaign.date_from,
                    end=campaign.date_to,
                    day=day,
                )
            )
        reading = self.env["site.meter.reading"].create(
            {
                "meter_id": self.meter_id.id,
                "date": day,
                "value": value,
                "source": "engineer",
                "reader_id": self.env.uid,
            }
        )
        self.write({"reading_id": reading.id, "state": "done", "skip_reason": False})
        return reading

    def action_record_entry(self):
        """The form's and the kanban's Save Reading: record the value typed in."""
        for line in self:
            line.record_value(line.entry_value)
        self.write({"entry_value": 0.0})
        return True

    def action_skip(self, reason=None):
        self._check_open()
        reason = reason or self.env.context.get("skip_reason")
        for line in self:
            if line.state != "todo":
                raise UserError(
                    self.env._(
                        "Meter %(meter)s is not waiting to be read.",
                        meter=line.meter_id.display_name,
                    )
                )
        self.write({"state": "skipped", "skip_reason": reason or self.env._("Not read")})
        return True

    def action_reset(self):
        """A skipped meter goes back to the list to read."""
        self._check_open()
        self.filtered(lambda line: line.state == "skipped").write(
            {"state": "todo", "skip_reason": False}
        )
        return True

    # --- the engineers' entry page (client action "Read Meters") ------------------

    @api.model
    def _engineer_domain(self):
        return [
            ("campaign_id.state", "=", "in_progress"),
            ("state", "=", "todo"),
            "|",
            ("reader_id", "=", self.env.uid),
            ("reader_id", "=", False),
        ]

    def _engineer_line(self):
        self.ensure_one()
        return {
            "id": self.id,
            "serial": self.meter_id.serial,
            "kind": dict(self._fields["kind"]._description_selection(self.env)).get(self.kind, ""),
            "uom": uom_label(self.env, self.kind),
            "room": self.room or "",
            "unit": self.unit_id.code or "",
            "building": self.building_id.name or self.env._("Common"),
            "previous_value": self.previous_value,
            "previous_date": fields.Date.to_string(self.previous_date) or "",
            "campaign": self.campaign_id.name,
        }

    @api.model
    def get_engineer_data(self):
        """The current user's meters to read, grouped by building and unit."""
        lines = self.search(self._engineer_domain())
        groups = []
        index = {}
        for line in lines:
            key = (line.building_id.id, line.unit_id.id)
            if key not in index:
                index[key] = len(groups)
                title = " / ".join(
                    part for part in (line.building_id.name, line.unit_id.code) if part
                )
                groups.append({"key": f"{key[0]}-{key[1]}", "title": title, "lines": []})
            groups[index[key]]["lines"].append(line._engineer_line())
        return {"groups": groups, "count": len(lines)}

    def engineer_record_value(self, value):
        """Record from the entry page: the outcome as data, never an exception."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                reading = self.record_value(value)
        except (UserError, ValidationError) as error:
            return {"status": "refused", "message": str(error.args[0] if error.args else error)}
        if reading.state == "to_accept":
            return {
                "status": "flagged",
                "message": self.env._(
                    "Awaiting acceptance: %(reasons)s", reasons=reading.check_reasons or ""
                ),
                "consumption": reading.consumption,
            }
        return {
            "status": "done",
            "message": self.env._(
                "Saved: %(value)s %(uom)s, %(used)s used since the last reading.",
                value=reading.value,
                uom=self.uom or "",
                used=round(reading.consumption, 3),
            ),
            "consumption": reading.consumption,
        }

    def engineer_skip(self, reason):
        self.ensure_one()
        try:
            with self.env.cr.savepoint():
                self.action_skip(reason)
        except UserError as error:
            return {"status": "refused", "message": str(error.args[0])}
        return {"status": "skipped", "message": self.env._("Skipped.")}
