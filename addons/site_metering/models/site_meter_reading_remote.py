"""Remote readings: what gateways and collectors read, stored as readings or read errors.

Both paths end in ``_remote_ingest``: one batch of telegrams (decoded records, raw
telegram, or the error of a failed read) for known meters. It skips the keys already
stored (a replay stores nothing twice) and the later reads of a day a meter was read
(``engine.remote.one_per_day``), decodes here a raw telegram that came without values
(with the meter's key and compact-frame formats, those a collector uploads included),
picks each meter model's billing register (``site.meter.register``), creates the
readings in one batch through site_metering's checks, records the failed reads on their
meters with their precise reason (``site.meter.remote.error``) and the telegrams' alarms
(``site.meter.alarm``).
"""

import psycopg2.errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from ..engine import alarms as alarms_engine
from ..engine import readings as readings_engine
from ..engine import remote

# Checks of remote readings that send them to the acceptance queue.
OLDER_THAN_ACCEPTED = "older_than_accepted"
PERIOD_BILLED = "period_billed"


class SiteMeterReading(models.Model):
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
        (decoded), raw (hex), error (site_collector's reason or None), message, wmbus,
        alarms (the telegram's alarm codes; None: not known), partial (its last record
        was cut short: the alarms it lacks are not known to be over), previous_alarms
        (the codes it reports as past), formats (compact-frame formats of the meter the
        collector learned: kept on the meter, raw telegrams decode with them).
        Returns {"accepted": keys, "duplicates": keys, "rejected": [{key, reason}],
        "errors": number of failed reads stored}. A reading refused by the checks is
        rejected with their reason; the others of the batch are stored. The alarms of
        every telegram not stored before count, those of a day's later reads too.
        """
        origin = gateway or collector
        alarm_origin = None
        if gateway:
            alarm_origin = ("gateway", gateway.id, False)
        elif collector:
            alarm_origin = ("collector", False, collector.id)
        observations = []
        result = {"accepted": [], "duplicates": [], "rejected": [], "errors": 0}
        if not entries:
            return result
        meters = self.env["site.meter"].browse([e["meter"].id for e in entries])
        keys = [e["key"] for e in entries]
        known = self._known_remote_keys(keys, meters.company_id)
        self._remote_store_formats([e for e in entries if e["key"] not in known])
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
            alarms, partial = entry.get("alarms"), entry.get("partial")
            past = entry.get("previous_alarms")
            if not error and not records and entry.get("raw"):
                # A telegram that came without values (encrypted, compact...): decode it
                # with what Odoo holds (the meter's key, its formats) or say why it can't.
                decoded, error, message = self._remote_decode_raw(meter, entry)
                if decoded:
                    records = decoded.get("records")
                    alarms = sorted(set(alarms or ()) | set(decoded.get("alarms") or ()))
                    partial = decoded.get("partial")
                    past = sorted(set(past or ()) | set(decoded.get("previous_alarms") or ()))
            complete = bool(records) and not error and not partial
            if alarms or complete:
                observations.append(
                    (
                        key,
                        alarms_engine.Observation(
                            meter.id,
                            entry["timestamp"],
                            frozenset(alarms or ()),
                            complete,
                            alarm_origin,
                            frozenset(past or ()),
                        ),
                    )
                )
            values = {} if error else meter._billing_values(records)
            if not error and "billing" not in values:
                error = "no_register"
                message = self.env._(
                    "No record of the telegram is the billing register of meter %(meter)s.",
                    meter=meter.display_name,
                )
            if error:
                code, message = remote.failure(error, message)
                errors.append(
                    dict(
                        common,
                        meter_id=meter.id,
                        date=entry["timestamp"],
                        code=code,
                        message=message or False,
                    )
                )
                continue
            readings.append(
                dict(
                    common,
                    **self._register_values(values),
                    meter_id=meter.id,
                    date=remote.local_day(entry["timestamp"], origin.tz if origin else None),
                    source="wmbus" if entry.get("wmbus") else "mbus",
                    remote_timestamp=entry["timestamp"],
                    reader_id=False,
                    note=self.env._("Read by %(origin)s", origin=origin.name) if origin else False,
                )
            )
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
        meters._update_remote_status(self.union(*created.values()), stored_errors)
        # A telegram a concurrent upload stored first is that upload's to read.
        raced_keys = set(raced + raced_errors)
        self.env["site.meter.alarm"]._record(
            [obs for key, obs in observations if key not in raced_keys]
        )
        return result

    @api.model
    def _remote_store_formats(self, entries):
        """Keep on each meter the compact-frame formats its entries bring (``formats``,
        checked by ``engine.collector_upload``; a later entry's latest), before any raw
        telegram of the batch is decoded with them."""
        by_meter = {}
        for entry in entries:
            if entry.get("formats"):
                formats = by_meter.setdefault(entry["meter"].id, {})
                for signature, headers in entry["formats"].items():
                    formats.pop(signature, None)  # the latest last
                    formats[signature] = headers
        meters = self.env["site.meter"].sudo().browse(list(by_meter))
        meters.fetch(["wmbus_formats"])
        for meter in meters:
            meter._remote_learn_formats(by_meter[meter.id])

    @api.model
    def _remote_decode_raw(self, meter, entry):
        """(decoded telegram, error, message) of an entry's raw telegram decoded for its
        meter; error and message say why it gives no values (None when it does)."""
        try:
            decoded = meter._remote_decode(bytes.fromhex(entry["raw"]), entry.get("wmbus"))
        except ValueError as decode_error:  # site_collector.DecodeError is a ValueError
            reason = getattr(decode_error, "reason", "decode_error")
            return None, reason, str(decode_error)
        error, message = remote.telegram_failure(decoded) or (None, None)
        return decoded, error, message

    @api.model
    def _register_values(self, values):
        """The value, register and due-date value of a reading from the billing values
        of its telegram (``site.meter._billing_values``)."""
        value, register = values["billing"]
        vals = {"value": value, "remote_register": register}
        if "due_date" in values:
            vals["due_date_value"] = values["due_date"][0]
        return vals

    @api.model
    def _one_per_day(self, vals_list):
        """The remote readings to create, the first of a meter a day; the others' keys.

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
        by_key = {vals["remote_key"]: vals for vals in vals_list}
        kept, skipped = remote.one_per_day(
            [(v["remote_key"], v["meter_id"], v["date"], v["remote_timestamp"]) for v in vals_list],
            taken,
        )
        return [by_key[key] for key in kept], skipped

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
            failure = remote.telegram_failure(decoded)
            if failure:
                code, detail = failure
                Error = self.env["site.meter.remote.error"]
                raise UserError(
                    self.env._(
                        "Reading %(reading)s: the telegram gives no value: %(status)s. %(detail)s",
                        reading=reading.display_name,
                        status=dict(Error._fields["code"]._description_selection(self.env))[code],
                        detail=detail or "",
                    )
                )
            self.env["site.meter.alarm"]._record(
                [
                    alarms_engine.Observation(
                        reading.meter_id.id,
                        reading.remote_timestamp or fields.Datetime.to_datetime(reading.date),
                        frozenset(decoded.get("alarms") or ()),
                        not decoded.get("partial"),
                        ("redecode", reading.gateway_id.id, reading.collector_id.id),
                        frozenset(decoded.get("previous_alarms") or ()),
                    )
                ]
            )
            values = reading.meter_id._billing_values(decoded.get("records"))
            if "billing" not in values:
                raise UserError(
                    self.env._(
                        "Reading %(reading)s: no record of the telegram is the billing register "
                        "of its meter.",
                        reading=reading.display_name,
                    )
                )
            vals = self._register_values(values)
            old, value = reading.value, vals.pop("value")
            if abs(old - value) > 1e-9:
                vals["value"] = value
            reading.write(vals)
            reading.message_post(
                body=self.env._(
                    "Telegram decoded again (%(register)s): %(old)s → %(new)s.",
                    register=vals["remote_register"],
                    old=old,
                    new=value,
                )
                if "value" in vals
                else self.env._("Telegram decoded again: the value is unchanged.")
            )
        return True
