from odoo import Command, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# Per chart of accounts, the template accounts a site's legal follow-up uses: debts in
# legal follow-up (an asset that becomes a reconcilable receivable), write-offs, and the
# legal costs the site bears. None: created (receivable) or the chart's first expense.
CHART_ACCOUNTS = {
    # Tekdüzen: 128 Şüpheli Ticari Alacaklar, 654 Karşılık Giderleri, 770 Genel Yönetim Giderleri
    "tr": ("tr128", "tr654", "tr770"),
    # Należności dochodzone na drodze sądowej, pozostałe koszty operacyjne, opłaty sądowe
    "pl": ("chart24090100", "chart76010900", "chart40030600"),
    # Сумнівні та безнадійні борги, адміністративні витрати
    "ua_psbo": (None, "ua_psbp_944", "ua_psbp_92"),
}
# The charge types a site's legal follow-up and water services charge: (code, name).
LEGAL_CHARGE_TYPE = ("LEGAL", _lt("Legal Costs"))
REOPENING_CHARGE_TYPE = ("REOPEN", _lt("Reopening Fee"))
PENALTY_CHARGE_TYPE = ("PENALTY", _lt("Inspection Penalty"))
LEGAL_JOURNAL_NAME = _lt("Legal Follow-up")
LEGAL_RECEIVABLE_NAME = _lt("Receivables in Legal Follow-up")


class ResCompany(models.Model):
    _inherit = "res.company"

    # site_legal_receivable_account_id (the debts in legal follow-up) is site_dues'.
    site_legal_journal_id = fields.Many2one(
        "account.journal",
        string="Legal Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the legal follow-up's entries: hand-overs, instalments, lawyers' "
        "accounts and write-offs.",
    )
    site_legal_lawyer_account_id = fields.Many2one(
        "account.account",
        string="Lawyers' Account",
        check_company=True,
        domain="[('reconcile', '=', True), ('account_type', 'in', "
        "('liability_payable', 'asset_receivable', 'asset_current'))]",
        help="Account of the lawyers' advances, expenses, fees and collections, on the "
        "lawyer's partner and the case's analytic account.",
    )
    site_legal_cost_account_id = fields.Many2one(
        "account.account",
        string="Legal Costs Borne by the Site",
        check_company=True,
        domain="[('account_type', 'in', ('expense', 'expense_other'))]",
        help="Expense account of the lawyers' expenses and fees the site bears.",
    )
    site_legal_writeoff_account_id = fields.Many2one(
        "account.account",
        string="Legal Write-offs",
        check_company=True,
        domain="[('account_type', 'not in', ('asset_receivable', 'liability_payable'))]",
        help="Expense or provision account a case's uncollectable debts are written off to.",
    )

    # the tariff of water shut-off reopening fees and inspection penalties
    site_legal_reopening_fee = fields.Monetary(
        string="Reopening Fee",
        help="Charged once to the unit when its water is reopened after a shut-off.",
    )
    site_legal_reopening_charge_type_id = fields.Many2one(
        "site.charge.type",
        string="Reopening Fee Charge Type",
        check_company=True,
        domain="[('kind', '=', 'charge')]",
    )
    site_legal_penalty_leak = fields.Monetary(
        string="Penalty for a Leak",
        help="Charged to the unit when an inspection finds a leak on its side; 0: none.",
    )
    site_legal_penalty_illegal = fields.Monetary(
        string="Penalty for Illegal Use",
        help="Charged to the unit when an inspection finds illegal use (a bypass, a "
        "tampered meter or seal); 0: none.",
    )
    site_legal_penalty_charge_type_id = fields.Many2one(
        "site.charge.type",
        string="Penalty Charge Type",
        check_company=True,
        domain="[('kind', '=', 'charge')]",
    )

    def _site_legal_setup(self):
        """Give sites their legal journal, accounts and charge types: 'Legal Costs',
        'Reopening Fee' and 'Inspection Penalty' (idempotent: what is set is kept)."""
        for site in self.filtered(lambda c: c.is_site and c.chart_template).sudo():
            receivable_xmlid, writeoff_xmlid, cost_xmlid = CHART_ACCOUNTS.get(
                site.chart_template, (None, None, None)
            )
            values = {}
            if not site.site_legal_receivable_account_id:
                values["site_legal_receivable_account_id"] = site._site_legal_receivable(
                    receivable_xmlid
                ).id
            if not site.site_legal_writeoff_account_id:
                values["site_legal_writeoff_account_id"] = site._site_legal_expense(
                    writeoff_xmlid
                ).id
            if not site.site_legal_cost_account_id:
                values["site_legal_cost_account_id"] = site._site_legal_expense(cost_xmlid).id
            if not site.site_legal_lawyer_account_id:
                Partner = self.env["res.partner"].with_company(site)
                values["site_legal_lawyer_account_id"] = (
                    Partner._fields["property_account_payable_id"]
                    .get_company_dependent_fallback(Partner)
                    .id
                )
            if not site.site_legal_journal_id:
                values["site_legal_journal_id"] = (
                    self.env["account.journal"]
                    .create(
                        {
                            "name": LEGAL_JOURNAL_NAME._translate(site.partner_id.lang or "en_US"),
                            "code": "LEGAL",
                            "type": "general",
                            "company_id": site.id,
                        }
                    )
                    .id
                )
            site.write(values)
            site._site_legal_charge_type()
            values = {}
            if not site.site_legal_reopening_charge_type_id:
                values["site_legal_reopening_charge_type_id"] = site._site_legal_fee_type(
                    *REOPENING_CHARGE_TYPE
                ).id
            if not site.site_legal_penalty_charge_type_id:
                values["site_legal_penalty_charge_type_id"] = site._site_legal_fee_type(
                    *PENALTY_CHARGE_TYPE
                ).id
            if values:
                site.write(values)

    def _site_legal_chart_account(self, xmlid):
        return xmlid and self.env.ref(f"account.{self.id}_{xmlid}", raise_if_not_found=False)

    def _site_legal_receivable(self, xmlid):
        """The chart's account for debts in legal follow-up, made a reconcilable
        receivable while nothing is booked on it; else a new one beside it."""
        Account = self.env["account.account"].with_company(self)
        account = self._site_legal_chart_account(xmlid)
        if account and account.account_type == "asset_receivable" and account.reconcile:
            return account
        if account and not self.env["account.move.line"].search_count(
            [("account_id", "=", account.id)], limit=1
        ):
            account.write({"account_type": "asset_receivable", "reconcile": True})
            return account
        base = account or (
            self.env["res.partner"]
            .with_company(self)
            ._fields["property_account_receivable_id"]
            .get_company_dependent_fallback(self.env["res.partner"].with_company(self))
        )
        start = f"{base.code}.01" if base else "128.01"
        code = start if not Account.search_count([("code", "=", start)], limit=1) else None
        return Account.create(
            {
                "name": LEGAL_RECEIVABLE_NAME._translate(self.partner_id.lang or "en_US"),
                "code": code or Account._search_new_account_code(start),
                "account_type": "asset_receivable",
                "reconcile": True,
                "company_ids": [Command.set(self.ids)],
            }
        )

    def _site_legal_expense(self, xmlid):
        return self._site_legal_chart_account(xmlid) or self.env["account.account"].with_company(
            self
        ).search(
            [("company_ids", "in", self.id), ("account_type", "=", "expense")],
            order="code",
            limit=1,
        )

    def _site_legal_charge_type(self):
        """The site's 'Legal Costs' charge type (costs charged on to debtors), created
        if missing, on the legal follow-up's receivable account."""
        return self._site_legal_fee_type(
            *LEGAL_CHARGE_TYPE,
            sequence=90,
            receivable_account_id=self.site_legal_receivable_account_id.id,
        )

    def _site_legal_fee_type(self, code, name, sequence=95, **values):
        """The site's charge type ``code``, created if missing; legal costs and fees bear
        no late fee and are the owner's (an investment-category charge)."""
        self.ensure_one()
        ChargeType = self.env["site.charge.type"].sudo().with_context(active_test=False)
        charge_type = ChargeType.search(
            [("company_id", "=", self.id), ("code", "=", code)], limit=1
        )
        if charge_type:
            return charge_type
        charge_type = ChargeType.create(
            {
                "code": code,
                "name": name._translate("en_US"),
                "category": "investment",
                "kind": "charge",
                "late_fee_applies": False,
                "sequence": sequence,
                "company_id": self.id,
                **values,
            }
        )
        languages = [lang for lang, _name in self.env["res.lang"].get_installed()]
        charge_type.update_field_translations(
            "name", {lang: name._translate(lang) for lang in languages}
        )
        return charge_type

    def _site_legal_accounts(self):
        """The site's legal accounts and journal, set up first if missing; a clear error
        names what is still missing."""
        self.ensure_one()
        names = (
            "site_legal_receivable_account_id",
            "site_legal_journal_id",
            "site_legal_lawyer_account_id",
            "site_legal_cost_account_id",
            "site_legal_writeoff_account_id",
        )
        if not all(self[name] for name in names):
            self._site_legal_setup()
        missing = [
            self._fields[name]._description_string(self.env) for name in names if not self[name]
        ]
        if missing:
            raise UserError(
                self.env._(
                    "Site %(site)s: set these legal follow-up settings first: %(fields)s.",
                    site=self.name,
                    fields=", ".join(missing),
                )
            )
        return self
