import logging

import site_collector

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import collector_upload, remote

_logger = logging.getLogger(__name__)

# Compact-frame formats a meter keeps (the latest learned): a meter sends a handful, and
# a collector uploads as many.
MAX_FORMATS = collector_upload.MAX_FORMATS


class SiteMeter(models.Model):
    """A meter's remote reading: its gateway or collector, its read errors, its alarms
    and the compact-frame formats learned from its full telegrams."""

    _inherit = "site.meter"

    gateway_id = fields.Many2one(
        "site.meter.gateway",
        string="M-Bus Gateway",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    collector_id = fields.Many2one(
        "site.meter.collector",
        string="Collector",
        index="btree_not_null",
        tracking=True,
        ondelete="set null",
        domain="[('company_ids', 'in', company_id)]",
        help="The collector that uploads this meter's readings. A collector may upload the "
        "meters assigned to it and those on a gateway of its sites, no others.",
    )
    remote_error_ids = fields.One2many("site.meter.remote.error", "meter_id", string="Read Errors")
    remote_last_error = fields.Selection(remote.ERROR_CODES, string="Last Error", readonly=True)
    remote_last_error_message = fields.Char(string="Last Error Message", readonly=True)
    remote_last_error_date = fields.Datetime(string="Last Error On", readonly=True)
    remote_error_count = fields.Integer(
        string="Failed Reads in a Row", readonly=True, help="Reset by the next good read."
    )
    remote_last_read = fields.Datetime(string="Last Remote Read", readonly=True)
    alarm_ids = fields.One2many("site.meter.alarm", "meter_id", string="Alarms")
    alarm_open_count = fields.Integer(string="Open Alarms", compute="_compute_alarm_open")
    alarm_critical = fields.Boolean(
        string="Leak or Burst", compute="_compute_alarm_open", search="_search_alarm_critical"
    )
    alarm_checked = fields.Datetime(
        string="Alarms Read At",
        readonly=True,
        copy=False,
        help="The latest telegram the meter's alarms were read from; older ones change nothing.",
    )
    alarm_past_codes = fields.Char(
        string="Past Alarms Reported",
        readonly=True,
        copy=False,
        help="The alarm codes the meter's latest telegram reported as past (Diehl's "
        "previous alarms): the next telegrams repeating them add no event.",
    )
    wmbus_formats = fields.Json(
        string="Compact Frame Formats",
        readonly=True,
        copy=False,
        help="Format signature → record headers, learned from the meter's full telegrams: "
        "its compact frames (CI 0x79) decode with them.",
    )
    wmbus_format_signatures = fields.Char(
        string="Known Compact Formats", compute="_compute_wmbus_format_signatures"
    )

    @api.depends("alarm_ids.state", "alarm_ids.severity")
    def _compute_alarm_open(self):
        groups = self.env["site.meter.alarm"]._read_group(
            [("meter_id", "in", self.ids), ("state", "=", "open")],
            ["meter_id", "severity"],
            ["__count"],
        )
        counts, critical = {}, set()
        for meter, severity, count in groups:
            counts[meter] = counts.get(meter, 0) + count
            if severity == "critical":
                critical.add(meter)
        for meter in self:
            meter.alarm_open_count = counts.get(meter, 0)
            meter.alarm_critical = meter in critical

    def _search_alarm_critical(self, operator, value):
        if operator != "in":
            return NotImplemented
        return [("alarm_ids", "any", [("state", "=", "open"), ("severity", "=", "critical")])]

    def _alarm_past_codes(self):
        self.ensure_one()
        return frozenset(filter(None, (self.alarm_past_codes or "").split(",")))

    @api.depends("wmbus_formats")
    def _compute_wmbus_format_signatures(self):
        for meter in self:
            meter.wmbus_format_signatures = ", ".join(sorted(meter.wmbus_formats or ())) or False

    @api.constrains("collector_id", "company_id")
    def _check_collector_site(self):
        for meter in self.filtered("collector_id"):
            if meter.company_id not in meter.collector_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "Meter %(meter)s: collector %(collector)s does not serve its site "
                        "%(site)s.",
                        meter=meter.display_name,
                        collector=meter.collector_id.name,
                        site=meter.company_id.name,
                    )
                )

    @api.model
    def _remote_search(self, identities, domain):
        """The meters within ``domain`` that ``identities`` (``engine.remote.Identity``)
        may name: those with one of the keys they look up (``engine.remote.search_keys``),
        computed in SQL as ``engine.remote.MeterIndex`` computes them; the index then
        picks each one's meter."""
        keys = remote.search_keys(identities)

        def to_sql(model, alias, query):
            def normalised(name):
                column = model._field_to_sql(alias, name, query)
                return SQL("upper(regexp_replace(%s, '[[:space:].:-]', '', 'g'))", column)

            expressions = {
                "secondary": normalised("mbus_secondary_address"),
                "ident": SQL("left(%s, 8)", normalised("mbus_secondary_address")),
                "wmbus": SQL("right(%s, 8)", normalised("wmbus_id")),
                "serial": SQL("ltrim(%s, '0')", normalised("serial")),
                "primary": model._field_to_sql(alias, "mbus_primary_address", query),
            }
            tests = [
                SQL("%s IN %s", expressions[table], tuple(values))
                for table, values in keys.items()
                if values
            ]
            return SQL("(%s)", SQL(" OR ").join(tests)) if tests else SQL("FALSE")

        return self.search(Domain(domain) & Domain.custom(to_sql=to_sql))

    def _remote_candidates(self):
        """These meters as ``engine.remote`` looks them up."""
        return [
            remote.Candidate(
                id=meter.id,
                secondary=meter.mbus_secondary_address or "",
                serial=meter.serial or "",
                wmbus_id=meter.wmbus_id or "",
                primary=meter.mbus_primary_address,
                retired=meter.state in remote.RETIRED_STATES,
            )
            for meter in self
        ]

    def _update_remote_status(self, reads, errors):
        """Write on the meters what ``engine.remote.meter_status`` makes of a batch's
        readings (``reads``) and failed reads (``errors``, site.meter.remote.error)."""
        status = remote.meter_status(
            [(reading.meter_id.id, reading.remote_timestamp) for reading in reads],
            [(error.meter_id.id, error.date, error.code, error.message) for error in errors],
            {meter.id: meter.remote_error_count for meter in errors.meter_id},
        )
        for meter in self.browse(list(status)).sudo():
            state = status[meter.id]
            vals = {}
            if state.last_read:
                vals["remote_last_read"] = state.last_read
            if state.error:
                moment, code, message = state.error
                vals.update(
                    remote_last_error=code,
                    remote_last_error_message=message,
                    remote_last_error_date=moment,
                )
            if state.error_count is not None:
                vals["remote_error_count"] = state.error_count
            meter.write(vals)

    def _remote_decode(self, data, wmbus):
        """Decode a telegram (bytes) of this meter: a wireless one with the meter's key
        and the compact-frame formats learned from its full telegrams, learning the
        format of a full one. Raises site_collector.DecodeError."""
        self.ensure_one()
        if not wmbus:
            return site_collector.decode_reply(data)
        meter = self.sudo()
        memory = site_collector.FormatSignatures()
        try:
            memory.update(meter.wmbus_formats or {})
        except (ValueError, TypeError) as error:
            _logger.warning("Meter %s: stored compact formats ignored: %s", meter.id, error)
        key = meter.wmbus_key
        decoded = site_collector.decode_telegram(
            data, key=bytes.fromhex(key) if key else None, signatures=memory
        )
        stored = meter.wmbus_formats or {}
        learned = {
            sig: headers for sig, headers in memory.export().items() if stored.get(sig) != headers
        }
        if learned:
            meter._remote_learn_formats(learned)
        return decoded

    def _remote_learn_formats(self, formats):
        """Keep these compact-frame formats (``FormatSignatures.export()``, the latest
        last: the last ``MAX_FORMATS``) and as many of the known ones as ``MAX_FORMATS``
        leaves room for; nothing is written when they are known already."""
        self.ensure_one()
        formats = dict(list(formats.items())[-MAX_FORMATS:])
        stored = self.sudo().wmbus_formats or {}
        known = [(sig, headers) for sig, headers in stored.items() if sig not in formats]
        merged = dict(known[: MAX_FORMATS - len(formats)], **formats)
        if merged != stored:
            self.sudo().wmbus_formats = merged

    def _decode_raw(self, raw, wmbus):
        """Decode a stored raw telegram again (with the meter's current key and formats)."""
        self.ensure_one()
        try:
            data = bytes.fromhex(raw)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Meter %(meter)s: the raw telegram is not hexadecimal.", meter=self.display_name
                )
            ) from error
        try:
            return self._remote_decode(data, wmbus)
        except site_collector.DecodeError as error:
            raise UserError(
                self.env._(
                    "Meter %(meter)s: the telegram cannot be decoded: %(error)s",
                    meter=self.display_name,
                    error=error,
                )
            ) from error

    def action_view_alarms(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_meter_alarm"
        )
        action["domain"] = [("meter_id", "=", self.id)]
        action["context"] = {"search_default_open": 1}
        return action
