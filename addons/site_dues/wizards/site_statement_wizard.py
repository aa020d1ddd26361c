"""Statement of account of a unit or a partner over a date range.

The statement lists the unit's receivable lines: charges (debit) and payments,
bank transactions and credits (credit), with a running balance from the opening
balance (everything dated before the range) to the closing balance, which is the
ledger's balance of those lines on the last day.

By charge type, each charge type is a section of its own: its charges, and the
payments that settled them (on the date both existed, as the partial
reconciliation's date says); payments not used yet form the "Payments and
Credits" section. Summed over all sections, the closings give the same total.

Debts moved to the site's receivable account for legal follow-up
(``site_legal_receivable_account_id``) and what settled them form a section of their
own, after the others, so they are read apart from the normal debts.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.account_move_line import SITE_RECEIVABLE

CREDITS = 0  # section key of lines without a charge type: payments, credits, refunds
LEGAL = "legal"  # section keys of lines in legal follow-up: (LEGAL, charge type id)


class SiteStatementWizard(models.TransientModel):
    _name = "site.statement.wizard"
    _inherit = ["site.company.mixin"]
    _description = "Unit Statement"

    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_id = fields.Many2one(
        "site.unit",
        domain="[('company_id', '=', company_id)]",
        help="Empty: every unit of the partner.",
    )
    partner_id = fields.Many2one("res.partner", help="Empty: every partner charged for the unit.")
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
    )
    date_to = fields.Date(string="To", required=True, default=fields.Date.context_today)
    charge_type_ids = fields.Many2many(
        "site.charge.type",
        string="Charge Types",
        domain="[('company_id', '=', company_id)]",
        help="Only these charge types and the payments that settled them. Empty: all.",
    )
    group_by_charge_type = fields.Boolean(
        string="By Charge Type", help="One section per charge type, each with its own balance."
    )

    @api.onchange("unit_id")
    def _onchange_unit_id(self):
        if self.unit_id:
            self.company_id = self.unit_id.company_id
        if self.unit_id and self.partner_id:
            partners = self.unit_id.relation_ids.partner_id
            if self.partner_id not in partners:
                self.partner_id = False

    def _check_filters(self):
        self.ensure_one()
        if not self.unit_id and not self.partner_id:
            raise UserError(self.env._("Choose a unit, a partner or both."))
        if self.date_from > self.date_to:
            raise UserError(self.env._("The statement must start before it ends."))

    # --- data --------------------------------------------------------------

    def _lines(self):
        """The receivable lines of the unit (and partner) up to the last day."""
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("site_unit_id", "!=", False),
            *SITE_RECEIVABLE,
            ("date", "<=", self.date_to),
        ]
        if self.unit_id:
            domain.append(("site_unit_id", "=", self.unit_id.id))
        if self.partner_id:
            domain.append(("partner_id", "=", self.partner_id.id))
        return self.env["account.move.line"].search(domain, order="date, id")

    @api.model
    def _section_key(self, line):
        key = line.site_charge_type_id.id or CREDITS
        if line.account_id == line.company_id.site_legal_receivable_account_id:
            return (LEGAL, key)
        return key

    def _entry(self, day, order, line, debit, credit, description, charge_type=None):
        return {
            "date": day,
            "order": order,
            "reference": line.move_id.name or "",
            "description": description,
            "unit": line.site_unit_id.code or "",
            "charge_type": (
                charge_type if charge_type is not None else line.site_charge_type_id
            ).name
            or "",
            "debit": debit,
            "credit": credit,
        }

    def _line_entry(self, line):
        balance = line.balance
        return self._entry(
            line.date,
            (0, line.id),
            line,
            max(balance, 0.0),
            max(-balance, 0.0),
            line.name or line.move_id.ref or line.move_id.name or "",
        )

    def _entries_by_section(self, lines):
        """{section key: [entry]}: each line in its charge type's section, and for every
        match between lines of two sections, the amount moved from one to the other."""
        entries = defaultdict(list)
        for line in lines:
            entries[self._section_key(line)].append(self._line_entry(line))
        partials = self.env["account.partial.reconcile"].search(
            [
                ("max_date", "<=", self.date_to),
                "|",
                ("debit_move_id", "in", lines.ids),
                ("credit_move_id", "in", lines.ids),
            ],
            order="max_date, id",
        )
        for partial in partials:
            debit, credit = partial.debit_move_id, partial.credit_move_id
            debit_key, credit_key = self._section_key(debit), self._section_key(credit)
            if debit_key == credit_key:
                continue  # matched within the section: both lines are already there
            if debit in lines:
                entries[debit_key].append(
                    self._entry(
                        partial.max_date,
                        (1, partial.id),
                        credit,
                        0.0,
                        partial.amount,
                        self.env._(
                            "Settled by %(payment)s",
                            payment=credit.move_id.name or credit.name or "",
                        ),
                        charge_type=debit.site_charge_type_id,
                    )
                )
            if credit in lines:
                entries[credit_key].append(
                    self._entry(
                        partial.max_date,
                        (1, partial.id),
                        debit,
                        partial.amount,
                        0.0,
                        self.env._(
                            "Applied to %(charge)s", charge=debit.name or debit.move_id.name or ""
                        ),
                        charge_type=debit.site_charge_type_id,
                    )
                )
        return entries

    def _section(self, title, entries):
        """Opening balance, the range's entries with a running balance, closing balance."""
        entries = sorted(entries, key=lambda entry: (entry["date"], entry["order"]))
        rounding = self.currency_id.round
        opening = rounding(
            sum(e["debit"] - e["credit"] for e in entries if e["date"] < self.date_from)
        )
        balance, rows = opening, []
        for entry in entries:
            if entry["date"] < self.date_from:
                continue
            balance = rounding(balance + entry["debit"] - entry["credit"])
            rows.append(dict(entry, balance=balance))
        return {
            "title": title,
            "opening": opening,
            "lines": rows,
            "debit": rounding(sum(row["debit"] for row in rows)),
            "credit": rounding(sum(row["credit"] for row in rows)),
            "closing": balance,
        }

    def _statement_data(self):
        """The statement: {'sections': [section], 'opening', 'closing', ...}.

        A section is {'title', 'opening', 'lines', 'debit', 'credit', 'closing'}; a line
        {'date', 'reference', 'description', 'unit', 'charge_type', 'debit', 'credit',
        'balance'}. Worded in the partner's language: the statement is theirs.
        """
        self._check_filters()
        if self.partner_id.lang and self.partner_id.lang != self.env.lang:
            return self.with_context(lang=self.partner_id.lang)._statement_data()
        lines = self._lines()
        selected = self.charge_type_ids
        legal_title = self.env._("In Legal Follow-up")
        legal_lines = lines.filtered(lambda line: isinstance(self._section_key(line), tuple))
        if not selected and not self.group_by_charge_type:
            normal_lines = lines - legal_lines
            sections = (
                [
                    self._section(
                        self.env._("All Charges and Payments"), map(self._line_entry, normal_lines)
                    )
                ]
                if normal_lines or not legal_lines
                else []
            )
            if legal_lines:
                sections.append(
                    dict(self._section(legal_title, map(self._line_entry, legal_lines)), legal=True)
                )
        else:
            entries = self._entries_by_section(lines)
            legal_entries = [
                entry
                for key in entries
                if isinstance(key, tuple) and (not selected or key[1] in selected.ids)
                for entry in entries[key]
            ]
            keys = [
                key
                for key in entries
                if not isinstance(key, tuple) and (not selected or key in selected.ids)
            ]
            charge_types = self.env["site.charge.type"].browse([k for k in keys if k])
            order = {charge_type.id: charge_type.sequence for charge_type in charge_types}
            keys.sort(key=lambda key: (key == CREDITS, order.get(key, 0), key))
            if self.group_by_charge_type:
                sections = [
                    self._section(
                        charge_types.browse(key).name
                        if key
                        else self.env._("Payments and Credits"),
                        entries[key],
                    )
                    for key in keys
                ]
            else:
                sections = [
                    self._section(
                        ", ".join(selected.mapped("name")),
                        [entry for key in keys for entry in entries[key]],
                    )
                ]
            if legal_entries:
                sections.append(dict(self._section(legal_title, legal_entries), legal=True))
        rounding = self.currency_id.round
        return {
            "sections": sections,
            "opening": rounding(sum(section["opening"] for section in sections)),
            "debit": rounding(sum(section["debit"] for section in sections)),
            "credit": rounding(sum(section["credit"] for section in sections)),
            "closing": rounding(sum(section["closing"] for section in sections)),
            "legal_closing": rounding(
                sum(section["closing"] for section in sections if section.get("legal"))
            ),
            "show_unit": not self.unit_id,
            "title": self._title(),
        }

    def _title(self):
        parts = [self.unit_id.code, self.partner_id.name]
        return " / ".join(part for part in parts if part)

    # --- actions -----------------------------------------------------------

    def action_print_pdf(self):
        self._check_filters()
        return self.env.ref("site_dues.action_report_site_statement").report_action(self)

    def action_export_xlsx(self):
        self._check_filters()
        return self.env.ref("site_dues.action_report_site_statement_xlsx").report_action(
            self, config=False
        )

    def _report_file_name(self):
        """ "Hesap Ekstresi A-1 Ali Yılmaz 01.01.2026 - 04.12.2026" in the user's language:
        the name of the PDF and of the XLSX."""
        return self.env["site.display"]._file_name(
            self.env._("Statement"),
            self.unit_id.code,
            self.partner_id.name,
            self.date_from,
            "-",
            self.date_to,
        )
