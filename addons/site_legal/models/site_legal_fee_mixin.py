from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.site_dues.models.site_ledger import Charge


class SiteLegalFeeMixin(models.AbstractModel):
    """A record that charges its unit one fee (a reopening fee, a penalty) through
    ``site.ledger``, once: the entry is linked on the record, and the check that none is
    linked yet runs under a lock on the record, so two clicks or two workers never
    charge twice."""

    _name = "site.legal.fee.mixin"
    _inherit = ["site.company.mixin"]
    _description = "Charges One Fee to a Unit"
    # The record's date that says who is liable, and the site's field of the fee's
    # charge type (whose category says whether the owner or the tenant pays).
    _site_fee_date_field = "date"
    _site_fee_charge_type_field = None

    unit_id = fields.Many2one(
        "site.unit", required=True, check_company=True, index=True, tracking=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Charged To",
        index=True,
        tracking=True,
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        help="Who is charged the fee: the unit's owner by default.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    fee_move_id = fields.Many2one("account.move", string="Fee Entry", readonly=True, copy=False)

    @api.depends(lambda self: ("unit_id", self._site_fee_date_field))
    def _compute_partner_id(self):
        # a charged fee keeps the person it was charged to
        for record in self:
            if not record.unit_id or record.fee_move_id:
                record.partner_id = record.partner_id
            else:
                record.partner_id = record._site_legal_liable(
                    record.unit_id,
                    record[record._site_fee_date_field] or fields.Date.context_today(record),
                    record.company_id[record._site_fee_charge_type_field],
                )

    @api.model
    def _site_legal_liable(self, unit, day, charge_type=None):
        """The partner liable on ``day`` for ``unit``'s charges of ``charge_type``'s
        category (the owner's by default), or an empty record."""
        category = charge_type.category if charge_type else "investment"
        segments = unit.get_liable_segments(day, day, category)[unit]
        partner_id = segments[-1].partner_id if segments else None
        return self.env["res.partner"].browse(partner_id or [])

    def _charge_fee_once(self, charge_type, amount, day, label, field_names):
        """Post ``amount`` of ``charge_type`` to the record's unit and partner on ``day``
        unless the record has its fee entry already; returns the entry (or nothing when
        the amount is zero). ``field_names`` name the tariff fields for the error."""
        self.ensure_one()
        # the row lock waits for a concurrent charge; PostgreSQL's repeatable read then
        # fails this transaction (Odoo retries it) if that one linked its entry
        self.flush_recordset(["fee_move_id"])
        self.env.cr.execute(
            SQL("SELECT id FROM %s WHERE id = %s FOR UPDATE", SQL.identifier(self._table), self.id)
        )
        self.invalidate_recordset(["fee_move_id"])
        if self.fee_move_id or not amount:
            return self.fee_move_id
        if not charge_type:
            raise UserError(
                self.env._(
                    "Site %(site)s: set the %(field)s first.",
                    site=self.company_id.name,
                    field=field_names,
                )
            )
        # whoever may change the record (an inspector, an engineer) charges its fee,
        # though only accountants post entries themselves
        self.check_access("write")
        move = (
            self.env["site.ledger"]
            .sudo()
            ._post_charges(
                self.company_id.sudo(),
                day,
                [
                    Charge(
                        self.unit_id.id,
                        self.partner_id.id,
                        charge_type.id,
                        Decimal(str(amount)),
                        day,
                        label,
                        day.replace(day=1),
                    )
                ],
                label,
            )
        )
        self.fee_move_id = move[:1]
        return move
