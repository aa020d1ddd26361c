from odoo import Command, fields, models
from odoo.exceptions import UserError

from ..engine import advances, instruments

# Accounts of the Turkish uniform chart the cheques and notes, and the staff advances,
# need; created on a site whose chart lacks them: code, name, type.
SITE_ACCOUNTS = [
    ("101", "Alınan Çekler", "asset_current"),
    ("101.02", "Tahsildeki Çekler", "asset_current"),
    ("103", "Verilen Çekler ve Ödeme Emirleri (-)", "asset_current"),
    ("121", "Alacak Senetleri", "asset_current"),
    ("121.02", "Tahsildeki Senetler", "asset_current"),
    ("321", "Borç Senetleri", "liability_current"),
    ("195", "İş Avansları", "asset_current"),
    ("196", "Personel Avansları", "asset_current"),
    ("335", "Personele Borçlar", "liability_current"),
]
INSTRUMENT_JOURNAL_CODE = "CKSN"
# The mis_builder templates of each chart: (balance sheet, income statement).
MIS_REPORTS = {
    "tr": ("mis_report_tr_balance_sheet", "mis_report_tr_income_statement"),
    "pl": ("mis_report_pl_balance_sheet", "mis_report_pl_income_statement"),
    "ua_psbo": ("mis_report_ua_balance_sheet", "mis_report_ua_income_statement"),
}
# The account the providers' payout fees go to, by chart: 653 Komisyon Giderleri; the
# Polish 40.030.500 Opłaty i prowizje bankowe; the Ukrainian 92 Адміністративні витрати
# (where the chart books bank charges; it has no account of its own for them).
BANK_FEE_ACCOUNT_CODES = {"tr": "653000", "pl": "40.030.500", "ua_psbo": "920000"}
# l10n_tr pads its codes to six digits ("101" is 101000); sub-accounts keep their dot.
TR_CODE_DIGITS = 6


def chart_code(code):
    """The code the Turkish chart in Odoo gives the uniform chart's ``code``."""
    return code if "." in code else code.ljust(TR_CODE_DIGITS, "0")


class ResCompany(models.Model):
    _inherit = "res.company"

    site_bank_fee_account_id = fields.Many2one(
        "account.account",
        string="Bank Fee Expense Account",
        check_company=True,
        help="Where the fees online-payment providers keep from their payouts are booked.",
    )

    def _site_dues_setup(self):
        result = super()._site_dues_setup()
        self._site_accounting_setup()
        return result

    def _site_accounting_setup(self):
        """Give the sites their balance sheet and income statement, the bank fee account
        and, on the Turkish chart, the accounts of cheques, promissory notes and staff
        advances and the journal of cheques and notes (idempotent)."""
        sites = self.filtered("is_site")
        sites._site_mis_instances()
        sites._site_default_bank_fee_account()
        Account = self.env["account.account"].sudo()
        for site in sites.filtered(lambda company: company.chart_template == "tr"):
            existing = set(
                Account.with_company(site)
                .search(
                    [
                        ("company_ids", "in", site.ids),
                        ("code", "in", [chart_code(row[0]) for row in SITE_ACCOUNTS]),
                    ]
                )
                .mapped("code")
            )
            Account.with_company(site).create(
                [
                    {
                        "code": chart_code(code),
                        "name": name,
                        "account_type": account_type,
                        "company_ids": site.ids,
                    }
                    for code, name, account_type in SITE_ACCOUNTS
                    if chart_code(code) not in existing
                ]
            )
            site._site_instrument_journal()

    def _site_mis_instances(self):
        """A balance sheet (at the month's end) and an income statement (the month and
        the year to date) per site, from its chart's templates; made once per report."""
        Instance = self.env["mis.report.instance"].sudo()
        existing = {
            (instance.report_id.id, instance.company_id.id)
            for instance in Instance.search([("company_id", "in", self.ids)])
        }
        values = []
        for site in self:
            xmlids = MIS_REPORTS.get(site.chart_template, ())
            reports = [self.env.ref(f"site_accounting.{xmlid}") for xmlid in xmlids]
            for report, periods in zip(reports, self._site_mis_periods(), strict=False):
                if (report.id, site.id) in existing:
                    continue
                values.append(
                    {
                        "name": f"{report.name} - {site.name}",
                        "report_id": report.id,
                        "company_id": site.id,
                        "period_ids": [Command.create(period) for period in periods],
                    }
                )
        Instance.create(values)

    def _site_mis_periods(self):
        """The periods of the balance sheet and of the income statement."""
        month = {"mode": "relative", "type": "m", "offset": 0, "duration": 1}
        return (
            [dict(month, name=self.env._("End of Month"), sequence=10)],
            [
                dict(month, name=self.env._("Month"), sequence=10),
                dict(month, name=self.env._("Year to Date"), sequence=20, is_ytd=True),
            ],
        )

    def _site_default_bank_fee_account(self):
        """The chart's commission expense account as the bank fee account, when unset."""
        for site in self.filtered(lambda company: not company.site_bank_fee_account_id):
            site.site_bank_fee_account_id = site._site_bank_fee_account()

    def _site_bank_fee_account(self):
        """The site's bank fee account: the one chosen, else its chart's commission
        expense account (none on charts without one)."""
        self.ensure_one()
        code = BANK_FEE_ACCOUNT_CODES.get(self.chart_template)
        if self.site_bank_fee_account_id or not code:
            return self.site_bank_fee_account_id
        return (
            self.env["account.account"]
            .sudo()
            .with_company(self)
            .search([("company_ids", "in", self.ids), ("code", "=", code)], limit=1)
        )

    def _site_instrument_journal(self):
        """The site's journal of cheques and promissory notes, created when missing."""
        self.ensure_one()
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search(
            [("company_id", "=", self.id), ("code", "=", INSTRUMENT_JOURNAL_CODE)], limit=1
        )
        return journal or Journal.create(
            {
                "name": self.env._("Cheques and Notes"),
                "code": INSTRUMENT_JOURNAL_CODE,
                "type": "general",
                "company_id": self.id,
            }
        )

    def _site_instrument_account(self, kind, role):
        """The site's account of ``role`` for ``kind``, by its uniform-chart code."""
        return self._site_account_by_code(instruments.account_code(kind, role))

    def _site_account_by_code(self, code):
        """The site's account of uniform-chart ``code`` (or of a code of the site's own
        chart), created when missing on the Turkish chart."""
        self.ensure_one()
        domain = [("company_ids", "in", self.ids), ("code", "=", chart_code(code))]
        Account = self.env["account.account"].with_company(self)
        account = Account.search(domain, limit=1)
        if not account:
            self._site_accounting_setup()
            account = Account.search(domain, limit=1)
        if not account:
            raise UserError(
                self.env._(
                    "Site %(site)s has no account %(code)s: cheques, promissory notes and "
                    "staff advances are kept on the Turkish uniform chart.",
                    site=self.name,
                    code=code,
                )
            )
        return account

    def _site_staff_account(self, role):
        """The site's account of staff ``role`` (``engine.advances``: work advance, salary
        advance, owed to staff) on its chart."""
        self.ensure_one()
        code = advances.account_code(self.chart_template, role)
        if not code:
            raise UserError(
                self.env._(
                    "Site %(site)s: work advances are kept on the Turkish uniform chart; "
                    "salary advances and salaries on the Turkish, Polish and Ukrainian "
                    "charts.",
                    site=self.name,
                )
            )
        return self._site_account_by_code(code)
