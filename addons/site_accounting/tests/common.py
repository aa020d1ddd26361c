import base64
from datetime import date
from decimal import Decimal
from pathlib import Path

from odoo.addons.site_dues.models.site_ledger import Charge
from odoo.addons.site_dues.tests.common import TwoSitesCase

DATA = Path(__file__).parent / "data"
JANUARY = date(2026, 1, 1)
END = date(2026, 1, 31)


class BooksCase(TwoSitesCase):
    """TwoSitesCase's Turkish sites, whose flats carry the payment references quoted in the
    sample bank files, with January's dues charged; helpers for more sites and imports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fix_references(cls.units, ("00010017", "00010025", "00010033"))
        cls.owners[0].name = "Ali Yılmaz"
        cls.owners[1].name = "Berk Şahin"
        cls.owners[2].name = "Cem Kaya"
        cls.charge_january(cls.site, cls.units, (1000, 1000, 1000))
        cls.bank = cls.bank_journal(cls.site)

    def balance(self, account, partner=None):
        """The posted balance of ``account``, of ``partner``'s items only if given."""
        domain = [("account_id", "=", account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return round(sum(self.env["account.move.line"].search(domain).mapped("balance")), 2)

    @classmethod
    def fix_references(cls, units, references):
        # Printed on the residents' charge notices; the sample files quote these.
        for unit, reference in zip(units, references):
            unit.payment_reference = reference

    @classmethod
    def charge_january(cls, site, units, amounts):
        dues = cls.charge_type_of(site, "DUES")
        charges = [
            Charge(
                unit.id,
                unit.get_liable_partner(JANUARY).id,
                dues.id,
                Decimal(str(amount)),
                date(2026, 1, 10),
                "Dues 2026-01",
                JANUARY,
            )
            for unit, amount in zip(units, amounts)
        ]
        return cls.env["site.ledger"]._post_charges(site, JANUARY, charges, "TEST 2026-01")

    @classmethod
    def bank_journal(cls, site):
        return cls.env["account.journal"].search(
            [("company_id", "=", site.id), ("type", "=", "bank")], limit=1
        )

    @classmethod
    def new_site(cls, name, country, chart, currency, units):
        """A site with its chart and ``units``: [(code, reference, owner name)]."""
        cls.env.ref(currency).active = True
        site = cls.env["res.company"].create(
            {
                "name": name,
                "is_site": True,
                "country_id": cls.env.ref(country).id,
                "currency_id": cls.env.ref(currency).id,
            }
        )
        cls.env.user.company_ids |= site
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=cls.env.context["allowed_company_ids"] + site.ids,
            )
        )
        cls.env["account.chart.template"].try_loading(chart, site, install_demo=False)
        site._site_dues_setup()
        records = cls.env["site.unit"].create(
            [{"code": code, "company_id": site.id} for code, _ref, _owner in units]
        )
        owners = cls.env["res.partner"].create([{"name": owner} for _c, _r, owner in units])
        cls.env["site.unit.relation"].create(
            [
                {"unit_id": unit.id, "partner_id": owner.id, "date_from": date(2020, 1, 1)}
                for unit, owner in zip(records, owners)
            ]
        )
        for unit, (_code, reference, _owner) in zip(records, units):
            if reference:
                unit.payment_reference = reference
        return site, records, owners

    def import_file(self, journal, filename, mapping=None, content=None):
        """Import a sample file (or ``content`` under its name) into ``journal`` as the
        accountant does, working in the journal's site; returns the statement lines
        created."""
        Line = self.env["account.bank.statement.line"]
        before = Line.search([("journal_id", "=", journal.id)])
        wizard = (
            self.env["account.statement.import"]
            .with_company(journal.company_id)
            .with_context(journal_id=journal.id)
            .create(
                {
                    "statement_filename": filename,
                    "statement_file": base64.b64encode(content or (DATA / filename).read_bytes()),
                    "sheet_mapping_id": mapping.id if mapping else False,
                }
            )
        )
        wizard.import_file_button()
        return Line.search([("journal_id", "=", journal.id)], order="date, id") - before

    def to_match(self, site):
        """The queue, as its action's default filter shows it."""
        return self.env["account.bank.statement.line"].search(
            [
                ("company_id", "=", site.id),
                ("is_reconciled", "=", False),
                ("site_unit_id", "=", False),
            ],
            order="date, id",
        )


class MonthCase(BooksCase):
    """A month on the Turkish site: January's dues, a bank statement imported from the
    bank's file, a cash receipt and a cash expense."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cash = cls.env["account.journal"].search(
            [("company_id", "=", cls.site.id), ("type", "=", "cash")], limit=1
        )
        cls.env["res.partner.bank"].create(
            {"acc_number": "TR320010009999901234567890", "partner_id": cls.owners[1].id}
        )
        cls.expense_account = cls.env["account.account"].search(
            [("company_ids", "in", cls.site.ids), ("account_type", "=", "expense")], limit=1
        )

    def run_month(self):
        mapping = self.env.ref("site_accounting.mapping_tr_ziraat_csv")
        self.import_file(self.bank, "ziraat_hesap_hareketleri.csv", mapping)
        # Cash handed to the site office, entered in the cash box with the reference.
        self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.cash.id,
                "date": date(2026, 1, 20),
                "payment_ref": f"Aidat nakit {self.u3.payment_reference}",
                "amount": 250.0,
            }
        ).action_site_reconcile()
        expense = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.cash.id,
                "date": date(2026, 1, 25),
                "ref": "Garden maintenance",
                "line_ids": [
                    (0, 0, {"account_id": self.expense_account.id, "debit": 300.0}),
                    (0, 0, {"account_id": self.cash.default_account_id.id, "credit": 300.0}),
                ],
            }
        )
        expense.action_post()

    def ledger(self, domain):
        return self.env["account.move.line"].search(
            [("company_id", "=", self.site.id), ("parent_state", "=", "posted"), *domain]
        )
