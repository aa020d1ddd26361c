"""Read-only metering reports: consumption per unit and month, faulty-looking meters.

Both are SQL views over the readings (``_auto = False``), so they need no upkeep and
stay right whenever a reading is recorded, accepted, rejected or corrected.
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from .site_meter import METER_KINDS, PLACEMENTS
from .site_meter_reading import STATES

FAULT_REASONS = [
    ("stuck", "Stuck"),
    ("zero", "Zero Consumption"),
    ("lower", "Lower Than Last"),
    ("outlier", "Outlier"),
]
# Stable row ids: reading id · 4 + the reason's index.
FAULT_INDEX = {reason: index for index, (reason, _label) in enumerate(FAULT_REASONS)}


class SiteMeterConsumptionReport(models.Model):
    """Validated consumption per meter and month, with the unit's area.

    One row per meter and month of the reading. ``area`` is the unit's closed area
    divided among the unit's meters of that kind read that month, so summing it over
    any grouping inside one kind gives the area of the units concerned; consumption per
    m² is aggregated as sum(consumption) / sum(area), never as a sum of ratios.
    """

    _name = "site.meter.consumption.report"
    _description = "Meter Consumption Report"
    _auto = False
    _order = "month desc, building_id, unit_id, kind, room"
    _rec_name = "meter_id"

    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    building_id = fields.Many2one("site.building", readonly=True)
    unit_id = fields.Many2one("site.unit", readonly=True)
    unit_type_id = fields.Many2one("site.unit.type", string="Unit Type", readonly=True)
    meter_id = fields.Many2one("site.meter", readonly=True)
    kind = fields.Selection(METER_KINDS, readonly=True)
    placement = fields.Selection(PLACEMENTS, readonly=True)
    room = fields.Char(readonly=True)
    month = fields.Date(readonly=True)
    date = fields.Date(string="Last Read On", readonly=True)
    consumption = fields.Float(
        string="Register Units",
        digits=(16, 3),
        readonly=True,
        help="Difference of the register values, before any allocator factors.",
    )
    consumption_value = fields.Float(
        string="Consumption",
        digits=(16, 3),
        readonly=True,
        help="Consumption in billing units: for allocators, display units · KQ · KC · KT.",
    )
    consumption_avg = fields.Float(
        string="Average per Meter",
        digits=(16, 3),
        aggregator="avg",
        readonly=True,
        help="Average consumption of one meter (one radiator for allocators) in a month.",
    )
    area = fields.Float(string="Area (m²)", digits=(16, 2), readonly=True)
    consumption_per_m2 = fields.Float(
        string="Consumption per m²",
        digits=(16, 4),
        readonly=True,
        help="Consumption divided by the closed area of the units concerned.",
    )
    reading_count = fields.Integer(string="Readings", readonly=True)
    estimated = fields.Boolean(readonly=True, help="At least one reading was estimated.")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    SELECT MIN(r.id) AS id,
                           m.company_id,
                           m.building_id,
                           m.unit_id,
                           u.type_id AS unit_type_id,
                           r.meter_id,
                           m.kind,
                           m.placement,
                           m.room,
                           DATE_TRUNC('month', r.date)::date AS month,
                           MAX(r.date) AS date,
                           SUM(r.consumption) AS consumption,
                           SUM(r.consumption_value) AS consumption_value,
                           SUM(r.consumption_value) AS consumption_avg,
                           CASE WHEN m.placement = 'unit' AND u.area_net > 0
                                THEN u.area_net / COUNT(*) OVER (
                                    PARTITION BY m.unit_id, m.kind, DATE_TRUNC('month', r.date))
                                ELSE 0 END AS area,
                           CASE WHEN m.placement = 'unit' AND u.area_net > 0
                                THEN SUM(r.consumption_value) / u.area_net
                                ELSE 0 END AS consumption_per_m2,
                           COUNT(*) AS reading_count,
                           BOOL_OR(COALESCE(r.estimated, FALSE)) AS estimated
                      FROM site_meter_reading r
                      JOIN site_meter m ON m.id = r.meter_id
                 LEFT JOIN site_unit u ON u.id = m.unit_id
                     WHERE r.state = 'validated'
                       AND r.previous_reading_id IS NOT NULL
                       AND NOT COALESCE(r.is_initial, FALSE)
                  GROUP BY r.meter_id, m.company_id, m.building_id, m.unit_id, u.type_id,
                           m.kind, m.placement, m.room, u.area_net,
                           DATE_TRUNC('month', r.date)
                )
                """,
                table=SQL.identifier(self._table),
            )
        )

    def _read_group_select(self, aggregate_spec, query):
        # Per m² of a group is its consumption over its area, not a sum of ratios.
        if aggregate_spec.startswith("consumption_per_m2:"):
            return SQL(
                "COALESCE(SUM(%s) / NULLIF(SUM(%s), 0), 0)",
                self._field_to_sql(self._table, "consumption_value", query),
                self._field_to_sql(self._table, "area", query),
            )
        return super()._read_group_select(aggregate_spec, query)


class SiteMeterFaultReport(models.Model):
    """Meters whose readings look wrong, one row per meter and reason.

    - ``stuck``: the register has not moved for the site's "zero consumption" number of
      reading periods or more (at least two);
    - ``zero``: no consumption in the latest period(s), fewer than that;
    - ``lower``: a rejected reading below the meter's earlier value;
    - ``outlier``: a reading flagged far above the meter's history or the building's
      average per m² (awaiting acceptance, or accepted).
    Only meters in service count for stuck and zero.
    """

    _name = "site.meter.fault.report"
    _description = "Faulty Meter Report"
    _auto = False
    _order = "date desc, building_id, unit_id, meter_id"
    _rec_name = "meter_id"

    company_id = fields.Many2one("res.company", string="Site", readonly=True)
    building_id = fields.Many2one("site.building", readonly=True)
    unit_id = fields.Many2one("site.unit", readonly=True)
    meter_id = fields.Many2one("site.meter", readonly=True)
    meter_state = fields.Selection(
        [
            ("active", "In Service"),
            ("faulty", "Faulty"),
            ("replaced", "Replaced"),
            ("removed", "Removed"),
        ],
        readonly=True,
    )
    kind = fields.Selection(METER_KINDS, readonly=True)
    room = fields.Char(readonly=True)
    reason = fields.Selection(FAULT_REASONS, readonly=True)
    reading_id = fields.Many2one("site.meter.reading", readonly=True)
    reading_state = fields.Selection(STATES, readonly=True)
    date = fields.Date(readonly=True)
    value = fields.Float(digits=(16, 3), readonly=True, aggregator=None)
    previous_value = fields.Float(digits=(16, 3), readonly=True, aggregator=None)
    periods = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Reading periods in a row without consumption (stuck, zero).",
    )
    check_reasons = fields.Text(string="Checks", readonly=True)
    reject_reason = fields.Text(readonly=True)
    detail = fields.Char(compute="_compute_detail")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        index = FAULT_INDEX
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(table)s AS (
                    WITH counted AS (
                        SELECT r.id, r.meter_id, r.value,
                               ROW_NUMBER() OVER w AS rn,
                               FIRST_VALUE(r.value) OVER w AS last_value
                          FROM site_meter_reading r
                         WHERE r.state IN ('validated', 'to_accept')
                        WINDOW w AS (PARTITION BY r.meter_id ORDER BY r.date DESC, r.id DESC)
                    ), runs AS (
                        SELECT meter_id,
                               MIN(id) FILTER (WHERE rn = 1) AS reading_id,
                               COALESCE(MIN(rn) FILTER (WHERE value <> last_value),
                                        COUNT(*) + 1) - 2 AS periods
                          FROM counted
                      GROUP BY meter_id
                    ), found AS (
                        SELECT runs.reading_id,
                               CASE WHEN runs.periods >= GREATEST(c.site_reading_zero_periods, 2)
                                    THEN 'stuck' ELSE 'zero' END AS reason,
                               runs.periods,
                               NULL::numeric AS previous_value
                          FROM runs
                          JOIN site_meter m ON m.id = runs.meter_id
                          JOIN res_company c ON c.id = m.company_id
                         WHERE runs.periods >= 1 AND m.active AND m.state IN ('active', 'faulty')
                        UNION ALL
                        SELECT low.id, 'lower', 0, low.previous_value
                          FROM (
                              SELECT r.id, r.value, r.check_codes,
                                     (SELECT p.value FROM site_meter_reading p
                                       WHERE p.meter_id = r.meter_id
                                         AND p.state IN ('validated', 'to_accept')
                                         AND p.date <= r.date
                                    ORDER BY p.date DESC, p.id DESC LIMIT 1) AS previous_value
                                FROM site_meter_reading r
                               WHERE r.state = 'rejected'
                          ) low
                         WHERE low.check_codes LIKE '%%lower_than_last%%'
                            OR low.value < low.previous_value
                        UNION ALL
                        SELECT r.id, 'outlier', 0, NULL
                          FROM site_meter_reading r
                         WHERE r.state <> 'rejected'
                           AND (r.check_codes LIKE '%%above_history%%'
                                OR r.check_codes LIKE '%%above_building_average%%')
                    )
                    SELECT found.reading_id * 4 + CASE found.reason
                               WHEN 'stuck' THEN %(stuck)s WHEN 'zero' THEN %(zero)s
                               WHEN 'lower' THEN %(lower)s ELSE %(outlier)s END AS id,
                           m.company_id,
                           m.building_id,
                           m.unit_id,
                           r.meter_id,
                           m.state AS meter_state,
                           m.kind,
                           m.room,
                           found.reason,
                           r.id AS reading_id,
                           r.state AS reading_state,
                           r.date,
                           r.value,
                           COALESCE(found.previous_value, prev.value, r.value) AS previous_value,
                           found.periods,
                           r.check_reasons,
                           r.reject_reason
                      FROM found
                      JOIN site_meter_reading r ON r.id = found.reading_id
                      JOIN site_meter m ON m.id = r.meter_id
                 LEFT JOIN site_meter_reading prev ON prev.id = r.previous_reading_id
                )
                """,
                table=SQL.identifier(self._table),
                stuck=index["stuck"],
                zero=index["zero"],
                lower=index["lower"],
                outlier=index["outlier"],
            )
        )

    @api.depends("reason", "value", "previous_value", "periods", "check_reasons")
    def _compute_detail(self):
        for row in self:
            if row.reason == "stuck":
                row.detail = self.env._(
                    "The register has shown %(value)s for %(periods)s reading periods in a row.",
                    value=f"{row.value:g}",
                    periods=row.periods,
                )
            elif row.reason == "zero":
                row.detail = self.env._(
                    "No consumption in the last %(periods)s reading period(s).",
                    periods=row.periods,
                )
            elif row.reason == "lower":
                row.detail = self.env._(
                    "Read %(value)s, lower than the earlier %(previous)s.",
                    value=f"{row.value:g}",
                    previous=f"{row.previous_value:g}",
                )
            else:
                row.detail = (row.check_reasons or "").replace("\n", " ")

    def action_open_meter(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "site.meter",
            "res_id": self.meter_id.id,
            "view_mode": "form",
        }

    def action_mark_faulty(self):
        """Set the meters of the selected rows to Faulty (for the engineers' round)."""
        meters = self.meter_id.filtered(lambda meter: meter.state == "active")
        meters.write({"state": "faulty"})
        return True


class SiteCostAllocation(models.Model):
    _inherit = "site.cost.allocation"

    def action_print_expense_notices(self):
        """Every unit's expense notice of these allocations, one page per unit."""
        if self.filtered(lambda allocation: allocation.state not in ("computed", "posted")):
            raise UserError(
                self.env._("Compute the cost allocation before printing its expense notices.")
            )
        return self.env.ref("site_metering.action_report_expense_notice").report_action(
            self, config=False
        )


class SiteUnit(models.Model):
    _inherit = "site.unit"

    def action_view_consumption(self):
        """The unit's consumption history: graph and pivot by month and kind."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "site_metering.action_site_meter_consumption_report_unit"
        )
        action["domain"] = [("unit_id", "=", self.id)]
        action["display_name"] = self.env._("Consumption of %(unit)s", unit=self.display_name)
        return action

    def action_print_expense_notice(self):
        """The expense notice of this unit's latest computed or posted allocation."""
        self.ensure_one()
        lines = self.env["site.cost.allocation.line"].search(
            [
                ("unit_id", "=", self.id),
                ("allocation_id.state", "in", ("computed", "posted")),
            ]
        )
        if not lines:
            raise UserError(
                self.env._("Unit %(unit)s has no computed cost allocation yet.", unit=self.code)
            )
        latest = max(lines.allocation_id, key=lambda allocation: (allocation.period, allocation.id))
        return self.env.ref("site_metering.action_report_expense_notice_line").report_action(
            lines.filtered(lambda line: line.allocation_id == latest), config=False
        )


# --- expense notice ----------------------------------------------------------------

CHART_COLORS = {"current": "#1f5f8b", "history": "#9fbfd9", "average": "#e8a33d"}


def _svg_bar_chart(bars, uom):
    """A horizontal bar chart as inline SVG (wkhtmltopdf draws it): one bar per
    ``(label, value or None, style)``, style one of CHART_COLORS."""
    width, label_width, value_width, row_height = 330, 130, 78, 24
    bar_space = width - label_width - value_width
    top = max((value for _label, value, _style in bars if value), default=0) or 1
    height = row_height * len(bars) + 4
    uom = escape(uom)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" class="o_site_notice_chart" '
        'style="font-family: Helvetica, Arial, sans-serif;">'
    ]
    for index, (label, value, style) in enumerate(bars):
        y = index * row_height + 2
        out.append(f'<text x="0" y="{y + 15}" font-size="10.5" fill="#333">{escape(label)}</text>')
        if value is None:
            out.append(
                f'<text x="{label_width}" y="{y + 15}" font-size="10.5" fill="#999">–</text>'
            )
            continue
        length = max(bar_space * value / top, 1 if value else 0)
        weight = ' font-weight="bold"' if style == "current" else ""
        out.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="16" rx="2" '
            f'fill="{CHART_COLORS[style]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 15}" font-size="10.5" '
            f'fill="#333"{weight}>{value:,.2f} {uom}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


class ReportExpenseNotice(models.AbstractModel):
    """Values of the expense notice (gider bildirimi): one page per allocation and unit.

    Everything is gathered for all pages at once: the liable partners, the meters and
    their readings of the period, last month's and last year's shares of the same units,
    and the building averages, in a handful of queries whatever the number of units.
    """

    _name = "report.site_metering.report_expense_notice"
    _description = "Expense Notice Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        allocations = self.env["site.cost.allocation"].browse(docids)
        lines = allocations.line_ids
        unit_ids = (data or {}).get("unit_ids")
        if unit_ids:
            lines = lines.filtered(lambda line: line.unit_id.id in unit_ids)
        return self._values(allocations, lines)

    @api.model
    def _values(self, allocations, lines):
        return {
            "doc_ids": allocations.ids,
            "doc_model": "site.cost.allocation",
            "docs": allocations,
            "pages": self._pages(lines),
        }

    @api.model
    def _pages(self, lines):
        """[page dict] per allocation and unit of ``lines``, in unit order."""
        if not lines:
            return []
        lines = lines._sorted_by_unit()
        # Lists of ids, not recordset unions: thousands of units stay linear.
        line_ids = defaultdict(list)
        for line in lines:
            line_ids[(line.allocation_id, line.unit_id)].append(line.id)
        by_page = {
            key: lines.browse(ids).with_prefetch(lines._prefetch_ids)
            for key, ids in line_ids.items()
        }
        partners = self._partners(by_page)
        meters = self._meter_rows(by_page)
        history = self._history(lines)
        averages = self._averages(lines.part_id)
        labels, months = {}, {}
        pages = []
        for (allocation, unit), unit_lines in by_page.items():
            partner = partners.get((allocation.id, unit.id)) or self.env["res.partner"]
            lang = partner.lang or allocation.company_id.partner_id.lang or self.env.lang
            if lang not in labels:
                labels[lang] = self._labels(lang)
            rows = meters.get((allocation.id, unit.id), [])
            key = (allocation.period, lang)
            if key not in months:
                months[key] = [
                    self._month_label(allocation.period, lang),
                    self._month_label(allocation.period - relativedelta(months=1), lang),
                    self._month_label(allocation.period - relativedelta(years=1), lang),
                ]
            pages.append(
                {
                    "allocation": allocation,
                    "unit": unit,
                    "partner": partner,
                    "lang": lang,
                    "lines": unit_lines,
                    "total": sum(unit_lines.mapped("amount")),
                    "meters": rows,
                    "rooms": self._rooms(rows),
                    "estimated": any(unit_lines.mapped("estimated"))
                    or any(row["estimated"] for row in rows),
                    "raised": unit_lines.filtered("raised"),
                    "labels": labels[lang],
                    "months": months[key],
                    "comparisons": self._comparisons(
                        allocation, unit, unit_lines, history, averages, labels[lang], months[key]
                    ),
                }
            )
        return pages

    @api.model
    def _labels(self, lang):
        env = self.env(context=dict(self.env.context, lang=lang))
        Part = env["site.cost.allocation.part"]
        Meter = env["site.meter"]
        return {
            "method": dict(Part._fields["method"]._description_selection(env)),
            "part_type": dict(Part._fields["part_type"]._description_selection(env)),
            "kind": dict(Meter._fields["kind"]._description_selection(env)),
            "this_month": env._("This month"),
            "average": env._("Building average"),
        }

    @api.model
    def _units_of(self, by_page):
        """{allocation: its units among the pages}."""
        unit_ids = defaultdict(list)
        for allocation, unit in by_page:
            unit_ids[allocation].append(unit.id)
        return {
            allocation: self.env["site.unit"].browse(ids) for allocation, ids in unit_ids.items()
        }

    @api.model
    def _partners(self, by_page):
        """{(allocation id, unit id): partner liable at the end of the reading period}."""
        result = {}
        for allocation, units in self._units_of(by_page).items():
            day = allocation.date_to
            segments = units.get_liable_segments(day, day)
            for unit, unit_segments in segments.items():
                partner_ids = [
                    segment.partner_id for segment in unit_segments if segment.partner_id
                ]
                if partner_ids:
                    result[(allocation.id, unit.id)] = partner_ids[-1]
        partners = {
            partner.id: partner for partner in self.env["res.partner"].browse(set(result.values()))
        }
        return {key: partners[partner_id] for key, partner_id in result.items()}

    @api.model
    def _meter_rows(self, by_page):
        """{(allocation id, unit id): [meter row]} with the readings of (date_from, date_to]."""
        result = defaultdict(list)
        Meter = self.env["site.meter"].with_context(active_test=False)
        Reading = self.env["site.meter.reading"]
        for allocation, units in self._units_of(by_page).items():
            meters = Meter.search([("unit_id", "in", units.ids)])
            readings = Reading.search(
                [
                    ("meter_id", "in", meters.ids),
                    ("state", "=", "validated"),
                    ("date", ">", allocation.date_from),
                    ("date", "<=", allocation.date_to),
                ],
                order="date, id",
            )
            of_meter = defaultdict(list)
            for reading in readings:
                of_meter[reading.meter_id.id].append(reading)
            for meter in meters:
                read = of_meter.get(meter.id)
                if not read and (meter.state != "active" or meter.placement != "unit"):
                    continue
                first, last = (read[0], read[-1]) if read else (Reading, Reading)
                result[(allocation.id, meter.unit_id.id)].append(
                    {
                        "meter": meter,
                        "kind": meter.kind,
                        "uom": meter.uom,
                        "room": meter.room or "",
                        "factor": (meter.kq * meter.kc * meter.kt)
                        if meter.kind == "hca" and meter.scale != "product"
                        else None,
                        "previous": first.previous_reading_id if read else Reading,
                        "current": last,
                        "consumption": sum(reading.consumption for reading in read or ()),
                        "consumption_value": sum(
                            reading.consumption_value for reading in read or ()
                        ),
                        "estimated": any(reading.estimated for reading in read or ()),
                        "read": bool(read),
                    }
                )
        for rows in result.values():
            rows.sort(key=lambda row: (row["kind"] != "hca", row["kind"], row["room"]))
        return result

    @api.model
    def _rooms(self, rows):
        """Allocators summed per room: [{room, count, units, value, estimated}]."""
        rooms = {}
        for row in rows:
            if row["kind"] != "hca":
                continue
            room = rooms.setdefault(
                row["room"],
                {"room": row["room"], "count": 0, "units": 0.0, "value": 0.0, "estimated": False},
            )
            room["count"] += 1
            room["units"] += row["consumption"]
            room["value"] += row["consumption_value"]
            room["estimated"] |= row["estimated"]
        return list(rooms.values())

    @api.model
    def _history(self, lines):
        """{(unit id, period, part type): (consumption, amount)} of the same units' lines
        one month and one year before each printed period."""
        periods = set()
        for period in lines.allocation_id.mapped("period"):
            periods |= {period - relativedelta(months=1), period - relativedelta(years=1)}
        result = defaultdict(lambda: [0.0, 0.0])
        if not periods:
            return result
        for allocation, unit, part_type, consumption, amount in self.env[
            "site.cost.allocation.line"
        ]._read_group(
            [
                ("unit_id", "in", lines.unit_id.ids),
                ("allocation_id.state", "in", ("computed", "posted")),
                ("allocation_id.period", "in", list(periods)),
            ],
            ["allocation_id", "unit_id", "part_type"],
            ["consumption:sum", "amount:sum"],
        ):
            key = (unit.id, allocation.period, part_type)
            result[key][0] += consumption
            result[key][1] += amount
        return result

    @api.model
    def _averages(self, parts):
        """{part id: measured consumption per m² of the part's units}."""
        result = {}
        for part, consumption, area in self.env["site.cost.allocation.line"]._read_group(
            [("part_id", "in", parts.ids)], ["part_id"], ["consumption:sum", "area:sum"]
        ):
            result[part.id] = consumption / area if area else 0.0
        return result

    @api.model
    def _comparisons(self, allocation, unit, unit_lines, history, averages, labels, months):
        """Per part measured by consumption: the unit's consumption this month, last month,
        the same month last year and the building average for its area, as a chart; and
        the amounts of the same three months."""
        period = allocation.period
        previous = period - relativedelta(months=1)
        last_year = period - relativedelta(years=1)
        result = []
        for line in unit_lines:
            part = line.part_id
            past = [history.get((unit.id, day, line.part_type)) for day in (previous, last_year)]
            uom = part.uom or ""
            item = {
                "line": line,
                "name": part.name,
                "amounts": [line.amount] + [row[1] if row else None for row in past],
                "chart": None,
            }
            measured = part.method != "key" and part.consumption_total
            if measured:
                average = averages.get(part.id, 0.0) * (line.area or 0.0)
                bars = [
                    (labels["this_month"], line.consumption, "current"),
                    (months[1], past[0] and past[0][0], "history"),
                    (months[2], past[1] and past[1][0], "history"),
                    (labels["average"], average, "average"),
                ]
                item["chart"] = _svg_bar_chart(bars, uom)
                item["average"] = average
            result.append(item)
        return result

    @api.model
    def _month_label(self, day, lang):
        return format_date(self.env, day, lang_code=lang, date_format="MMM y")


class ReportExpenseNoticeLine(models.AbstractModel):
    """The same notice printed from allocation lines: the pages of their units."""

    _name = "report.site_metering.report_expense_notice_line"
    _inherit = "report.site_metering.report_expense_notice"
    _description = "Expense Notice Report (from Unit Shares)"

    @api.model
    def _get_report_values(self, docids, data=None):
        selected = self.env["site.cost.allocation.line"].browse(docids)
        # All parts of the selected units, not only the selected lines.
        pairs = {(line.allocation_id.id, line.unit_id.id) for line in selected}
        lines = selected.allocation_id.line_ids.filtered(
            lambda line: (line.allocation_id.id, line.unit_id.id) in pairs
        )
        return self._values(selected.allocation_id, lines)
