"""An operation on a lawyer's account with the site, for one case.

Advances paid to the lawyer, expenses the lawyer paid and the lawyer's fee (charged on
to the debtor or borne by the site), collections the lawyer received and the money the
lawyer passed on. Each posts one entry whose legs come from the lawyer_accounts engine;
every line carries the case's analytic account, so a statement per case and per lawyer
is read from the ledger.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.site_residents.engine.dates import month_start

from ..engine import lawyer_accounts
from ..engine.lawyer_accounts import CHARGED_ON, COLLECTION, COST, DEBTOR_DEBT, LAWYER, MONEY

KINDS = [
    ("advance", "Advance Paid to the Lawyer"),
    ("expense", "Expense Paid by the Lawyer"),
    ("fee", "Lawyer's Fee"),
    ("collection", "Collected by the Lawyer"),
    ("remittance", "Passed On to the Site"),
]
MONEY_KINDS = ("advance", "remittance")


class SiteLegalLawyerEntry(models.Model):
    _name = "site.legal.lawyer.entry"
    _description = "Lawyer's Account Entry"
    _inherit = ["mail.thread", "site.posting.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    case_id = fields.Many2one(
        "site.legal.case", required=True, ondelete="restrict", index=True, check_company=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="case_id.currency_id")
    lawyer_partner_id = fields.Many2one(
        related="case_id.lawyer_partner_id", store=True, string="Lawyer"
    )
    kind = fields.Selection(KINDS, string="Operation", required=True)
    charge_to = fields.Selection(
        [("debtor", "Charged On to the Debtor"), ("site", "Borne by the Site")],
        help="An expense or fee charged on to the debtor becomes a debt of the case; one the "
        "site bears is a legal cost of the site.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Debtor",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        help="Whose debt a cost charged on or a collection is: one of the case's debtors.",
    )
    debtor_ids = fields.Many2many(related="case_id.partner_ids", string="Debtors")
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(required=True)
    journal_id = fields.Many2one(
        "account.journal",
        string="Bank or Cash",
        check_company=True,
        domain="[('type', 'in', ('bank', 'cash'))]",
        help="Where an advance is paid from, or passed-on money is received.",
    )
    description = fields.Char(help="E.g. court fee, notary, enforcement office fee.")

    @api.depends("case_id.name", "kind", "date")
    def _compute_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for entry in self:
            entry.name = (
                f"{entry.case_id.name or ''} {labels.get(entry.kind, '')} {entry.date or ''}"
            )

    @api.depends("case_id")
    def _compute_partner_id(self):
        for entry in self:
            if entry.partner_id not in entry.case_id.partner_ids:
                entry.partner_id = entry.case_id.partner_ids[:1]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if any(entry.state == "posted" for entry in self):
            raise UserError(
                self.env._("Cancel a posted lawyer's account entry before deleting it.")
            )

    def _check_entry(self):
        self.ensure_one()
        labels = {name: field._description_string(self.env) for name, field in self._fields.items()}
        case = self.case_id
        if case.state != "posted":
            raise UserError(self.env._("Case %(case)s: hand its debts over first.", case=case.name))
        if not case.lawyer_partner_id:
            raise UserError(self.env._("Case %(case)s: choose its lawyer first.", case=case.name))
        if self.kind in MONEY_KINDS and not self.journal_id.default_account_id:
            raise UserError(
                self.env._(
                    "%(field)s: choose the bank or cash journal.", field=labels["journal_id"]
                )
            )
        needs_debtor = self.kind == COLLECTION or (
            self.kind in CHARGED_ON and self.charge_to == "debtor"
        )
        if needs_debtor and self.partner_id not in case.partner_ids:
            raise UserError(
                self.env._(
                    "%(field)s: choose one of the case's debtors.", field=labels["partner_id"]
                )
            )
        if self.kind == COLLECTION:
            open_amount = sum(
                case._open_debts()
                .filtered(lambda d: d.partner_id == self.partner_id)
                .mapped("amount_residual")
            )
            if self.currency_id.compare_amounts(self.amount, open_amount) > 0:
                raise UserError(
                    self.env._(
                        "%(field)s: %(amount)s is more than the %(open)s %(debtor)s still owes "
                        "in the case; charge the costs on first.",
                        field=labels["amount"],
                        amount=self.amount,
                        open=open_amount,
                        debtor=self.partner_id.name,
                    )
                )
        try:
            return lawyer_accounts.legs(
                self.kind, self.amount, self.charge_to, self.currency_id.decimal_places
            )
        except ValueError as error:
            raise UserError(
                self.env._("%(entry)s: %(error)s", entry=labels["amount"], error=error)
            ) from error

    def _leg_values(self, leg):
        """account.move.line values of one leg of the entry."""
        case, company = self.case_id, self.company_id
        analytic = {str(case.analytic_account_id.id): 100}
        values = {"balance": float(leg.amount), "name": self.description or self.name}
        if leg.role == LAWYER:
            return dict(
                values,
                account_id=company.site_legal_lawyer_account_id.id,
                partner_id=case.lawyer_partner_id.id,
                analytic_distribution=analytic,
                site_legal_lawyer_line=True,
            )
        if leg.role == MONEY:
            return dict(
                values,
                account_id=self.journal_id.default_account_id.id,
                analytic_distribution=analytic,
            )
        if leg.role == COST:
            return dict(
                values,
                account_id=company.site_legal_cost_account_id.id,
                analytic_distribution=analytic,
            )
        assert leg.role == DEBTOR_DEBT
        values.update(
            account_id=company.site_legal_receivable_account_id.id,
            partner_id=self.partner_id.id,
            site_unit_id=case.unit_id.id,
            date_maturity=self.date,
            analytic_distribution=analytic,
        )
        if leg.amount > 0:  # a cost charged on: a new debt of the case
            values.update(
                site_charge_type_id=company._site_legal_charge_type().id,
                site_period=month_start(self.date),
                site_legal_case_id=case.id,
                site_legal_origin_due=self.date,
            )
        return values

    def action_post(self):
        for entry in self.filtered(lambda e: e.state == "draft"):
            legs = entry._check_entry()
            case = entry.case_id
            company = case.company_id._site_legal_accounts()
            case._lock()
            move = self.env["site.ledger"]._post_legal_entry(
                company,
                entry.date,
                [entry._leg_values(leg) for leg in legs],
                entry.name,
                "lawyer",
                case,
            )
            entry._posting_done(move)
            if any(leg.role == DEBTOR_DEBT for leg in legs):
                self.env["account.move.line"]._site_settle({case.unit_id.id}, company)
        return True

    def action_cancel(self):
        posted = self.filtered(lambda e: e.state == "posted")
        for entry in posted:
            entry.case_id._lock()
        posted._posting_cancel()
        (self - posted).write({"state": "cancelled"})
        return True
