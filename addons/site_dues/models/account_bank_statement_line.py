from odoo import fields, models

# After a notification, the list shows the transactions as they are now.
RELOAD = {"type": "ir.actions.client", "tag": "soft_reload"}


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    site_unit_id = fields.Many2one(
        "site.unit",
        check_company=True,
        index="btree_not_null",
        help="The unit this transaction pays for; found from the unit's payment reference "
        "in the label.",
    )

    def _site_match_reference(self):
        """Set the unit (and the liable partner, where none) of lines quoting a unit's
        payment reference; returns the lines matched."""
        helper = self.env["site.unit.payment.mixin"]
        matched = self.browse()
        for st_line in self.filtered(lambda line: not line.is_reconciled):
            unit = st_line.site_unit_id or helper._site_find_unit(
                st_line.company_id, st_line.payment_ref
            )
            if not unit:
                continue
            values = {}
            if st_line.site_unit_id != unit:
                values["site_unit_id"] = unit.id
            if not st_line.partner_id:
                partner = unit.get_liable_partner(st_line.date)
                if partner:
                    values["partner_id"] = partner.id
            if values:
                st_line.write(values)
            matched |= st_line
        return matched

    def _site_reconcile(self):
        """Account each unit transaction on the receivable and settle the unit's charges.

        Without a reconciliation widget (Community has none; site_accounting brings
        OCA's for the other lines), as Odoo's own tests do, the statement line's suspense
        counterpart is re-accounted on the receivable account (with the unit and partner)
        without re-synchronising the statement line, and the receivable line then takes
        part in the unit's matching like a payment, in the site's order. Returns the lines
        reconciled.
        """
        done = self.browse()
        for st_line in self.filtered(lambda line: line.site_unit_id and not line.is_reconciled):
            if not st_line.partner_id:
                partner = st_line.site_unit_id.get_liable_partner(st_line.date)
                if not partner:
                    continue
                st_line.partner_id = partner
            _liquidity, suspense, others = st_line._seek_for_lines()
            if len(suspense) != 1 or others:
                continue  # partly reconciled by other means: leave it to the accountant
            account = self.env["site.unit.payment.mixin"]._site_receivable_account(
                st_line.site_unit_id, st_line.partner_id
            )
            suspense.with_context(skip_account_move_synchronization=True).write(
                {
                    "account_id": account.id,
                    "partner_id": st_line.partner_id.id,
                    "site_unit_id": st_line.site_unit_id.id,
                    "date_maturity": st_line.date,
                }
            )
            done |= st_line
        if done:
            receivables = done.move_id.line_ids.filtered(
                lambda line: (
                    line.site_unit_id and line.account_id.account_type == "asset_receivable"
                )
            )
            self.env["site.unit.payment.mixin"]._site_apply(receivables)
        return done

    def action_site_match_reference(self):
        matched = self._site_match_reference()
        return self.env["site.display"]._notification(
            self.env._(
                "%(matched)s of %(total)s transactions matched to a unit.",
                matched=len(matched),
                total=len(self),
            ),
            RELOAD,
        )

    def action_site_reconcile(self):
        self._site_match_reference()
        done = self._site_reconcile()
        return self.env["site.display"]._notification(
            self.env._(
                "%(done)s of %(total)s transactions booked on their unit.",
                done=len(done),
                total=len(self),
            ),
            RELOAD,
        )
