from collections import defaultdict

from dateutil.relativedelta import relativedelta
from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools.misc import format_date

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
        consumption = self._notice_consumption(lines)
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
                        allocation,
                        unit,
                        unit_lines,
                        history,
                        consumption,
                        labels[lang],
                        months[key],
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
    def _consumption_comparison(self, units, kinds, months):
        """{(unit id, meter kind, month): {'current', 'last_year', 'average'}}: the unit's
        validated consumption of the month (first day), of the same month a year before,
        and the building's consumption per m² that month times the unit's closed area;
        None where nothing was read. The expense notice and the residents' portal both
        show these numbers, so that they always agree."""
        Report = self.env["site.meter.consumption.report"].sudo()
        months = sorted(set(months))
        kinds = list(kinds)
        a_year_before = {month: month - relativedelta(years=1) for month in months}
        own = {
            (unit.id, kind, month): value
            for unit, kind, month, value in Report._read_group(
                [
                    ("unit_id", "in", units.ids),
                    ("kind", "in", kinds),
                    ("placement", "=", "unit"),
                    ("month", "in", months + list(a_year_before.values())),
                ],
                ["unit_id", "kind", "month:month"],
                ["consumption_value:sum"],
            )
        }
        per_m2 = {
            (building.id, kind, month): value
            for building, kind, month, value in Report._read_group(
                [
                    ("building_id", "in", units.building_id.ids),
                    ("kind", "in", kinds),
                    ("placement", "=", "unit"),
                    ("month", "in", months),
                ],
                ["building_id", "kind", "month:month"],
                ["consumption_per_m2:sum"],
            )
        }
        result = {}
        for unit in units:
            for kind in kinds:
                for month in months:
                    average = per_m2.get((unit.building_id.id, kind, month))
                    result[(unit.id, kind, month)] = {
                        "current": own.get((unit.id, kind, month)),
                        "last_year": own.get((unit.id, kind, a_year_before[month])),
                        "average": average * unit.area_net
                        if average is not None and unit.building_id and unit.area_net
                        else None,
                    }
        return result

    @api.model
    def _notice_consumption(self, lines):
        """The consumption comparison of the units of ``lines`` for their measured parts'
        meter kinds, in their periods and the months before."""
        measured = lines.part_id.filtered(
            lambda part: part.method != "key" and part.consumption_total and part.meter_kind
        )
        periods = set(lines.allocation_id.mapped("period"))
        months = periods | {period - relativedelta(months=1) for period in periods}
        if not measured:
            return {}
        return self._consumption_comparison(
            lines.unit_id, set(measured.mapped("meter_kind")), months
        )

    @api.model
    def _comparisons(self, allocation, unit, unit_lines, history, consumption, labels, months):
        """Per part measured by consumption: the unit's consumption this month, last month,
        the same month last year and the building average for its area, as a chart (the
        numbers of ``_consumption_comparison``); and the amounts of the same three
        months."""
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
            figures = measured and consumption.get((unit.id, part.meter_kind, period))
            if figures:
                before = consumption[(unit.id, part.meter_kind, previous)]
                bars = [
                    (labels["this_month"], figures["current"], "current"),
                    (months[1], before["current"], "history"),
                    (months[2], figures["last_year"], "history"),
                    (labels["average"], figures["average"], "average"),
                ]
                item["chart"] = _svg_bar_chart(bars, uom)
                item["consumption"] = figures
                item["average"] = figures["average"]
            result.append(item)
        return result

    @api.model
    def _month_label(self, day, lang):
        return format_date(self.env, day, lang_code=lang, date_format="MMM y")
