import uuid
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from odoo.addons.site_residents.engine.dates import month_end
from odoo.addons.site_residents.engine.money import round_half_up
from odoo.addons.site_residents.sql import id_array

from ..engine import payment_codes
from .account_move_line import SITE_RECEIVABLE
from .site_ledger import copy_rows, select_rows

COMPARISONS = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "<>"}


class SiteChargeNotice(models.Model):
    """What a resident is asked to pay for a unit and a month, on the notice's date.

    From the ledger of one unit and partner: the balance brought forward (the open
    balance at the end of the previous month), the charges and the late fees dated from
    the month's first day to the notice's date, and the payments of those days. They add
    up to the open balance on the notice's date; what is dated later is on the next
    notice.
    """

    _name = "site.charge.notice"
    _description = "Charge Notice"
    _inherit = ["mail.thread", "portal.mixin"]
    _order = "period desc, company_id, unit_id"
    _check_company_auto = True

    # The Turkish notice prints its portal link: the token exists from the start, so that
    # printing, a read-only request, never has to write one.
    access_token = fields.Char(default=lambda self: str(uuid.uuid4()))
    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", string="Site", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_id = fields.Many2one("site.unit", required=True, index=True, check_company=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True)
    period = fields.Date(required=True, help="First day of the month charged.")
    due_date = fields.Date(required=True)
    date = fields.Date(
        string="Balance On",
        compute="_compute_date",
        store=True,
        readonly=False,
        precompute=True,
        help="The day the notice states the balance on: the day it was made, within its "
        "month, or the day of a later charge or late fee posted on it. Late fees and "
        "payments dated later are on the next notice.",
    )
    line_ids = fields.One2many("account.move.line", "site_notice_id", string="Charges")
    previous_balance = fields.Monetary(
        string="Brought Forward",
        compute="_compute_amounts",
        search="_search_previous_balance",
        help="Open balance of the unit for this partner at the end of the previous month.",
    )
    previous_late_fees = fields.Monetary(
        string="Of Which Late Fees",
        compute="_compute_amounts",
        help="Late fees still open in the balance brought forward.",
    )
    amount_charges = fields.Monetary(
        string="This Month",
        compute="_compute_amounts",
        help="Charges dated from the first day of the month to the notice's date.",
    )
    amount_late_fees = fields.Monetary(
        string="Late Fees",
        compute="_compute_amounts",
        help="Late fees dated from the first day of the month to the notice's date.",
    )
    amount_payments = fields.Monetary(
        string="Payments",
        compute="_compute_amounts",
        help="Payments and credits dated from the first day of the month to the notice's "
        "date (negative).",
    )
    amount_total = fields.Monetary(
        string="Total Due",
        compute="_compute_amounts",
        help="Open balance of the unit for this partner on the notice's date.",
    )
    payment_reference = fields.Char(related="unit_id.payment_reference", store=True)

    _unit_partner_period_uniq = models.Constraint(
        "UNIQUE (unit_id, partner_id, period)",
        "A unit has one charge notice per partner and month.",
    )

    @api.depends("unit_id.code", "period")
    def _compute_name(self):
        for notice in self:
            notice.name = self._notice_name(notice.unit_id, notice.period) if notice.period else ""

    @api.model
    def _notice_name(self, unit, period):
        return f"{unit.code} / {period:%Y-%m}"

    def _report_file_name(self):
        """ "Aidat Bildirimi A-1 Aralık 2026": the printed notice's name in the user's language."""
        self.ensure_one()
        display = self.env["site.display"]
        return display._file_name(
            self.env._("Charge Notice"), self.unit_id.code, display._month_label(self.period)
        )

    @api.depends("period")
    def _compute_date(self):
        today = fields.Date.context_today(self)
        for notice in self:
            if notice.period and not notice.date:
                notice.date = min(max(today, notice.period), month_end(notice.period))
            else:
                notice.date = notice.date

    def _ledger_domain(self):
        return [
            ("site_unit_id", "in", self.unit_id.ids),
            ("partner_id", "in", self.partner_id.ids),
            *SITE_RECEIVABLE,
        ]

    def _month_lines(self):
        """{notice: its unit's and partner's receivable lines dated from the first day of
        its month to its date}, in date order."""
        notices = self.filtered(lambda n: n.unit_id and n.partner_id and n.period and n.date)
        result = {notice: self.env["account.move.line"] for notice in self}
        if not notices:
            return result
        lines = self.env["account.move.line"].search(
            notices._ledger_domain()
            + [
                ("date", ">=", min(notices.mapped("period"))),
                ("date", "<=", max(notices.mapped("date"))),
            ],
            order="date, id",
        )
        by_key = lines.grouped(lambda line: (line.site_unit_id.id, line.partner_id.id))
        for notice in notices:
            result[notice] = by_key.get(
                (notice.unit_id.id, notice.partner_id.id), lines.browse()
            ).filtered(lambda line, n=notice: n.period <= line.date <= n.date)
        return result

    def _brought_forward(self):
        """{notice: (balance, of which late fees)} of its unit and partner at the end of
        the month before its own: balances by month and the late-fee lines with their
        later matches, in three queries whatever the number of months."""
        result = dict.fromkeys(self, (0.0, 0.0))
        notices = self.filtered(lambda n: n.unit_id and n.partner_id and n.period)
        if not notices:
            return result
        Line = self.env["account.move.line"]
        domain = notices._ledger_domain() + [("date", "<", max(notices.mapped("period")))]
        by_month = defaultdict(list)
        for unit, partner, month, balance in Line._read_group(
            domain, ["site_unit_id", "partner_id", "date:month"], ["balance:sum"]
        ):
            by_month[unit.id, partner.id].append((month, balance))
        # archived late-fee types too: their fees still are late fees
        late_fee_types = (
            self.env["site.charge.type"]
            .with_context(active_test=False)
            .search([("company_id", "in", notices.company_id.ids), ("kind", "=", "late_fee")])
        )
        late_lines = Line.search_read(
            domain + [("site_charge_type_id", "in", late_fee_types.ids)],
            ["site_unit_id", "partner_id", "date", "amount_residual"],
            load=None,
        )
        # What was matched with a late fee after a day was still open that day.
        later = defaultdict(list)  # line id: [(match date, amount it adds back)]
        if late_lines:
            ids = [line["id"] for line in late_lines]
            for partial in self.env["account.partial.reconcile"].search_read(
                ["|", ("debit_move_id", "in", ids), ("credit_move_id", "in", ids)],
                ["debit_move_id", "credit_move_id", "max_date", "amount"],
                load=None,
            ):
                amount = Decimal(str(partial["amount"]))
                later[partial["debit_move_id"]].append((partial["max_date"], amount))
                later[partial["credit_move_id"]].append((partial["max_date"], -amount))
        late_by_key = defaultdict(list)
        for line in late_lines:
            late_by_key[line["site_unit_id"], line["partner_id"]].append(line)
        for notice in notices:
            key = (notice.unit_id.id, notice.partner_id.id)
            as_of = notice.period - timedelta(days=1)
            balance = sum(amount for month, amount in by_month[key] if month < notice.period)
            late_fees = sum(
                (
                    Decimal(str(line["amount_residual"]))
                    + sum(
                        (amount for day, amount in later[line["id"]] if day > as_of),
                        Decimal(0),
                    )
                    for line in late_by_key[key]
                    if line["date"] <= as_of
                ),
                Decimal(0),
            )
            result[notice] = (balance, float(late_fees))
        return result

    @api.depends(
        "unit_id", "partner_id", "period", "date", "line_ids.balance", "line_ids.parent_state"
    )
    def _compute_amounts(self):
        """The notice's figures from the ledger (see the class): charges have a charge type,
        late fees the late-fee one, payments and credits none."""
        month_lines = self._month_lines()
        brought_forward = self._brought_forward()
        for notice in self:
            lines = month_lines[notice]
            late_fees = lines.filtered(lambda line: line.site_charge_type_id.kind == "late_fee")
            charges = lines.filtered("site_charge_type_id") - late_fees
            round_amount = notice.currency_id.round if notice.currency_id else round
            balance, balance_late_fees = brought_forward[notice]
            notice.previous_balance = round_amount(balance)
            notice.previous_late_fees = round_amount(balance_late_fees)
            notice.amount_charges = round_amount(sum(charges.mapped("balance")))
            notice.amount_late_fees = round_amount(sum(late_fees.mapped("balance")))
            notice.amount_payments = round_amount(
                sum((lines - charges - late_fees).mapped("balance"))
            )
            notice.amount_total = round_amount(
                notice.previous_balance
                + notice.amount_charges
                + notice.amount_late_fees
                + notice.amount_payments
            )

    def _search_previous_balance(self, operator, value):
        """Notices by their balance brought forward ("with arrears"), in SQL."""
        if operator not in COMPARISONS or not isinstance(value, (int, float)):
            return NotImplemented

        def to_sql(model, alias, query):
            notice = SQL.identifier(alias)
            return SQL(
                """(SELECT COALESCE(SUM(line.balance), 0)
                      FROM account_move_line line
                      JOIN account_account account ON account.id = line.account_id
                     WHERE line.site_unit_id = %(notice)s.unit_id
                       AND line.partner_id = %(notice)s.partner_id
                       AND line.parent_state = 'posted'
                       AND account.account_type = 'asset_receivable'
                       AND line.date < %(notice)s.period) %(operator)s %(value)s""",
                notice=notice,
                operator=SQL(COMPARISONS[operator]),
                value=value,
            )

        return Domain.custom(to_sql=to_sql)

    @api.model
    def _get_or_create(self, company, period, due_dates, date=None):
        """{(unit id, partner id): notice} of the month of ``period`` for the keys of
        ``due_dates``, creating the missing ones, each falling due on its key's date.

        A new notice is dated today, within its month (see ``date``); with ``date``, a
        notice dated earlier is dated ``date``: the day of the charges posted on it.
        """
        found = self._of_month(company, period, {unit_id for unit_id, _ in due_dates})
        missing = [key for key in due_dates if key not in found]
        if missing:
            self._create_notices(company, period, due_dates, missing, date)
            found = self._of_month(company, period, {unit_id for unit_id, _ in due_dates})
        if date:
            self.browse(
                notice_id
                for key, (notice_id, notice_date) in found.items()
                if key in due_dates and (not notice_date or notice_date < date)
            ).write({"date": date})
        ids = [notice_id for notice_id, _date in found.values()]
        return {
            key: self.browse(notice_id).with_prefetch(ids)
            for key, (notice_id, _date) in found.items()
        }

    @api.model
    def _of_month(self, company, period, unit_ids):
        """{(unit id, partner id): (notice id, its date)} of the month of ``period`` for
        ``unit_ids``, in one query: a run reads ten thousand of them, which the ORM would
        fetch with every column, a thousand at a time."""
        self.flush_model(["company_id", "unit_id", "partner_id", "period", "date"])
        rows = self.env.execute_query(
            SQL(
                "SELECT unit_id, partner_id, id, date FROM site_charge_notice "
                "WHERE company_id = %s AND period = %s AND unit_id = ANY(%s)",
                company.id,
                period,
                id_array(unit_ids),
            )
        )
        return {
            (unit_id, partner_id): (notice_id, day) for unit_id, partner_id, notice_id, day in rows
        }

    @api.model
    def _create_notices(self, company, period, due_dates, keys, date=None):
        """Create the notices of the month of ``period`` for ``keys`` (unit id, partner id).

        Thousands of notices a month, made by a run: the ORM creates the first one, with
        no creation message or follower, and the others are inserted in one COPY as
        copies of it with their own unit, partner, due date, name and access token (a
        test proves them equal to notices the ORM creates, column by column).
        """
        units = self.env["site.unit"].browse({unit_id for unit_id, _partner_id in keys})
        foreign = units.filtered(lambda unit: unit.company_id != company)
        if foreign:
            raise UserError(
                self.env._(
                    "Units %(units)s are not of site %(site)s.",
                    units=", ".join(foreign.mapped("code")),
                    site=company.name,
                )
            )
        first_key, *other_keys = keys
        first = self.with_context(tracking_disable=True).create(
            {
                "company_id": company.id,
                "unit_id": first_key[0],
                "partner_id": first_key[1],
                "period": period,
                "due_date": due_dates[first_key],
            }
        )
        if not other_keys:
            return
        self.env.flush_all()
        (template,) = select_rows(self.env.cr, self._table, first.ids)
        # the copies are dated as the template, or ``date`` if later (see _get_or_create)
        notice_date = max(template["date"], date) if date else template["date"]
        units_by_id = {unit.id: unit for unit in units}
        copies = []
        for unit_id, partner_id in other_keys:
            unit = units_by_id[unit_id]
            copies.append(
                (
                    template,
                    {
                        "unit_id": unit_id,
                        "partner_id": partner_id,
                        "due_date": due_dates[(unit_id, partner_id)],
                        "date": notice_date,
                        "name": self._notice_name(unit, period),
                        # a unit without building or reference: NULL, as the ORM writes
                        "building_id": unit.building_id.id or None,
                        "payment_reference": unit.payment_reference or None,
                        "access_token": str(uuid.uuid4()),
                    },
                )
            )
        copy_rows(self.env.cr, self._table, copies)
        self.env.invalidate_all()

    def _qr_payload(self, amount=None, link=True):
        """What the notice's QR code holds for ``amount`` (the notice's total): the
        country's transfer QR, else (with ``link``) the payment link; None while the site
        has no bank account or nothing is due. Bank data a standard refuses raises
        ValueError."""
        self.ensure_one()
        company = self.company_id.sudo()
        bank = company._site_notice_bank()
        amount = round_half_up(self.amount_total if amount is None else amount, 2)
        if amount <= 0 or not bank:
            return None
        country = company.country_id.code
        title = " ".join(filter(None, (self.payment_reference, self.name)))
        if country == "PL":
            return payment_codes.zbp_payload(
                company.vat or "", bank.acc_number, amount, company.name, title
            )
        if country == "UA":
            return payment_codes.nbu_link(
                payment_codes.nbu_payload(
                    company.name, bank.acc_number, amount, company.company_registry or "", title
                )
            )
        if company.currency_id.name == "EUR":
            return payment_codes.epc_payload(
                company.name, bank.acc_number, amount, remittance=title
            )
        # Turkey has no bank standard for transfer QR codes: the online payment link.
        return self.get_base_url() + self.get_portal_url() if link else None

    def _compute_access_url(self):
        super()._compute_access_url()
        for notice in self:
            notice.access_url = f"/my/site/notices/{notice.id}"
