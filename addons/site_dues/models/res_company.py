from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.site_residents.engine.money import to_decimal

from ..engine import late_fees

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

LATE_FEE_METHODS = [
    ("none", "No Late Fees"),
    ("turkey", "Turkey: a monthly rate (KMK art. 20)"),
    ("poland", "Poland: statutory interest (Civil Code art. 481)"),
    ("ukraine", "Ukraine: a daily penalty (Law 2189-VIII art. 26)"),
]
LATE_FEE_METHOD_BY_COUNTRY = {"TR": "turkey", "PL": "poland", "UA": "ukraine"}


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
    site_legal_receivable_account_id = fields.Many2one(
        "account.account",
        string="Receivables in Legal Follow-up",
        check_company=True,
        domain="[('account_type', '=', 'asset_receivable')]",
        help="Receivable account the debts handed to a lawyer are moved to; statements show "
        "them apart from the other debts.",
    )
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
    site_late_fee_method = fields.Selection(
        LATE_FEE_METHODS,
        string="Late Fees",
        compute="_compute_site_late_fee_method",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        help="The law the site's late fees follow; by default the one of the site's country.",
    )
    site_late_fee_rate = fields.Float(
        string="Late-Fee Rate (%)",
        digits=(6, 4),
        compute="_compute_site_late_fee_rate",
        store=True,
        readonly=False,
        precompute=True,
        help="Turkey: percent a month, at most the legal 5 % (KMK art. 20). Ukraine: percent a "
        "day, at most 0.01 % (Law 2189-VIII art. 26). Poland uses the statutory rate table.",
    )
    site_late_fee_grace_days = fields.Integer(
        string="Grace Days",
        help="A charge paid in full within this many days after its due date bears no late "
        "fee; one that is not bears it from the first day after the due date.",
    )
    site_late_fee_min_amount = fields.Monetary(
        string="Minimum Late Fee",
        currency_field="currency_id",
        help="A run does not post a fee below this amount; the amount is not lost but posted "
        "by a later run once it has grown to the minimum.",
    )
    site_late_fee_freeze_legal = fields.Boolean(
        string="Freeze Late Fees in Legal Cases",
        help="When a charge is handed to a lawyer (its 'Late Fees Frozen From' date is set), no "
        "late fee accrues on it from that date.",
    )
    site_late_fee_due_days = fields.Integer(
        string="Late Fees Due After (Days)",
        default=15,
        help="A late-fee charge falls due this many days after the date it is computed to.",
    )
    site_late_fee_frequency = fields.Selection(
        [("daily", "Every Day"), ("monthly", "At the End of Each Month")],
        string="Post Late Fees",
        default="daily",
        required=True,
        help="How often the scheduled job posts the site's late fees. Either way the fee is "
        "counted by the day; posting less often makes fewer, larger entries.",
    )
    site_late_fee_date_start = fields.Date(
        string="Late Fees From",
        help="No late fee accrues on days before this date (e.g. the day the site started "
        "charging them). Empty: from each charge's due date.",
    )
    site_late_fee_pause_ids = fields.One2many(
        "site.late.fee.pause", "company_id", string="Late-Fee Pauses"
    )
    site_late_fee_locked_at = fields.Datetime(
        string="Late Fees Last Started",
        readonly=True,
        copy=False,
        help="When a late-fee run or cancellation of the site last started (see "
        "site.late.fee.run._lock).",
    )
    site_late_fee_error = fields.Text(
        string="Late-Fee Run Error",
        readonly=True,
        copy=False,
        help="Why the scheduled job could not post the site's late fees; cleared when it "
        "next succeeds.",
    )
    site_late_fee_error_date = fields.Datetime(
        string="Late-Fee Run Failed On", readonly=True, copy=False
    )

    @api.depends("country_id", "is_site")
    def _compute_site_late_fee_method(self):
        for company in self:
            method = LATE_FEE_METHOD_BY_COUNTRY.get(company.country_id.code, "none")
            company.site_late_fee_method = method if company.is_site else "none"

    @api.depends("site_late_fee_method")
    def _compute_site_late_fee_rate(self):
        """The legal cap: what the law allows unless the site decides less."""
        for company in self:
            top = late_fees.MAX_RATE_PERCENT.get(company.site_late_fee_method, 0)
            company.site_late_fee_rate = float(top)

    @api.constrains("site_late_fee_method", "site_late_fee_rate")
    def _check_site_late_fee_rate(self):
        for company in self:
            top = late_fees.MAX_RATE_PERCENT.get(company.site_late_fee_method)
            if top is not None and not 0 <= to_decimal(company.site_late_fee_rate) <= top:
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: the late-fee rate must be between 0 and %(top)s %%.",
                        site=company.name,
                        top=top.normalize(),
                    )
                )

    @api.constrains(
        "site_late_fee_grace_days", "site_late_fee_min_amount", "site_late_fee_due_days"
    )
    def _check_site_late_fee_numbers(self):
        for company in self:
            if (
                min(
                    company.site_late_fee_grace_days,
                    company.site_late_fee_min_amount,
                    company.site_late_fee_due_days,
                )
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Site %(site)s: grace days, minimum late fee and the days late fees "
                        "fall due after cannot be negative.",
                        site=company.name,
                    )
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

    def _site_late_fee_rule(self):
        """The engine's rule for the site's settings."""
        self.ensure_one()
        method = self.site_late_fee_method
        if method == "none":
            raise UserError(self.env._("Site %(site)s does not charge late fees.", site=self.name))
        try:
            return late_fees.site_rule(
                method,
                self.site_late_fee_rate,
                polish_rates=self.env["site.late.fee.rate"].sudo()._engine_rates()
                if method == "poland"
                else (),
                grace_days=self.site_late_fee_grace_days,
                min_amount=self.site_late_fee_min_amount,
                pauses=[(pause.date_from, pause.date_to) for pause in self.site_late_fee_pause_ids],
                date_start=self.site_late_fee_date_start,
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Site %(site)s: the late-fee settings are not valid: %(error)s",
                    site=self.name,
                    error=error,
                )
            ) from error

    def _site_late_fee_cron_date(self):
        """The day the scheduled job computes the site's fees up to (see the engine's
        cron_date), from today in the site's time zone; None if it charges no fees."""
        self.ensure_one()
        if self.site_late_fee_method == "none":
            return None
        tz = self.partner_id.tz or self.env.context.get("tz")
        today = fields.Date.context_today(self.with_context(tz=tz))
        return late_fees.cron_date(today, self.site_late_fee_frequency)

    def _site_late_fee_type(self):
        self.ensure_one()
        charge_type = self.env["site.charge.type"].search(
            [("company_id", "=", self.id), ("kind", "=", "late_fee")], limit=1
        )
        if not charge_type:
            raise UserError(
                self.env._(
                    "Site %(site)s has no late-fee charge type: add one (kind 'Late Fee').",
                    site=self.name,
                )
            )
        return charge_type

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
