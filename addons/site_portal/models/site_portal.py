"""The residents' portal's reads and writes, for one person at a time.

Residents have no access rights on the site's models: the controllers first find what
the person may see (``_access``, from their own relations only), check the record asked
for against it, and only then read it here with ``sudo()``.
"""

import threading
import time
from collections import defaultdict
from datetime import date, timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.fields import Domain
from odoo.tools import consteq
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
# The pay widget: at most this many refused look-ups per site and address in the window
# (system parameter site_portal.widget_limit overrides the number). Counted in memory,
# per server process, as site_metering counts refused collector keys: nothing is
# written to the database for a guesser's requests.
WIDGET_LIMIT = 10
WIDGET_WINDOW_SECONDS = 3600
WIDGET_MAX_SOURCES = 10000
WIDGET_REFUSALS = {}
WIDGET_LOCK = threading.Lock()
# Key of the partner's relation rows in the cursor's cache, and the fields they hold.
RELATIONS_MEMO = "site_portal.relation_rows"
RELATION_FIELDS = [
    "unit_id",
    "role",
    "partner_id",
    "related_partner_id",
    "date_from",
    "date_to",
    "company_id",
    "building_id",
]


class SitePortal(models.AbstractModel):
    _name = "site.portal"
    _description = "Residents' Portal"

    # --- who sees what -------------------------------------------------------

    @api.model
    def _relation_rows(self, partner):
        """Rows of ``partner``'s own relations to active units, oldest first: what the
        access check, the branding and the announcements of a page all start from. Read
        once per transaction (a request) and kept in the cursor's cache, which a change
        of relations or units empties (see site.unit.relation and site.unit)."""
        if not partner:
            return []
        memo = self.env.cr.cache.setdefault(RELATIONS_MEMO, {})
        if partner.id not in memo:
            memo[partner.id] = (
                self.env["site.unit.relation"]
                .sudo()
                .search_read(
                    [("partner_id", "=", partner.id), ("unit_id.active", "=", True)],
                    RELATION_FIELDS,
                    order="date_from, id",
                    load=None,
                )
            )
        return memo[partner.id]

    @api.model
    def _current_relation_rows(self, partner):
        """The rows of ``_relation_rows`` in force today."""
        today = fields.Date.context_today(self)
        return [
            row
            for row in self._relation_rows(partner)
            if row["date_from"] <= today and (not row["date_to"] or row["date_to"] >= today)
        ]

    @api.model
    def _forget_relations(self):
        """Empty the memo of ``_relation_rows`` (relations or units changed)."""
        self.env.cr.cache.pop(RELATIONS_MEMO, None)

    @api.model
    def _access(self, partner):
        """{unit id: engine UnitAccess} of ``partner``'s own relations."""
        relations = self._relation_rows(partner)
        if not relations:
            return {}
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
        # The units of the person's relations, read in this request: no exists() needed.
        units = self.env["site.unit"].sudo().browse(list(accesses))
        today = fields.Date.context_today(self)
        domain = Domain.OR(self._ledger_domain(accesses[unit.id]) for unit in units)
        open_lines = (
            self.env["account.move.line"]
            .sudo()
            .search_read(
                Domain.AND([domain, Domain("amount_residual", "!=", 0)]),
                ["site_unit_id", "account_id", "amount_residual", "date_maturity", "date"],
                load=None,
            )
            if units
            else []
        )
        legal_accounts = set(units.company_id.sudo().site_legal_receivable_account_id.ids)
        balance = defaultdict(float)
        legal = defaultdict(float)
        due_dates = defaultdict(list)
        for line in open_lines:
            balance[line["site_unit_id"]] += line["amount_residual"]
            if line["account_id"] in legal_accounts:
                legal[line["site_unit_id"]] += line["amount_residual"]
            elif line["amount_residual"] > 0:
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
            in_legal = unit.currency_id.round(legal[unit.id]) or 0.0
            cards.append(
                {
                    "unit": unit,
                    "access": unit_access,
                    "roles": ", ".join(sorted(roles[role] for role in unit_access.roles)),
                    "balance": amount,
                    "legal": in_legal,
                    # What the Pay button pays: debts in legal follow-up are settled with
                    # the site's lawyer, not online.
                    "payable": unit.currency_id.round(amount - in_legal) or 0.0,
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
        running balance (site_dues' statement), within the person's dates; the debts
        moved to the site's legal follow-up account apart, under ``legal`` (None when
        there are none), with their own total."""
        has_legal = bool(unit.company_id.sudo().site_legal_receivable_account_id)
        Wizard = self.env["site.statement.wizard"].sudo().with_context(lang=self.env.lang)
        statements = []
        for scope in unit_access.scopes:
            start = max(date_from, scope.date_from) if scope.date_from else date_from
            end = min(date_to, scope.date_to) if scope.date_to else date_to
            if start > end:
                continue
            values = {
                "company_id": unit.company_id.id,
                "unit_id": unit.id,
                "partner_id": scope.partner_id,
                "date_from": start,
                "date_to": end,
                "group_by_charge_type": True,
                "account_scope": "current" if has_legal else "all",
            }
            # new(): a page view writes no wizard row.
            wizard = Wizard.new(values)
            data = wizard._statement_data()
            data["partner"] = wizard.partner_id
            data["date_from"], data["date_to"] = start, end
            data["legal"] = None
            if has_legal:
                legal = Wizard.new(
                    dict(values, account_scope="legal", group_by_charge_type=False)
                )._statement_data()
                if legal["opening"] or any(section["lines"] for section in legal["sections"]):
                    data["legal"] = legal
            statements.append(data)
        return statements

    @api.model
    def _not_in_legal(self, companies):
        """Lines off the legal follow-up accounts of ``companies``: those debts are settled
        with the site's lawyer, not paid online."""
        legal = companies.sudo().site_legal_receivable_account_id
        return Domain("account_id", "not in", legal.ids) if legal else Domain.TRUE

    @api.model
    def _open_lines(self, unit_access):
        """The person's open debts of a unit that can be paid online, oldest first."""
        unit = self.env["site.unit"].sudo().browse(unit_access.unit_id)
        return (
            self.env["account.move.line"]
            .sudo()
            .search(
                Domain.AND(
                    [
                        self._ledger_domain(unit_access),
                        self._not_in_legal(unit.company_id),
                        Domain("amount_residual", ">", 0),
                    ]
                ),
                order="date_maturity, date, id",
            )
        )

    @api.model
    def _amounts_due(self, pairs):
        """{(unit id, partner id): what the partner owes on the unit now and can pay
        online} of (unit, partner) ``pairs``: their open receivable balance outside legal
        follow-up, in one query."""
        units = self.env["site.unit"].sudo().browse({unit.id for unit, _partner in pairs})
        groups = (
            self.env["account.move.line"]
            .sudo()
            ._read_group(
                Domain.AND(
                    [
                        Domain("site_unit_id", "in", units.ids),
                        Domain("partner_id", "in", [partner.id for _unit, partner in pairs]),
                        Domain(SITE_RECEIVABLE),
                        self._not_in_legal(units.company_id),
                    ]
                ),
                ["site_unit_id", "partner_id"],
                ["amount_residual:sum"],
            )
        )
        owed = {(unit.id, partner.id): amount for unit, partner, amount in groups}
        return {
            (unit.id, partner.id): unit.currency_id.round(owed.get((unit.id, partner.id), 0.0))
            or 0.0  # no -0.0
            for unit, partner in pairs
        }

    @api.model
    def _amount_due(self, unit, partner):
        """What ``partner`` owes on ``unit`` now and can pay online."""
        return self._amounts_due([(unit, partner)])[(unit.id, partner.id)]

    # --- pay links -----------------------------------------------------------

    @api.model
    def _secret(self):
        return self.env["ir.config_parameter"].sudo().get_param("database.secret")

    @api.model
    def _make_pay_link(self, unit, partner, amount, hours=PAGE_LINK_HOURS):
        """The token of a link paying ``amount`` for ``unit`` as ``partner``."""
        return self._make_pay_link_items([(unit, partner, amount)], hours)

    @api.model
    def _make_pay_link_items(self, items, hours=PAGE_LINK_HOURS):
        """The token of a link paying [(unit, partner, amount)] ``items`` at once: units of
        one site, each amount settling that partner's debts on that unit."""
        if len({unit.company_id for unit, _partner, _amount in items}) != 1:
            raise UserError(self.env._("One payment pays units of one site only."))
        return paylink.sign(
            self._secret(),
            [
                (unit.id, partner.id, round(amount * 10**unit.currency_id.decimal_places))
                for unit, partner, amount in items
            ],
            int(time.time()) + hours * 3600,
        )

    @api.model
    def _read_pay_link(self, token):
        """(units, partners, amount to pay now, items) of a valid token; None for a bad
        one. ``items``: [{'unit', 'partner', 'amount'}], each amount being the link's, or
        less when part of it has been paid since (0 when all of it has)."""
        try:
            link = paylink.verify(self._secret(), token, int(time.time()))
        except paylink.PayLinkError:
            return None
        Unit, Partner = self.env["site.unit"].sudo(), self.env["res.partner"].sudo()
        units = Unit.browse(dict.fromkeys(item.unit_id for item in link.items))
        partners = Partner.browse(dict.fromkeys(item.partner_id for item in link.items))
        if units.exists() != units or partners.exists() != partners or len(units.company_id) != 1:
            return None
        currency = units.currency_id
        pairs = [
            (Unit.browse(item.unit_id), Partner.browse(item.partner_id)) for item in link.items
        ]
        due = self._amounts_due(pairs)
        items = [
            {
                "unit": unit,
                "partner": partner,
                "amount": currency.round(
                    min(
                        item.amount_minor / 10**currency.decimal_places,
                        max(due[(unit.id, partner.id)], 0.0),
                    )
                )
                or 0.0,
            }
            for item, (unit, partner) in zip(link.items, pairs)
        ]
        total = currency.round(sum(item["amount"] for item in items)) or 0.0
        return units, partners, total, items

    @api.model
    def _pay_summary(self, items):
        """{'debt', 'fee', 'total'} of paying ``items`` online: the debts, the provider
        fee the site passes to the payer, and their sum (what the transaction charges)."""
        items = [item for item in items if item["amount"] > 0]
        if not items:
            return {"debt": 0.0, "fee": 0.0, "total": 0.0}
        company = items[0]["unit"].company_id.sudo()
        currency = company.currency_id
        debt = currency.round(sum(item["amount"] for item in items))
        fee = company._site_payer_fee(debt)
        return {"debt": debt, "fee": fee, "total": currency.round(debt + fee)}

    # --- the pay widget on the site's website ---------------------------------

    @api.model
    def _widget_items(self, company, code, reference):
        """[(unit, partner, amount)] open today on the unit of ``company`` whose code and
        payment reference (as printed on its notices) are both ``code`` and
        ``reference``, for the partners liable for it today; None when they do not match
        (the same answer whichever of the two is wrong)."""
        code = " ".join((code or "").split())
        reference = "".join((reference or "").split()).upper()
        if not code or not reference:
            return None
        escaped = code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        unit = (
            self.env["site.unit"]
            .sudo()
            .search([("company_id", "=", company.id), ("code", "=ilike", escaped)], limit=1)
        )
        if not unit or not consteq(
            "".join((unit.payment_reference or "").split()).upper(), reference
        ):
            return None
        today = fields.Date.context_today(self)
        partners = unit.get_liable_partner(today) | unit.get_liable_partner(
            today, category="investment"
        )
        due = self._amounts_due([(unit, partner) for partner in partners])
        return [
            (unit, partner, due[(unit.id, partner.id)])
            for partner in partners
            if due[(unit.id, partner.id)] > 0
        ]

    @api.model
    def _widget_limit(self):
        return int(
            self.env["ir.config_parameter"].sudo().get_param("site_portal.widget_limit")
            or WIDGET_LIMIT
        )

    @api.model
    def _widget_wait(self, source):
        """Seconds ``source`` (site id, address) must wait before a look-up is heard."""
        with WIDGET_LOCK:
            times = list(WIDGET_REFUSALS.get(source, ()))
        return throttle.wait_seconds(
            times, fields.Datetime.now(), self._widget_limit(), WIDGET_WINDOW_SECONDS
        )

    @api.model
    def _widget_refused(self, source):
        """Count a refused look-up of ``source``."""
        now = fields.Datetime.now()
        since = now - timedelta(seconds=WIDGET_WINDOW_SECONDS)
        limit = self._widget_limit()
        with WIDGET_LOCK:
            if source not in WIDGET_REFUSALS and len(WIDGET_REFUSALS) >= WIDGET_MAX_SOURCES:
                # Bounded memory: forget the sources refused longest ago.
                stale = sorted(WIDGET_REFUSALS, key=lambda key: WIDGET_REFUSALS[key][-1])
                for key in stale[: len(stale) // 2]:
                    del WIDGET_REFUSALS[key]
            recent = [moment for moment in WIDGET_REFUSALS.get(source, ()) if moment > since]
            WIDGET_REFUSALS[source] = [*recent, now][-limit:]

    @api.model
    def _masked_name(self, name):
        """A name as shown to someone not logged in: the first two letters of each word
        ("Ayşe Yılmaz": "Ay** Yı****"), enough to recognise one's own."""
        return " ".join(word[:2] + "*" * max(len(word) - 2, 1) for word in (name or "").split())

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
        against the same months last year and the building average for the unit's area,
        in the numbers of the expense notice (site_metering's comparison).
        Returns {'svg', 'rows', 'uom', 'has_data'}; rows hold the three numbers of each
        month, latest first."""
        today = fields.Date.context_today(self)
        month_list = chart.months_back(today.replace(day=1), months)
        figures = self.env["report.site_metering.report_expense_notice"]._consumption_comparison(
            unit, [kind], month_list
        )
        rows = [{"month": month, **figures[(unit.id, kind, month)]} for month in month_list]
        current = [row["current"] for row in rows]
        history = [row["last_year"] for row in rows]
        average = [row["average"] for row in rows]
        labels = [format_date(self.env, month, date_format="MMM") for month in month_list]
        uom = uom_label(self.env, kind)
        svg = chart.bar_chart_svg(
            labels,
            current,
            history,
            average,
            title=self.env._("Consumption (%(uom)s) by month", uom=uom),
        )
        return {
            "svg": Markup(svg),
            "rows": rows[::-1],
            "uom": uom,
            "has_data": any(value is not None for value in current + history),
        }
