"""Meter alarms the telegrams carry (leak, burst, tampering, low battery...), as events.

Every path that brings remote readings (collector uploads, gateway polls, re-decoding a
stored telegram) hands the alarm codes of its telegrams to ``_record``; the rules of
opening, extending and clearing an event are ``engine.alarms``. An open alarm that is a
task (``engine.alarms.raises_activity``) gets one activity on the meter's unit (on the
meter when it has none) for the site's engineer, done when the alarm clears. An alarm a
meter reports as past (it came and went between two telegrams) is an event over at once.
"""

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from ..engine import alarms as alarms_engine

SOURCES = [
    ("collector", "Collector Upload"),
    ("gateway", "Gateway Poll"),
    ("redecode", "Re-decode"),
]


class SiteMeterAlarm(models.Model):
    _name = "site.meter.alarm"
    _description = "Meter Alarm"
    _order = "state desc, last_seen desc, id desc"  # open ones first
    _check_company_auto = True

    meter_id = fields.Many2one(
        "site.meter", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        related="meter_id.company_id", store=True, string="Site", index=True
    )
    building_id = fields.Many2one(related="meter_id.building_id", store=True)
    unit_id = fields.Many2one(related="meter_id.unit_id", store=True)
    meter_kind = fields.Selection(related="meter_id.kind", store=True, string="Meter Kind")
    code = fields.Selection(alarms_engine.ALARM_CODES, string="Alarm", required=True, index=True)
    severity = fields.Selection(
        alarms_engine.SEVERITIES, compute="_compute_severity", store=True, index=True
    )
    first_seen = fields.Datetime(required=True, help="The first telegram that carried it.")
    last_seen = fields.Datetime(required=True, help="The latest telegram that carried it.")
    cleared_on = fields.Datetime(
        string="Cleared On",
        help="The first later telegram, read in full, that no longer carried it.",
    )
    state = fields.Selection(
        [("open", "Open"), ("cleared", "Cleared")], compute="_compute_state", store=True
    )
    past = fields.Boolean(
        string="Reported as Past",
        readonly=True,
        help="The meter reported it as past: it came and went between two telegrams.",
    )
    source = fields.Selection(SOURCES, help="How the latest telegram with the alarm came.")
    gateway_id = fields.Many2one("site.meter.gateway", ondelete="set null", index="btree_not_null")
    collector_id = fields.Many2one(
        "site.meter.collector", ondelete="set null", index="btree_not_null"
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)

    # One open event per meter and code: every telegram extends it.
    _open_uniq = models.UniqueIndex("(meter_id, code) WHERE cleared_on IS NULL")

    @api.depends("code")
    def _compute_severity(self):
        for alarm in self:
            alarm.severity = alarms_engine.severity(alarm.code) if alarm.code else False

    @api.depends("cleared_on")
    def _compute_state(self):
        for alarm in self:
            alarm.state = "cleared" if alarm.cleared_on else "open"

    @api.depends("code", "meter_id")
    def _compute_display_name(self):
        labels = dict(self._fields["code"]._description_selection(self.env))
        for alarm in self:
            alarm.display_name = f"{labels.get(alarm.code, '')} – {alarm.meter_id.display_name}"

    # --- recording -----------------------------------------------------------------

    @api.model
    def _record(self, observations):
        """Open, extend and clear the alarms of ``observations``
        (``engine.alarms.Observation``; their ``origin``: (source, gateway id, collector
        id)). Returns the alarms opened."""
        if not observations:
            return self.browse()
        Alarm = self.sudo()
        meters = self.env["site.meter"].sudo().browse({obs.meter for obs in observations})
        # A concurrent upload or poll of these meters waits here and is then retried (a
        # serialization failure) rather than open a second event of the same alarm.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM site_meter WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                tuple(meters.ids),
            )
        )
        stored = Alarm.search([("meter_id", "in", meters.ids), ("cleared_on", "=", False)])
        by_key = {(alarm.meter_id.id, alarm.code): alarm for alarm in stored}
        past = {meter.id: meter._alarm_past_codes() for meter in meters}
        changes = alarms_engine.alarm_changes(
            set(by_key),
            {meter.id: meter.alarm_checked for meter in meters if meter.alarm_checked},
            observations,
            past,
        )
        for key, (moment, origin) in changes.seen.items():
            alarm = by_key[key]
            if moment > alarm.last_seen:
                alarm.write(dict(self._origin_values(origin), last_seen=moment))
        cleared = Alarm.browse()
        for key, moment in changes.cleared.items():
            by_key[key].cleared_on = moment
            cleared |= by_key[key]
        # An alarm cleared and back in the batch: its old event must be closed first.
        cleared.flush_recordset(["cleared_on"])
        opened = Alarm.create(
            [
                dict(
                    self._origin_values(event.origin),
                    meter_id=event.meter,
                    code=event.code,
                    first_seen=event.first,
                    last_seen=event.last,
                    cleared_on=event.cleared or False,
                    past=event.past,
                )
                for event in changes.opened
            ]
        )
        for meter in meters:
            vals = {}
            if meter.id in changes.checked:
                vals["alarm_checked"] = changes.checked[meter.id]
            if meter.id in changes.past and changes.past[meter.id] != past[meter.id]:
                vals["alarm_past_codes"] = ",".join(sorted(changes.past[meter.id])) or False
            meter.write(vals)
        cleared._close_activities()
        opened.filtered(lambda alarm: not alarm.cleared_on)._open_activities()
        return opened

    @api.model
    def _origin_values(self, origin):
        source, gateway, collector = origin or (False, False, False)
        return {
            "source": source,
            "gateway_id": gateway or False,
            "collector_id": collector or False,
        }

    def _code_label(self):
        self.ensure_one()
        return dict(self._fields["code"]._description_selection(self.env))[self.code]

    def _open_activities(self):
        """One activity per alarm that is a task, on its unit (or meter), for the site's
        engineer, in their language and timezone."""
        alarms = self.filtered(lambda a: alarms_engine.raises_activity(a.code))
        if not alarms:
            return
        activity_type = self.env.ref("site_metering.mail_activity_type_meter_alarm")
        users = {site: site._site_meter_alarm_user() for site in alarms.company_id}
        model_ids = {
            name: self.env["ir.model"]._get_id(name) for name in ("site.unit", "site.meter")
        }
        today = fields.Date.context_today(self)
        values = []
        for alarm in alarms:
            user = users[alarm.company_id]
            local = alarm.with_context(lang=user.lang or self.env.lang)
            values.append(
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_ids["site.unit" if alarm.unit_id else "site.meter"],
                    "res_id": alarm.unit_id.id or alarm.meter_id.id,
                    "user_id": user.id or self.env.uid,
                    "date_deadline": today,
                    "summary": local.env._("Meter alarm: %(alarm)s", alarm=local.display_name),
                    "note": local.env._(
                        "Meter %(meter)s reports %(alarm)s since %(moment)s. The activity is "
                        "done by itself when a later telegram no longer carries the alarm.",
                        meter=alarm.meter_id.display_name,
                        alarm=local._code_label(),
                        moment=format_datetime(local.env, alarm.first_seen, tz=user.tz),
                    ),
                }
            )
        activities = self.env["mail.activity"].sudo().create(values)
        for alarm, activity in zip(alarms, activities):
            alarm.activity_id = activity

    def _close_activities(self):
        """Mark the open activities of these cleared alarms done, saying when they cleared."""
        for alarm in self.filtered(lambda a: a.activity_id.active):
            user = alarm.activity_id.user_id
            local = alarm.with_context(lang=user.lang or self.env.lang)
            alarm.activity_id.sudo().action_feedback(
                feedback=local.env._(
                    "Alarm cleared: a telegram of %(moment)s no longer carries it.",
                    moment=format_datetime(local.env, alarm.cleared_on, tz=user.tz),
                )
            )
