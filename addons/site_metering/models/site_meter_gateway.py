"""Gateways Odoo reads meters through, on schedule: a poll reads each of their meters once.

How a gateway is read depends on its kind: ``_get_reader_class()`` returns the class
that reads it (``tools.gateway_reader``), as ``res.company._get_sms_api_class()`` does
for SMS providers. Site_metering ships wired M-Bus over TCP (``mbus_tcp``) and a wireless
M-Bus receiver streaming over TCP (``wmbus_tcp``, ``site_meter_gateway_wmbus``).

The server connects to a gateway only at an address inside the networks an administrator
allowed (system parameter ``site_metering.gateway_allowed_networks``, CIDRs; empty: none),
checked after resolving the host. Every poll or scan is bounded in time
(``gateway_reader.POLL_BUDGET_SECONDS``) and socket errors go to the server log only.
Whatever was read ends in ``site.meter.reading._remote_ingest``.
"""

import logging
import time
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.base.models.res_partner import _tz_get

from ..engine import gateway_access, remote
from ..tools import gateway_reader
from ..tools.mbus_reader import MBusReader

_logger = logging.getLogger(__name__)

ALLOWED_NETWORKS_PARAM = "site_metering.gateway_allowed_networks"


CLOSE = {"type": "ir.actions.act_window_close"}


class GatewayBusy(UserError):
    """Another poll or scan of the gateway is under way."""


class SiteMeterGateway(models.Model):
    """A gateway reachable over TCP whose meters Odoo reads (M-Bus level converter,
    wireless M-Bus receiver...)."""

    _name = "site.meter.gateway"
    _description = "M-Bus Gateway"
    _inherit = ["mail.thread"]
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    kind = fields.Selection(
        [("mbus_tcp", "Wired M-Bus over TCP")],
        required=True,
        default="mbus_tcp",
        tracking=True,
        help="How Odoo reads the meters of this gateway.",
    )
    can_scan = fields.Boolean(compute="_compute_can_scan")
    company_id = fields.Many2one(
        "res.company",
        string="Site",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )
    host = fields.Char(
        required=True,
        tracking=True,
        help="Host name or IP address. The server connects only to addresses in the networks "
        "an administrator allowed (system parameter site_metering.gateway_allowed_networks).",
    )
    port = fields.Integer(required=True, default=10001, tracking=True)
    baudrate = fields.Integer(default=2400, required=True)
    timeout = fields.Float(
        string="Answer Timeout (s)",
        default=1.0,
        help="Seconds to wait for a meter's answer, up to 10.",
    )
    retries = fields.Integer(default=3, help="Attempts per meter, 1 to 5.")
    tz = fields.Selection(
        _tz_get,
        string="Timezone",
        default=lambda self: self.env.user.tz or "UTC",
        help="A reading is dated by the day in this timezone.",
    )
    interval_number = fields.Integer(string="Poll Every", default=1, required=True)
    interval_type = fields.Selection(
        [("hours", "Hours"), ("days", "Days"), ("weeks", "Weeks")], default="days", required=True
    )
    next_poll = fields.Datetime(default=fields.Datetime.now, copy=False)
    last_poll = fields.Datetime(readonly=True, copy=False)
    last_poll_state = fields.Selection(
        [("ok", "All Read"), ("partial", "Some Failed"), ("failed", "Failed")],
        readonly=True,
        copy=False,
    )
    last_poll_summary = fields.Char(readonly=True, copy=False)
    last_scan = fields.Datetime(readonly=True, copy=False)
    meter_ids = fields.One2many("site.meter", "gateway_id", string="Meters")
    meter_count = fields.Integer(compute="_compute_counts")
    error_ids = fields.One2many("site.meter.remote.error", "gateway_id", string="Errors")
    error_count = fields.Integer(compute="_compute_counts")
    active = fields.Boolean(default=True)

    _port_range = models.Constraint(
        "CHECK (port > 0 AND port < 65536)", "The gateway's TCP port must be 1–65535."
    )
    _interval_positive = models.Constraint(
        "CHECK (interval_number > 0)", "The poll interval must be positive."
    )
    _timeout_range = models.Constraint(
        "CHECK (timeout >= 0.05 AND timeout <= 10)",
        "The gateway's answer timeout must be from 0.05 to 10 seconds.",
    )
    _retries_range = models.Constraint(
        "CHECK (retries BETWEEN 1 AND 5)", "The gateway's retries must be from 1 to 5."
    )
    _baudrate_standard = models.Constraint(
        "CHECK (baudrate IN (300, 600, 1200, 2400, 4800, 9600, 19200, 38400))",
        "The gateway's baud rate must be an M-Bus rate, 300 to 38400.",
    )

    @api.constrains("host")
    def _check_host(self):
        for gateway in self:
            if not gateway_access.valid_host(gateway.host):
                raise ValidationError(
                    self.env._(
                        "Gateway %(gateway)s: %(host)s is not a host name or an IP address.",
                        gateway=gateway.name,
                        host=repr(gateway.host or ""),
                    )
                )

    def _get_reader_class(self):
        """The class that reads this gateway's meters (a ``GatewayReader``); an addon
        adding a kind returns its own class for it and ``super()`` for the others."""
        self.ensure_one()
        return MBusReader

    @api.depends("kind")
    def _compute_can_scan(self):
        for gateway in self:
            gateway.can_scan = gateway._get_reader_class().can_scan

    def _compute_counts(self):
        meters = dict(
            self.env["site.meter"]._read_group(
                [("gateway_id", "in", self.ids)], ["gateway_id"], ["__count"]
            )
        )
        errors = dict(
            self.env["site.meter.remote.error"]._read_group(
                [("gateway_id", "in", self.ids)], ["gateway_id"], ["__count"]
            )
        )
        for gateway in self:
            gateway.meter_count = meters.get(gateway, 0)
            gateway.error_count = errors.get(gateway, 0)

    def _allowed_address(self):
        """An IP address of the host inside the allowed networks, to connect to.

        Raises UserError otherwise; why a host resolved nowhere allowed goes to the log.
        """
        self.ensure_one()
        setting = self.env["ir.config_parameter"].sudo().get_param(ALLOWED_NETWORKS_PARAM, "")
        try:
            networks = gateway_access.parse_networks(setting)
        except ValueError as error:
            _logger.error("System parameter %s: %s", ALLOWED_NETWORKS_PARAM, error)
            networks = []
        if not networks:
            raise UserError(
                self.env._(
                    "Gateway %(gateway)s: no network is allowed for M-Bus gateways. A Settings "
                    "administrator lists them (e.g. 192.168.10.0/24) in the system parameter "
                    "%(parameter)s.",
                    gateway=self.name,
                    parameter=ALLOWED_NETWORKS_PARAM,
                )
            )
        try:
            addresses = gateway_access.allowed_addresses(self.host, self.port, networks)
        except OSError as error:
            _logger.warning(
                "Gateway %s (id %s): %s does not resolve: %s", self.name, self.id, self.host, error
            )
            addresses = []
        if not addresses:
            raise UserError(
                self.env._(
                    "Gateway %(gateway)s: %(host)s is not on a network allowed for M-Bus "
                    "gateways (or cannot be resolved).",
                    gateway=self.name,
                    host=self.host,
                )
            )
        return addresses[0]

    def _next_poll_after(self, moment):
        self.ensure_one()
        return moment + timedelta(**{self.interval_type: self.interval_number})

    # --- polling ---------------------------------------------------------------

    def action_poll(self):
        results = self._poll()
        total = {k: sum(len(r[k]) for r in results.values()) for k in ("accepted", "rejected")}
        errors = sum(r["errors"] for r in results.values())
        return self.env["site.display"]._notification(
            self.env._(
                "%(read)s meter(s) read, %(errors)s failed read(s), %(rejected)s refused by the "
                "checks.",
                read=total["accepted"] - errors,
                errors=errors,
                rejected=total["rejected"],
            ),
            CLOSE,
        )

    def _poll(self):
        """Read every meter of these gateways once; returns {gateway: result}."""
        results = {}
        for gateway in self:
            # One poll of a gateway at a time (the cron and a "Poll Now" would talk over
            # each other).
            gateway._lock_bus()
            results[gateway] = gateway._poll_one()
        return results

    def _lock_bus(self):
        self.ensure_one()
        if not self.env["site.lock"]._try(self._name, self.id):
            raise GatewayBusy(
                self.env._("Gateway %(gateway)s is being polled already.", gateway=self.name)
            )

    def _poll_one(self):
        """One poll of this gateway within its time; the outcome is recorded on it.

        The meters read the longest ago go first, so a poll cut short by the time is
        taken up by the next one (due at once) where it stopped.
        """
        self.ensure_one()
        started = time.monotonic()
        now = fields.Datetime.now()
        meters = self.meter_ids.filtered(lambda m: m.state in ("active", "faulty")).sorted(
            lambda m: m.remote_last_read or datetime.min
        )
        Reading = self.env["site.meter.reading"]
        budget = gateway_reader.POLL_BUDGET_SECONDS
        try:
            entries, unread = self._get_reader_class()(self).read(meters, started + budget)
        except UserError as error:
            entries = [
                self._entry(meter, now, error="connection", message=str(error)) for meter in meters
            ]
            result = Reading._remote_ingest(entries, gateway=self)
            self._record_poll(now, "failed", str(error))
            return result
        result = Reading._remote_ingest(entries, gateway=self)
        failed = result["errors"] + len(result["rejected"])
        read = len(entries) - failed
        summary = self.env._(
            "%(meters)s meter(s): %(read)s read, %(errors)s failed, %(refused)s refused by the "
            "checks",
            meters=len(meters),
            read=len(result["accepted"]) - result["errors"],
            errors=result["errors"],
            refused=len(result["rejected"]),
        )
        if unread:
            summary += self.env._(
                "; stopped after %(seconds)s s with %(unread)s meter(s) not read, read next",
                seconds=budget,
                unread=unread,
            )
        state = "ok" if not failed and not unread else ("partial" if read > 0 else "failed")
        self._record_poll(now, state, summary, again=bool(unread))
        return result

    def _record_poll(self, moment, state, summary, again=False):
        """The outcome of a poll on the gateway; ``again``: due at once for what is left."""
        self.write(
            {
                "last_poll": moment,
                "last_poll_state": state,
                "last_poll_summary": summary[:250],
                "next_poll": moment if again else self._next_poll_after(moment),
            }
        )

    def _entry(
        self,
        meter,
        moment,
        records=None,
        raw=None,
        error=None,
        message=None,
        wmbus=False,
        alarms=None,
        partial=False,
        past_alarms=None,
    ):
        """One read (or failed read) of ``meter`` for ``_remote_ingest``; ``alarms``: the
        telegram's alarm codes (None: no telegram); ``partial``: its last record was cut
        short, so an alarm it lacks may be in what was lost; ``past_alarms``: the codes it
        reports as past."""
        return {
            "key": f"gateway:{self.id}:{meter.id}@{moment.isoformat()}",
            "meter": meter,
            "timestamp": moment,
            "records": records or [],
            "raw": raw,
            "error": error,
            "message": message,
            "wmbus": wmbus,
            "alarms": alarms,
            "partial": partial,
            "previous_alarms": past_alarms,
        }

    def _decoded_entry(self, meter, moment, decoded, raw, wmbus=False):
        """The entry of a telegram decoded for ``meter``: its values and alarms, or the
        precise reason it gives none (``engine.remote.telegram_failure``)."""
        error, message = remote.telegram_failure(decoded) or (None, None)
        return self._entry(
            meter,
            moment,
            records=decoded.get("records"),
            raw=raw,
            error=error,
            message=message,
            wmbus=wmbus,
            alarms=decoded.get("alarms") or [],
            partial=bool(decoded.get("partial")),
            past_alarms=decoded.get("previous_alarms"),
        )

    @api.model
    def _cron_poll(self):
        """Poll the gateways that are due, each on its own, committing after each one.

        A gateway's failure is recorded on it and the next one is polled. When the
        cron's time is up it stops: Odoo runs it again at once for the gateways left.
        """
        gateways = self.search(
            [("next_poll", "<=", fields.Datetime.now()), ("meter_ids", "!=", False)],
            order="next_poll",
        )
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for index, gateway in enumerate(gateways):
            try:
                with self.env.cr.savepoint():
                    gateway._poll()
            except GatewayBusy:
                pass  # the poll under way records its own outcome
            except Exception as error:  # one broken gateway must not stop the others
                _logger.exception("Polling gateway %s (id %s) failed", gateway.name, gateway.id)
                summary = (
                    str(error)
                    if isinstance(error, UserError)
                    else self.env._("The poll failed unexpectedly; the server log has the details.")
                )
                gateway._record_poll(fields.Datetime.now(), "failed", summary)
            if in_cron:
                left = self.env["ir.cron"]._commit_progress(1, remaining=len(gateways) - index - 1)
                if not left:
                    break

    # --- scan ------------------------------------------------------------------

    def action_scan(self):
        self.ensure_one()
        self._lock_bus()
        reader = self._get_reader_class()(self)
        found = reader.scan(time.monotonic() + gateway_reader.POLL_BUDGET_SECONDS)
        matched, created, skipped = self._match_scanned(found)
        self.last_scan = fields.Datetime.now()
        summary = self.env._(
            "Scan found %(found)s meter(s): %(matched)s matched, %(created)s created, "
            "%(skipped)s of an unknown medium skipped (%(addresses)s).",
            found=len(found),
            matched=len(matched),
            created=len(created),
            skipped=len(skipped["medium"]),
            addresses=", ".join(skipped["medium"]) or "-",
        )
        if skipped[remote.AMBIGUOUS]:
            summary += self.env._(
                " Not attached, ambiguous: %(addresses)s.",
                addresses=", ".join(skipped[remote.AMBIGUOUS]),
            )
        if skipped[remote.RETIRED]:
            summary += self.env._(
                " Not attached, replaced or removed: %(addresses)s.",
                addresses=", ".join(skipped[remote.RETIRED]),
            )
        self.message_post(body=summary)
        return self.env["site.display"]._notification(summary, CLOSE)

    def _match_scanned(self, found):
        """Attach the meters found to this gateway; create those of a known medium.

        ``found``: upload meter objects; they match the site's meters as uploads do.
        Returns (meters matched, meters created, {problem: labels of those skipped}).
        """
        self.ensure_one()
        Meter = self.env["site.meter"]
        identities = [remote.Identity.of(meter) for meter in found]
        candidates = Meter._remote_search(identities, [("company_id", "=", self.company_id.id)])
        index = remote.MeterIndex(candidates._remote_candidates())
        matched, skipped = Meter, {"medium": [], remote.AMBIGUOUS: [], remote.RETIRED: []}
        create_vals = []
        for meter, identity in zip(found, identities):
            match = index.find(identity)
            if match.meter_id:
                record = candidates.browse(match.meter_id)
                record.write(dict(self._address_values(meter), gateway_id=self.id))
                matched |= record
                continue
            if match.problem != remote.UNKNOWN:
                skipped[match.problem].append(identity.label)
                continue
            kind = remote.MEDIUM_KINDS.get(meter.get("medium"))
            if not kind:
                skipped["medium"].append(identity.label)
                continue
            create_vals.append(
                dict(
                    self._address_values(meter),
                    serial=identity.ident,
                    kind=kind,
                    placement="common",
                    company_id=self.company_id.id,
                    gateway_id=self.id,
                    manufacturer=meter.get("manufacturer") or False,
                    note=self.env._(
                        "Found by the scan of gateway %(gateway)s: choose its unit or building.",
                        gateway=self.name,
                    ),
                )
            )
        return matched, Meter.create(create_vals), skipped

    @api.model
    def _address_values(self, meter):
        """The address fields of a meter found, as the scan read them."""
        if meter.get("wmbus"):
            return {"wmbus_id": remote.normalise_address(meter.get("id"))}
        return {"mbus_secondary_address": remote.normalise_address(meter["secondary_address"])}

    def action_view_meters(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("site_metering.action_site_meter")
        action["domain"] = [("gateway_id", "=", self.id)]
        action["context"] = {
            "default_gateway_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_view_errors(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_meter_remote_error"
        )
        action["domain"] = [("gateway_id", "=", self.id)]
        return action
