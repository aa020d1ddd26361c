from collections import defaultdict
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from odoo.addons.site_residents.engine.dates import month_end, month_start
from odoo.addons.site_residents.sql import id_array

from ..engine import readings as engine

SOURCES = [
    ("manual", "Manual"),
    ("engineer", "Engineer"),
    ("import", "File Import"),
    ("portal", "Portal"),
    ("mbus", "M-Bus"),
    ("wmbus", "Wireless M-Bus"),
    ("estimate", "Estimate"),
]
STATES = [
    ("to_accept", "Awaiting Acceptance"),
    ("validated", "Validated"),
    ("rejected", "Rejected"),
]
ESTIMATE_METHODS = [
    (engine.OWN_HISTORY, "Meter's Earlier Periods"),
    (engine.COMPARABLE, "Comparable Units"),
    (engine.BUILDING_AVERAGE, "Building Average per m²"),
]
# Meters whose use follows the weather: their history is compared season by season.
SEASONAL_KINDS = ("hca", "heat")
# Readings that are part of a meter's register history; rejected ones are not.
COUNTED = ("to_accept", "validated")
# Set by server flows only (meter replacement, a period's estimate): they change how a
# reading is checked and what it consumes, so a client may not set them.
MARKERS = ("is_initial", "is_final", "estimated", "estimate_method")
# Context values of _create_trusted. They are Python objects, which no RPC or JSON
# caller can put in a context: a client cannot pass for trusted server code.
TRUSTED = object()
UNCHECKED = object()


class SiteMeterReading(models.Model):
    """One register value of a meter on a day, checked when it is recorded.

    The checks (``engine.readings``) refuse a value lower than the last one (unless the
    register rolled over or the meter was replaced) and send unusual ones to the
    acceptance queue with the reasons. Consumption is the difference from the meter's
    previous counted reading; a replacement's first reading starts at zero, so a unit's
    consumption stays continuous across meters.
    """

    _name = "site.meter.reading"
    _description = "Meter Reading"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    meter_id = fields.Many2one(
        "site.meter", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="meter_id.company_id", store=True, string="Site")
    unit_id = fields.Many2one(related="meter_id.unit_id", store=True, index=True)
    building_id = fields.Many2one(related="meter_id.building_id", store=True, index=True)
    kind = fields.Selection(related="meter_id.kind", store=True)
    uom = fields.Char(related="meter_id.uom")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    value = fields.Float(digits=(16, 3), required=True, tracking=True)
    source = fields.Selection(SOURCES, default="manual", required=True)
    state = fields.Selection(STATES, default="validated", required=True, tracking=True, index=True)
    check_codes = fields.Char(string="Checks", readonly=True, help="Codes of the checks raised.")
    check_reasons = fields.Text(string="Reasons", readonly=True)
    reject_reason = fields.Text(readonly=True, tracking=True)
    estimated = fields.Boolean(readonly=True, copy=False)
    estimate_method = fields.Selection(ESTIMATE_METHODS, readonly=True, copy=False)
    is_initial = fields.Boolean(
        string="Initial Reading", readonly=True, copy=False, help="First reading of a new meter."
    )
    is_final = fields.Boolean(
        string="Final Reading",
        readonly=True,
        copy=False,
        help="Last reading of a replaced meter.",
    )
    previous_reading_id = fields.Many2one("site.meter.reading", readonly=True, index=True)
    previous_value = fields.Float(related="previous_reading_id.value", string="Previous")
    consumption = fields.Float(digits=(16, 3), readonly=True)
    consumption_value = fields.Float(
        digits=(16, 3),
        readonly=True,
        help="Consumption in billing units: for allocators, display units · KQ · KC · KT.",
    )
    reader_id = fields.Many2one("res.users", string="Read By", default=lambda self: self.env.user)
    note = fields.Char()

    _meter_date_idx = models.Index("(meter_id, date DESC, id DESC)")

    def _compute_display_name(self):
        for reading in self:
            reading.display_name = f"{reading.meter_id.serial} {reading.date} {reading.value:g}"

    # --- recording -----------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        trust = self._trust()
        if trust is None:
            self._check_no_markers(vals_list)
        if trust is not UNCHECKED:
            self._prepare_values(vals_list)
        readings = super().create(vals_list)
        # A reading dated before existing ones changes their consumption.
        later = self.search(
            [
                ("meter_id", "in", readings.meter_id.ids),
                ("state", "in", COUNTED),
                ("id", "not in", readings.ids),
                ("date", ">", min(readings.mapped("date"))),
            ]
        )
        if later or trust is UNCHECKED:
            readings.meter_id._recompute_consumption()
        return readings

    @api.model
    def _create_trusted(self, vals_list, checks=True):
        """Create readings for server code: a meter replacement's final and initial
        readings, a period's estimates. Without ``checks`` the values are stored as
        given and only the consumption is computed (data loaded by trusted code).

        Private (never called through RPC): clients go through create(), which checks
        every reading and refuses the markers of MARKERS.
        """
        trusted = self.with_context(site_reading_trust=TRUSTED if checks else UNCHECKED)
        return trusted.create(vals_list).with_env(self.env)

    def _trust(self):
        trust = self.env.context.get("site_reading_trust")
        return trust if trust is TRUSTED or trust is UNCHECKED else None

    def _check_no_markers(self, vals_list):
        for vals in vals_list:
            if any(vals.get(name) for name in MARKERS):
                raise UserError(
                    self.env._(
                        "Initial, final and estimated readings are recorded by a meter "
                        "replacement or a period's estimate, not entered by hand (reading "
                        "of %(date)s, value %(value)s).",
                        date=vals.get("date") or "",
                        value=vals.get("value"),
                    )
                )

    def write(self, vals):
        if self._trust() is None and set(MARKERS) & set(vals):
            raise UserError(
                self.env._(
                    "Whether a reading is initial, final or estimated is set by the meter "
                    "replacement or the period's estimate, not changed by hand (%(readings)s).",
                    readings=", ".join(self.mapped("display_name")),
                )
            )
        result = super().write(vals)
        if {"value", "date", "state", "meter_id"} & set(vals) and not self.env.context.get(
            "site_reading_recomputing"
        ):
            self.meter_id._recompute_consumption()
        return result

    def unlink(self):
        meters = self.meter_id
        result = super().unlink()
        meters.exists()._recompute_consumption()
        return result

    @api.model
    def _prepare_values(self, vals_list):
        """Check the new readings and set their state, previous reading and consumption.

        Raises a ValidationError naming the meter for a value that must be refused.
        Works on the whole batch with one query for the meters' histories, so an import
        of thousands of readings costs a few queries.
        """
        meters = self.env["site.meter"].browse({vals["meter_id"] for vals in vals_list})
        history = self._histories(meters)
        batch = sorted(
            range(len(vals_list)),
            key=lambda i: (vals_list[i]["meter_id"], str(vals_list[i].get("date") or "")),
        )
        today = fields.Date.context_today(self)
        # First pass: the consumption of every new reading, for the building averages.
        pending = defaultdict(list)
        for index in batch:
            vals = vals_list[index]
            vals.setdefault("date", today)
            vals["date"] = fields.Date.to_date(vals["date"])
            meter = meters.browse(vals["meter_id"])
            earlier = [r for r in history[meter.id] if r["date"] <= vals["date"]]
            previous = earlier[-1] if earlier else None
            used = self._consumption_of(meter, previous, vals)
            pending[meter.id].append((index, previous, used))
            history[meter.id].append(
                {"id": None, "date": vals["date"], "value": vals["value"], "index": index}
            )
            history[meter.id].sort(key=lambda r: r["date"])
        averages = self._building_averages(vals_list, pending, meters)
        for meter in meters:
            for index, previous, used in pending[meter.id]:
                vals = vals_list[index]
                flags = (
                    []
                    if vals.get("estimated") or vals.get("is_initial")
                    else self._flags(meter, history[meter.id], vals, previous, averages)
                )
                if vals.get("is_final"):
                    # The engineer read the old meter as it came off: only refusals count.
                    flags = [flag for flag in flags if flag.severity == engine.REFUSE]
                self._apply_flags(meter, vals, flags)
                vals["previous_reading_id"] = previous and previous["id"]
                vals["consumption"] = float(used)
                vals["consumption_value"] = float(meter._consumption_value(used))

    @api.model
    def _histories(self, meters):
        """{meter id: [counted readings as dicts, oldest first]} in one query."""
        history = {meter.id: [] for meter in meters}
        for row in self.search_read(
            [("meter_id", "in", meters.ids), ("state", "in", COUNTED)],
            ["meter_id", "date", "value"],
            order="date, id",
        ):
            history[row["meter_id"][0]].append(row)
        return history

    @api.model
    def _consumption_of(self, meter, previous, vals):
        if vals.get("is_initial") or previous is None:
            return Decimal(0)
        try:
            return engine.consumption(previous["value"], vals["value"], meter._rollover_at())
        except engine.ReadingError:
            return None  # refused by the checks, with the meter named

    def _building_averages(self, vals_list, pending, meters):
        """{(building id, kind, month): consumption per m²} of the months read now."""
        keys = {
            (meter.building_id.id, meter.kind, vals_list[index]["date"].replace(day=1))
            for meter in meters
            if meter.building_id and meter.placement == "unit"
            for index, _previous, _used in pending[meter.id]
        }
        averages = {}
        for building_id, kind, month in keys:
            first, last = month_start(month), month_end(month)
            used = defaultdict(float)
            for unit, total in self._read_group(
                [
                    ("building_id", "=", building_id),
                    ("kind", "=", kind),
                    ("state", "=", "validated"),
                    ("date", ">=", first),
                    ("date", "<=", last),
                    ("meter_id.placement", "=", "unit"),
                ],
                ["unit_id"],
                ["consumption_value:sum"],
            ):
                used[unit.id] += total
            for meter in meters:
                if (meter.building_id.id, meter.kind) != (building_id, kind):
                    continue
                for index, _previous, consumption in pending[meter.id]:
                    if consumption is not None and first <= vals_list[index]["date"] <= last:
                        used[meter.unit_id.id] += float(meter._consumption_value(consumption))
            area = sum(self.env["site.unit"].browse(list(used)).mapped("area_net"))
            if area and len(used) > 1:  # one unit is no average to compare with
                averages[(building_id, kind, month)] = Decimal(str(sum(used.values()) / area))
        return averages

    def _flags(self, meter, meter_history, vals, previous, averages):
        company = meter.company_id
        earlier = [
            engine.Reading(r["date"], Decimal(str(r["value"])))
            for r in meter_history
            if r["date"] < vals["date"] or (r["date"] == vals["date"] and r.get("id"))
        ]
        unit_area = meter.unit_id.area_net if meter.placement == "unit" else None
        average = averages.get((meter.building_id.id, meter.kind, vals["date"].replace(day=1)))
        history_factor = Decimal(str(company.site_reading_history_factor or 2))
        reference = None
        if meter.kind in SEASONAL_KINDS:
            # Heating is compared with the same season last year, or not with its history.
            reference = engine.same_season_rate(earlier, vals["date"], meter._rollover_at())
            if reference is None:
                history_factor = None
        return engine.check_reading(
            earlier,
            engine.Reading(vals["date"], Decimal(str(vals["value"]))),
            rollover_at=meter._rollover_at(),
            history_factor=history_factor,
            reference_rate=reference,
            building_avg_per_m2=average and average / meter._consumption_factor(),
            area=unit_area,
            building_factor=Decimal(str(company.site_reading_building_factor or 2)),
            zero_periods=company.site_reading_zero_periods,
            window=company._site_reading_window(),
        )

    def _flag_message(self, flag):
        """The flag's reason in this environment's language (the engine words it in
        English only); what the engine says as it is where there is nothing to word."""
        p = flag.params
        if flag.code == engine.OUTSIDE_WINDOW:
            return self.env._(
                "Readings are taken on days %(first)s–%(last)s of the month; the next window "
                "opens on %(opening)s.",
                first=p["first"],
                last=p["last"],
                opening=format_date(self.env, p["opening"]),
            )
        if flag.code == engine.LOWER_THAN_LAST and "start" in p:
            return self.env._(
                "The reading %(value)s is lower than the new meter's start %(start)s.",
                value=p["value"],
                start=p["start"],
            )
        if flag.code == engine.LOWER_THAN_LAST and "last" in p:
            return self.env._(
                "The reading %(value)s is lower than the last one, %(last)s.",
                value=p["value"],
                last=p["last"],
            )
        if flag.code == engine.ROLLOVER:
            return self.env._(
                "The register rolled over at %(rollover)s: %(used)s used.",
                rollover=p["rollover_at"],
                used=p["used"],
            )
        if flag.code == engine.ABOVE_HISTORY:
            return self.env._(
                "%(used)s in %(days)s days is more than %(factor)s times this meter's usual "
                "consumption: awaiting acceptance.",
                used=p["used"],
                days=p["days"],
                factor=p["factor"],
            )
        if flag.code == engine.ABOVE_BUILDING_AVERAGE:
            return self.env._(
                "%(used)s is more than %(factor)s times the building's average per m²: "
                "awaiting acceptance.",
                used=p["used"],
                factor=p["factor"],
            )
        if flag.code == engine.ZERO_CONSUMPTION:
            return self.env._(
                "No consumption over the last %(periods)s period(s): stuck meter, empty flat "
                "or tampering?",
                periods=p["periods"],
            )
        if flag.code == engine.MISSING:
            return self.env._(
                "No reading between %(start)s and %(end)s.",
                start=format_date(self.env, p["start"]),
                end=format_date(self.env, p["end"]),
            )
        return flag.message

    def _apply_flags(self, meter, vals, flags):
        refused = [
            flag
            for flag in flags
            if flag.severity == engine.REFUSE
            and (flag.code != engine.OUTSIDE_WINDOW or vals.get("source") == "portal")
        ]
        if refused:
            raise ValidationError(
                self.env._(
                    "Meter %(meter)s, reading of %(date)s: %(reasons)s",
                    meter=meter.display_name,
                    date=vals["date"],
                    reasons=" ".join(self._flag_message(flag) for flag in refused),
                )
            )
        review = [flag for flag in flags if flag.severity != engine.INFO]
        if flags:
            vals["check_codes"] = ",".join(flag.code for flag in flags)
            # Stored for staff and the resident alike: in the site's language.
            worded = self.with_context(lang=meter.company_id.partner_id.lang or self.env.lang)
            vals["check_reasons"] = "\n".join(worded._flag_message(flag) for flag in flags)
        if review and vals.get("state", "validated") != "rejected":
            vals["state"] = "to_accept"

    # --- consumption -----------------------------------------------------------

    @api.model
    def _last_readings(self, meter_ids):
        """{meter id: its latest counted reading}, in one query."""
        if not meter_ids:
            return {}
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (meter_id) meter_id, id FROM site_meter_reading
             WHERE meter_id = ANY(%s) AND state IN %s
             ORDER BY meter_id, date DESC, id DESC
            """,
            [list(meter_ids), COUNTED],
        )
        return {
            meter_id: self.browse(reading_id) for meter_id, reading_id in self.env.cr.fetchall()
        }

    # --- acceptance queue ------------------------------------------------------

    def action_accept(self):
        readings = self.filtered(lambda r: r.state == "to_accept")
        readings.write({"state": "validated"})
        for reading in readings:
            reading.message_post(body=self.env._("Reading accepted."))

    def action_reject(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": "site.reading.reject.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"active_ids": self.ids, "active_model": self._name},
        }

    def _reject(self, reason):
        if not (reason or "").strip():
            raise UserError(self.env._("Give the reason for rejecting: the resident sees it."))
        locked = self.filtered(lambda r: r.is_initial or r.is_final)
        if locked:
            raise UserError(
                self.env._(
                    "The initial and final readings of a meter replacement cannot be rejected "
                    "(%(readings)s); correct their value instead.",
                    readings=", ".join(locked.mapped("display_name")),
                )
            )
        self.write({"state": "rejected", "reject_reason": reason})

    @api.model
    def _period_consumption(self, meters, date_from, date_to):
        """{meter id: consumption in billing units} over (date_from, date_to].

        Sums the validated readings' consumption of each meter's chain (the meter and
        those it replaced), so a replacement inside the period loses nothing. One query
        (a site's 50,000 allocators at once).
        """
        predecessors = meters._predecessor_ids()
        chain_of = {}
        for meter_id in meters.ids:
            for member in predecessors.get(meter_id, ()):
                chain_of[member] = meter_id
            chain_of[meter_id] = meter_id
        result = dict.fromkeys(meters.ids, 0.0)
        if not chain_of:
            return result
        self.flush_model(["meter_id", "state", "date", "consumption_value"])
        self.env.cr.execute(
            SQL(
                """
                SELECT meter_id, COALESCE(SUM(consumption_value), 0)::float8
                  FROM site_meter_reading
                 WHERE meter_id = ANY(%s) AND state = 'validated' AND date > %s AND date <= %s
                 GROUP BY meter_id
                 ORDER BY meter_id
                """,
                id_array(chain_of),
                date_from,
                date_to,
            )
        )
        for meter_id, total in self.env.cr.fetchall():
            result[chain_of[meter_id]] += total
        return result

    @api.model
    def _read_meter_ids(self, meter_ids, date_from, date_to):
        """The ids among ``meter_ids`` with a counted reading between the two dates,
        inclusive (a set)."""
        self.flush_model(["meter_id", "state", "date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT meter_id FROM site_meter_reading
                 WHERE meter_id = ANY(%s) AND state IN %s AND date >= %s AND date <= %s
                """,
                id_array(meter_ids),
                COUNTED,
                date_from,
                date_to,
            )
        )
        return {meter_id for [meter_id] in self.env.cr.fetchall()}
