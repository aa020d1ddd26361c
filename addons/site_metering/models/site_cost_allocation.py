import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from psycopg2.extras import execute_values

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import heat as heat_engine
from ..engine import readings as readings_engine
from ..engine import water as water_engine
from ..engine.tariffs import TariffError
from .site_meter import KIND_UOM, METER_KINDS

LOCK_SPACE = 0x5A110C  # advisory-lock namespace of cost allocations

PART_TYPES = [
    ("heating", "Heating"),
    ("hot_water", "Hot Water"),
    ("water", "Water"),
    ("electricity", "Common Electricity"),
    ("gas", "Gas"),
    ("other", "Other"),
]
METHODS = [
    ("tr_heat", "Turkish Regulation (70 % Consumption, 30 % Area, Minimum)"),
    ("consumption_share", "Consumption Share 50–70 % (German Rule)"),
    ("water_loss", "Water: Main Meter Minus Unit Meters"),
    ("key", "Allocation Key Only"),
    ("tariff", "Tariff on Consumption"),
    ("hot_water_formula", "Hot-Water Formula"),
]
AREA_KEYS = [
    ("area", "Closed Area"),
    ("area_heated", "Heated Area"),
    ("volume", "Heated Volume"),
    ("equal", "Equally per Unit"),
    ("persons", "Persons"),
    ("land_share", "Land Share"),
]
LOSS_KEYS = [
    ("consumption", "By Consumption"),
    ("area", "By Closed Area"),
    ("equal", "Equally per Unit"),
]
HOT_WATER_RULES = [
    ("tr", "Turkish Fuel Formula (By = 1.20 · V · (tw − 10) / Hu)"),
    ("de", "German Heat Share (2.5 kWh/(m³·K) · V · (tw − 10))"),
]
# Methods whose amount is shared by measured consumption (the 25 % estimation rule).
CONSUMPTION_METHODS = ("tr_heat", "consumption_share", "water_loss", "hot_water_formula")
DEFAULT_CHARGE_TYPES = {
    "heating": "HEAT",
    "hot_water": "HOTWATER",
    "water": "COLDWATER",
    "gas": "GAS",
    "electricity": "ELEC",
}
DEFAULT_METER_KINDS = {
    "heating": "hca",
    "hot_water": "hot_water",
    "water": "cold_water",
    "gas": "gas",
    "electricity": "electricity",
}


@dataclass
class LineResult:
    """One unit's share of one part, before it is written as a line."""

    consumption: Decimal = Decimal(0)
    billed_consumption: Decimal = Decimal(0)
    raised: bool = False
    consumption_amount: Decimal = Decimal(0)
    area_amount: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    computation: str = ""


def _d(value):
    return Decimal(str(value or 0))


class SiteUnit(models.Model):
    _inherit = "site.unit"

    volume_heated = fields.Float(
        string="Heated Volume (m³)",
        digits=(16, 2),
        help="Heated volume of the unit, a key of heat-cost sharing where a site shares the "
        "non-consumption part by volume.",
    )


class SiteCostAllocation(models.Model):
    """A building's or site's bill for a period, split into parts and unit shares.

    Each part (heating, hot water, water, electricity...) is shared by the method the
    site chose for it; the engines (``engine.heat``, ``engine.water``, ``engine.tariffs``)
    do the arithmetic, so the unit shares add up to the bill to the cent. Posting charges
    the shares through site_dues' ledger, one charge per unit, liable partner and type.
    """

    _name = "site.cost.allocation"
    _description = "Cost Allocation"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.company.mixin"]
    _order = "period desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        tracking=True,
    )
    building_id = fields.Many2one(
        "site.building",
        check_company=True,
        tracking=True,
        index=True,
        help="Empty: the whole site.",
    )
    date_from = fields.Date(
        string="Readings From",
        required=True,
        tracking=True,
        help="Consumption is taken over the readings after this day up to the end date.",
    )
    date_to = fields.Date(string="Readings To", required=True, tracking=True)
    period = fields.Date(
        string="Billed Month",
        compute="_compute_period",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        tracking=True,
        help="First day of the month the charges are billed in (charge notices, labels).",
    )
    due_date = fields.Date(
        help="Empty: the site's due day of the billed month.", tracking=True, copy=False
    )
    vendor_bill_id = fields.Many2one(
        "account.move",
        string="Vendor Bill",
        check_company=True,
        tracking=True,
        domain="[('move_type', '=', 'in_invoice'), ('company_id', '=', company_id)]",
        copy=False,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount_total = fields.Monetary(
        string="Bill Amount",
        compute="_compute_amount_total",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        help="The amount the parts share; the bill's total when a bill is chosen.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("computed", "Computed"),
            ("posted", "Posted"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
        index=True,
    )
    part_ids = fields.One2many("site.cost.allocation.part", "allocation_id", string="Parts")
    line_ids = fields.One2many(
        "site.cost.allocation.line", "allocation_id", string="Unit Shares", readonly=True
    )
    line_count = fields.Integer(compute="_compute_line_totals")
    charged_total = fields.Monetary(
        string="Charged", compute="_compute_line_totals", help="Sum of the unit shares."
    )
    estimated_area_share = fields.Float(
        string="Estimated Area (%)",
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="Share of the area whose consumption includes an estimate (the largest over "
        "the consumption parts).",
    )
    estimated_area_limit = fields.Float(related="company_id.site_estimated_area_limit")
    estimate_exceeded = fields.Boolean(
        compute="_compute_estimate_exceeded",
        help="More of the area is estimated than the site's limit: the consumption parts may "
        "only be billed by area.",
    )
    area_only = fields.Boolean(
        string="Bill by Area Only",
        tracking=True,
        help="Bill the consumption parts by closed area only (HeizkostenV §9a: more than "
        "25 % of the area estimated).",
    )
    estimated_reading_count = fields.Integer(readonly=True, copy=False)
    penalised_count = fields.Integer(
        string="Penalised Units",
        readonly=True,
        copy=False,
        help="Units raised to the minimum heating.",
    )
    move_ids = fields.Many2many("account.move", string="Entries", readonly=True, copy=False)
    reversal_move_ids = fields.Many2many(
        "account.move",
        "site_cost_allocation_reversal_rel",
        string="Reversals",
        readonly=True,
        copy=False,
    )
    note = fields.Html()

    # A bill is charged once; a cancelled allocation lets it be charged again.
    _vendor_bill_posted_uniq = models.UniqueIndex(
        "(vendor_bill_id) WHERE state = 'posted' AND vendor_bill_id IS NOT NULL",
        "This vendor bill has already been allocated and posted.",
    )

    @api.depends("building_id", "company_id", "period")
    def _compute_name(self):
        for allocation in self:
            if allocation.name and allocation.id:
                continue
            where = allocation.building_id.name or allocation.company_id.name or ""
            month = f" {allocation.period:%Y-%m}" if allocation.period else ""
            allocation.name = f"{where}{month}"

    @api.depends("date_to")
    def _compute_period(self):
        for allocation in self:
            if allocation.date_to and not allocation.period:
                allocation.period = allocation.date_to.replace(day=1)

    def _report_file_name(self):
        """ "Gider Bildirimleri A Blok Aralık 2026": the printed notices' name."""
        self.ensure_one()
        display = self.env["site.display"]
        return display._file_name(
            self.env._("Expense Notices"),
            self.building_id.name or self.company_id.name,
            display._month_label(self.period),
        )

    @api.depends("vendor_bill_id.amount_total")
    def _compute_amount_total(self):
        for allocation in self:
            if allocation.vendor_bill_id:
                allocation.amount_total = allocation.vendor_bill_id.amount_total

    @api.depends("line_ids.amount")
    def _compute_line_totals(self):
        rows = {
            allocation: (count, total)
            for allocation, count, total in self.env["site.cost.allocation.line"]._read_group(
                [("allocation_id", "in", self.ids)], ["allocation_id"], ["__count", "amount:sum"]
            )
        }
        for allocation in self:
            allocation.line_count, allocation.charged_total = rows.get(allocation, (0, 0.0))

    @api.depends("estimated_area_share", "estimated_area_limit")
    def _compute_estimate_exceeded(self):
        for allocation in self:
            allocation.estimate_exceeded = readings_engine.bill_by_area_only(
                _d(allocation.estimated_area_share) / 100,
                _d(allocation.estimated_area_limit) / 100,
            )

    @api.constrains("date_from", "date_to", "period")
    def _check_dates(self):
        for allocation in self:
            if allocation.date_from >= allocation.date_to:
                raise ValidationError(
                    self.env._(
                        "Cost allocation %(name)s: the readings' end date must be after their "
                        "start date.",
                        name=allocation.name,
                    )
                )
            if allocation.period.day != 1:
                raise ValidationError(
                    self.env._(
                        "Cost allocation %(name)s: the billed month is given by its first day.",
                        name=allocation.name,
                    )
                )

    @api.constrains("amount_total")
    def _check_amount(self):
        for allocation in self:
            if allocation.amount_total < 0:
                raise ValidationError(
                    self.env._(
                        "Cost allocation %(name)s: the bill amount cannot be negative.",
                        name=allocation.name,
                    )
                )

    @api.onchange("date_to")
    def _onchange_date_to(self):
        if self.date_to:
            self.period = self.date_to.replace(day=1)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(allocation.state == "posted" for allocation in self):
            raise UserError(self.env._("Cancel a posted cost allocation before deleting it."))

    # --- gathering -----------------------------------------------------------

    def _units(self):
        """The units sharing the bill: the building's, or the whole site's."""
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.building_id:
            domain.append(("building_id", "=", self.building_id.id))
        units = self.env["site.unit"].search(domain)
        if not units:
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s: there are no units to share the bill over.",
                    name=self.name,
                )
            )
        return units

    def _meters(self, kinds, placement="unit", units=None):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("kind", "in", list(kinds)),
            ("placement", "=", placement),
            ("state", "!=", "removed"),
        ]
        if self.building_id:
            domain.append(("building_id", "=", self.building_id.id))
        if units is not None:
            domain.append(("unit_id", "in", units.ids))
        # What the estimation and the consumption read of every meter, in one query.
        return (
            self.env["site.meter"]
            .sudo()
            .search_fetch(
                domain,
                ["kind", "placement", "state", "unit_id", "building_id", "replaces_id", "kq"],
            )
        )

    def _consumptions(self, units):
        """Per meter kind: {unit id: consumption in billing units}, and the estimated units.

        Estimates the missing readings of the period first (site.meter._estimate_missing).
        Allocator values are converted with their factors (KQ · KC · KT) by the readings.
        Returns ({kind: {unit id: Decimal}}, {kind: set of unit ids}, estimated readings).
        """
        self.ensure_one()
        kinds = {
            part.meter_kind
            for part in self.part_ids
            if part.method not in ("key",) and part.meter_kind
        }
        consumption = {kind: dict.fromkeys(units.ids, Decimal(0)) for kind in kinds}
        estimated = {kind: set() for kind in kinds}
        if not kinds:
            return consumption, estimated, 0
        meters = self._meters(kinds, units=units)
        created = meters._estimate_missing(self.date_from, self.date_to)
        Reading = self.env["site.meter.reading"].sudo()
        used = Reading._period_consumption(meters, self.date_from, self.date_to)
        estimated_meters = {
            meter.id
            for [meter] in Reading._read_group(
                [
                    ("meter_id", "in", meters.ids),
                    ("estimated", "=", True),
                    ("state", "=", "validated"),
                    ("date", ">", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                ["meter_id"],
            )
        }
        for meter in meters:
            unit_id = meter.unit_id.id
            consumption[meter.kind][unit_id] += _d(used.get(meter.id, 0.0))
            if meter.id in estimated_meters:
                estimated[meter.kind].add(unit_id)
        return consumption, estimated, len(created)

    def _main_consumption(self, kind):
        """The main meters' consumption over the period, or None without a main meter."""
        meters = self._meters([kind], placement="main")
        if not meters:
            return None
        used = (
            self.env["site.meter.reading"]
            .sudo()
            ._period_consumption(meters, self.date_from, self.date_to)
        )
        return sum((_d(value) for value in used.values()), Decimal(0))

    def _months(self):
        self.ensure_one()
        months = (self.date_to.year - self.date_from.year) * 12 + (
            self.date_to.month - self.date_from.month
        )
        return max(months, 1)

    # --- compute ---------------------------------------------------------------

    def action_compute(self):
        for allocation in self:
            allocation._compute_shares()
        return True

    def _compute_shares(self):
        self.ensure_one()
        if self.state not in ("draft", "computed"):
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s is %(state)s: reset it to draft to compute it again.",
                    name=self.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[self.state],
                )
            )
        if not self.part_ids:
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s: add the parts of the bill (heating, hot water, "
                    "water...) first.",
                    name=self.name,
                )
            )
        digits = self.currency_id.decimal_places
        units = self._units()
        consumption, estimated, estimated_count = self._consumptions(units)
        areas = {unit.id: _d(unit.area_net) for unit in units}
        # The 25 % rule: the share of the area with an estimated consumption.
        shares = {}
        for part in self.part_ids.filtered(lambda p: p.method in CONSUMPTION_METHODS):
            try:
                share = readings_engine.estimated_area_share(areas, estimated[part.meter_kind])
            except readings_engine.ReadingError:
                share = Decimal(0)
            shares[part] = share * 100
        top = max(shares.values(), default=Decimal(0))
        limit = _d(self.company_id.site_estimated_area_limit)
        self._resolve_amounts(consumption, units, digits)
        results = {}
        for part in self.part_ids.sorted("sequence"):
            results[part] = part._compute_part(units, consumption, estimated, digits)
        # Every part's shares add up to the part; the parts to the bill.
        self.line_ids.unlink()
        rows = []
        penalised = set()
        for part, part_rows in results.items():
            kind_estimated = estimated.get(part.meter_kind, set())
            for unit in units:
                row = part_rows[unit.id]
                is_estimated = part.method != "key" and unit.id in kind_estimated
                computation = row.computation
                if is_estimated:
                    computation += "\n" + self.env._("The consumption includes an estimate.")
                if row.raised:
                    penalised.add(unit.id)
                rows.append(
                    (
                        part.id,
                        part.part_type,
                        unit.id,
                        unit.building_id.id or None,
                        float(areas[unit.id]),
                        float(row.consumption),
                        float(row.billed_consumption),
                        row.raised,
                        is_estimated,
                        row.consumption_amount,
                        row.area_amount,
                        row.amount,
                        computation,
                    )
                )
        self._insert_lines(rows)
        self.write(
            {
                "state": "computed",
                "estimated_area_share": float(top),
                "estimated_reading_count": estimated_count,
                "penalised_count": len(penalised),
            }
        )
        for part, share in shares.items():
            part.estimated_area_share = float(share)
        if readings_engine.bill_by_area_only(top / 100, limit / 100) and not self.area_only:
            self.message_post(
                body=self.env._(
                    "%(share)s %% of the area has an estimated consumption, more than the "
                    "site's limit of %(limit)s %%: the consumption parts may be billed by area "
                    "only (tick Bill by Area Only and compute again).",
                    share=f"{top:.2f}",
                    limit=f"{limit:g}",
                )
            )

    def _insert_lines(self, rows):
        """Write the unit shares in one statement: ten thousand units × parts through the
        ORM would cost more than the whole computation. ``rows`` hold the line values in
        the order of the columns below; the related stored fields are given with them."""
        self.ensure_one()
        self.env.flush_all()
        if rows:
            header = (self.id, self.company_id.id, self.env.uid)
            execute_values(
                self.env.cr._obj,
                """
                INSERT INTO site_cost_allocation_line (allocation_id, company_id, create_uid,
                    part_id, part_type, unit_id, building_id, area, consumption,
                    billed_consumption, raised, estimated, consumption_amount, area_amount,
                    amount, computation, write_uid, create_date, write_date)
                SELECT v.*, v.create_uid, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM (VALUES %s) AS v(allocation_id, company_id, create_uid, part_id,
                       part_type, unit_id, building_id, area, consumption, billed_consumption,
                       raised, estimated, consumption_amount, area_amount, amount, computation)
                """,
                [header + row for row in rows],
                template="(%s, %s, %s, %s, %s, %s, %s, %s::float8, %s::float8, %s::float8, "
                "%s::boolean, %s::boolean, %s::numeric, %s::numeric, %s::numeric, %s)",
                page_size=5000,
            )
        self.env["site.cost.allocation.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    def _resolve_amounts(self, consumption, units, digits):
        """Set the amounts the parts share: the formula parts', then the rest of the bill."""
        self.ensure_one()
        for part in self.part_ids.filtered(lambda p: p.method == "hot_water_formula"):
            part._compute_hot_water_amount(consumption, digits)
        shared = self.part_ids.filtered(lambda p: p.method != "tariff")
        rest = shared.filtered("takes_rest")
        if len(rest) > 1:
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s: only one part can take the rest of the bill "
                    "(now %(parts)s).",
                    name=self.name,
                    parts=", ".join(rest.mapped("name")),
                )
            )
        total = _d(self.amount_total)
        others = sum((_d(p.amount) for p in shared - rest), Decimal(0))
        if rest:
            if others > total:
                raise UserError(
                    self.env._(
                        "Cost allocation %(name)s: the other parts come to %(others)s, more "
                        "than the bill's %(total)s; part %(part)s has nothing left.",
                        name=self.name,
                        others=f"{others:.2f}",
                        total=f"{total:.2f}",
                        part=rest.name,
                    )
                )
            rest.amount = float(total - others)
        elif shared and not total:
            self.amount_total = float(others)
        elif shared and others.quantize(Decimal(1).scaleb(-digits)) != total.quantize(
            Decimal(1).scaleb(-digits)
        ):
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s: the parts come to %(parts)s but the bill is "
                    "%(total)s. Correct the parts' amounts or let one part take the rest.",
                    name=self.name,
                    parts=f"{others:.2f}",
                    total=f"{total:.2f}",
                )
            )

    # --- posting -----------------------------------------------------------------

    def _lock(self):
        self.ensure_one()
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_SPACE, self.id])
        if not self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s is being posted right now; try again when that "
                    "has finished.",
                    name=self.name,
                )
            )

    def _due(self):
        self.ensure_one()
        if self.due_date:
            return self.due_date
        day = self.company_id.site_charge_due_day or 1
        last = calendar.monthrange(self.period.year, self.period.month)[1]
        return self.period.replace(day=min(max(day, 1), last))

    def action_post(self):
        for allocation in self:
            allocation._lock()
            allocation.invalidate_recordset(["state"])
            if allocation.state == "posted":
                continue  # posting twice never charges twice
            if allocation.state != "computed":
                raise UserError(
                    self.env._(
                        "Cost allocation %(name)s: compute it before posting.",
                        name=allocation.name,
                    )
                )
            with self.env.cr.savepoint():
                allocation._post()
        return True

    def _post(self):
        """Charge the unit shares: by charge type, each unit's amount split by days between
        the partners liable for it over the reading period; one posting path (site.ledger)."""
        self.ensure_one()
        parts = self.part_ids
        missing = parts.filtered(lambda p: not p.charge_type_id)
        if missing:
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s: choose the charge type of part(s) %(parts)s.",
                    name=self.name,
                    parts=", ".join(missing.mapped("name")),
                )
            )
        digits = self.currency_id.decimal_places
        # The measured part of a share follows the readings at a change of occupant;
        # the rest (area, fees, loss) goes by days.
        by_type = defaultdict(lambda: defaultdict(Decimal))
        measured = defaultdict(lambda: defaultdict(Decimal))
        kinds = defaultdict(set)
        estimated = defaultdict(set)
        Unit = self.env["site.unit"]
        for row in self.env["site.cost.allocation.line"].search_read(
            [("allocation_id", "=", self.id)],
            ["unit_id", "part_id", "amount", "consumption_amount", "estimated"],
            load=None,
        ):
            part = parts.browse(row["part_id"])
            charge_type = part.charge_type_id
            unit = Unit.browse(row["unit_id"])
            by_type[charge_type][unit] += _d(row["amount"])
            if part.method in CONSUMPTION_METHODS + ("tariff",) and part.meter_kind:
                measured[charge_type][unit] += _d(row["consumption_amount"])
                kinds[charge_type].add(part.meter_kind)
            if row["estimated"]:
                estimated[charge_type].add(row["unit_id"])
        due_date = self._due()
        first_day = self.date_from + timedelta(days=1)
        lang = self.company_id.partner_id.lang
        shares = []
        quantum = Decimal(1).scaleb(-digits)
        month = self.env["site.display"].with_context(lang=lang)._month_label(self.period)
        for charge_type, unit_amounts in by_type.items():
            named = charge_type.with_context(lang=lang)
            label = f"{named.name} {month}"
            estimated_label = label + " " + self.with_context(lang=lang).env._("(estimated)")
            by_reading = {
                unit: amount.quantize(quantum) for unit, amount in measured[charge_type].items()
            }
            by_days = {
                unit: amount.quantize(quantum) - by_reading.get(unit, Decimal(0))
                for unit, amount in unit_amounts.items()
            }
            weights = self._reading_weights(kinds[charge_type])
            totals = defaultdict(Decimal)
            for amounts, segment_weights in ((by_reading, weights), (by_days, None)):
                amounts = {unit: amount for unit, amount in amounts.items() if amount}
                if not amounts:
                    continue
                for unit_id, partner_id, amount in self.env["site.ledger"]._liable_shares(
                    amounts,
                    first_day,
                    self.date_to,
                    charge_type.category,
                    digits,
                    f"{first_day}–{self.date_to}",
                    segment_weights,
                ):
                    totals[(unit_id, partner_id)] += amount
            shares += [
                (
                    unit_id,
                    partner_id,
                    charge_type.id,
                    amount,
                    estimated_label if unit_id in estimated[charge_type] else label,
                )
                for (unit_id, partner_id), amount in totals.items()
                if amount
            ]
        if not shares:
            raise UserError(
                self.env._("Cost allocation %(name)s has nothing to charge.", name=self.name)
            )
        moves, charges = self.env["site.ledger"]._post_month(
            self.company_id, self.period, due_date, shares, self.name
        )
        self.write(
            {"state": "posted", "due_date": due_date, "move_ids": [fields.Command.set(moves.ids)]}
        )
        self.message_post(
            body=self.env._(
                "Posted %(count)s charges for %(total)s.",
                count=len(charges),
                total=f"{sum(c.amount for c in charges):.2f}",
            )
        )

    def _reading_weights(self, kinds):
        """segment_weights for site.ledger._liable_shares: a unit's consumption of these
        meter kinds in each occupant's days, cut at the reading nearest each change
        date (engine.readings.split_by_readings); None where no reading is near."""
        date_from = self.date_from

        def weights(unit, segments):
            Reading = self.env["site.meter.reading"].sudo()
            taken, cumulative = [], Decimal(0)
            for reading in Reading.search(
                [
                    ("unit_id", "=", unit.id),
                    ("kind", "in", list(kinds)),
                    ("state", "=", "validated"),
                    ("date", ">", date_from),
                    ("date", "<=", self.date_to),
                ],
                order="date, id",
            ):
                cumulative += _d(reading.consumption_value)
                if taken and taken[-1][0] == reading.date:
                    taken[-1] = (reading.date, cumulative)
                else:
                    taken.append((reading.date, cumulative))
            parts = readings_engine.split_by_readings(
                taken, [(s.date_from, s.date_to) for s in segments]
            )
            return parts and dict(zip(segments, parts))

        return weights

    def action_cancel(self):
        """Reverse the posted entries; a computed allocation is simply cancelled."""
        for allocation in self:
            if allocation.state == "posted":
                allocation._lock()
                reversals = self.env["site.ledger"]._reverse_charges(
                    allocation.move_ids, allocation.name
                )
                allocation.write(
                    {
                        "state": "cancelled",
                        "reversal_move_ids": [fields.Command.set(reversals.ids)],
                    }
                )
            elif allocation.state in ("draft", "computed"):
                allocation.state = "cancelled"
        return True

    def action_draft(self):
        for allocation in self:
            if allocation.state == "posted":
                raise UserError(
                    self.env._(
                        "Cost allocation %(name)s is posted: cancel it first, which reverses "
                        "its entries.",
                        name=allocation.name,
                    )
                )
            allocation.line_ids.unlink()
            allocation.write({"state": "draft", "estimated_area_share": 0.0, "penalised_count": 0})
        return True

    def action_view_moves(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "account.move.line",
            "view_mode": "list",
            "domain": [
                ("move_id", "in", (self.move_ids | self.reversal_move_ids).ids),
                ("site_unit_id", "!=", False),
            ],
        }

    def action_view_penalised(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Penalised Units"),
            "res_model": "site.cost.allocation.line",
            "view_mode": "list,form",
            "domain": [("allocation_id", "=", self.id), ("raised", "=", True)],
        }


class SiteCostAllocationPart(models.Model):
    """One part of the bill (heating, hot water, water...) and how it is shared."""

    _name = "site.cost.allocation.part"
    _description = "Cost Allocation Part"
    _order = "allocation_id, sequence, id"
    _check_company_auto = True

    allocation_id = fields.Many2one(
        "site.cost.allocation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="allocation_id.company_id", store=True, string="Site")
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    sequence = fields.Integer(default=10)
    part_type = fields.Selection(PART_TYPES, required=True, default="heating")
    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, precompute=True, required=True
    )
    amount = fields.Monetary(help="What this part shares; computed for formula and tariff parts.")
    takes_rest = fields.Boolean(
        string="Rest of the Bill",
        help="This part shares what is left of the bill after the other parts.",
    )
    method = fields.Selection(METHODS, required=True, default="tr_heat")
    consumption_share = fields.Float(
        digits=(16, 2),
        default=0.70,
        help="Share of the amount split by consumption: 0.70 in Turkey, 0.50–0.70 in Germany.",
    )
    area_key = fields.Selection(
        AREA_KEYS,
        string="Rest / Key",
        default="area",
        required=True,
        help="How the rest (or, for the allocation-key method, the whole part) is shared.",
    )
    loss_key = fields.Selection(LOSS_KEYS, string="Loss Shared", default="consumption")
    apply_minimum = fields.Boolean(
        string="15 °C Minimum",
        compute="_compute_method_defaults",
        store=True,
        precompute=True,
        readonly=False,
        help="Raise units below the building's average per m² times f to that minimum.",
    )
    minimum_factor = fields.Float(
        string="Factor f",
        digits=(16, 4),
        compute="_compute_minimum_factor",
        store=True,
        precompute=True,
        readonly=False,
        help="From the site's minimum heating factors for the billed month; editable.",
    )
    meter_kind = fields.Selection(
        METER_KINDS,
        compute="_compute_type_defaults",
        store=True,
        readonly=False,
        precompute=True,
    )
    charge_type_id = fields.Many2one(
        "site.charge.type",
        compute="_compute_type_defaults",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('company_id', '=', company_id), ('kind', '=', 'charge')]",
    )
    tariff_id = fields.Many2one("site.meter.tariff", check_company=True)
    # Hot water by formula.
    hot_water_rule = fields.Selection(HOT_WATER_RULES, default="tr")
    hw_volume = fields.Float(
        string="Hot Water V (m³)",
        digits=(16, 3),
        help="Empty: the sum of the units' hot-water meters over the period.",
    )
    hw_temperature = fields.Float(string="Temperature tw (°C)", digits=(16, 1), default=60.0)
    hw_heating_value = fields.Float(
        string="Heating Value Hu (kcal)",
        digits=(16, 2),
        help="The fuel's lower heating value in kcal per fuel unit: natural gas 8,250 "
        "kcal/m³, fuel oil 9,700 kcal/kg, coal 7,200 kcal/kg. V counts in litres and 1.20 "
        "is kcal per litre and kelvin, so the fuel By comes out in that fuel unit.",
    )
    hw_fuel_price = fields.Float(
        string="Fuel Price F", digits=(16, 4), help="The price of one fuel unit (m³, kg)."
    )
    hw_total_energy = fields.Float(
        string="Total Energy (kWh)",
        digits=(16, 2),
        help="German rule: the energy of the whole bill; the hot-water share is its part.",
    )
    hw_district = fields.Boolean(string="District Heat", help="German rule: ÷ 1.15.")
    hw_fuel = fields.Float(string="Fuel By", digits=(16, 4), readonly=True)
    hot_water_percent = fields.Float(string="Hot Water (%)", digits=(16, 2), readonly=True)
    # Results.
    consumption_total = fields.Float(digits=(16, 3), readonly=True)
    billed_consumption_total = fields.Float(digits=(16, 4), readonly=True)
    unit_price = fields.Float(digits=(16, 4), readonly=True)
    area_price = fields.Float(digits=(16, 4), readonly=True)
    main_consumption = fields.Float(digits=(16, 3), readonly=True)
    loss = fields.Float(digits=(16, 3), readonly=True)
    loss_percent = fields.Float(string="Loss (%)", digits=(16, 2), readonly=True)
    minimum_per_m2 = fields.Float(string="Minimum per m²", digits=(16, 4), readonly=True)
    estimated_area_share = fields.Float(string="Estimated Area (%)", digits=(16, 2), readonly=True)
    uom = fields.Char(compute="_compute_uom")

    @api.depends("part_type")
    def _compute_name(self):
        names = dict(PART_TYPES)
        for part in self:
            if not part.name:
                part.name = names.get(part.part_type, "")

    @api.depends("method")
    def _compute_method_defaults(self):
        for part in self:
            part.apply_minimum = part.method == "tr_heat"

    @api.depends("allocation_id.period", "apply_minimum")
    def _compute_minimum_factor(self):
        for part in self:
            if part.apply_minimum and part.allocation_id.period and not part.minimum_factor:
                part.minimum_factor = self.env["site.heat.minimum"]._factor_for(
                    part.allocation_id.company_id, part.allocation_id.period
                )

    @api.depends("part_type", "allocation_id.company_id")
    def _compute_type_defaults(self):
        for part in self:
            if not part.meter_kind:
                part.meter_kind = DEFAULT_METER_KINDS.get(part.part_type)
            if not part.charge_type_id and part.allocation_id.company_id:
                code = DEFAULT_CHARGE_TYPES.get(part.part_type)
                part.charge_type_id = code and self.env["site.charge.type"].search(
                    [("company_id", "=", part.allocation_id.company_id.id), ("code", "=", code)],
                    limit=1,
                )

    @api.depends("meter_kind")
    def _compute_uom(self):
        for part in self:
            part.uom = "kWh" if part.meter_kind == "hca" else KIND_UOM.get(part.meter_kind, "")

    @api.constrains("consumption_share", "method", "amount", "tariff_id")
    def _check_part(self):
        for part in self:
            if part.method in ("tr_heat", "consumption_share") and not (
                0.5 <= round(part.consumption_share, 4) <= 0.7
            ):
                raise ValidationError(
                    self.env._(
                        "Part %(part)s: the consumption share must be between 0.50 and 0.70, "
                        "not %(share)s.",
                        part=part.name,
                        share=part.consumption_share,
                    )
                )
            if part.amount < 0:
                raise ValidationError(
                    self.env._("Part %(part)s: the amount cannot be negative.", part=part.name)
                )
            if part.method == "tariff" and not part.tariff_id:
                raise ValidationError(
                    self.env._("Part %(part)s: choose the tariff to apply.", part=part.name)
                )

    # --- the arithmetic (engines) ------------------------------------------------

    def _error(self, error):
        return UserError(
            self.env._(
                "Cost allocation %(allocation)s, part %(part)s: %(error)s",
                allocation=self.allocation_id.name,
                part=self.name,
                error=str(error),
            )
        )

    def _compute_hot_water_amount(self, consumption, digits):
        self.ensure_one()
        volume = _d(self.hw_volume) or sum(
            consumption.get(self.meter_kind, {}).values(), Decimal(0)
        )
        try:
            if self.hot_water_rule == "de":
                heat = heat_engine.german_hot_water_heat(
                    volume, _d(self.hw_temperature), self.hw_district, digits
                )
                share = heat_engine.german_hot_water_cost(
                    _d(self.allocation_id.amount_total), _d(self.hw_total_energy), heat, digits
                )
                self.write(
                    {
                        "amount": float(share.hot_water_cost),
                        "hot_water_percent": float(share.percent),
                        "hw_fuel": float(heat),
                    }
                )
            else:
                fuel = heat_engine.hot_water_fuel(
                    volume,
                    _d(self.hw_temperature),
                    _d(self.hw_heating_value),
                    _d(self.hw_fuel_price),
                    digits,
                )
                self.write({"amount": float(fuel.cost), "hw_fuel": float(fuel.fuel)})
        except heat_engine.HeatError as error:
            raise self._error(error) from error

    def _weights(self, units, key):
        """{unit id: weight} of a key: the site_dues allocation keys and the heated volume."""
        if key == "volume":
            return {unit.id: _d(unit.volume_heated) for unit in units}
        dues_key = {"area": "area_net"}.get(key, key)
        return units._allocation_weights(dues_key, self.allocation_id.date_to)

    def _compute_part(self, units, consumption, estimated, digits):
        """{unit id: LineResult}; writes the part's results."""
        self.ensure_one()
        allocation = self.allocation_id
        used = consumption.get(self.meter_kind, {})
        amount = _d(self.amount)
        uom = self.uom
        currency = allocation.currency_id.name
        area_only = allocation.area_only and self.method in CONSUMPTION_METHODS
        rows = {unit.id: LineResult(consumption=used.get(unit.id, Decimal(0))) for unit in units}
        totals = {
            "consumption_total": float(sum(used.values(), Decimal(0))),
            "billed_consumption_total": 0.0,
            "unit_price": 0.0,
            "area_price": 0.0,
            "main_consumption": 0.0,
            "loss": 0.0,
            "loss_percent": 0.0,
            "minimum_per_m2": 0.0,
        }
        try:
            if self.method == "key" or area_only:
                key = "area" if area_only else self.area_key
                weights = self._weights(units, key)
                parts = heat_engine.exact_split(amount, weights, digits)
                whole = sum((Decimal(str(w)) for w in weights.values()), Decimal(0))
                key_name = dict(AREA_KEYS)[key]
                for unit in units:
                    row = rows[unit.id]
                    row.billed_consumption = row.consumption
                    row.area_amount = row.amount = parts[unit.id]
                    row.computation = self.env._(
                        "%(key)s %(weight)s of %(whole)s: %(amount)s × %(weight)s / %(whole)s "
                        "= %(share)s %(currency)s",
                        key=key_name,
                        weight=weights[unit.id],
                        whole=whole,
                        amount=f"{amount:.2f}",
                        share=f"{parts[unit.id]:.2f}",
                        currency=currency,
                    )
                    if area_only:
                        row.computation += "\n" + self.env._(
                            "Billed by area only: too much of the area was estimated."
                        )
                if whole:
                    totals["area_price"] = float(amount / whole)
            elif self.method in ("tr_heat", "consumption_share"):
                self._split_heating(units, used, amount, digits, rows, totals, uom, currency)
            elif self.method == "water_loss":
                self._split_water(units, used, amount, digits, rows, totals, uom, currency)
            elif self.method == "hot_water_formula":
                volumes = {unit.id: used.get(unit.id, Decimal(0)) for unit in units}
                parts = heat_engine.split_hot_water(amount, volumes, digits)
                whole = sum(volumes.values(), Decimal(0))
                price = amount / whole if whole else Decimal(0)
                totals["unit_price"] = float(price)
                totals["billed_consumption_total"] = float(whole)
                for unit in units:
                    row = rows[unit.id]
                    row.billed_consumption = row.consumption
                    row.consumption_amount = row.amount = parts[unit.id]
                    row.computation = self.env._(
                        "Hot water %(used)s %(uom)s × %(price)s %(currency)s/%(uom)s = "
                        "%(share)s %(currency)s",
                        used=f"{row.consumption:.4f}",
                        uom=uom,
                        price=f"{price:.4f}",
                        share=f"{parts[unit.id]:.2f}",
                        currency=currency,
                    )
            elif self.method == "tariff":
                self._apply_tariff(units, used, digits, rows, totals, uom, currency)
        except (heat_engine.HeatError, water_engine.WaterError, TariffError) as error:
            raise self._error(error) from error
        self.write(totals)
        return rows

    def _split_heating(self, units, used, amount, digits, rows, totals, uom, currency):
        key = self.area_key
        weights = None if key in ("area", "equal") else self._weights(units, key)
        result = heat_engine.split_heating(
            amount,
            [
                heat_engine.HeatUnit(unit.id, _d(unit.area_net), used.get(unit.id, Decimal(0)))
                for unit in units
            ],
            consumption_share=_d(self.consumption_share),
            area_key=key,
            minimum_factor=_d(self.minimum_factor) if self.apply_minimum else None,
            digits=digits,
            area_weights=weights,
        )
        totals.update(
            billed_consumption_total=float(result.billed_total_consumption),
            unit_price=float(result.unit_price),
            area_price=float(result.area_price),
            minimum_per_m2=float(result.minimum_per_m2 or 0),
        )
        key_name = dict(AREA_KEYS)[key]
        for unit_result in result.units:
            row = rows[unit_result.key]
            row.billed_consumption = unit_result.billed_consumption
            row.raised = unit_result.raised
            row.consumption_amount = unit_result.consumption_part
            row.area_amount = unit_result.area_part
            row.amount = unit_result.total
            text = self.env._(
                "Consumption %(used)s %(uom)s × %(price)s %(currency)s/%(uom)s = "
                "%(part)s %(currency)s",
                used=f"{unit_result.billed_consumption:.4f}",
                uom=uom,
                price=f"{result.unit_price:.4f}",
                part=f"{unit_result.consumption_part:.2f}",
                currency=currency,
            )
            if unit_result.raised:
                text = (
                    self.env._(
                        "Measured %(used)s %(uom)s is below the minimum %(minimum)s %(uom)s/m² "
                        "× %(area)s m²: raised (penalised).",
                        used=f"{unit_result.consumption:.4f}",
                        uom=uom,
                        minimum=f"{result.minimum_per_m2:.4f}",
                        area=f"{unit_result.area:.2f}",
                    )
                    + "\n"
                    + text
                )
            if key == "equal":
                text += "; " + self.env._(
                    "equal share %(part)s %(currency)s",
                    part=f"{unit_result.area_part:.2f}",
                    currency=currency,
                )
            elif key == "area":
                text += "; " + self.env._(
                    "area %(area)s m² × %(price)s %(currency)s/m² = %(part)s %(currency)s",
                    area=f"{unit_result.area:.2f}",
                    price=f"{result.area_price:.4f}",
                    part=f"{unit_result.area_part:.2f}",
                    currency=currency,
                )
            else:
                text += "; " + self.env._(
                    "%(key)s %(weight)s × %(price)s %(currency)s = %(part)s %(currency)s",
                    key=key_name,
                    weight=weights[unit_result.key],
                    price=f"{result.area_price:.4f}",
                    part=f"{unit_result.area_part:.2f}",
                    currency=currency,
                )
            row.computation = text

    def _split_water(self, units, used, amount, digits, rows, totals, uom, currency):
        main = self.allocation_id._main_consumption(self.meter_kind)
        result = water_engine.split_water(
            amount,
            [
                water_engine.WaterUnit(unit.id, used.get(unit.id, Decimal(0)), _d(unit.area_net))
                for unit in units
            ],
            main_consumption=main,
            loss_key=self.loss_key or "consumption",
            digits=digits,
        )
        totals.update(
            main_consumption=float(main or 0),
            billed_consumption_total=float(result.units_consumption),
            unit_price=float(result.unit_price),
            loss=float(result.loss),
            loss_percent=float(result.loss_percent),
        )
        for unit_result in result.units:
            row = rows[unit_result.key]
            row.billed_consumption = unit_result.consumption
            row.consumption_amount = unit_result.consumption_part
            row.area_amount = unit_result.loss_part
            row.amount = unit_result.total
            row.computation = self.env._(
                "Consumption %(used)s %(uom)s × %(price)s %(currency)s/%(uom)s = %(part)s "
                "%(currency)s; loss %(loss)s %(uom)s = %(loss_part)s %(currency)s",
                used=f"{unit_result.consumption:.4f}",
                uom=uom,
                price=f"{result.unit_price:.4f}",
                part=f"{unit_result.consumption_part:.2f}",
                loss=f"{unit_result.loss_quantity:.4f}",
                loss_part=f"{unit_result.loss_part:.2f}",
                currency=currency,
            )

    def _apply_tariff(self, units, used, digits, rows, totals, uom, currency):
        tariff = self.tariff_id
        charges = tariff._charges(
            {unit.id: used.get(unit.id, Decimal(0)) for unit in units},
            self.allocation_id._months(),
        )
        total = Decimal(0)
        for unit in units:
            charge = charges[unit.id]
            row = rows[unit.id]
            row.billed_consumption = row.consumption
            row.consumption_amount = charge.consumption_amount
            row.area_amount = charge.fixed_fee + charge.minimum_topup + charge.tax
            row.amount = charge.total
            total += charge.total
            steps = [
                self.env._(
                    "%(quantity)s %(uom)s × %(price)s = %(amount)s",
                    quantity=f"{block.quantity:.3f}",
                    uom=uom,
                    price=f"{block.price:.4f}",
                    amount=f"{block.amount:.2f}",
                )
                for block in charge.blocks
            ]
            steps.append(self.env._("fixed fee %(fee)s", fee=f"{charge.fixed_fee:.2f}"))
            if charge.minimum_topup:
                steps.append(
                    self.env._(
                        "up to the minimum charge %(topup)s", topup=f"{charge.minimum_topup:.2f}"
                    )
                )
            if charge.tax:
                steps.append(self.env._("tax %(tax)s", tax=f"{charge.tax:.2f}"))
            row.computation = "; ".join(steps) + f" = {charge.total:.2f} {currency}"
        self.amount = float(total)
        totals["billed_consumption_total"] = totals["consumption_total"]


class SiteCostAllocationLine(models.Model):
    """One unit's share of one part of a cost allocation, with how it was computed."""

    _name = "site.cost.allocation.line"
    _description = "Cost Allocation Share"
    _order = "allocation_id, part_id, unit_id"
    _check_company_auto = True

    allocation_id = fields.Many2one(
        "site.cost.allocation", required=True, index=True, ondelete="cascade"
    )
    part_id = fields.Many2one(
        "site.cost.allocation.part", required=True, index=True, ondelete="cascade"
    )
    part_type = fields.Selection(related="part_id.part_type", store=True)
    unit_id = fields.Many2one("site.unit", required=True, index=True, check_company=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True)
    company_id = fields.Many2one(related="allocation_id.company_id", store=True, string="Site")
    currency_id = fields.Many2one(related="allocation_id.currency_id")
    period = fields.Date(related="allocation_id.period", string="Billed Month")
    state = fields.Selection(related="allocation_id.state")
    area = fields.Float(string="Area (m²)", digits=(16, 2))
    uom = fields.Char(related="part_id.uom")
    consumption = fields.Float(digits=(16, 4), help="Measured, in billing units.")
    billed_consumption = fields.Float(
        digits=(16, 4), help="The consumption billed: raised to the minimum where penalised."
    )
    raised = fields.Boolean(string="Penalised", help="Raised to the minimum heating.")
    estimated = fields.Boolean(help="The unit's consumption includes an estimated reading.")
    consumption_amount = fields.Monetary(string="By Consumption")
    area_amount = fields.Monetary(string="By Area / Key")
    amount = fields.Monetary()
    computation = fields.Text()

    def _report_file_name(self):
        """ "Gider Bildirimi A-1 Aralık 2026": one unit's printed notice."""
        self.ensure_one()
        display = self.env["site.display"]
        return display._file_name(
            self.env._("Expense Notice"),
            self.unit_id.code,
            display._month_label(self.allocation_id.period),
        )

    def _sorted_by_unit(self):
        """Per allocation, in unit order, then part order: as documents list shares."""
        return self.sorted(
            lambda line: (
                line.allocation_id.period,
                line.allocation_id.id,
                line.unit_id.code_sort or "",
                line.part_id.sequence,
                line.part_id.id,
            )
        )
