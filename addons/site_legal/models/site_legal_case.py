"""A debt case handed to a lawyer: its debts on the ledger, its stages and its money.

The case's debts are lines on the site's receivable account for legal follow-up,
marked with the case (``account.move.line.site_legal_case_id``); every figure of the
case is read from them and from the case's entries, so the books and the case never
disagree. Entries go through ``site.ledger`` (``_post_reclassification``,
``_post_legal_entry``); the posting mixin gives the state (draft until the debts are
handed over), the entries and their reversal on cancelling.
"""

from decimal import Decimal

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.site_dues.engine import aging

from ..engine import instalments, lawyer_accounts, recovery
from ..engine.lawyer_accounts import CHARGED_ON, DEBTOR
from .site_ledger import Reclass

STAGES = [
    ("notice", "Formal Notice Sent"),
    ("payment_order", "Payment Order"),
    ("objection", "Objection"),
    ("enforcement", "Enforcement / Seizure"),
    ("settlement", "Settlement with Instalments"),
    ("collected", "Collected"),
    ("closed", "Closed"),
    ("written_off", "Written Off"),
]
ENDED_STAGES = ("collected", "closed", "written_off")
LATE_FEE_POLICIES = [
    ("site", "As the Site Says"),
    ("frozen", "Frozen"),
    ("continued", "Continued"),
]


class SiteLegalCase(models.Model):
    _name = "site.legal.case"
    _description = "Legal Case"
    _inherit = ["mail.thread", "mail.activity.mixin", "site.company.mixin", "site.posting.mixin"]
    _order = "date_open desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/", tracking=True
    )
    unit_id = fields.Many2one(
        "site.unit", required=True, check_company=True, index=True, tracking=True
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "site_legal_case_debtor_rel",
        "case_id",
        "partner_id",
        string="Debtors",
        help="The people whose debts are in the case.",
    )
    lawyer_partner_id = fields.Many2one(
        "res.partner", string="Lawyer", tracking=True, index="btree_not_null"
    )
    lawyer_user_id = fields.Many2one(
        "res.users",
        string="Lawyer's Portal User",
        domain=[("share", "=", True)],
        tracking=True,
        index="btree_not_null",
        help="The lawyer's portal login: the lawyer sees this case, and no other of the site.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="Who follows the case on the site's side; missed instalments are scheduled to them.",
    )
    office = fields.Char(string="Enforcement Office or Court", tracking=True)
    file_number = fields.Char(tracking=True, index="btree_not_null")
    date_open = fields.Date(
        string="Opened On", required=True, default=fields.Date.context_today, tracking=True
    )
    stage = fields.Selection(
        STAGES,
        required=True,
        default="notice",
        readonly=True,
        tracking=True,
        group_expand="_group_expand_stage",
        index=True,
    )
    stage_log_ids = fields.One2many(
        "site.legal.case.stage.log", "case_id", string="Stage History", readonly=True
    )
    late_fee_policy = fields.Selection(
        LATE_FEE_POLICIES,
        string="Late Fees on the Case's Debts",
        required=True,
        default="site",
        tracking=True,
        help="Frozen: no late fee accrues on the debts while they are in the case. "
        "Continued: they bear late fees as before. The choice holds for the whole time "
        "the debts are in the case.",
    )
    late_fees_frozen = fields.Boolean(
        compute="_compute_late_fees_frozen",
        store=True,
        help="Whether the case's debts bear no late fee: the case's own choice, or else the "
        "site's 'Freeze Late Fees in Legal Cases'.",
    )
    analytic_account_id = fields.Many2one(
        "account.analytic.account", readonly=True, copy=False, check_company=True
    )
    debt_line_ids = fields.One2many(
        "account.move.line", "site_legal_case_id", string="Debts", readonly=True
    )
    instalment_ids = fields.One2many("site.legal.instalment", "case_id", readonly=True)
    lawyer_entry_ids = fields.One2many(
        "site.legal.lawyer.entry", "case_id", string="Lawyer's Account"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    handed_over_amount = fields.Monetary(
        string="Handed Over", compute="_compute_amounts", store=True, aggregator="sum"
    )
    charged_on_amount = fields.Monetary(
        string="Costs Charged On",
        compute="_compute_amounts",
        store=True,
        aggregator="sum",
        help="The lawyers' expenses and fees charged on to the debtors.",
    )
    balance = fields.Monetary(
        string="Open",
        compute="_compute_amounts",
        store=True,
        aggregator="sum",
        help="What the case's debts still owe, live from the ledger.",
    )
    written_off_amount = fields.Monetary(
        string="Written Off", compute="_compute_amounts", store=True, aggregator="sum"
    )
    collected_amount = fields.Monetary(
        string="Collected", compute="_compute_amounts", store=True, aggregator="sum"
    )
    recovery_rate = fields.Float(
        string="Recovery Rate (%)",
        compute="_compute_amounts",
        store=True,
        aggregator="avg",
        digits=(5, 2),
        help="Collected / (handed over + costs charged on). Summed over cases (pivot), the "
        "average of the cases' rates; the XLSX report weighs them by their debts.",
    )
    lawyer_balance = fields.Monetary(
        compute="_compute_lawyer_balance",
        help="The case's balance on the lawyer's account: debit, the lawyer holds the site's "
        "money (advances, collections not passed on); credit, the site owes the lawyer.",
    )
    has_missed_instalment = fields.Boolean(
        compute="_compute_has_missed_instalment", search="_search_has_missed_instalment"
    )
    instalment_count = fields.Integer(compute="_compute_counts")
    entry_count = fields.Integer(compute="_compute_counts")
    note = fields.Html()

    # --- computes -----------------------------------------------------------------

    @api.model
    def _group_expand_stage(self, stages, domain):
        return [key for key, _label in STAGES]

    @api.depends("late_fee_policy", "company_id.site_late_fee_freeze_legal")
    def _compute_late_fees_frozen(self):
        for case in self:
            if case.late_fee_policy == "site":
                case.late_fees_frozen = case.company_id.site_late_fee_freeze_legal
            else:
                case.late_fees_frozen = case.late_fee_policy == "frozen"

    @api.depends(
        "debt_line_ids.amount_residual",
        "debt_line_ids.parent_state",
        "move_ids.state",
        "move_ids.reversal_move_ids",
        "lawyer_entry_ids.state",
        "lawyer_entry_ids.amount",
        "lawyer_entry_ids.charge_to",
    )
    def _compute_amounts(self):
        for case in self:
            legal_account = case.company_id.site_legal_receivable_account_id
            live = case.move_ids.filtered(
                lambda move: move.state == "posted" and not move.reversal_move_ids
            )
            debts = case.debt_line_ids.filtered(lambda line: line.parent_state == "posted")
            handed_over = sum(
                debts.filtered(lambda line, live=live: line.move_id in live)
                .filtered(lambda line: line.move_id.site_legal_kind == "handover")
                .mapped("balance")
            )
            written_off = -sum(
                live.filtered(lambda move: move.site_legal_kind == "writeoff")
                .line_ids.filtered(lambda line, a=legal_account: line.account_id == a)
                .mapped("balance")
            )
            charged_on = sum(
                entry.amount
                for entry in case.lawyer_entry_ids
                if entry.state == "posted"
                and entry.kind in CHARGED_ON
                and entry.charge_to == DEBTOR
            )
            figures = recovery.figures(
                Decimal(str(handed_over)),
                Decimal(str(charged_on)),
                Decimal(str(sum(debts.mapped("amount_residual")))),
                Decimal(str(written_off)),
            )
            case.handed_over_amount = float(figures.handed_over)
            case.charged_on_amount = float(figures.charged_on)
            case.balance = float(figures.open)
            case.written_off_amount = float(figures.written_off)
            case.collected_amount = float(figures.collected)
            case.recovery_rate = float(figures.rate)

    def _compute_lawyer_balance(self):
        lines = self.env["account.move.line"].search(self._lawyer_line_domain())
        for case in self:
            key = str(case.analytic_account_id.id)
            case.lawyer_balance = sum(
                line.balance for line in lines if key in (line.analytic_distribution or {})
            )

    def _compute_has_missed_instalment(self):
        missed = self.env["site.legal.instalment"].search(
            [("case_id", "in", self.ids), ("is_missed", "=", True)]
        )
        for case in self:
            case.has_missed_instalment = case in missed.case_id

    def _search_has_missed_instalment(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        missed = self.env["site.legal.instalment"]._search([("is_missed", "=", True)])
        positive = (operator == "=") == value
        return [("instalment_ids", "any" if positive else "not any", missed)]

    def _compute_counts(self):
        instalments_by_case = dict(
            self.env["site.legal.instalment"]._read_group(
                [("case_id", "in", self.ids), ("replaced", "=", False)], ["case_id"], ["__count"]
            )
        )
        moves_by_case = dict(
            self.env["account.move"]._read_group(
                [("site_legal_case_id", "in", self.ids)], ["site_legal_case_id"], ["__count"]
            )
        )
        for case in self:
            case.instalment_count = instalments_by_case.get(case, 0)
            case.entry_count = moves_by_case.get(case, 0)

    # --- constraints -----------------------------------------------------------------

    @api.constrains("lawyer_user_id")
    def _check_lawyer_user(self):
        for case in self.filtered("lawyer_user_id"):
            if not case.lawyer_user_id.share:
                raise ValidationError(
                    self.env._(
                        "Lawyer's Portal User: %(user)s is not a portal user. Lawyers sign in "
                        "to the portal, where they see only their own cases.",
                        user=case.lawyer_user_id.name,
                    )
                )

    @api.onchange("lawyer_user_id")
    def _onchange_lawyer_user_id(self):
        if self.lawyer_user_id and not self.lawyer_partner_id:
            self.lawyer_partner_id = self.lawyer_user_id.partner_id

    # --- CRUD -----------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = (
                    self.env["ir.sequence"].with_company(company).next_by_code("site.legal.case")
                    or "/"
                )
        cases = super().create(vals_list)
        cases._create_analytic_accounts()
        self.env["site.legal.case.stage.log"].create(
            [{"case_id": case.id, "stage": case.stage, "date": case.date_open} for case in cases]
        )
        return cases

    def write(self, vals):
        if "stage" not in vals or self.env.context.get("site_legal_stage_logged"):
            return super().write(vals)
        changed = self.filtered(lambda case: case.stage != vals["stage"])
        result = super().write(vals)
        changed._log_stage(vals["stage"])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(case.state == "posted" for case in self):
            raise UserError(
                self.env._("A case whose debts were handed over is cancelled, not deleted.")
            )

    def _create_analytic_accounts(self):
        plan = self.env.ref("site_legal.analytic_plan_legal_cases")
        cases = self.filtered(lambda case: not case.analytic_account_id)
        accounts = (
            self.env["account.analytic.account"]
            .sudo()
            .create(
                [
                    {
                        "name": f"{case.name} {case.unit_id.code}",
                        "code": case.name,
                        "plan_id": plan.id,
                        "company_id": case.company_id.id,
                    }
                    for case in cases
                ]
            )
        )
        for case, account in zip(cases, accounts):
            case.analytic_account_id = account

    # --- stages ---------------------------------------------------------------------

    def _log_stage(self, stage, date=None, note=None):
        self.env["site.legal.case.stage.log"].create(
            [
                {
                    "case_id": case.id,
                    "stage": stage,
                    "date": date or fields.Date.context_today(self),
                    "note": note or False,
                }
                for case in self
            ]
        )

    def _change_stage(self, stage, date=None, note=None):
        """Move the cases to ``stage`` on ``date`` (today), with a note in the history."""
        if stage not in dict(STAGES):
            raise UserError(self.env._("Unknown stage %(stage)s.", stage=stage))
        self.with_context(site_legal_stage_logged=True).write({"stage": stage})
        self._log_stage(stage, date, note)

    # --- debts ------------------------------------------------------------------------

    def _site_env(self):
        """The environment in the site's language: the ledger's labels are the site's."""
        return self.with_context(lang=self.company_id.partner_id.lang or self.env.lang).env

    def _lock(self):
        """One operation on a unit's case debts at a time."""
        for case in self:
            case._posting_lock(
                self.env._(
                    "The legal case debts of unit %(unit)s are being changed right now; try "
                    "again in a moment.",
                    unit=case.unit_id.code,
                ),
                case.unit_id.id,
            )

    def _check_open(self):
        for case in self:
            if case.state == "cancelled" or case.stage in ("closed", "written_off"):
                raise UserError(
                    self.env._("Case %(case)s is closed: open a new one.", case=case.name)
                )

    def _open_debts(self):
        """The case's debts with something open, in the order they are paid."""
        self.ensure_one()
        return self.env["account.move.line"].search(
            [
                ("site_legal_case_id", "=", self.id),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ],
            order="date_maturity, site_legal_origin_due, id",
        )

    @api.model
    def _handover_candidates_domain(self, company, unit, partners=None):
        """The unit's open debts that can be handed over: open receivable lines of the
        unit (and ``partners``), not already in legal follow-up."""
        domain = [
            ("company_id", "=", company.id),
            ("site_unit_id", "=", unit.id),
            ("parent_state", "=", "posted"),
            ("account_id.account_type", "=", "asset_receivable"),
            ("reconciled", "=", False),
            ("amount_residual", ">", 0),
            ("site_legal_case_id", "=", False),
        ]
        if company.site_legal_receivable_account_id:
            domain.append(("account_id", "!=", company.site_legal_receivable_account_id.id))
        if partners:
            domain.append(("partner_id", "in", partners.ids))
        return domain

    def _hand_over(self, lines, date):
        """Move the open ``lines`` of the case's unit into the case, in one entry on
        ``date``: each closed on its account and opened again, for what was open, on
        the account for legal follow-up (same partner, unit, charge type and month,
        due on ``date``), marked with the case."""
        self.ensure_one()
        self._check_open()
        company = self.company_id._site_legal_accounts()
        self._lock()
        if not lines:
            raise UserError(self.env._("Debts: choose the open debts to hand over."))
        candidates = lines.filtered_domain(self._handover_candidates_domain(company, self.unit_id))
        if candidates != lines:
            raise UserError(
                self.env._(
                    "Debts: only open debts of unit %(unit)s that are not yet in a legal case "
                    "can be handed over; these cannot: %(lines)s.",
                    unit=self.unit_id.code,
                    lines=", ".join((lines - candidates).mapped("display_name")),
                )
            )
        legal_account = company.site_legal_receivable_account_id
        site_env = self._site_env()
        label = site_env._("%(case)s: handed over", case=self.name)
        items = [
            Reclass(
                line,
                Decimal(str(line.amount_residual)),
                {
                    "account_id": legal_account.id,
                    "date_maturity": date,
                    "site_legal_case_id": self.id,
                    "site_legal_origin_due": line.date_maturity or line.date,
                    "name": f"{line.name or ''} ({label})".strip(),
                },
            )
            for line in lines.sorted(lambda line: (line.date_maturity or line.date, line.id))
        ]
        move, _debts = self.env["site.ledger"]._post_reclassification(
            company,
            date,
            items,
            site_env._("%(case)s: debts handed over to the lawyer", case=self.name),
            "handover",
            self,
        )
        self.write(
            {
                "state": "posted",
                "move_ids": [Command.link(move.id)],
                "partner_ids": [Command.link(partner.id) for partner in lines.partner_id],
            }
        )
        self.env["account.move.line"]._site_settle({self.unit_id.id}, company)
        return move

    def _settle_in_instalments(self, count, first_due, date, months_apart=1):
        """Re-date the case's open debts as ``count`` instalments (a settlement): one
        entry closes what is open and opens it again as dated debts, each instalment
        cut from the debts in the order they are paid, keeping their details. A
        schedule made before is replaced. Returns the new instalments."""
        self.ensure_one()
        self._check_open()
        company = self.company_id._site_legal_accounts()
        self._lock()
        debts = self._open_debts()
        total = Decimal(str(sum(debts.mapped("amount_residual"))))
        digits = self.currency_id.decimal_places
        try:
            schedule = instalments.schedule(total, count, first_due, digits, months_apart)
        except ValueError as error:
            raise UserError(
                self.env._("Instalments of %(case)s: %(error)s", case=self.name, error=error)
            ) from error
        debts.site_legal_instalment_id.write({"replaced": True})
        new_instalments = self.env["site.legal.instalment"].create(
            [
                {
                    "case_id": self.id,
                    "number": row.number,
                    "due_date": row.due_date,
                    "amount": float(row.amount),
                }
                for row in schedule
            ]
        )
        by_number = {instalment.number: instalment for instalment in new_instalments}
        by_id = {debt.id: debt for debt in debts}
        pieces = instalments.assign(
            [(debt.id, Decimal(str(debt.amount_residual))) for debt in debts],
            {row.number: row.amount for row in schedule},
        )
        legal_account = company.site_legal_receivable_account_id
        site_env = self._site_env()
        items = [
            Reclass(
                by_id[debt_id],
                amount,
                {
                    "account_id": legal_account.id,
                    "date_maturity": by_number[number].due_date,
                    "site_legal_case_id": self.id,
                    "site_legal_instalment_id": by_number[number].id,
                    "site_legal_origin_due": by_id[debt_id].site_legal_origin_due
                    or by_id[debt_id].date_maturity,
                    "name": site_env._(
                        "%(case)s: instalment %(number)s of %(count)s",
                        case=self.name,
                        number=number,
                        count=count,
                    ),
                },
            )
            for number, debt_id, amount in pieces
        ]
        move, _lines = self.env["site.ledger"]._post_reclassification(
            company,
            date,
            items,
            site_env._(
                "%(case)s: settlement in %(count)s instalments", case=self.name, count=count
            ),
            "instalments",
            self,
        )
        self.write({"move_ids": [Command.link(move.id)]})
        new_instalments.write({"move_id": move.id})
        self._change_stage(
            "settlement",
            date,
            site_env._("%(count)s instalments from %(first)s.", count=count, first=first_due),
        )
        return new_instalments

    def _write_off(self, date, account, note=None):
        """Write the case's open debts off to ``account`` in one entry, each debt
        closed with its details kept on the write-off line (and the case's analytic
        account); the case is then written off."""
        self.ensure_one()
        self._check_open()
        company = self.company_id._site_legal_accounts()
        self._lock()
        debts = self._open_debts()
        if not debts:
            raise UserError(
                self.env._("Case %(case)s has nothing open to write off.", case=self.name)
            )
        site_env = self._site_env()
        items = [
            Reclass(
                debt,
                Decimal(str(debt.amount_residual)),
                {
                    "account_id": account.id,
                    "analytic_distribution": {str(self.analytic_account_id.id): 100},
                    "name": site_env._("%(case)s: written off", case=self.name),
                },
            )
            for debt in debts
        ]
        move, _lines = self.env["site.ledger"]._post_reclassification(
            company,
            date,
            items,
            site_env._("%(case)s: debts written off", case=self.name),
            "writeoff",
            self,
        )
        self.write({"move_ids": [Command.link(move.id)]})
        self._change_stage("written_off", date, note)
        return move

    def _demo_hand_over(self, due_before):
        """Demo data: hand over the unit's debts that fell due before ``due_before``."""
        for case in self:
            domain = self._handover_candidates_domain(case.company_id, case.unit_id)
            lines = self.env["account.move.line"].search(
                domain + [("date_maturity", "<", due_before)]
            )
            if lines:
                case._hand_over(lines, case.date_open)

    @api.model
    def _check_collected(self, unit_ids, company):
        """Cases of the units whose debts are all settled are collected."""
        cases = self.search(
            [
                ("company_id", "=", company.id),
                ("unit_id", "in", list(unit_ids)),
                ("state", "=", "posted"),
                ("stage", "not in", ENDED_STAGES),
            ]
        )
        done = cases.filtered(lambda case: not case.balance and case.handed_over_amount)
        for case in done:
            case._change_stage("collected", note=case._site_env()._("Nothing is open any more."))

    # --- reports --------------------------------------------------------------------

    def _figures(self):
        """{case: recovery.Figures} from the stored amounts."""
        return {
            case: recovery.figures(
                Decimal(str(case.handed_over_amount)),
                Decimal(str(case.charged_on_amount)),
                Decimal(str(case.balance)),
                Decimal(str(case.written_off_amount)),
            )
            for case in self
        }

    def _debt_aging(self, as_of):
        """{case: {aging label: open amount}} of the cases' open debts on ``as_of``, by
        how long ago they originally fell due."""
        lines = self.env["account.move.line"].search(
            [
                ("site_legal_case_id", "in", self.ids),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("amount_residual", ">", 0),
            ]
        )
        bucketed = aging.buckets(
            [
                (
                    line.site_legal_case_id.id,
                    line.site_legal_origin_due or line.date_maturity,
                    Decimal(str(line.amount_residual)),
                )
                for line in lines
            ],
            as_of,
        )
        empty = dict.fromkeys(aging.labels(), Decimal(0))
        return {case: bucketed.get(case.id, empty) for case in self}

    def _lawyer_statement(self):
        """[(lawyer, [line dict])]: the lines of the lawyers' accounts for these cases,
        per lawyer by date, each with its case, debit, credit and the lawyer's running
        balance."""
        lines = self.env["account.move.line"].search(
            self._lawyer_line_domain(), order="partner_id, date, id"
        )
        case_by_account = {str(case.analytic_account_id.id): case for case in self}
        result = []
        for lawyer, lawyer_lines in lines.grouped("partner_id").items():
            rows = lawyer_accounts.running(
                [(line, line.debit, line.credit) for line in lawyer_lines]
            )
            result.append(
                (
                    lawyer,
                    [
                        {
                            "line": line,
                            "case": next(
                                (
                                    case_by_account[key]
                                    for key in (line.analytic_distribution or {})
                                    if key in case_by_account
                                ),
                                self.browse(),
                            ),
                            "debit": debit,
                            "credit": credit,
                            "balance": balance,
                        }
                        for line, debit, credit, balance in rows
                    ],
                )
            )
        return result

    # --- actions --------------------------------------------------------------------

    def action_close(self):
        for case in self:
            if case.state != "posted" or case.balance:
                raise UserError(
                    self.env._(
                        "Case %(case)s still has %(amount)s open: collect it, settle it or write "
                        "it off before closing.",
                        case=case.name,
                        amount=case.balance,
                    )
                )
        self._change_stage("closed")
        return True

    def action_cancel(self):
        """Reverse the hand-over while nothing happened to the debts since."""
        for case in self.filtered(lambda c: c.state == "posted"):
            case._lock()
            if (
                case.collected_amount
                or case.written_off_amount
                or case.instalment_ids
                or case.lawyer_entry_ids.filtered(lambda entry: entry.state == "posted")
            ):
                raise UserError(
                    self.env._(
                        "Case %(case)s cannot be cancelled: money was collected, costs posted, "
                        "instalments agreed or debts written off. Close or write it off instead.",
                        case=case.name,
                    )
                )
        self._posting_cancel()
        return True

    def action_hand_over(self):
        """Add more of the unit's open debts to the case."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Hand Over Debts"),
            "res_model": "site.legal.handover.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def _wizard_action(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"default_case_id": self.id},
        }

    def action_settlement(self):
        return self._wizard_action("site.legal.settlement.wizard", self.env._("Settlement"))

    def action_write_off(self):
        return self._wizard_action("site.legal.writeoff.wizard", self.env._("Write Off"))

    def action_change_stage(self):
        return self._wizard_action("site.legal.stage.wizard", self.env._("Change Stage"))

    def action_view_debts(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Debts of %(case)s", case=self.name),
            "res_model": "account.move.line",
            "view_mode": "list,pivot",
            "views": [
                (self.env.ref("site_legal.account_move_line_view_list_legal_debts").id, "list"),
                (False, "pivot"),
            ],
            "domain": [("site_legal_case_id", "=", self.id), ("parent_state", "=", "posted")],
            "context": {"create": False, "search_default_open": 1},
        }

    def action_view_entries(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Entries of %(case)s", case=self.name),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [
                "|",
                ("site_legal_case_id", "=", self.id),
                ("id", "in", (self.move_ids | self.reversal_move_ids).ids),
            ],
            "context": {"create": False},
        }

    def _lawyer_line_domain(self):
        """The lines of the lawyers' accounts with the site for these cases."""
        return [
            ("site_legal_lawyer_line", "=", True),
            ("parent_state", "=", "posted"),
            ("analytic_distribution", "in", self.analytic_account_id.ids),
        ]

    def action_view_lawyer_account(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lawyer's Account: %(case)s", case=self.name),
            "res_model": "account.move.line",
            "view_mode": "list,pivot",
            "views": [
                (self.env.ref("site_legal.account_move_line_view_list_lawyer").id, "list"),
                (False, "pivot"),
            ],
            "domain": self._lawyer_line_domain(),
            "context": {"create": False},
        }

    def action_view_instalments(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Instalments of %(case)s", case=self.name),
            "res_model": "site.legal.instalment",
            "view_mode": "list,form",
            "domain": [("case_id", "=", self.id)],
            "context": {"create": False, "search_default_current": 1},
        }
