from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

ALLOCATION_ORDERS = [
    ("oldest_first", "Oldest First"),
    ("fees_first", "Late Fees First"),
    ("principal_first", "Principal First"),
]

DEFAULT_CHARGE_TYPES = [
    # code, name, liable-party category, kind, late fees apply
    ("DUES", _lt("Dues"), "running", "charge", True),
    ("INVEST", _lt("Investment Project"), "investment", "charge", True),
    ("FIXTURE", _lt("Fixtures"), "investment", "charge", True),
    ("ELEVATOR", _lt("Elevator Revision"), "running", "charge", True),
    ("HEAT", _lt("Heating"), "running", "charge", True),
    ("HOTWATER", _lt("Hot Water"), "running", "charge", True),
    ("COLDWATER", _lt("Cold Water"), "running", "charge", True),
    ("GAS", _lt("Gas"), "running", "charge", True),
    ("ELEC", _lt("Common Electricity"), "running", "charge", True),
    ("REPAIR", _lt("Repair / Special"), "investment", "charge", True),
    ("LATEFEE", _lt("Late Fee"), "running", "late_fee", False),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    site_dues_journal_id = fields.Many2one(
        "account.journal",
        string="Charges Journal",
        check_company=True,
        help="Journal of the monthly accruals, special charges and late fees.",
    )
    site_payment_order = fields.Selection(
        ALLOCATION_ORDERS,
        string="Payments Settle",
        default="oldest_first",
        required=True,
        help="In which order a payment settles a unit's open charges.",
    )
    site_charge_due_day = fields.Integer(
        string="Charges Due On Day",
        default=10,
        help="Day of the month on which the month's charges fall due.",
    )
    site_charge_type_ids = fields.One2many("site.charge.type", "company_id", string="Charge Types")
    site_accrual_error = fields.Text(
        string="Monthly Accrual Error",
        readonly=True,
        copy=False,
        help="Why the scheduled monthly accrual could not charge the site's plans; cleared "
        "when it next succeeds.",
    )
    site_accrual_error_date = fields.Datetime(
        string="Monthly Accrual Failed On", readonly=True, copy=False
    )

    def _site_dues_setup(self):
        """Give sites their charges journal and default charge types (idempotent)."""
        ChargeType = self.env["site.charge.type"].sudo()
        for site in self.filtered("is_site"):
            if not site.site_dues_journal_id and site.chart_template:
                site.site_dues_journal_id = (
                    self.env["account.journal"]
                    .sudo()
                    .create(
                        {
                            "name": self.env._("Site Charges"),
                            "code": "SCHG",
                            "type": "sale",
                            "company_id": site.id,
                        }
                    )
                )
            existing = set(ChargeType.search([("company_id", "=", site.id)]).mapped("code"))
            missing = [row for row in DEFAULT_CHARGE_TYPES if row[0] not in existing]
            charge_types = ChargeType.create(
                [
                    {
                        "code": code,
                        "name": name._translate("en_US"),
                        "category": category,
                        "kind": kind,
                        "late_fee_applies": late_fees,
                        "company_id": site.id,
                    }
                    for code, name, category, kind, late_fees in missing
                ]
            )
            languages = [code for code, _name in self.env["res.lang"].get_installed()]
            for charge_type, row in zip(charge_types, missing):
                charge_type.update_field_translations(
                    "name", {lang: row[1]._translate(lang) for lang in languages}
                )

    def _site_job_result(self, job, error=None):
        """Record on the site why scheduled ``job`` ("site_accrual" or "site_late_fee")
        failed, in its ``<job>_error`` fields, or clear them when ``error`` is None.

        Returns True when the error is new (not the one already recorded).
        """
        self.ensure_one()
        if error is None:
            if self[f"{job}_error_date"]:
                self.sudo().write({f"{job}_error": False, f"{job}_error_date": False})
            return False
        text = str(error) if isinstance(error, UserError) else f"{type(error).__name__}: {error}"
        is_new = text != self[f"{job}_error"]
        self.sudo().write({f"{job}_error": text, f"{job}_error_date": fields.Datetime.now()})
        return is_new
