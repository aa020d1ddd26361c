"""Remote meter reading: wired M-Bus gateways polled by Odoo, collectors that push.

Both paths end in ``site.meter.reading._remote_ingest``: one batch of telegrams (decoded
records, raw telegram, or the error of a failed read) for known meters. It skips the keys
already stored (a replay stores nothing twice), picks each meter model's billing register
(``site.meter.register``), creates the readings in one batch through site_metering's checks,
and records the failed reads on their meters (``site.meter.remote.error``).

The decoding and the M-Bus master live in the plain-Python package ``site_collector``,
imported lazily: the upload endpoint works without it (the collector sends decoded
records); polling a gateway, scanning and re-decoding need it.

The server connects to a gateway only at an address inside the networks an administrator
allowed (system parameter ``site_metering.gateway_allowed_networks``, CIDRs; empty: none),
checked after resolving the host. Every poll is bounded (answer timeout, retries, telegrams
per reply, masks per scan, time per gateway) and socket errors go to the server log only.
"""

import hashlib
import hmac
import importlib
import logging
import re
import secrets
import time
from datetime import datetime, timedelta

import psycopg2.errors
import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger
from odoo.tools.misc import format_date
from odoo.tools.translate import _

from ..engine import gateway_access
from ..engine import readings as readings_engine

_logger = logging.getLogger(__name__)

ALLOWED_NETWORKS_PARAM = "site_metering.gateway_allowed_networks"
# Hard caps whatever the gateway's fields say (the fields' constraints say the same).
MIN_TIMEOUT, MAX_TIMEOUT = 0.05, 10.0
MAX_RETRIES = 5
# Masks one secondary-address scan may try, and seconds one gateway's poll or scan may
# take (within the 120 s an Odoo worker is given by default).
MAX_SCAN_SELECTS = 5000
POLL_BUDGET_SECONDS = 90

ERROR_CODES = [
    ("no_answer", "No Answer"),
    ("checksum", "Checksum Error"),
    ("decryption_failed", "Decryption Failed"),
    ("encrypted", "Encrypted, No Key"),
    ("collision", "Collision"),
    ("slave_error", "Meter Reports an Error"),
    ("decode_error", "Cannot Decode"),
    ("address_mismatch", "Another Meter Answered"),
    ("no_register", "Billing Register Missing"),
    ("no_address", "No M-Bus Address"),
    ("connection", "Gateway Unreachable"),
    ("other", "Other"),
]
ERROR_CODE_KEYS = {code for code, _label in ERROR_CODES}
# site_collector's DecodeError reasons that are decoding failures of one kind.
DECODE_REASONS = {
    "length",
    "premature_end",
    "too_many_extensions",
    "unsupported",
    "too_many_frames",
}
# M-Bus medium codes (EN 13757-3 table 3) of the meters a scan may create.
MEDIUM_KINDS = {
    0x02: "electricity",
    0x03: "gas",
    0x04: "heat",
    0x06: "hot_water",
    0x07: "cold_water",
    0x08: "hca",
    0x0C: "heat",
    0x16: "cold_water",
    0x15: "hot_water",
}
KEY_INDEX_SIZE = 8
HEX_RE = re.compile(r"^[0-9A-Fa-f]*$")
# Checks of remote readings that send them to the acceptance queue.
OLDER_THAN_ACCEPTED = "older_than_accepted"
PERIOD_BILLED = "period_billed"


def _collector_module(name="site_collector"):
    """Import a site_collector module, or say clearly that the package is missing."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        raise UserError(
            _(
                "The Python package site_collector is not installed on the Odoo server "
                "(pip install site_collector): %(error)s",
                error=error,
            )
        ) from error


def normalise_address(text):
    return re.sub(r"[\s.:-]", "", str(text or "")).upper()


def split_frames(data):
    """Wired M-Bus long frames concatenated (a multi-telegram read) → list of frames."""
    frames, pos = [], 0
    while pos < len(data):
        if data[pos] == 0x68 and pos + 1 < len(data):
            end = pos + data[pos + 1] + 6
            frames.append(data[pos:end])
            pos = end
        else:  # a single character or garbage: hand it to the decoder as it is
            frames.append(data[pos:])
            break
    return frames


def hash_key(key):
    """The stored form of a collector's API key (random, 160 bits: SHA-256 suffices)."""
    return hashlib.sha256(key.encode()).hexdigest()


class GatewayBusy(UserError):
    """Another poll or scan of the gateway is under way."""


class SiteMeterGateway(models.Model):
    """A wired M-Bus level converter reachable over TCP (``socket://host:port``)."""

    _name = "site.meter.gateway"
    _description = "M-Bus Gateway"
    _inherit = ["mail.thread"]
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True)
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
        "_tz_get",
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

    @api.model
    def _tz_get(self):
        return [(tz, tz) for tz in sorted(pytz.all_timezones, key=lambda tz: tz)]

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

    def _connect_url(self):
        """socket:// URL of an address of the host inside the allowed networks.

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
        return gateway_access.socket_url(addresses[0], self.port)

    def _open_master(self, deadline):
        """An M-Bus master on this gateway, bounded in time by ``deadline`` (monotonic)."""
        self.ensure_one()
        mbus = _collector_module("site_collector.mbus")
        url = self._connect_url()
        try:
            return mbus.MBusMaster(
                url,
                self.baudrate,
                min(max(self.timeout or 1.0, MIN_TIMEOUT), MAX_TIMEOUT),
                min(max(self.retries or 1, 1), MAX_RETRIES),
                deadline=deadline,
            )
        except Exception as error:  # pyserial raises SerialException, an OSError
            # The socket's own words (refused, timed out, ...) would let whoever may poll
            # probe the network: they go to the log only.
            _logger.warning(
                "Gateway %s (id %s): cannot connect to %s: %s", self.name, self.id, url, error
            )
            raise UserError(
                self.env._(
                    "Gateway %(gateway)s: cannot connect to %(host)s, port %(port)s.",
                    gateway=self.name,
                    host=self.host,
                    port=self.port,
                )
            ) from error

    def _next_poll_after(self, moment):
        self.ensure_one()
        return moment + timedelta(**{self.interval_type: self.interval_number})

    # --- polling ---------------------------------------------------------------

    def action_poll(self):
        results = self._poll()
        total = {k: sum(len(r[k]) for r in results.values()) for k in ("accepted", "rejected")}
        errors = sum(r["errors"] for r in results.values())
        return self._notify(
            self.env._(
                "%(read)s meter(s) read, %(errors)s failed read(s), %(rejected)s refused by the "
                "checks.",
                read=total["accepted"] - errors,
                errors=errors,
                rejected=total["rejected"],
            )
        )

    def _poll(self):
        """Read every meter of these gateways once (REQ_UD2); returns {gateway: result}."""
        results = {}
        for gateway in self:
            # One poll of a bus at a time (the cron and a "Poll Now" would talk over each other).
            gateway._lock_bus()
            results[gateway] = gateway._poll_one()
        return results

    def _lock_bus(self):
        self.ensure_one()
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [0x5174, self.id])
        if not self.env.cr.fetchone()[0]:
            raise GatewayBusy(
                self.env._("Gateway %(gateway)s is being polled already.", gateway=self.name)
            )

    def _poll_one(self):
        """One poll of this gateway within POLL_BUDGET_SECONDS; the outcome is recorded on it.

        The meters read the longest ago go first, so a poll cut short by the budget is
        taken up by the next one (due at once) where it stopped.
        """
        self.ensure_one()
        mbus = _collector_module("site_collector.mbus")
        started = time.monotonic()
        now = fields.Datetime.now()
        meters = self.meter_ids.filtered(lambda m: m.state in ("active", "faulty")).sorted(
            lambda m: m.remote_last_read or datetime.min
        )
        Reading = self.env["site.meter.reading"]
        try:
            master = self._open_master(started + POLL_BUDGET_SECONDS)
        except UserError as error:
            entries = [
                self._entry(meter, now, error="connection", message=str(error)) for meter in meters
            ]
            result = Reading._remote_ingest(entries, gateway=self)
            self._record_poll(now, "failed", str(error))
            return result
        entries, unread = [], 0
        with master:
            for index, meter in enumerate(meters):
                try:
                    entries.append(self._read_meter(master, mbus, meter))
                except mbus.TimeBudgetExceeded:
                    unread = len(meters) - index
                    break
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
                seconds=POLL_BUDGET_SECONDS,
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

    def _entry(self, meter, moment, records=None, raw=None, error=None, message=None):
        return {
            "key": f"gateway:{self.id}:{meter.id}@{moment.isoformat()}",
            "meter": meter,
            "timestamp": moment,
            "records": records or [],
            "raw": raw,
            "error": error,
            "message": message,
            "wmbus": False,
        }

    def _read_meter(self, master, mbus, meter):
        """One REQ_UD2 exchange: an entry with the decoded records or the error."""
        self.ensure_one()
        errors = _collector_module("site_collector.errors")
        moment = fields.Datetime.now()
        secondary = normalise_address(meter.mbus_secondary_address)
        try:
            if len(secondary) == 16:
                decoded = master.read_secondary(secondary)
            elif meter.mbus_primary_address:
                decoded = master.req_ud2(meter.mbus_primary_address)
            else:
                return self._entry(
                    meter,
                    moment,
                    error="no_address",
                    message=self.env._(
                        "Give the meter a primary address or a 16-digit secondary address."
                    ),
                )
        except mbus.NoAnswer as error:
            return self._entry(meter, moment, error="no_answer", message=str(error))
        except errors.DecodeError as error:
            return self._entry(meter, moment, error=error.reason, message=str(error))
        except OSError as error:
            _logger.warning("Gateway %s (id %s): connection lost: %s", self.name, self.id, error)
            return self._entry(
                meter,
                moment,
                error="connection",
                message=self.env._("The connection to the gateway failed during the read."),
            )
        if secondary and decoded.get("id") and decoded["id"] != secondary[:8]:
            return self._entry(
                meter,
                moment,
                raw=decoded.get("raw"),
                error="address_mismatch",
                message=self.env._(
                    "Meter %(expected)s expected, meter %(found)s answered.",
                    expected=secondary[:8],
                    found=decoded["id"],
                ),
            )
        return self._entry(meter, moment, records=decoded.get("records"), raw=decoded.get("raw"))

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

    # --- secondary-address scan ------------------------------------------------

    def action_scan(self):
        self.ensure_one()
        mbus = _collector_module("site_collector.mbus")
        errors = _collector_module("site_collector.errors")
        self._lock_bus()
        with self._open_master(time.monotonic() + POLL_BUDGET_SECONDS) as master:
            try:
                addresses = master.scan_secondary(max_selects=MAX_SCAN_SELECTS)
            except mbus.ScanLimitExceeded as error:
                raise UserError(
                    self.env._(
                        "Gateway %(gateway)s: the scan stopped after %(selects)s addresses tried, "
                        "as the bus answered nearly all of them: a faulty or foreign device?",
                        gateway=self.name,
                        selects=MAX_SCAN_SELECTS,
                    )
                ) from error
            except mbus.TimeBudgetExceeded as error:
                raise UserError(
                    self.env._(
                        "Gateway %(gateway)s: the scan took longer than %(seconds)s s and was "
                        "stopped.",
                        gateway=self.name,
                        seconds=POLL_BUDGET_SECONDS,
                    )
                ) from error
            except (errors.DecodeError, mbus.NoAnswer) as error:
                raise UserError(
                    self.env._("Gateway %(gateway)s: %(error)s", gateway=self.name, error=error)
                ) from error
            except OSError as error:
                _logger.warning("Gateway %s (id %s): scan failed: %s", self.name, self.id, error)
                raise UserError(
                    self.env._(
                        "Gateway %(gateway)s: the connection failed during the scan.",
                        gateway=self.name,
                    )
                ) from error
        matched, created, skipped = self._match_scanned(addresses)
        self.last_scan = fields.Datetime.now()
        summary = self.env._(
            "Scan found %(found)s meter(s): %(matched)s matched, %(created)s created, "
            "%(skipped)s of an unknown medium skipped (%(addresses)s).",
            found=len(addresses),
            matched=len(matched),
            created=len(created),
            skipped=len(skipped),
            addresses=", ".join(skipped) or "-",
        )
        self.message_post(body=summary)
        return self._notify(summary)

    def _match_scanned(self, addresses):
        """Attach the meters found to this gateway; create those of a known medium."""
        self.ensure_one()
        Meter = self.env["site.meter"]
        ids = [address[:8] for address in addresses]
        candidates = Meter.search(
            [
                ("company_id", "=", self.company_id.id),
                "|",
                "|",
                ("mbus_secondary_address", "in", addresses),
                ("mbus_secondary_address", "in", ids),
                ("serial", "in", ids + [i.lstrip("0") for i in ids]),
            ]
        )
        matched, created, skipped = Meter, Meter, []
        create_vals = []
        for address in addresses:
            meter = candidates.filtered(
                lambda m, a=address: normalise_address(m.mbus_secondary_address) in (a, a[:8])
            ) or candidates.filtered(
                lambda m, a=address: normalise_address(m.serial) in (a[:8], a[:8].lstrip("0"))
            )
            if meter:
                meter = meter[0]
                meter.write({"gateway_id": self.id, "mbus_secondary_address": address})
                matched |= meter
                continue
            kind = MEDIUM_KINDS.get(int(address[14:16], 16))
            if not kind:
                skipped.append(address)
                continue
            create_vals.append(
                {
                    "serial": address[:8],
                    "kind": kind,
                    "placement": "common",
                    "company_id": self.company_id.id,
                    "gateway_id": self.id,
                    "mbus_secondary_address": address,
                    "manufacturer": _manufacturer_of(address),
                    "note": self.env._(
                        "Found by the scan of gateway %(gateway)s: choose its unit or building.",
                        gateway=self.name,
                    ),
                }
            )
        if create_vals:
            created = Meter.create(create_vals)
        return matched, created, skipped

    def _notify(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "info",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

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


def _manufacturer_of(address):
    value = int(address[8:12], 16)
    return "".join(chr(((value >> shift) & 0x1F) + 64) for shift in (10, 5, 0))


class SiteMeterCollector(models.Model):
    """A site_collector installation that pushes readings with its API key."""

    _name = "site.meter.collector"
    _description = "Meter Reading Collector"
    _inherit = ["mail.thread"]
    _order = "name"

    name = fields.Char(
        required=True, help='The name the collector sends ("collector" in its config).'
    )
    company_ids = fields.Many2many(
        "res.company",
        string="Sites",
        required=True,
        help="The collector may upload readings of these sites' meters only.",
    )
    tz = fields.Selection(
        "_tz_get",
        string="Timezone",
        default=lambda self: self.env.user.tz or "UTC",
        help="A reading is dated by the day in this timezone.",
    )
    key_index = fields.Char(readonly=True, copy=False, index=True, groups="base.group_system")
    key_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    key_prefix = fields.Char(
        string="API Key", compute="_compute_key_prefix", help="The key's first digits."
    )
    key_date = fields.Datetime(string="Key Generated On", readonly=True, copy=False)
    last_upload = fields.Datetime(readonly=True, copy=False)
    last_upload_summary = fields.Char(readonly=True, copy=False)
    meter_ids = fields.One2many(
        "site.meter",
        "collector_id",
        string="Meters",
        help="The meters this collector may upload readings of, besides those on a gateway "
        "of its sites.",
    )
    reading_ids = fields.One2many("site.meter.reading", "collector_id", string="Readings")
    error_ids = fields.One2many("site.meter.remote.error", "collector_id", string="Errors")
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE (name)", "A collector of this name already exists.")
    # A key authenticates one collector only.
    _key_hash_uniq = models.UniqueIndex(
        "(key_hash) WHERE key_hash IS NOT NULL", "This API key belongs to another collector."
    )

    @api.constrains("company_ids")
    def _check_meters_sites(self):
        for collector in self:
            stray = collector.meter_ids.filtered(
                lambda m, c=collector: m.company_id not in c.company_ids
            )
            if stray:
                raise ValidationError(
                    self.env._(
                        "Collector %(collector)s reads meters of a site it no longer serves: "
                        "%(meters)s.",
                        collector=collector.name,
                        meters=", ".join(stray.mapped("display_name")),
                    )
                )

    @api.model
    def _tz_get(self):
        return self.env["site.meter.gateway"]._tz_get()

    @api.depends("key_date")
    def _compute_key_prefix(self):
        for collector in self:
            index = collector.sudo().key_index
            collector.key_prefix = f"{index}…" if index else False

    def _check_key_manager(self):
        if not self.env.user.has_group("site_residents.group_site_admin"):
            raise UserError(self.env._("Only site administrators manage collectors' API keys."))

    def action_generate_key(self):
        """Make a new API key (the old one stops working) and show it once."""
        self.ensure_one()
        self._check_key_manager()
        key = secrets.token_hex(20)
        self.sudo().write(
            {
                "key_index": key[:KEY_INDEX_SIZE],
                "key_hash": hash_key(key),
                "key_date": fields.Datetime.now(),
            }
        )
        self.message_post(body=self.env._("A new API key was generated."))
        wizard = self.env["site.meter.collector.key"].create({"collector_id": self.id, "key": key})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("API Key of %(collector)s", collector=self.name),
            "res_model": wizard._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_revoke_key(self):
        self._check_key_manager()
        self.sudo().write({"key_index": False, "key_hash": False, "key_date": False})
        for collector in self:
            collector.message_post(body=self.env._("The API key was revoked."))

    @api.model
    def _authenticate(self, key):
        """The active collector this key belongs to, or an empty recordset."""
        if not key or len(key) <= KEY_INDEX_SIZE:
            return self.browse()
        digest = hash_key(key)
        for collector in self.sudo().search([("key_index", "=", key[:KEY_INDEX_SIZE])]):
            if collector.key_hash and hmac.compare_digest(collector.key_hash, digest):
                return collector
        return self.browse()

    # --- uploads -----------------------------------------------------------------

    def _match_meters(self, items):
        """{index: meter or reason} for uploaded meter identities, within the sites.

        Wireless meters match by their wireless M-Bus ID, wired ones by the secondary
        address (all 16 digits or the 8-digit identification number), a primary address
        when that is all the collector knows, and the serial number as the last resort.
        """
        self.ensure_one()
        Meter = self.env["site.meter"].sudo()
        idents = []
        for item in items:
            meter = item["meter"]
            secondary = normalise_address(meter.get("secondary_address"))
            ident = normalise_address(meter.get("id")) or secondary[:8]
            idents.append((bool(meter.get("wmbus")), secondary, ident, meter.get("address")))
        ids = {ident for _w, _s, ident, _a in idents if ident}
        variants = ids | {i.lstrip("0") for i in ids if i.lstrip("0")}
        secondaries = {s for _w, s, _i, _a in idents if s}
        primaries = {a for _w, _s, _i, a in idents if isinstance(a, int) and not _w}
        # Its own meters, or those on a gateway of its sites.
        domain = [
            ("company_id", "in", self.company_ids.ids),
            "|",
            ("collector_id", "=", self.id),
            ("gateway_id", "!=", False),
        ]
        alternatives = [
            [("mbus_secondary_address", "in", list(secondaries | ids))],
            [("wmbus_id", "in", list(variants))],
            [("serial", "in", list(variants))],
            [("mbus_primary_address", "in", list(primaries))],
        ]
        candidates = Meter.search(
            domain + ["|", "|", "|"] + [leaf for alt in alternatives for leaf in alt]
        )
        by = {"secondary": {}, "id": {}, "wmbus": {}, "serial": {}, "primary": {}}
        for meter in candidates:
            secondary = normalise_address(meter.mbus_secondary_address)
            if len(secondary) == 16:
                by["secondary"].setdefault(secondary, []).append(meter)
            if secondary:
                by["id"].setdefault(secondary[:8], []).append(meter)
            if meter.wmbus_id:
                wid = normalise_address(meter.wmbus_id)
                by["wmbus"].setdefault(wid[-8:] if len(wid) > 8 else wid, []).append(meter)
            by["serial"].setdefault(normalise_address(meter.serial).lstrip("0"), []).append(meter)
            if meter.mbus_primary_address:
                by["primary"].setdefault(meter.mbus_primary_address, []).append(meter)
        result = {}
        for index, (wmbus, secondary, ident, primary) in enumerate(idents):
            lookups = (
                [("wmbus", ident), ("serial", ident.lstrip("0"))]
                if wmbus
                else [
                    ("secondary", secondary),
                    ("id", ident),
                    ("serial", ident.lstrip("0")),
                    ("primary", primary if ident == "" else None),
                ]
            )
            found = None
            for table, value in lookups:
                if value in (None, ""):
                    continue
                found = by[table].get(value)
                if found:
                    break
            label = secondary or ident or (f"primary address {primary}" if primary else "?")
            if not found:
                result[index] = self.env._(
                    "No meter %(meter)s assigned to collector %(collector)s.",
                    meter=label,
                    collector=self.name,
                )
            elif len(found) > 1:
                result[index] = self.env._(
                    "Meter %(meter)s is ambiguous: %(meters)s.",
                    meter=label,
                    meters=", ".join(m.display_name for m in found),
                )
            elif found[0].state in ("replaced", "removed"):
                result[index] = self.env._(
                    "Meter %(meter)s is %(state)s.",
                    meter=found[0].display_name,
                    state=found[0].state,
                )
            else:
                result[index] = found[0]
        return result

    def _upload(self, readings, refused=()):
        """Store the readings of an upload; returns the response body.

        ``readings``: [(index in the upload, reading checked by engine.collector_upload)];
        ``refused``: the engine's refusals of the others, answered as they are.
        """
        self.ensure_one()
        # One upload of a collector at a time: a retry racing its original waits for it.
        self.env.cr.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5173, self.id])
        rejected = [refusal.as_dict() for refusal in refused]
        matches = self._match_meters([item for _index, item in readings])
        entries, index_of = [], {}
        for position, (index, item) in enumerate(readings):
            index_of.setdefault(item["key"], index)
            meter = matches[position]
            if isinstance(meter, str):
                rejected.append(
                    {"index": index, "key": item["key"], "field": "meter", "reason": meter}
                )
                continue
            entries.append(dict(item, meter=meter, wmbus=bool(item["meter"].get("wmbus"))))
        result = self.env["site.meter.reading"].sudo()._remote_ingest(entries, collector=self)
        rejected += [
            dict(refusal, index=index_of.get(refusal["key"]), field="")
            for refusal in result["rejected"]
        ]
        rejected.sort(key=lambda refusal: refusal["index"])
        self._record_upload(
            self.env._(
                "%(accepted)s accepted, %(duplicates)s duplicates, %(rejected)s rejected",
                accepted=len(result["accepted"]),
                duplicates=len(result["duplicates"]),
                rejected=len(rejected),
            )
        )
        return {
            "accepted": result["accepted"],
            "duplicates": result["duplicates"],
            "rejected": rejected,
        }

    def _record_upload(self, summary):
        """The last upload on the collector, unless a concurrent one of it just wrote it."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self.sudo().write(
                    {"last_upload": fields.Datetime.now(), "last_upload_summary": summary}
                )
        except psycopg2.errors.SerializationFailure:
            _logger.info(
                "Collector %s: the last upload was recorded by a concurrent one", self.name
            )


class SiteMeterCollectorKey(models.TransientModel):
    """Shows a newly generated API key once; only its hash is stored on the collector."""

    _name = "site.meter.collector.key"
    _description = "Collector API Key"

    collector_id = fields.Many2one("site.meter.collector", required=True, ondelete="cascade")
    key = fields.Char(readonly=True)


class SiteMeterRemoteError(models.Model):
    """A failed remote read of a meter: no answer, checksum, decryption..."""

    _name = "site.meter.remote.error"
    _description = "Remote Reading Error"
    _order = "date desc, id desc"
    _check_company_auto = True

    meter_id = fields.Many2one(
        "site.meter", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="meter_id.company_id", store=True, string="Site")
    unit_id = fields.Many2one(related="meter_id.unit_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    code = fields.Selection(ERROR_CODES, required=True, index=True)
    message = fields.Char()
    raw_telegram = fields.Text(help="The telegram as received, in hexadecimal.")
    gateway_id = fields.Many2one("site.meter.gateway", index="btree_not_null", ondelete="set null")
    collector_id = fields.Many2one(
        "site.meter.collector", index="btree_not_null", ondelete="set null"
    )
    remote_key = fields.Char(string="Upload Key", readonly=True, copy=False)

    _remote_key_uniq = models.UniqueIndex("(company_id, remote_key) WHERE remote_key IS NOT NULL")


class SiteMeterRemote(models.Model):
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
    remote_last_error = fields.Selection(ERROR_CODES, string="Last Error", readonly=True)
    remote_last_error_message = fields.Char(string="Last Error Message", readonly=True)
    remote_last_error_date = fields.Datetime(string="Last Error On", readonly=True)
    remote_error_count = fields.Integer(
        string="Failed Reads in a Row", readonly=True, help="Reset by the next good read."
    )
    remote_last_read = fields.Datetime(string="Last Remote Read", readonly=True)

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

    def _decode_raw(self, raw, wmbus):
        """Decode a stored raw telegram again (with the meter's current key)."""
        self.ensure_one()
        collector = _collector_module()
        try:
            data = bytes.fromhex(raw)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Meter %(meter)s: the raw telegram is not hexadecimal.", meter=self.display_name
                )
            ) from error
        try:
            if wmbus:
                key = self.sudo().wmbus_key
                return collector.decode_telegram(data, key=bytes.fromhex(key) if key else None)
            records, first = [], None
            for frame in split_frames(data):
                decoded = collector.decode_frame(frame)
                first = first or decoded
                records.extend(decoded.get("records", []))
            return dict(first or {}, records=records)
        except collector.DecodeError as error:
            raise UserError(
                self.env._(
                    "Meter %(meter)s: the telegram cannot be decoded: %(error)s",
                    meter=self.display_name,
                    error=error,
                )
            ) from error

    def action_view_remote_errors(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_meter_remote_error"
        )
        action["domain"] = [("meter_id", "=", self.id)]
        return action


class SiteMeterReadingRemote(models.Model):
    _inherit = "site.meter.reading"

    raw_telegram = fields.Text(readonly=True, help="The telegram as received, in hexadecimal.")
    remote_key = fields.Char(string="Upload Key", readonly=True, copy=False)
    remote_timestamp = fields.Datetime(string="Read At", readonly=True)
    remote_register = fields.Char(string="Register Used", readonly=True)
    due_date_value = fields.Float(
        digits=(16, 3), readonly=True, help="Allocators: the value stored on the last due date."
    )
    gateway_id = fields.Many2one(
        "site.meter.gateway", readonly=True, index="btree_not_null", ondelete="set null"
    )
    collector_id = fields.Many2one(
        "site.meter.collector", readonly=True, index="btree_not_null", ondelete="set null"
    )

    _remote_key_uniq = models.UniqueIndex("(company_id, remote_key) WHERE remote_key IS NOT NULL")

    # --- ingestion -------------------------------------------------------------------

    @api.model
    def _remote_ingest(self, entries, gateway=None, collector=None):
        """Store one batch of remote reads of known meters.

        ``entries``: dicts with key, meter (record), timestamp (naive UTC datetime), records
        (decoded), raw (hex), error (site_collector's reason or None), message, wmbus.
        Returns {"accepted": keys, "duplicates": keys, "rejected": [{key, reason}],
        "errors": number of failed reads stored}. A reading refused by the checks is
        rejected with their reason; the others of the batch are stored.
        """
        origin = gateway or collector
        tz = pytz.timezone(origin.tz or "UTC") if origin else pytz.utc
        result = {"accepted": [], "duplicates": [], "rejected": [], "errors": 0}
        if not entries:
            return result
        meters = self.env["site.meter"].browse([e["meter"].id for e in entries])
        keys = [e["key"] for e in entries]
        known = self._known_remote_keys(keys, meters.company_id)
        seen = set()
        readings, errors = [], []
        for entry in entries:
            key = entry["key"]
            if key in known or key in seen:
                result["duplicates"].append(key)
                continue
            seen.add(key)
            meter = entry["meter"]
            common = {
                "gateway_id": gateway.id if gateway else False,
                "collector_id": collector.id if collector else False,
                "remote_key": key,
                "raw_telegram": entry.get("raw") or False,
            }
            error, message, records = entry.get("error"), entry.get("message"), entry["records"]
            if not error and not records and entry.get("raw") and meter.sudo().wmbus_key:
                # An encrypted telegram the collector could not open: we hold the key.
                try:
                    records = meter._decode_raw(entry["raw"], entry.get("wmbus")).get("records")
                except UserError as decode_error:
                    error, message = "decryption_failed", str(decode_error)
            values = {} if error else meter._billing_values(records)
            if not error and "billing" not in values:
                error = "no_register"
                message = self.env._(
                    "No record of the telegram is the billing register of meter %(meter)s.",
                    meter=meter.display_name,
                )
            if error:
                code = (
                    error
                    if error in ERROR_CODE_KEYS
                    else ("decode_error" if error in DECODE_REASONS else "other")
                )
                errors.append(
                    dict(
                        common,
                        meter_id=meter.id,
                        date=entry["timestamp"],
                        code=code,
                        message=(message or (error if code == "other" else False)),
                    )
                )
                continue
            local = pytz.utc.localize(entry["timestamp"]).astimezone(tz)
            value, register = values["billing"]
            vals = dict(
                common,
                meter_id=meter.id,
                date=local.date(),
                value=value,
                source="wmbus" if entry.get("wmbus") else "mbus",
                remote_timestamp=entry["timestamp"],
                remote_register=register,
                reader_id=False,
                note=self.env._("Read by %(origin)s", origin=origin.name) if origin else False,
            )
            if "due_date" in values:
                vals["due_date_value"] = values["due_date"][0]
            readings.append(vals)
        readings, same_day = self._one_per_day(readings)
        result["duplicates"] += same_day
        created, refused, raced = self._create_remote(self, readings)
        for vals, reason in refused:
            result["rejected"].append({"key": vals["remote_key"], "reason": reason})
        RemoteError = self.env["site.meter.remote.error"].sudo()
        failed_reads, _refused, raced_errors = self._create_remote(RemoteError, errors)
        result["duplicates"] += raced + raced_errors
        result["accepted"] = [r["remote_key"] for r in readings if r["remote_key"] in created] + [
            e["remote_key"] for e in errors if e["remote_key"] in failed_reads
        ]
        stored_errors = RemoteError.union(*failed_reads.values())
        result["errors"] = len(stored_errors)
        self._update_meter_status(created, stored_errors)
        return result

    @api.model
    def _one_per_day(self, vals_list):
        """Keep the first remote reading of a meter per day; the keys of the others.

        A collector may read every few minutes: the register history needs one value a
        day, so later reads of a day already read are acknowledged and not stored.
        """
        if not vals_list:
            return vals_list, []
        taken = {
            (row["meter_id"][0], row["date"])
            for row in self.sudo().search_read(
                [
                    ("meter_id", "in", list({v["meter_id"] for v in vals_list})),
                    ("date", "in", list({v["date"] for v in vals_list})),
                    ("source", "in", ("mbus", "wmbus")),
                    ("state", "in", ("to_accept", "validated")),
                ],
                ["meter_id", "date"],
            )
        }
        kept, skipped = [], []
        for vals in sorted(vals_list, key=lambda v: v["remote_timestamp"]):
            day = (vals["meter_id"], vals["date"])
            if day in taken:
                skipped.append(vals["remote_key"])
            else:
                taken.add(day)
                kept.append(vals)
        return kept, skipped

    @api.model
    def _known_remote_keys(self, keys, companies):
        known = set()
        for model in ("site.meter.reading", "site.meter.remote.error"):
            known.update(
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([("remote_key", "in", keys), ("company_id", "in", companies.ids)])
                .mapped("remote_key")
            )
        return known

    @api.model
    def _create_remote(self, model, vals_list):
        """Create remote readings or read errors of ``model`` in one batch; if that
        fails, one by one.

        Returns ({key: record}, [(vals, reason)], [keys]): a reading the checks refuse
        is refused with their reason; one whose key a concurrent upload stored first
        (invisible to this transaction until its insert meets the unique index) is a
        duplicate. Remote readings dated before their meter's last accepted reading or
        in a billed period wait for acceptance (``_remote_holds``).
        """
        if not vals_list:
            return {}, [], []
        if model._name == self._name:
            model = model.with_context(site_remote_holds=self._remote_holds(vals_list))
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                records = model.create([dict(v) for v in vals_list])
            return {r.remote_key: r for r in records}, [], []
        except (ValidationError, psycopg2.errors.UniqueViolation):
            pass
        created, refused, raced = {}, [], []
        for vals in vals_list:
            try:
                with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                    record = model.create([dict(vals)])
                created[record.remote_key] = record
            except ValidationError as error:
                refused.append((vals, str(error.args[0] if error.args else error)))
            except psycopg2.errors.UniqueViolation:
                raced.append(vals["remote_key"])
        return created, refused, raced

    @api.model
    def _remote_holds(self, vals_list):
        """{remote key: [review flags]} of the readings that must wait for acceptance:
        dated before their meter's last accepted reading (the history they would change
        was accepted already), or in a period a posted cost allocation billed."""
        meters = self.env["site.meter"].browse({vals["meter_id"] for vals in vals_list})
        days = [fields.Date.to_date(vals["date"]) for vals in vals_list]
        last_accepted = dict(
            self.sudo()._read_group(
                [("meter_id", "in", meters.ids), ("state", "=", "validated")],
                ["meter_id"],
                ["date:max"],
            )
        )
        billed = (
            self.env["site.cost.allocation"]
            .sudo()
            .search(
                [
                    ("state", "=", "posted"),
                    ("company_id", "in", meters.company_id.ids),
                    ("date_from", "<=", max(days)),
                    ("date_to", ">=", min(days)),
                ],
                order="date_to desc",
            )
        )
        holds = {}
        for vals, day in zip(vals_list, days):
            meter = meters.browse(vals["meter_id"])
            flags = []
            last = last_accepted.get(meter)
            if last and day < last:
                flags.append(
                    readings_engine.Flag(
                        OLDER_THAN_ACCEPTED,
                        readings_engine.REVIEW,
                        f"Read on {day}, before the meter's last accepted reading of {last}.",
                        {"date": day, "last": last},
                    )
                )
            allocation = next(
                (
                    a
                    for a in billed
                    if a.company_id == meter.company_id
                    and (not a.building_id or a.building_id == meter.building_id)
                    and a.date_from <= day <= a.date_to
                ),
                None,
            )
            if allocation:
                flags.append(
                    readings_engine.Flag(
                        PERIOD_BILLED,
                        readings_engine.REVIEW,
                        f"Dated in the period of the posted cost allocation {allocation.name}.",
                        {"allocation": allocation.name},
                    )
                )
            if flags:
                holds[vals["remote_key"]] = flags
        return holds

    def _flags(self, meter, meter_history, vals, previous, averages):
        flags = super()._flags(meter, meter_history, vals, previous, averages)
        holds = self.env.context.get("site_remote_holds")
        held = holds.get(vals.get("remote_key"), ()) if isinstance(holds, dict) else ()
        return flags + [flag for flag in held if isinstance(flag, readings_engine.Flag)]

    def _flag_message(self, flag):
        if flag.code == OLDER_THAN_ACCEPTED:
            return self.env._(
                "Read on %(date)s, before the meter's last accepted reading of %(last)s: "
                "awaiting acceptance.",
                date=format_date(self.env, flag.params["date"]),
                last=format_date(self.env, flag.params["last"]),
            )
        if flag.code == PERIOD_BILLED:
            return self.env._(
                "Dated in the period of cost allocation %(allocation)s, already posted: "
                "awaiting acceptance.",
                allocation=flag.params["allocation"],
            )
        return super()._flag_message(flag)

    @api.model
    def _update_meter_status(self, created, errors):
        """Last error, its date and the failed reads in a row, on each meter."""
        good = {}
        for reading in created.values():
            moment = reading.remote_timestamp
            if moment and (reading.meter_id not in good or good[reading.meter_id] < moment):
                good[reading.meter_id] = moment
        failed = {}
        for error in errors.sorted("date"):
            failed.setdefault(error.meter_id, []).append(error)
        for meter in set(good) | set(failed):
            last_good = good.get(meter)
            after = [e for e in failed.get(meter, []) if not last_good or e.date > last_good]
            vals = {}
            if last_good:
                vals.update(remote_last_read=last_good, remote_error_count=0)
            if after:
                vals.update(
                    remote_last_error=after[-1].code,
                    remote_last_error_message=after[-1].message,
                    remote_last_error_date=after[-1].date,
                    remote_error_count=(0 if last_good else meter.remote_error_count) + len(after),
                )
            meter.sudo().write(vals)

    # --- audit -----------------------------------------------------------------------

    def action_redecode(self):
        """Decode the raw telegram again and correct the value if the register changed."""
        for reading in self:
            if not reading.raw_telegram:
                raise UserError(
                    self.env._(
                        "Reading %(reading)s has no raw telegram.", reading=reading.display_name
                    )
                )
            decoded = reading.meter_id._decode_raw(reading.raw_telegram, reading.source == "wmbus")
            values = reading.meter_id._billing_values(decoded.get("records"))
            if "billing" not in values:
                raise UserError(
                    self.env._(
                        "Reading %(reading)s: no record of the telegram is the billing register "
                        "of its meter.",
                        reading=reading.display_name,
                    )
                )
            value, register = values["billing"]
            vals = {"remote_register": register}
            if "due_date" in values:
                vals["due_date_value"] = values["due_date"][0]
            old = reading.value
            if abs(old - value) > 1e-9:
                vals["value"] = value
            reading.write(vals)
            reading.message_post(
                body=self.env._(
                    "Telegram decoded again (%(register)s): %(old)s → %(new)s.",
                    register=register,
                    old=old,
                    new=value,
                )
                if "value" in vals
                else self.env._("Telegram decoded again: the value is unchanged.")
            )
        return True
