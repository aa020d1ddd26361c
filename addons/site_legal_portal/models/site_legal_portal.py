"""What the lawyers' portal pages show, read with ``sudo()``: callers pass only cases the
controller has checked are the lawyer's own."""

from odoo import api, models

from odoo.addons.site_legal.models.site_legal_case import ENDED_STAGES

# Stages a lawyer sets by hand; the others follow the case's money (settlement,
# collected, written off) or the site's decision (closed).
LAWYER_STAGES = ("notice", "payment_order", "objection", "enforcement")


class SiteLegalPortal(models.AbstractModel):
    _name = "site.legal.portal"
    _description = "Lawyers' Portal"

    @api.model
    def _cases(self, user):
        """The cases whose lawyer ``user`` is, newest first."""
        return self.env["site.legal.case"].sudo().search([("lawyer_user_id", "=", user.id)])

    @api.model
    def _next_instalments(self, cases):
        """{case id: the earliest instalment still open} of ``cases``."""
        instalments = (
            self.env["site.legal.instalment"]
            .sudo()
            .search(
                [
                    ("case_id", "in", cases.ids),
                    ("replaced", "=", False),
                    ("amount_open", ">", 0),
                ],
                order="due_date, number, id",
            )
        )
        result = {}
        for instalment in instalments:
            result.setdefault(instalment.case_id.id, instalment)
        return result

    @api.model
    def _case_debts(self, case):
        """The case's debt lines on the legal account, oldest due first."""
        return case.debt_line_ids.filtered(lambda line: line.parent_state == "posted").sorted(
            lambda line: (line.site_legal_origin_due or line.date, line.id)
        )

    @api.model
    def _debtor_statement(self, case):
        """The debtors' statement of the case only: its debts and what settled them, by
        date, with a running balance that ends at what is still open."""
        lines = self._case_debts(case)
        entries = [
            {
                "date": line.date,
                "order": (0, line.id),
                "reference": line.move_id.name or "",
                "description": line.name or line.move_id.ref or "",
                "partner": line.partner_id.name or "",
                "charge_type": line.site_charge_type_id.name or "",
                "debit": max(line.balance, 0.0),
                "credit": max(-line.balance, 0.0),
            }
            for line in lines
        ]
        partials = (
            self.env["account.partial.reconcile"]
            .sudo()
            .search(
                ["|", ("debit_move_id", "in", lines.ids), ("credit_move_id", "in", lines.ids)],
                order="max_date, id",
            )
        )
        for partial in partials:
            debit, credit = partial.debit_move_id, partial.credit_move_id
            if debit in lines and credit in lines:
                continue  # both lines are on the statement already
            inside, outside = (debit, credit) if debit in lines else (credit, debit)
            entries.append(
                {
                    "date": partial.max_date,
                    "order": (1, partial.id),
                    "reference": outside.move_id.name or "",
                    "description": self.env._(
                        "Settled by %(entry)s", entry=outside.move_id.name or outside.name or ""
                    )
                    if inside == debit
                    else self.env._("Applied to %(entry)s", entry=outside.name or ""),
                    "partner": inside.partner_id.name or "",
                    "charge_type": inside.site_charge_type_id.name or "",
                    "debit": partial.amount if inside == credit else 0.0,
                    "credit": partial.amount if inside == debit else 0.0,
                }
            )
        entries.sort(key=lambda entry: (entry["date"], entry["order"]))
        rounding = case.currency_id.round
        balance = 0.0
        for entry in entries:
            balance = rounding(balance + entry["debit"] - entry["credit"])
            entry["balance"] = balance
        return {
            "lines": entries,
            "debit": rounding(sum(entry["debit"] for entry in entries)),
            "credit": rounding(sum(entry["credit"] for entry in entries)),
            "closing": balance,
        }

    @api.model
    def _lawyer_statement(self, cases):
        """The lawyer's account for ``cases``: [{'line', 'case', 'debit', 'credit',
        'balance'}] by date, and the totals; only the lines on the cases' lawyers."""
        rows = [
            row
            for lawyer, lawyer_rows in cases.sudo()._lawyer_statement()
            if lawyer in cases.lawyer_partner_id
            for row in lawyer_rows
        ]
        debit = sum((row["debit"] for row in rows), 0)
        credit = sum((row["credit"] for row in rows), 0)
        return {
            "lines": rows,
            "debit": float(debit),
            "credit": float(credit),
            "balance": float(debit - credit),
        }

    @api.model
    def _documents(self, case):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "site.legal.case"), ("res_id", "=", case.id)],
                order="create_date desc, id desc",
            )
        )

    @api.model
    def _notes(self, case):
        """The case's chatter messages with a text (notes, comments), newest first."""
        return (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", "site.legal.case"),
                    ("res_id", "=", case.id),
                    ("message_type", "=", "comment"),
                ],
                order="date desc, id desc",
            )
        )

    @api.model
    def _stage_choices(self, case):
        """[(value, label)] of the stages the lawyer may set on ``case`` now."""
        if case.state != "posted" or case.stage in ENDED_STAGES:
            return []
        labels = dict(case._fields["stage"]._description_selection(self.env))
        return [(stage, labels[stage]) for stage in LAWYER_STAGES if stage != case.stage]
