"""The residents' portal's reads and writes, for one person at a time.

Residents have no access rights on the site's models: the controllers first find what
the person may see (``_access``, from their own relations only), check the record asked
for against it, and only then read it here with ``sudo()``.
"""

import time
from collections import defaultdict
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools.misc import format_date

from odoo.addons.site_dues.models.account_move_line import SITE_RECEIVABLE
from odoo.addons.site_metering.engine import readings as readings_engine
from odoo.addons.site_metering.models.site_meter import uom_label
from odoo.addons.site_residents.engine.dates import day_of_month

from ..engine import access as access_engine
from ..engine import chart, paylink, throttle

# A resident may submit this many readings per window of seconds (system parameter
# site_portal.reading_limit overrides the number).
READING_LIMIT = 10
READING_WINDOW_SECONDS = 3600
# Photos of a meter: camera images only (no SVG: it could carry script), at most this
# many bytes.
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp", "image/heic", "image/heif")
PHOTO_MAX_BYTES = 8 * 1024 * 1024
# A pay link made on a page lives a day.
PAGE_LINK_HOURS = 24


class SitePortal(models.AbstractModel):
    _name = "site.portal"
    _description = "Residents' Portal"

    # --- who sees what -------------------------------------------------------

    @api.model
    def _access(self, partner):
        """{unit id: engine UnitAccess} of ``partner``'s own relations."""
        if not partner:
            return {}
        relations = (
            self.env["site.unit.relation"]
            .sudo()
            .search_read(
                [("partner_id", "=", partner.id), ("unit_id.active", "=", True)],
                ["unit_id", "role", "partner_id", "related_partner_id", "date_from", "date_to"],
                load=None,
            )
        )
        grants = [
            access_engine.Grant(
                row["unit_id"],
                row["role"],
                row["partner_id"],
                row["related_partner_id"] or None,
                row["date_from"],
                row["date_to"] or None,
            )
            for row in relations
        ]
        return access_engine.unit_access(grants, fields.Date.context_today(self))

    @api.model
    def _ledger_domain(self, unit_access):
        """The person's receivable lines of one unit (see the engine's scopes)."""
        scopes = []
        for scope in unit_access.scopes:
            parts = [("partner_id", "=", scope.partner_id)]
            if scope.date_from:
                parts.append(("date", ">=", scope.date_from))
            if scope.date_to:
                parts.append(("date", "<=", scope.date_to))
            scopes.append(Domain.AND([Domain(*part) for part in parts]))
        if not scopes:
            return Domain.FALSE
        return Domain.AND(
            [
                Domain("site_unit_id", "=", unit_access.unit_id),
                Domain(SITE_RECEIVABLE),
                Domain.OR(scopes),
            ]
        )

    # --- home and unit pages -------------------------------------------------

    @api.model
    def _unit_cards(self, accesses):
        """One card per unit: the unit, its open balance for the person, the next due
        date (or the oldest overdue one) and the reading window; in one query of lines."""
        units = self.env["site.unit"].sudo().browse(list(accesses)).exists()
        today = fields.Date.context_today(self)
        domain = Domain.OR(self._ledger_domain(accesses[unit.id]) for unit in units)
        open_lines = (
            self.env["account.move.line"]
            .sudo()
            .search_read(
                Domain.AND([domain, Domain("amount_residual", "!=", 0)]),
                ["site_unit_id", "amount_residual", "date_maturity", "date"],
                load=None,
            )
            if units
            else []
        )
        balance = defaultdict(float)
        due_dates = defaultdict(list)
        for line in open_lines:
            balance[line["site_unit_id"]] += line["amount_residual"]
            if line["amount_residual"] > 0:
                due_dates[line["site_unit_id"]].append(line["date_maturity"] or line["date"])
        roles = dict(
            self.env["site.unit.relation"]._fields["role"]._description_selection(self.env)
        )
        cards = []
        for unit in units.sorted(lambda u: (u.company_id.id, u.code_sort)):
            unit_access = accesses[unit.id]
            dues = sorted(due_dates[unit.id])
            overdue = [day for day in dues if day < today]
            amount = unit.currency_id.round(balance[unit.id]) or 0.0  # no -0.0
            cards.append(
                {
                    "unit": unit,
                    "access": unit_access,
                    "roles": ", ".join(sorted(roles[role] for role in unit_access.roles)),
                    "balance": amount,
                    "currency": unit.currency_id,
                    "overdue_since": overdue[0] if overdue else False,
                    "next_due": next((day for day in dues if day >= today), False),
                    "window": self._reading_window(unit.company_id),
                }
            )
        return cards

    @api.model
    def _reading_window(self, company):
        """{'open', 'first', 'last', 'until', 'opens'} of a site's reading window today."""
        company = company.sudo()
        window = company._site_reading_window()
        today = fields.Date.context_today(self)
        is_open = readings_engine.in_window(today, window)
        return {
            "open": is_open,
            "first": window[0],
            "last": window[1],
            "until": day_of_month(today.replace(day=1), window[1]) if is_open else False,
            "opens": False if is_open else readings_engine.next_window_opening(today, window),
        }

    @api.model
    def _notices(self, accesses, limit=None, year=None):
        """The person's charge notices of these units (of ``year``), latest first."""
        domain = [
            ("unit_id", "in", list(accesses)),
            ("partner_id", "in", sorted({p for a in accesses.values() for p in a.partner_ids()})),
        ]
        if year:
            domain += [("period", ">=", date(year, 1, 1)), ("period", "<=", date(year, 12, 1))]
        notices = self.env["site.charge.notice"].sudo().search(domain, order="period desc, id desc")
        notices = notices.filtered(
            lambda n: accesses[n.unit_id.id].covers(n.partner_id.id, n.period)
        )
        # A fresh recordset: the notices' amounts are computed for the ones shown only.
        return notices.browse((notices[:limit] if limit else notices).ids)

    @api.model
    def _expense_notices(self, accesses, limit=None, year=None):
        """[(unit, allocation, lines)] of the person's expense notices (of ``year``),
        latest first: the unit's lines of a computed or posted cost allocation of one of
        their periods."""
        domain = [
            ("unit_id", "in", list(accesses)),
            ("allocation_id.state", "in", ("computed", "posted")),
        ]
        if year:
            domain += [
                ("allocation_id.period", ">=", date(year, 1, 1)),
                ("allocation_id.period", "<=", date(year, 12, 31)),
            ]
        lines = self.env["site.cost.allocation.line"].sudo().search(domain)
        grouped = lines.grouped(lambda line: (line.unit_id, line.allocation_id))
        result = [
            (unit, allocation, unit_lines)
            for (unit, allocation), unit_lines in grouped.items()
            if accesses[unit.id].in_periods(allocation.period)
        ]
        result.sort(key=lambda row: (row[1].period, row[1].id), reverse=True)
        return result[:limit] if limit else result

    @api.model
    def _payments(self, unit_access, year=None):
        """The person's payments for a unit (of ``year``), latest first."""
        domain = [
            ("site_unit_id", "=", unit_access.unit_id),
            ("partner_id", "in", unit_access.partner_ids()),
            ("state", "in", ("in_process", "paid")),
            ("payment_type", "=", "inbound"),
        ]
        if year:
            domain += [("date", ">=", date(year, 1, 1)), ("date", "<=", date(year, 12, 31))]
        payments = self.env["account.payment"].sudo().search(domain, order="date desc, id desc")
        return payments.filtered(lambda p: unit_access.covers(p.partner_id.id, p.date))

    @api.model
    def _statements(self, unit, unit_access, date_from, date_to):
        """Per ledger partner of the person, the unit's statement by charge type with a
        running balance (site_dues' statement), within the person's dates."""
        statements = []
        for scope in unit_access.scopes:
            start = max(date_from, scope.date_from) if scope.date_from else date_from
            end = min(date_to, scope.date_to) if scope.date_to else date_to
            if start > end:
                continue
            wizard = (
                self.env["site.statement.wizard"]
                .sudo()
                .create(
                    {
                        "company_id": unit.company_id.id,
                        "unit_id": unit.id,
                        "partner_id": scope.partner_id,
                        "date_from": start,
                        "date_to": end,
                        "group_by_charge_type": True,
                    }
                )
            )
            data = wizard.with_context(lang=self.env.lang)._statement_data()
            data["partner"] = wizard.partner_id
            data["date_from"], data["date_to"] = start, end
            statements.append(data)
        return statements

    @api.model
    def _open_lines(self, unit_access):
        """The person's open debts of a unit, oldest first."""
        return (
            self.env["account.move.line"]
            .sudo()
            .search(
                Domain.AND([self._ledger_domain(unit_access), Domain("amount_residual", ">", 0)]),
                order="date_maturity, date, id",
            )
        )

    @api.model
    def _amount_due(self, unit, partner):
        """What ``partner`` owes on ``unit`` now: their open receivable balance."""
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                [("site_unit_id", "=", unit.id), ("partner_id", "=", partner.id), *SITE_RECEIVABLE],
                [],
                ["amount_residual:sum"],
            )
        )
        return unit.currency_id.round(groups[0][0] or 0.0) or 0.0  # no -0.0

    # --- pay links -----------------------------------------------------------

    @api.model
    def _secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def _make_pay_link(self, unit, partner, amount, hours=PAGE_LINK_HOURS):
        """The token of a link paying ``amount`` for ``unit`` as ``partner``."""
        minor = round(amount * 10**unit.currency_id.decimal_places)
        return paylink.sign(
            self._secret(), unit.id, partner.id, minor, int(time.time()) + hours * 3600
        )

    @api.model
    def _read_pay_link(self, token):
        """(unit, partner, amount to pay now, link) of a valid token, the amount being the
        link's, or less when part of it has been paid since; None for a bad token."""
        try:
            link = paylink.verify(self._secret(), token, int(time.time()))
        except paylink.PayLinkError:
            return None
        unit = self.env["site.unit"].sudo().browse(link.unit_id).exists()
        partner = self.env["res.partner"].sudo().browse(link.partner_id).exists()
        if not unit or not partner:
            return None
        amount = link.amount_minor / 10**unit.currency_id.decimal_places
        due = self._amount_due(unit, partner)
        return unit, partner, unit.currency_id.round(min(amount, max(due, 0.0))), link

    # --- meters and readings -------------------------------------------------

    @api.model
    def _meters(self, unit_ids):
        return (
            self.env["site.meter"]
            .sudo()
            .search(
                [
                    ("unit_id", "in", list(unit_ids)),
                    ("placement", "=", "unit"),
                    ("state", "in", ("active", "faulty")),
                ]
            )
        )

    @api.model
    def _readings(self, meter, limit=12):
        return (
            self.env["site.meter.reading"]
            .sudo()
            .search([("meter_id", "=", meter.id)], order="date desc, id desc", limit=limit)
        )

    @api.model
    def _reading_wait(self, user):
        """Seconds ``user`` must wait before submitting another reading."""
        now = fields.Datetime.now()
        since = now - timedelta(seconds=READING_WINDOW_SECONDS)
        times = (
            self.env["site.meter.reading"]
            .sudo()
            .search(
                [
                    ("create_uid", "=", user.id),
                    ("source", "=", "portal"),
                    ("create_date", ">", since),
                ]
            )
            .mapped("create_date")
        )
        limit = int(
            self.env["ir.config_parameter"].sudo().get_param("site_portal.reading_limit")
            or READING_LIMIT
        )
        return throttle.wait_seconds(times, now, limit, READING_WINDOW_SECONDS)

    @api.model
    def _submit_reading(self, meter, value, photo=None):
        """Record a resident's reading of ``meter`` (already checked to be theirs) through
        site_metering's own checks: refused with the reason, or kept, validated or
        awaiting acceptance. ``photo``: (file name, mimetype, bytes) or None."""
        wait = self._reading_wait(self.env.user)
        if wait:
            raise UserError(
                self.env._(
                    "You have sent many readings in a short time; try again in %(minutes)s "
                    "minute(s).",
                    minutes=max(1, round(wait / 60)),
                )
            )
        if photo:
            name, mimetype, data = photo
            if mimetype not in PHOTO_TYPES or not data or len(data) > PHOTO_MAX_BYTES:
                raise UserError(
                    self.env._(
                        "The photo must be a JPEG, PNG, WebP or HEIC image of at most %(mb)s MB.",
                        mb=PHOTO_MAX_BYTES // (1024 * 1024),
                    )
                )
        try:
            number = float(str(value).replace(",", ".").strip())
        except ValueError:
            raise ValidationError(self.env._("Type the value shown on the meter.")) from None
        if number < 0:
            raise ValidationError(self.env._("A meter reading cannot be negative."))
        reading = (
            self.env["site.meter.reading"]
            .sudo()
            .create(
                {
                    "meter_id": meter.id,
                    "value": number,
                    "date": fields.Date.context_today(self),
                    "source": "portal",
                    "reader_id": self.env.user.id,
                }
            )
        )
        if photo:
            self.env["ir.attachment"].sudo().create(
                {
                    "name": name or "photo",
                    "raw": data,
                    "mimetype": mimetype,
                    "res_model": reading._name,
                    "res_id": reading.id,
                }
            )
        return reading

    @api.model
    def _photos(self, readings):
        """{reading id: its photo attachment} of readings."""
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "site.meter.reading"), ("res_id", "in", readings.ids)],
                order="id",
            )
        )
        return {attachment.res_id: attachment for attachment in attachments}

    # --- consumption ---------------------------------------------------------

    @api.model
    def _consumption_chart(self, unit, kind, months=12):
        """The unit's consumption of a meter kind by month: the last ``months`` months
        against the same months last year and the building average for the unit's area.
        Returns {'svg', 'rows', 'uom'}; rows hold the three numbers of each month."""
        today = fields.Date.context_today(self)
        month_list = chart.months_back(today.replace(day=1), months)
        first = month_list[0] - relativedelta(years=1)
        Report = self.env["site.meter.consumption.report"].sudo()
        own = {
            month: total
            for month, total in Report._read_group(
                [
                    ("unit_id", "=", unit.id),
                    ("kind", "=", kind),
                    ("placement", "=", "unit"),
                    ("month", ">=", first),
                ],
                ["month:month"],
                ["consumption_value:sum"],
            )
        }
        building = {}
        if unit.building_id and unit.area_net:
            building = {
                month: per_m2 * unit.area_net
                for month, per_m2 in Report._read_group(
                    [
                        ("building_id", "=", unit.building_id.id),
                        ("kind", "=", kind),
                        ("placement", "=", "unit"),
                        ("month", ">=", month_list[0]),
                    ],
                    ["month:month"],
                    ["consumption_per_m2:sum"],
                )
            }
        current = chart.series(month_list, own)
        history = chart.series(month_list, own, shift_years=1)
        average = chart.series(month_list, building)
        labels = [format_date(self.env, month, date_format="MMM") for month in month_list]
        uom = uom_label(self.env, kind)
        rows = [
            {"month": month, "current": c, "history": h, "average": a}
            for month, c, h, a in zip(month_list, current, history, average)
        ]
        svg = chart.bar_chart_svg(
            labels,
            current,
            history,
            average,
            title=self.env._("Consumption (%(uom)s) by month", uom=uom),
        )
        return {"svg": Markup(svg), "rows": rows[::-1], "uom": uom, "has_data": bool(own)}
