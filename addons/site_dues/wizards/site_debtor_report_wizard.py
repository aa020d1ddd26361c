"""The debtors and collections report: the debtor list on screen (aged balances on a
date) and both as XLSX."""

from odoo import fields, models
from odoo.exceptions import UserError

from ..models.site_debtor_report import AMOUNT_FIELDS


class SiteDebtorReportWizard(models.TransientModel):
    _name = "site.debtor.report.wizard"
    _description = "Debtors and Collections Report"

    # The sites selected in the company switcher, the ones the user can read now.
    company_ids = fields.Many2many(
        "res.company",
        string="Sites",
        required=True,
        domain="[('is_site', '=', True)]",
        default=lambda self: self.env.companies.filtered("is_site") or self.env.company,
    )
    date = fields.Date(string="On", required=True, default=fields.Date.context_today)
    group_by_charge_type = fields.Boolean(string="By Charge Type", default=True)
    date_from = fields.Date(
        string="Collections From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(month=1, day=1),
        help="First day of the collections report; it ends on the report date.",
    )
    line_ids = fields.One2many("site.debtor.report.line", "wizard_id", string="Debtors")

    def _companies(self):
        self.ensure_one()
        companies = self.company_ids
        if companies - self.env.user.company_ids:
            raise UserError(self.env._("You can report only on the sites you have access to."))
        return companies

    def _report(self):
        companies = self._companies()
        return self.env["site.debtor.report"].with_context(allowed_company_ids=companies.ids)

    def action_preview(self):
        self.ensure_one()
        rows = self._report()._debtor_rows(self._companies(), self.date, self.group_by_charge_type)
        self.line_ids.unlink()
        self.env["site.debtor.report.line"].create(
            [
                {
                    "wizard_id": self.id,
                    "company_id": row["company"].id,
                    "unit_id": row["unit"].id,
                    "partner_id": row["partner"].id,
                    "charge_type_id": row["charge_type"].id,
                    **{field: row[field] for field in AMOUNT_FIELDS},
                }
                for row in rows
            ]
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "Debtors on %(date)s", date=self.env["site.display"]._date_label(self.date)
            ),
            "res_model": "site.debtor.report.line",
            "view_mode": "list,pivot",
            "domain": [("wizard_id", "=", self.id)],
            "context": {"hide_charge_type": not self.group_by_charge_type},
        }

    def action_export_xlsx(self):
        self._companies()
        return self.env.ref("site_dues.action_report_site_debtors_xlsx").report_action(
            self, config=False
        )

    def action_export_collections_xlsx(self):
        self._collections_range()
        return self.env.ref("site_dues.action_report_site_collections_xlsx").report_action(
            self, config=False
        )

    def _collections_range(self):
        """(sites, first day, last day) of the collections report."""
        if self.date_from > self.date:
            raise UserError(self.env._("The collections report must start before it ends."))
        return self._companies(), self.date_from, self.date

    def _debtors_file_name(self):
        """ "Borçlular 31.03.2026" in the user's language."""
        return self.env["site.display"]._file_name(self.env._("Debtors"), self.date)

    def _collections_file_name(self):
        """ "Tahsilatlar 01.01.2026 - 31.03.2026" in the user's language."""
        return self.env["site.display"]._file_name(
            self.env._("Collections"), self.date_from, "-", self.date
        )
