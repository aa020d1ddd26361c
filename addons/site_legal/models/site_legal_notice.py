"""A formal notice (ihtarname) or payment order sent to a debtor: the log of what was
claimed, from whom, for which unit and on which day."""

from odoo import api, fields, models

NOTICE_KINDS = [
    ("formal_notice", "Formal Notice"),
    ("payment_order", "Payment Order"),
]


class SiteLegalNotice(models.Model):
    _name = "site.legal.notice"
    _description = "Formal Notice to a Debtor"
    _inherit = ["mail.thread", "site.company.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Debtor", required=True, readonly=True, index=True
    )
    unit_id = fields.Many2one(
        "site.unit", required=True, readonly=True, index=True, check_company=True
    )
    kind = fields.Selection(NOTICE_KINDS, required=True, readonly=True)
    date = fields.Date(required=True, readonly=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Amount Claimed", readonly=True, help="Overdue on the day, net of open credits."
    )
    oldest_due = fields.Date(string="Oldest Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    # [{"charge_type_id": id, "due": ISO date, "amount": float}]: what the notice claimed,
    # kept as printed whatever is paid later
    detail = fields.Json(readonly=True)
    batch_id = fields.Many2one(
        "site.legal.notice.batch", readonly=True, index="btree_not_null", ondelete="set null"
    )

    _debtor_day_uniq = models.UniqueIndex(
        "(partner_id, unit_id, kind, date)",
        "A debtor gets one notice of a kind per unit and day.",
    )

    @api.depends("partner_id", "unit_id", "kind", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for notice in self:
            notice.display_name = (
                f"{kinds.get(notice.kind, '')} {notice.unit_id.code or ''} "
                f"{notice.partner_id.name or ''} {notice.date or ''}"
            ).strip()

    def _detail_items(self):
        """[(charge type name, due date, amount)] the notice claimed, by due date."""
        self.ensure_one()
        names = {
            charge_type.id: charge_type.name
            for charge_type in self.env["site.charge.type"].browse(
                {item["charge_type_id"] for item in self.detail or [] if item["charge_type_id"]}
            )
        }
        return [
            (
                names.get(item["charge_type_id"]) or self.env._("Other"),
                fields.Date.to_date(item["due"]),
                item["amount"],
            )
            for item in self.detail or []
        ]

    def _detail_by_charge_type(self):
        """[(charge type name, amount)] of the notice, in the order they fell due."""
        totals = {}
        for name, _due, amount in self._detail_items():
            totals[name] = totals.get(name, 0.0) + amount
        return list(totals.items())

    def _bank_details(self):
        """The site's account for transfers, as site_dues prints it on charge notices."""
        return self.env["report.site_dues.report_site_charge_notice"]._bank_details(self)

    def _report_file_name(self):
        return self.env["site.display"]._file_name(
            dict(self._fields["kind"]._description_selection(self.env))[self.kind],
            self.unit_id.code,
            self.date,
        )

    def action_print(self):
        return self.env.ref("site_legal.action_report_site_legal_notice").report_action(self)
