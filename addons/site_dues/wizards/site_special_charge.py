import base64

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from odoo.addons.site_residents.engine import money
from odoo.addons.site_residents.engine.dates import month_start

from ..engine import special_charges
from ..models.site_accrual_plan import ALLOCATION_KEYS


class SiteSpecialChargeWizard(models.TransientModel):
    """Charges outside the monthly plans: one unit, a file of them, or an expense split.

    Whatever the source, the lines are shown first and posted together, or not at all.
    """

    _name = "site.special.charge.wizard"
    _inherit = ["site.company.mixin"]
    _description = "Special Charges"
    _check_company_auto = True

    currency_id = fields.Many2one(related="company_id.currency_id")
    mode = fields.Selection(
        [
            ("single", "One Unit"),
            ("file", "Import a File"),
            ("distribute", "Split an Expense"),
        ],
        required=True,
        default="single",
    )
    date = fields.Date(
        string="Charge Date",
        required=True,
        default=fields.Date.context_today,
        help="Accounting date; the liable owner or tenant is taken on this day.",
    )
    due_date = fields.Date(required=True, default=fields.Date.context_today)
    charge_type_id = fields.Many2one(
        "site.charge.type",
        check_company=True,
        domain="[('company_id', '=', company_id), ('kind', '=', 'charge')]",
    )
    description = fields.Char()
    unit_id = fields.Many2one("site.unit", check_company=True)
    amount = fields.Monetary()
    file = fields.Binary(
        help="CSV or XLSX with the columns unit, charge type, amount, description, due date."
    )
    file_name = fields.Char()
    bill_id = fields.Many2one(
        "account.move",
        string="Vendor Bill",
        check_company=True,
        domain="[('company_id', '=', company_id), ('move_type', '=', 'in_invoice'), "
        "('state', '=', 'posted')]",
        help="The expense to split; its total is the amount unless you set another.",
    )
    allocation_key = fields.Selection(ALLOCATION_KEYS[:6], default="land_share")
    building_ids = fields.Many2many("site.building", check_company=True)
    unit_type_ids = fields.Many2many("site.unit.type")
    line_ids = fields.One2many("site.special.charge.wizard.line", "wizard_id", string="Charges")
    total = fields.Monetary(compute="_compute_total")
    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted")], default="draft", required=True, readonly=True
    )
    move_ids = fields.Many2many("account.move", string="Entries", readonly=True)

    @api.depends("line_ids.amount")
    def _compute_total(self):
        for wizard in self:
            wizard.total = sum(wizard.line_ids.mapped("amount"))

    @api.onchange("bill_id")
    def _onchange_bill_id(self):
        if self.bill_id:
            self.amount = self.bill_id.amount_total
            self.description = self.bill_id.ref or self.bill_id.name

    # --- building the lines -------------------------------------------------

    def action_preview(self):
        self.ensure_one()
        if self.state == "posted":
            raise UserError(self.env._("These special charges are already posted."))
        rows = getattr(self, f"_rows_{self.mode}")()
        partners = self._liable_partners(rows)
        self.line_ids = [fields.Command.clear()] + [
            fields.Command.create(
                dict(row, partner_id=partners[(row["unit_id"], row["charge_type_id"])])
            )
            for row in rows
        ]
        return self._reopen()

    def _liable_partners(self, rows):
        """{(unit id, charge type id): partner id} on the charge date, one query per category."""
        units = self.env["site.unit"].browse({row["unit_id"] for row in rows})
        types = self.env["site.charge.type"].browse({row["charge_type_id"] for row in rows})
        by_category = {
            category: units.get_liable_segments(self.date, self.date, category)
            for category in set(types.mapped("category"))
        }
        partners, nobody = {}, set()
        for row in rows:
            unit = units.browse(row["unit_id"])
            category = types.browse(row["charge_type_id"]).category
            partner_id = by_category[category][unit][0].partner_id
            if partner_id is None:
                nobody.add(unit.code)
            partners[(row["unit_id"], row["charge_type_id"])] = partner_id
        if nobody:
            raise UserError(
                self.env._(
                    "These units have no owner on %(date)s: %(units)s. Record their owners first.",
                    date=self.date,
                    units=", ".join(sorted(nobody)),
                )
            )
        return partners

    def _require(self, *names):
        missing = [self._fields[name].string for name in names if not self[name]]
        if missing:
            raise UserError(self.env._("Fill in: %(fields)s.", fields=", ".join(missing)))

    def _rows_single(self):
        self._require("unit_id", "charge_type_id", "amount")
        if self.amount <= 0:
            raise UserError(self.env._("The amount must be positive."))
        return [
            {
                "unit_id": self.unit_id.id,
                "charge_type_id": self.charge_type_id.id,
                "amount": self.amount,
                "description": self.description or self.charge_type_id.name,
                "due_date": self.due_date,
            }
        ]

    def _rows_file(self):
        self._require("file")
        data = base64.b64decode(self.file)
        is_xlsx = (self.file_name or "").lower().endswith(".xlsx") or data[:2] == b"PK"
        file_name = self.file_name or self.env._("the file")
        rows = self.env["site.spreadsheet"]._read_rows(
            data, "xlsx" if is_xlsx else "csv", filename=file_name
        )
        units = self.env["site.unit"].search([("company_id", "=", self.company_id.id)])
        types = self.env["site.charge.type"].search(
            [("company_id", "=", self.company_id.id), ("kind", "=", "charge")]
        )
        try:
            charges, errors = special_charges.parse(
                rows,
                {unit.code: unit.id for unit in units},
                {charge_type.code: charge_type.id for charge_type in types},
                self.due_date,
            )
        except special_charges.FileError as error:
            raise UserError(
                self.env._("%(file)s cannot be read: %(error)s", file=file_name, error=error)
            ) from error
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was imported: fix these rows of %(file)s and import it "
                    "again.\n%(rows)s",
                    file=file_name,
                    rows="\n".join(
                        self.env._(
                            "Row %(row)s: %(reasons)s", row=e.row, reasons="; ".join(e.reasons)
                        )
                        for e in errors
                    ),
                )
            )
        return [
            {
                "unit_id": charge.unit,
                "charge_type_id": charge.charge_type,
                "amount": float(charge.amount),
                "description": charge.description,
                "due_date": charge.due_date,
            }
            for charge in charges
        ]

    def _rows_distribute(self):
        self._require("charge_type_id", "amount", "allocation_key")
        domain = [("company_id", "=", self.company_id.id)]
        if self.building_ids:
            domain.append(("building_id", "in", self.building_ids.ids))
        if self.unit_type_ids:
            domain.append(("type_id", "in", self.unit_type_ids.ids))
        units = self.env["site.unit"].search(domain)
        if not units:
            raise UserError(self.env._("No unit of the site matches the buildings and types."))
        try:
            amounts = money.split(
                money.to_decimal(self.amount),
                units._allocation_weights(self.allocation_key, self.date),
                self.currency_id.decimal_places,
            )
        except money.AllocationError as error:
            raise UserError(str(error)) from error
        description = self.description or self.charge_type_id.name
        return [
            {
                "unit_id": unit.id,
                "charge_type_id": self.charge_type_id.id,
                "amount": float(amounts[unit.id]),
                "description": description,
                "due_date": self.due_date,
            }
            for unit in units
            if amounts[unit.id]
        ]

    # --- posting --------------------------------------------------------------

    def action_post(self):
        """Post the lines once: calling this again, even from another transaction at the
        same time, shows the entries posted the first time."""
        self.ensure_one()
        if self.state == "draft" and not self.line_ids:
            self.action_preview()
        if self._claim_posting():
            self.move_ids = self._post_lines()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Special Charges"),
            "res_model": "account.move.line",
            "view_mode": "list",
            "domain": [("move_id", "in", self.move_ids.ids), ("site_unit_id", "!=", False)],
        }

    def _claim_posting(self):
        """Mark the wizard posted before posting, in the database; False if it already is.

        The row stays locked until the transaction ends: a concurrent post waits, then
        fails to serialize (its snapshot does not show this one's posting) and Odoo runs
        it again, when it finds the wizard posted.
        """
        self.check_access("write")
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET state = 'posted' WHERE id = %s AND state = 'draft' RETURNING id",
                SQL.identifier(self._table),
                self.id,
            )
        )
        claimed = bool(self.env.cr.fetchone())
        self.invalidate_recordset(["state"])
        return claimed

    def _post_lines(self):
        """Post the lines on the charge date, each on its unit's and partner's charge
        notice of that month."""
        moves, _charges = self.env["site.ledger"]._post_month(
            self.company_id,
            month_start(self.date),
            self.due_date,
            [
                (
                    line.unit_id.id,
                    line.partner_id.id,
                    line.charge_type_id.id,
                    money.to_decimal(line.amount),
                    line.description or line.charge_type_id.name,
                    line.due_date,
                )
                for line in self.line_ids
            ],
            self.description or self.env._("Special charges"),
            date=self.date,
        )
        return moves

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
