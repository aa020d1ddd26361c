import io

from odoo import api, fields, models


class SiteLateFeeLine(models.Model):
    """What one run charged on one overdue charge: the breakdown of a unit's fee line."""

    _name = "site.late.fee.line"
    _description = "Late Fee per Overdue Charge"
    _order = "run_id desc, id"

    run_id = fields.Many2one("site.late.fee.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", string="Site", required=True, index=True)
    debt_line_id = fields.Many2one(
        "account.move.line", string="Overdue Charge", required=True, index=True
    )
    fee_line_id = fields.Many2one("account.move.line", string="Fee Line", index="btree_not_null")
    unit_id = fields.Many2one("site.unit", required=True)
    partner_id = fields.Many2one("res.partner", required=True)
    amount = fields.Float(digits=(16, 2), required=True)

    @api.model
    def _insert(self, run, details, moves):
        """Write a run's breakdown, [(debt line id, (unit id, partner id), amount)], with
        COPY, each row pointing at its posted fee line.

        A run over a hundred thousand overdue charges has as many rows: the ORM would
        take longer than the whole run.
        """
        if not details:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT site_unit_id, partner_id, id FROM account_move_line "
            "WHERE move_id = ANY(%s) AND site_unit_id IS NOT NULL",
            [moves.ids],
        )
        fee_lines = {
            (unit_id, partner_id): line_id
            for unit_id, partner_id, line_id in self.env.cr.fetchall()
        }
        now = fields.Datetime.to_string(self.env.cr.now())
        prefix = f"{run.id}\t{run.company_id.id}\t"
        suffix = f"\t{self.env.uid}\t{self.env.uid}\t{now}\t{now}\n"
        data = io.StringIO(
            "".join(
                f"{prefix}{debt_id}\t{fee_lines[(unit_id, partner_id)]}\t{unit_id}\t"
                f"{partner_id}\t{amount}{suffix}"
                for debt_id, (unit_id, partner_id), amount in details
            )
        )
        self.env.cr._obj.copy_expert(
            "COPY site_late_fee_line (run_id, company_id, debt_line_id, fee_line_id, unit_id, "
            "partner_id, amount, create_uid, write_uid, create_date, write_date) FROM STDIN",
            data,
        )
        self.invalidate_model()
