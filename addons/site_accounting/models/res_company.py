from odoo import models
from odoo.exceptions import UserError

from ..engine import instruments

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
    ("335", "Personele Borçlar", "liability_current"),
]
INSTRUMENT_JOURNAL_CODE = "CKSN"
# l10n_tr pads its codes to six digits ("101" is 101000); sub-accounts keep their dot.
TR_CODE_DIGITS = 6


def chart_code(code):
    """The code the Turkish chart in Odoo gives the uniform chart's ``code``."""
    return code if "." in code else code.ljust(TR_CODE_DIGITS, "0")


class ResCompany(models.Model):
    _inherit = "res.company"

    def _site_dues_setup(self):
        result = super()._site_dues_setup()
        self._site_accounting_setup()
        return result

    def _site_accounting_setup(self):
        """Give the sites on the Turkish chart the accounts of cheques, promissory notes
        and staff advances, and the journal of cheques and notes (idempotent)."""
        Account = self.env["account.account"].sudo()
        for site in self.filtered(
            lambda company: company.is_site and company.chart_template == "tr"
        ):
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
        """The site's account of uniform-chart ``code``, created when missing."""
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
