import csv
import functools
import io
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.site_residents.engine.money import to_decimal
from odoo.addons.site_residents.sql import id_array

from ..engine import cost_allocation as engine


class SiteCostAllocation(models.Model):
    """A building's or site's bill for a period, split into parts and unit shares.

    Each part (heating, hot water, water, electricity...) is shared by the method the
    site chose for it. ``engine.cost_allocation`` does the arithmetic, so the unit
    shares add up to the bill to the cent; this model gathers the units, readings and
    keys, words the engine's steps for the expense notice and writes the shares.
    Posting charges the shares through site_dues' ledger, one charge per unit, liable
    partner and type (``site.posting.mixin``).
    """

    _name = "site.cost.allocation"
    _description = "Cost Allocation"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.company.mixin", "site.posting.mixin"]
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
        readonly=False, help="Empty: the site's due day of the billed month.", tracking=True
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
        selection_add=[("computed", "Computed"), ("posted",)],
        ondelete={"computed": "set default"},
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
            allocation.estimate_exceeded = engine.exceeds_estimate_limit(
                allocation.estimated_area_share, allocation.estimated_area_limit
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

    def _units_domain(self):
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id)]
        if self.building_id:
            domain.append(("building_id", "=", self.building_id.id))
        return domain

    def _units(self):
        """The units sharing the bill: the building's, or the whole site's."""
        units = self.env["site.unit"].search(self._units_domain())
        if not units:
            raise UserError(
                self.env._(
                    "Cost allocation %(name)s: there are no units to share the bill over.",
                    name=self.name,
                )
            )
        return units

    def _meters(self, kinds, placement="unit", of_units=False):
        """The meters of ``kinds``; ``of_units``: only those of the units sharing the bill
        (``_units``)."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("kind", "in", list(kinds)),
            ("placement", "=", placement),
            ("state", "!=", "removed"),
        ]
        if self.building_id:
            domain.append(("building_id", "=", self.building_id.id))
        if of_units:
            # As a subquery: a list of ten thousand unit ids costs more to plan than to run.
            units_query = self.env["site.unit"]._search(self._units_domain())
            domain.append(("unit_id", "in", units_query))
        # The estimation and the consumption read the meters in SQL: no fields fetched.
        return self.env["site.meter"].sudo().search(domain, order="id")

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
            if part.method != engine.KEY and part.meter_kind
        }
        consumption = {kind: dict.fromkeys(units.ids, Decimal(0)) for kind in kinds}
        estimated = {kind: set() for kind in kinds}
        if not kinds:
            return consumption, estimated, 0
        meters = self._meters(kinds, of_units=True)
        created = meters._estimate_missing(self.date_from, self.date_to)
        Reading = self.env["site.meter.reading"].sudo()
        used = Reading._period_consumption(meters, self.date_from, self.date_to)
        # Plain rows: 50,000 allocators through the ORM's records cost a second.
        meters.flush_model(["kind", "unit_id"])
        Reading.flush_model(["meter_id", "estimated", "state", "date"])
        self.env.cr.execute(
            SQL(
                """
                SELECT meter.id, meter.kind, meter.unit_id, estimate.meter_id IS NOT NULL
                  FROM site_meter meter
             LEFT JOIN (SELECT DISTINCT meter_id FROM site_meter_reading
                         WHERE estimated AND state = 'validated'
                           AND date > %(date_from)s AND date <= %(date_to)s) estimate
                    ON estimate.meter_id = meter.id
                 WHERE meter.id = ANY(%(ids)s)
                """,
                ids=id_array(meters.ids),
                date_from=self.date_from,
                date_to=self.date_to,
            )
        )
        for meter_id, kind, unit_id, has_estimate in self.env.cr.fetchall():
            consumption[kind][unit_id] += to_decimal(used.get(meter_id, 0.0))
            if has_estimate:
                estimated[kind].add(unit_id)
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
        return sum((to_decimal(value) for value in used.values()), Decimal(0))

    def _daily_consumption(self, unit_ids, kinds):
        """{(unit id, meter kind): [(date, consumption)]} of the validated readings of the
        period, summed a day, for all ``unit_ids`` in one query."""
        self.ensure_one()
        rows = (
            self.env["site.meter.reading"]
            .sudo()
            ._read_group(
                [
                    ("unit_id", "in", list(unit_ids)),
                    ("kind", "in", list(kinds)),
                    ("state", "=", "validated"),
                    ("date", ">", self.date_from),
                    ("date", "<=", self.date_to),
                ],
                ["unit_id", "kind", "date:day"],
                ["consumption_value:sum"],
            )
        )
        daily = defaultdict(list)
        for unit, kind, day, used in rows:
            daily[(unit.id, kind)].append((day, to_decimal(used)))
        return daily

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
        units = self._units()
        consumption, estimated, estimated_count = self._consumptions(units)
        # (id, closed area, building) of every unit in plain rows: ten thousand units'
        # fields read through their records cost more than the rest of the loop below.
        units.flush_model(["area_net", "building_id"])
        self.env.cr.execute(
            SQL(
                "SELECT id, COALESCE(area_net, 0)::float8, building_id FROM site_unit "
                "WHERE id = ANY(%s)",
                id_array(units.ids),
            )
        )
        unit_values = {row[0]: row for row in self.env.cr.fetchall()}
        unit_rows = [unit_values[unit_id] for unit_id in units.ids]
        parts = self.part_ids.sorted("sequence")
        try:
            result = engine.allocate(
                to_decimal(self.amount_total),
                [part._engine_part(units, consumption) for part in parts],
                [engine.Unit(unit_id, to_decimal(area)) for unit_id, area, _b in unit_rows],
                consumption,
                estimated,
                self.currency_id.decimal_places,
                area_only=self.area_only,
                estimate_limit=to_decimal(self.company_id.site_estimated_area_limit),
            )
        except engine.CostAllocationError as error:
            raise UserError(self._engine_error(error)) from error
        # Every part's shares add up to the part; the parts to the bill.
        self.line_ids.unlink()
        rows = []
        translate = parts._translator()
        for part, part_result in zip(parts, result.parts, strict=True):
            part.write(part._result_values(part_result))
            for unit_id, area, building_id in unit_rows:
                line = part_result.lines[unit_id]
                rows.append(
                    (
                        part.id,
                        part.part_type,
                        unit_id,
                        building_id,
                        area,
                        float(line.consumption),
                        float(line.billed_consumption),
                        line.raised,
                        line.estimated,
                        line.consumption_amount,
                        line.area_amount,
                        line.amount,
                        part._computation(line.steps, translate),
                    )
                )
        self._insert_lines(rows)
        values = {
            "state": "computed",
            "estimated_area_share": float(result.estimated_area.top),
            "estimated_reading_count": estimated_count,
            "penalised_count": len(result.penalised),
        }
        if result.total != to_decimal(self.amount_total):
            values["amount_total"] = float(result.total)
        self.write(values)
        if result.estimated_area.exceeded and not self.area_only:
            self.message_post(
                body=self.env._(
                    "%(share)s %% of the area has an estimated consumption, more than the "
                    "site's limit of %(limit)s %%: the consumption parts may be billed by area "
                    "only (tick Bill by Area Only and compute again).",
                    share=f"{result.estimated_area.top:.2f}",
                    limit=f"{to_decimal(self.company_id.site_estimated_area_limit):g}",
                )
            )

    def _engine_error(self, error):
        """The engine's refusal in the user's words."""
        values = error.params
        if error.code == engine.SEVERAL_RESTS:
            return self.env._(
                "Cost allocation %(name)s: only one part can take the rest of the bill "
                "(now %(parts)s).",
                name=self.name,
                parts=", ".join(values["parts"]),
            )
        if error.code == engine.NOTHING_LEFT:
            return self.env._(
                "Cost allocation %(name)s: the other parts come to %(others)s, more "
                "than the bill's %(total)s; part %(part)s has nothing left.",
                name=self.name,
                others=f"{values['others']:.2f}",
                total=f"{values['total']:.2f}",
                part=values["part"],
            )
        if error.code == engine.PARTS_MISMATCH:
            return self.env._(
                "Cost allocation %(name)s: the parts come to %(parts)s but the bill is "
                "%(total)s. Correct the parts' amounts or let one part take the rest.",
                name=self.name,
                parts=f"{values['parts']:.2f}",
                total=f"{values['total']:.2f}",
            )
        return self.env._(
            "Cost allocation %(allocation)s, part %(part)s: %(error)s",
            allocation=self.name,
            part=self.part_ids.browse(values["part"]).name,
            error=values.get("error", str(error)),
        )

    def _insert_lines(self, rows):
        """Write the unit shares in one COPY: ten thousand units × parts through the ORM
        would cost more than the whole computation, and an INSERT of as many VALUES
        takes PostgreSQL longer to parse than to write. ``rows`` hold the line values
        in the order of the columns below; the related stored fields are given with
        them."""
        self.ensure_one()
        self.env.flush_all()
        if rows:
            now = self.env.cr.now()
            header = (self.id, self.company_id.id, self.env.uid, self.env.uid, now, now)
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for row in rows:
                writer.writerow(header + tuple(row))
            buffer.seek(0)
            self.env.cr._obj.copy_expert(
                """
                COPY site_cost_allocation_line (allocation_id, company_id, create_uid,
                    write_uid, create_date, write_date, part_id, part_type, unit_id,
                    building_id, area, consumption, billed_consumption, raised, estimated,
                    consumption_amount, area_amount, amount, computation)
                FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (part_type, computation))
                """,
                buffer,
            )
        self.env["site.cost.allocation.line"].invalidate_model()
        self.invalidate_recordset(["line_ids"])

    # --- posting -----------------------------------------------------------------

    def _lock(self):
        """One posting or cancelling of this allocation at a time."""
        self.ensure_one()
        self._posting_lock(
            self.env._(
                "Cost allocation %(name)s is being posted right now; try again when that "
                "has finished.",
                name=self.name,
            )
        )

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
        """Charge the unit shares: by charge type, each unit's amount split between the
        partners liable for it over the reading period, the measured part at the reading
        nearest a change of occupant and the rest by days; one posting path (site.ledger)."""
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
        part_of = {part.id: part for part in parts}
        splits = engine.posting_split(
            [
                engine.Share(
                    unit=row["unit_id"],
                    charge=part_of[row["part_id"]].charge_type_id.id,
                    amount=to_decimal(row["amount"]),
                    consumption_amount=to_decimal(row["consumption_amount"]),
                    method=part_of[row["part_id"]].method,
                    meter_kind=part_of[row["part_id"]].meter_kind or None,
                    estimated=row["estimated"],
                )
                for row in self.env["site.cost.allocation.line"].search_read(
                    [("allocation_id", "=", self.id)],
                    ["unit_id", "part_id", "amount", "consumption_amount", "estimated"],
                    load=None,
                )
            ],
            digits,
        )
        due_date = self.due_date or self._posting_due_date(self.company_id, self.period)
        first_day = self.date_from + timedelta(days=1)
        lang = self.company_id.partner_id.lang
        month = self.env["site.display"].with_context(lang=lang)._month_label(self.period)
        weights = self._reading_weights(splits.values())
        Unit = self.env["site.unit"]
        Ledger = self.env["site.ledger"]
        shares = []
        for charge_type_id, split in splits.items():
            charge_type = self.env["site.charge.type"].browse(charge_type_id)
            label = f"{charge_type.with_context(lang=lang).name} {month}"
            estimated_label = label + " " + self.with_context(lang=lang).env._("(estimated)")
            totals = defaultdict(Decimal)
            for amounts, segment_weights in (
                (split.by_reading, weights(split.kinds)),
                (split.by_days, None),
            ):
                if not amounts:
                    continue
                for unit_id, partner_id, amount in Ledger._liable_shares(
                    {Unit.browse(unit_id): amount for unit_id, amount in amounts.items()},
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
                    estimated_label if unit_id in split.estimated else label,
                )
                for (unit_id, partner_id), amount in totals.items()
                if amount
            ]
        if not shares:
            raise UserError(
                self.env._("Cost allocation %(name)s has nothing to charge.", name=self.name)
            )
        moves, charges = Ledger._post_month(
            self.company_id, self.period, due_date, shares, self.name
        )
        self._posting_done(moves, due_date=due_date)
        self.message_post(
            body=self.env._(
                "Posted %(count)s charges for %(total)s.",
                count=len(charges),
                total=f"{sum(c.amount for c in charges):.2f}",
            )
        )

    def _reading_weights(self, splits):
        """For the meter kinds of a charge type, the ``segment_weights`` of
        site.ledger._liable_shares: a unit's consumption in each occupant's days, cut at
        the reading nearest each change date (engine.cost_allocation.occupant_consumption);
        None where no reading is near. The readings of every measured unit are read in
        one query, the first time a unit changed hands."""
        splits = list(splits)

        @functools.cache
        def daily():
            return self._daily_consumption(
                {unit_id for split in splits for unit_id in split.by_reading},
                {kind for split in splits for kind in split.kinds},
            )

        def for_kinds(kinds):
            def weights(unit, segments):
                readings = [row for kind in kinds for row in daily().get((unit.id, kind), ())]
                parts = engine.occupant_consumption(
                    readings, [(segment.date_from, segment.date_to) for segment in segments]
                )
                return parts and dict(zip(segments, parts, strict=True))

            return weights

        return for_kinds

    def action_cancel(self):
        """Reverse the posted entries; a draft or computed allocation is simply cancelled."""
        for allocation in self.filtered(lambda allocation: allocation.state == "posted"):
            allocation._lock()
        self.filtered(lambda allocation: allocation.state != "cancelled")._posting_cancel()
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

    def action_view_penalised(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Penalised Units"),
            "res_model": "site.cost.allocation.line",
            "view_mode": "list,form",
            "domain": [("allocation_id", "=", self.id), ("raised", "=", True)],
        }

    def action_print_expense_notices(self):
        """Every unit's expense notice of these allocations, one page per unit."""
        if self.filtered(lambda allocation: allocation.state not in ("computed", "posted")):
            raise UserError(
                self.env._("Compute the cost allocation before printing its expense notices.")
            )
        return self.env.ref("site_metering.action_report_expense_notice").report_action(
            self, config=False
        )
