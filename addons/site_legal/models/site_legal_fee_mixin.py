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
    _description = "Charges One Fee to a Unit"

    fee_move_id = fields.Many2one("account.move", string="Fee Entry", readonly=True, copy=False)

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
