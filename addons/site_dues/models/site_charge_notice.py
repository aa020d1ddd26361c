from decimal import Decimal

from odoo import api, fields, models

from ..engine import payment_codes


class SiteChargeNotice(models.Model):
    """What a resident is asked to pay for a unit and a month.

    The notice gathers the month's receivable lines of one unit and partner, and keeps
    the balance brought forward as it stood when the month was charged.
    """

    _name = "site.charge.notice"
    _description = "Charge Notice"
    _inherit = ["mail.thread", "portal.mixin"]
    _order = "period desc, company_id, unit_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", string="Site", required=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_id = fields.Many2one("site.unit", required=True, index=True, check_company=True)
    building_id = fields.Many2one(related="unit_id.building_id", store=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True)
    period = fields.Date(required=True, help="First day of the month charged.")
    due_date = fields.Date(required=True)
    line_ids = fields.One2many("account.move.line", "site_notice_id", string="Charges")
    amount_charges = fields.Monetary(string="This Month", compute="_compute_amounts", store=True)
    previous_balance = fields.Monetary(
        string="Brought Forward",
        readonly=True,
        help="Open balance of the unit for this partner before this month's charges.",
    )
    previous_late_fees = fields.Monetary(
        string="Of Which Late Fees", readonly=True, help="Late fees in the balance brought forward."
    )
    amount_total = fields.Monetary(string="Total Due", compute="_compute_amounts", store=True)
    payment_reference = fields.Char(related="unit_id.payment_reference", store=True)

    _unit_partner_period_uniq = models.Constraint(
        "UNIQUE (unit_id, partner_id, period)",
        "A unit has one charge notice per partner and month.",
    )

    @api.depends("unit_id.code", "period")
    def _compute_name(self):
        for notice in self:
            notice.name = f"{notice.unit_id.code} / {notice.period:%Y-%m}" if notice.period else ""

    @api.depends("line_ids.balance", "line_ids.parent_state", "previous_balance")
    def _compute_amounts(self):
        for notice in self:
            posted = notice.line_ids.filtered(lambda line: line.parent_state == "posted")
            notice.amount_charges = sum(posted.mapped("balance"))
            notice.amount_total = notice.previous_balance + notice.amount_charges

    @api.model
    def _get_or_create(self, company, keys, period, due_date):
        """{(unit id, partner id): notice} for the month, creating the missing ones.

        A new notice records the balance brought forward at that moment, in one query
        for all of them.
        """
        existing = self.search(
            [
                ("unit_id", "in", list({unit_id for unit_id, _ in keys})),
                ("period", "=", period),
            ]
        )
        notices = {(n.unit_id.id, n.partner_id.id): n for n in existing}
        missing = [key for key in keys if key not in notices]
        if missing:
            balances = self.env["account.move.line"]._site_open_balances(
                [unit_id for unit_id, _ in missing], before=period
            )
            created = self.create(
                [
                    {
                        "company_id": company.id,
                        "unit_id": unit_id,
                        "partner_id": partner_id,
                        "period": period,
                        "due_date": due_date,
                        "previous_balance": balances.get((unit_id, partner_id), (0.0, 0.0))[0],
                        "previous_late_fees": balances.get((unit_id, partner_id), (0.0, 0.0))[1],
                    }
                    for unit_id, partner_id in missing
                ]
            )
            notices.update({(n.unit_id.id, n.partner_id.id): n for n in created})
        return notices

    def _qr_payload(self):
        """What the notice's QR code holds: the country's transfer QR, else the payment link."""
        self.ensure_one()
        company = self.company_id
        bank = company.partner_id.bank_ids[:1]
        amount = Decimal(str(round(self.amount_total, 2)))
        if amount <= 0:
            return None
        if not bank:
            return self.get_base_url() + self.get_portal_url()
        country = company.country_id.code
        title = f"{self.payment_reference} {self.name}"
        if country == "PL":
            return payment_codes.zbp_payload(
                company.vat or "", bank.acc_number, amount, company.name, title
            )
        if country == "UA":
            return payment_codes.nbu_link(
                payment_codes.nbu_payload(
                    company.name, bank.acc_number, amount, company.company_registry or "", title
                )
            )
        if company.currency_id.name == "EUR":
            return payment_codes.epc_payload(
                company.name, bank.acc_number, amount, remittance=title
            )
        # Turkey has no bank standard for transfer QR codes: the online payment link.
        return self.get_base_url() + self.get_portal_url()

    def _compute_access_url(self):
        super()._compute_access_url()
        for notice in self:
            notice.access_url = f"/my/site/notices/{notice.id}"
