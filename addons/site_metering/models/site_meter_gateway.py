"""Remote meter reading: wired M-Bus gateways polled by Odoo, collectors that push.

Both paths end in ``site.meter.reading._remote_ingest``: one batch of telegrams (decoded
records, raw telegram, or the error of a failed read) for known meters. It skips the keys
already stored (a replay stores nothing twice), picks each meter model's billing register
(``site.meter.register``), creates the readings in one batch through site_metering's checks,
and records the failed reads on their meters (``site.meter.remote.error``).

The decoding and the M-Bus master live in the plain-Python package ``site_collector``,
imported lazily: the upload endpoint works without it (the collector sends decoded
records); polling a gateway, scanning and re-decoding need it.
"""

import hashlib
import hmac
import importlib
import logging
import re
import secrets
from datetime import datetime, timedelta, timezone

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import _

_logger = logging.getLogger(__name__)

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
DECODE_REASONS = {"length", "premature_end", "too_many_extensions", "unsupported"}
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
    host = fields.Char(required=True, tracking=True)
    port = fields.Integer(required=True, default=10001, tracking=True)
    baudrate = fields.Integer(default=2400, required=True)
    timeout = fields.Float(
        string="Answer Timeout (s)", default=1.0, help="Seconds to wait for a meter's answer."
    )
    retries = fields.Integer(default=3)
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

    def _url(self):
        self.ensure_one()
        return f"socket://{self.host}:{self.port}"

    def _open_master(self):
        self.ensure_one()
        mbus = _collector_module("site_collector.mbus")
        try:
            return mbus.MBusMaster(
                self._url(), self.baudrate, self.timeout or 1.0, self.retries or 1
            )
        except Exception as error:  # pyserial raises SerialException, an OSError
            raise UserError(
                self.env._(
                    "Gateway %(gateway)s: cannot connect to %(url)s: %(error)s",
                    gateway=self.name,
                    url=self._url(),
                    error=error,
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
        mbus = _collector_module("site_collector.mbus")
        for gateway in self:
            # One poll of a bus at a time (the cron and a "Poll Now" would talk over each other).
            self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [0x5174, gateway.id])
            if not self.env.cr.fetchone()[0]:
                raise UserError(
                    self.env._("Gateway %(gateway)s is being polled already.", gateway=gateway.name)
                )
            now = fields.Datetime.now()
            meters = gateway.meter_ids.filtered(lambda m: m.state in ("active", "faulty"))
            try:
                master = gateway._open_master()
            except UserError as error:
                entries = [
                    gateway._entry(meter, now, error="connection", message=str(error))
                    for meter in meters
                ]
                results[gateway] = self.env["site.meter.reading"]._remote_ingest(
                    entries, gateway=gateway
                )
                gateway.write(
                    {
                        "last_poll": now,
                        "last_poll_state": "failed",
                        "last_poll_summary": str(error)[:250],
                        "next_poll": gateway._next_poll_after(now),
                    }
                )
                continue
            entries = []
            with master:
                for meter in meters:
                    entries.append(gateway._read_meter(master, mbus, meter))
            result = self.env["site.meter.reading"]._remote_ingest(entries, gateway=gateway)
            results[gateway] = result
            failed = result["errors"] + len(result["rejected"])
            gateway.write(
                {
                    "last_poll": now,
                    "last_poll_state": "ok"
                    if not failed
                    else ("failed" if failed == len(entries) else "partial"),
                    "last_poll_summary": self.env._(
                        "%(meters)s meter(s): %(read)s read, %(errors)s failed, %(refused)s "
                        "refused by the checks",
                        meters=len(entries),
                        read=len(result["accepted"]) - result["errors"],
                        errors=result["errors"],
                        refused=len(result["rejected"]),
                    ),
                    "next_poll": gateway._next_poll_after(now),
                }
            )
        return results

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
            return self._entry(meter, moment, error="connection", message=str(error))
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
        """Poll the gateways that are due, committing after each one."""
        gateways = self.search(
            [("next_poll", "<=", fields.Datetime.now()), ("meter_ids", "!=", False)],
            order="next_poll",
        )
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for index, gateway in enumerate(gateways):
            try:
                with self.env.cr.savepoint():
                    gateway._poll()
            except Exception as error:  # one broken gateway must not stop the others
                _logger.exception("Polling gateway %s failed", gateway.name)
                gateway.write(
                    {
                        "last_poll": fields.Datetime.now(),
                        "last_poll_state": "failed",
                        "last_poll_summary": str(error)[:250],
                        "next_poll": gateway._next_poll_after(fields.Datetime.now()),
                    }
                )
            if in_cron:
                self.env["ir.cron"]._commit_progress(1, remaining=len(gateways) - index - 1)

    # --- secondary-address scan ------------------------------------------------

    def action_scan(self):
        self.ensure_one()
        mbus = _collector_module("site_collector.mbus")
        with self._open_master() as master:
            try:
                addresses = master.scan_secondary()
            except mbus.Collision as error:
                raise UserError(
                    self.env._("Gateway %(gateway)s: %(error)s", gateway=self.name, error=error)
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
    reading_ids = fields.One2many("site.meter.reading", "collector_id", string="Readings")
    error_ids = fields.One2many("site.meter.remote.error", "collector_id", string="Errors")
    active = fields.Boolean(default=True)

    _name_uniq = models.Constraint("UNIQUE (name)", "A collector of this name already exists.")

    @api.model
    def _tz_get(self):
        return self.env["site.meter.gateway"]._tz_get()

    @api.depends("key_date")
    def _compute_key_prefix(self):
        for collector in self:
            index = collector.sudo().key_index
            collector.key_prefix = f"{index}…" if index else False

    def action_generate_key(self):
        """Make a new API key (the old one stops working) and show it once."""
        self.ensure_one()
        if not self.env.user.has_group("site_residents.group_site_admin"):
            raise UserError(self.env._("Only site administrators manage collectors' API keys."))
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
        domain = [("company_id", "in", self.company_ids.ids)]
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
                    "No meter %(meter)s on the sites of collector %(collector)s.",
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

    def _upload(self, readings):
        """Store a validated payload's readings; returns the response body."""
        self.ensure_one()
        matches = self._match_meters(readings)
        entries, rejected = [], []
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        for index, item in enumerate(readings):
            meter = matches[index]
            if isinstance(meter, str):
                rejected.append({"key": item["key"], "reason": meter})
                continue
            if item["timestamp"] > now + timedelta(hours=1):
                rejected.append(
                    {
                        "key": item["key"],
                        "reason": self.env._(
                            "Timestamp %(timestamp)s is in the future.",
                            timestamp=item["timestamp"],
                        ),
                    }
                )
                continue
            entries.append(
                dict(
                    item,
                    meter=meter,
                    wmbus=bool(item["meter"].get("wmbus")),
                    message=item.get("message"),
                )
            )
        result = self.env["site.meter.reading"].sudo()._remote_ingest(entries, collector=self)
        result["rejected"] = rejected + result["rejected"]
        self.sudo().write(
            {
                "last_upload": fields.Datetime.now(),
                "last_upload_summary": self.env._(
                    "%(accepted)s accepted, %(duplicates)s duplicates, %(rejected)s rejected",
                    accepted=len(result["accepted"]),
                    duplicates=len(result["duplicates"]),
                    rejected=len(result["rejected"]),
                ),
            }
        )
        return {
            "accepted": result["accepted"],
            "duplicates": result["duplicates"],
            "rejected": result["rejected"],
        }


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
    remote_error_ids = fields.One2many("site.meter.remote.error", "meter_id", string="Read Errors")
    remote_last_error = fields.Selection(ERROR_CODES, string="Last Error", readonly=True)
    remote_last_error_message = fields.Char(string="Last Error Message", readonly=True)
    remote_last_error_date = fields.Datetime(string="Last Error On", readonly=True)
    remote_error_count = fields.Integer(
        string="Failed Reads in a Row", readonly=True, help="Reset by the next good read."
    )
    remote_last_read = fields.Datetime(string="Last Remote Read", readonly=True)

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
        created, refused = self._create_remote(readings)
        for vals, reason in refused:
            result["rejected"].append({"key": vals["remote_key"], "reason": reason})
        stored_errors = self.env["site.meter.remote.error"].sudo().create(errors)
        result["accepted"] = [r["remote_key"] for r in readings if r["remote_key"] in created] + [
            e["remote_key"] for e in errors
        ]
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
    def _create_remote(self, vals_list):
        """Create in one batch; if the checks refuse some, find them one by one.

        Returns ({key: reading}, [(vals, reason)]).
        """
        if not vals_list:
            return {}, []
        try:
            with self.env.cr.savepoint():
                readings = self.create([dict(v) for v in vals_list])
            return {r.remote_key: r for r in readings}, []
        except ValidationError:
            pass
        created, refused = {}, []
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    reading = self.create([dict(vals)])
                created[reading.remote_key] = reading
            except ValidationError as error:
                refused.append((vals, str(error.args[0] if error.args else error)))
        return created, refused

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
