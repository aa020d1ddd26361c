from odoo import api, fields, models

from odoo.addons.site_residents.engine import history


class SiteChargeType(models.Model):
    _name = "site.charge.type"
    _inherit = ["site.company.mixin", "site.import.mixin"]
    _description = "Charge Type"
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Stable code for imports, e.g. DUES.")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("charge", "Charge"), ("late_fee", "Late Fee")], required=True, default="charge"
    )
    category = fields.Selection(
        [(history.RUNNING, "Running Costs"), (history.INVESTMENT, "Investments")],
        string="Paid As",
        required=True,
        default=history.RUNNING,
        help="Running costs are paid by the tenant where the site's rule says so; "
        "investments by the owner.",
    )
    late_fee_applies = fields.Boolean(
        string="Late Fees", default=True, help="Overdue charges of this type bear late fees."
    )
    receivable_account_id = fields.Many2one(
        "account.account",
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('account_type', '=', 'asset_receivable')]",
    )
    income_account_id = fields.Many2one(
        "account.account",
        compute="_compute_accounts",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('account_type', 'in', ('income', 'income_other'))]",
    )
    journal_id = fields.Many2one(
        "account.journal",
        compute="_compute_journal_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Empty: the site's charges journal.",
    )
    active = fields.Boolean(default=True)

    _code_site_uniq = models.Constraint(
        "UNIQUE (company_id, code)", "The charge type code must be unique within a site."
    )

    @api.depends("company_id")
    def _compute_accounts(self):
        for charge_type in self:
            company = charge_type.company_id
            Account = self.env["account.account"].with_company(company)
            if not charge_type.receivable_account_id:
                charge_type.receivable_account_id = self.env["res.partner"].with_company(
                    company
                )._fields["property_account_receivable_id"].get_company_dependent_fallback(
                    self.env["res.partner"].with_company(company)
                ) or Account.search(
                    [
                        ("company_ids", "in", company.id),
                        ("account_type", "=", "asset_receivable"),
                    ],
                    limit=1,
                )
            if not charge_type.income_account_id:
                charge_type.income_account_id = Account.search(
                    [("company_ids", "in", company.id), ("account_type", "=", "income")],
                    order="code",
                    limit=1,
                )

    @api.depends("company_id")
    def _compute_journal_id(self):
        for charge_type in self:
            charge_type.journal_id = (
                charge_type.journal_id or charge_type.company_id.site_dues_journal_id
            )
