import io

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_date, formatLang

from odoo.addons.site_residents.engine.money import to_decimal
from odoo.addons.site_residents.sql import date_array, id_array


class SiteLateFeeLine(models.Model):
    """One fee line of a run (a unit and partner) and its breakdown per overdue charge.

    The breakdown is a JSON object {debt line id: fee} on the fee line rather than a
    row per overdue charge: a run over a hundred thousand debts writes ten thousand
    rows, not a hundred thousand rows with their foreign keys checked one by one,
    which took longer than posting the fees.
    """

    _name = "site.late.fee.line"
    _description = "Late Fee and its Breakdown"
    _order = "run_id desc, id"
    # written by COPY with the run, never edited: the run says who posted it and when
    _log_access = False

    run_id = fields.Many2one("site.late.fee.run", required=True, index=True, ondelete="cascade")
    # the site, unit and partner are the fee line's: stored once, on the journal item
    fee_line_id = fields.Many2one(
        "account.move.line", string="Fee Line", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="fee_line_id.company_id", string="Site")
    unit_id = fields.Many2one(related="fee_line_id.site_unit_id", string="Unit")
    partner_id = fields.Many2one(related="fee_line_id.partner_id")
    amount = fields.Float(digits=(16, 2), required=True)
    debt_amounts = fields.Json(
        string="Fee per Overdue Charge",
        readonly=True,
        help="{journal item id of the overdue charge: fee charged on it by this run}",
    )
    debt_count = fields.Integer(string="Overdue Charges", compute="_compute_breakdown")
    breakdown = fields.Html(
        string="Breakdown", compute="_compute_breakdown", sanitize=False, readonly=True
    )

    @api.depends("debt_amounts")
    def _compute_breakdown(self):
        amounts_by_line = {line: line._debt_decimals() for line in self}
        debts = self.env["account.move.line"].browse(
            {debt_id for amounts in amounts_by_line.values() for debt_id in amounts}
        )
        debts.fetch(["move_name", "name", "date_maturity"])
        for line, amounts in amounts_by_line.items():
            line.debt_count = len(amounts)
            rows = Markup("").join(
                Markup(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class='text-end'>{}</td></tr>"
                ).format(
                    debt.move_name or "",
                    debt.name or "",
                    format_date(self.env, debt.date_maturity),
                    formatLang(self.env, float(amount), currency_obj=line.company_id.currency_id),
                )
                for debt, amount in (
                    (self.env["account.move.line"].browse(debt_id), amount)
                    for debt_id, amount in amounts.items()
                )
            )
            line.breakdown = (
                Markup(
                    "<table class='table table-sm'><thead><tr><th>{}</th><th>{}</th><th>{}</th>"
                    "<th class='text-end'>{}</th></tr></thead><tbody>{}</tbody></table>"
                ).format(
                    self.env._("Entry"),
                    self.env._("Overdue Charge"),
                    self.env._("Due Date"),
                    self.env._("Late Fee"),
                    rows,
                )
                if rows
                else False
            )

    @api.depends("run_id.name", "unit_id.code", "partner_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.run_id.name} · {line.unit_id.code or ''} · {line.partner_id.name or ''}"
            )

    def _debt_decimals(self):
        """{debt line id: fee} of this fee line, as Decimals."""
        self.ensure_one()
        return {int(key): to_decimal(value) for key, value in (self.debt_amounts or {}).items()}

    @api.model
    def _insert(self, run, fees, moves):
        """Write a run's fee lines with COPY, each with its breakdown and its posted fee
        line; ``fees``: {(unit id, partner id): {debt line id: fee}}."""
        if not fees:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT site_unit_id, partner_id, id FROM account_move_line "
            "WHERE move_id = ANY(%s) AND site_unit_id IS NOT NULL",
            [moves.ids],
        )
        fee_lines = {
            (unit_id, partner_id): line_id
            for unit_id, partner_id, line_id in self.env.cr.fetchall()
        }
        # Decimals written as JSON numbers as they are: exact, and summed by PostgreSQL
        data = io.StringIO(
            "".join(
                f"{run.id}\t{fee_lines[payer]}\t{sum(debt_fees.values())}\t"
                "{" + ", ".join(f'"{debt_id}": {fee}' for debt_id, fee in debt_fees.items()) + "}\n"
                for payer, debt_fees in fees.items()
            )
        )
        self.env.cr._obj.copy_expert(
            "COPY site_late_fee_line (run_id, fee_line_id, amount, debt_amounts) FROM STDIN",
            data,
        )
        self.invalidate_model()

    @api.model
    def _posted_on(self, company, debt_units):
        """{debt line id: late fees posted on it by the site's runs still posted}.

        ``debt_units``: {debt line id: (unit id, due date)}. Only the fee lines of the
        debts' units from runs dated on or after their oldest due date are read: a run
        before a debt's due date charged nothing on it.
        """
        if not debt_units:
            return {}
        since = {}
        for unit_id, due_date in debt_units.values():
            since[unit_id] = min(since.get(unit_id, due_date), due_date)
        self.env["site.late.fee.run"].flush_model(["state", "date"])
        self.flush_model(["run_id", "fee_line_id", "debt_amounts"])
        self.env["account.move.line"].flush_model(["company_id", "site_unit_id"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT fee.key, SUM(fee.value::numeric)
                  FROM site_late_fee_line line
                  JOIN site_late_fee_run run ON run.id = line.run_id AND run.state = 'posted'
                  JOIN account_move_line fee_line ON fee_line.id = line.fee_line_id
                  JOIN unnest(%s, %s) AS unit(id, since)
                    ON unit.id = fee_line.site_unit_id AND run.date >= unit.since
                 CROSS JOIN LATERAL jsonb_each_text(line.debt_amounts) fee
                 WHERE fee_line.company_id = %s
                 GROUP BY fee.key
                """,
                id_array(since),
                date_array(since.values()),
                company.id,
            )
        )
        return {int(key): to_decimal(total) for key, total in rows if int(key) in debt_units}

    @api.model
    def _posted_on_lines(self, debt_lines):
        """{debt line id: late fees posted on it}, for journal items of any sites."""
        posted = {}
        for company, lines in debt_lines.grouped("company_id").items():
            posted.update(
                self._posted_on(
                    company,
                    {line.id: (line.site_unit_id.id, line.date_maturity) for line in lines},
                )
            )
        return posted
