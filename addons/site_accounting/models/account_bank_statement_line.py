from collections import defaultdict

from odoo import fields, models
from odoo.exceptions import UserError

from odoo.addons.site_residents.engine import history

PAYER_ROLES = (history.OWNER, history.TENANT)


class AccountBankStatementLine(models.Model):
    _inherit = "account.bank.statement.line"

    site_suggested_unit_ids = fields.Many2many(
        "site.unit",
        string="Suggested Units",
        compute="_compute_site_suggested_unit_ids",
        help="Units this transaction may pay for: those of its partner, of a holder "
        "named like the payer in the file, or whose code the label quotes.",
    )

    site_counterpart_account_id = fields.Many2one(
        "account.account",
        string="Counterpart Account",
        check_company=True,
        domain="[('account_type', 'not in', ('asset_cash', 'liability_credit_card', "
        "'off_balance'))]",
        help="For money that is not a unit's payment: the expense, income or supplier's "
        "account the transaction is booked on, without opening the reconciliation widget.",
    )
    site_payout_provider_id = fields.Many2one(
        "payment.provider",
        string="Payout of",
        compute="_compute_site_payout_provider_id",
        help="The online-payment provider this transaction is a payout of, by the "
        "provider's payout payer or label.",
    )

    def _retrieve_partner(self):
        """Leave the payer of sites' lines to the suite's rules.

        account_reconcile_oca gives a new line the first partner whose name contains
        the payer's (or whose account number contains the line's); on a site the import
        would then book the line on that partner's unit unconfirmed, whereas the suite
        only suggests a unit from a name and leaves the line in the queue. No reconcile
        model setting turns this guess off, hence it is skipped for sites only.
        """
        return super(AccountBankStatementLine, self._site_others())._retrieve_partner()

    def _auto_reconcile(self):
        """Book sites' lines by the suite's rules (unit reference, payer's account): the
        import applies them once the lines exist, which OCA's matching on creation
        (automated reconcile models, then open items quoting the label) would pre-empt
        without setting the unit. Queued lines stay open to OCA's widget."""
        return super(AccountBankStatementLine, self._site_others())._auto_reconcile()

    def _site_others(self):
        """The lines that are not of a site."""
        return self.filtered(lambda line: not line.company_id.is_site)

    def _get_reconcile_line(self, line, kind, **kwargs):
        # In the reconcile widget's onchange, Odoo 19 gives the journal items of the
        # edited line as new records: their NewIds cannot go in the JSON data.
        return super()._get_reconcile_line(line._origin or line, kind, **kwargs)

    def _reconcile_move_line_vals(self, line, move_id=False):
        """A unit's charge settled in the reconcile widget: the payment goes on that
        unit's ledger too, as the suite's own booking puts it."""
        vals = super()._reconcile_move_line_vals(line, move_id=move_id)
        counterparts = self.env["account.move.line"].browse(line.get("counterpart_line_ids", []))
        if len(counterparts.site_unit_id) == 1:
            vals["site_unit_id"] = counterparts.site_unit_id.id
        return vals

    def reconcile_bank_line(self):
        """The transaction takes the unit whose charge the widget settled."""
        result = super().reconcile_bank_line()
        units = self.move_id.line_ids.site_unit_id
        if not self.site_unit_id and len(units) == 1:
            self.site_unit_id = units
        return result

    def _compute_site_payout_provider_id(self):
        providers = (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    ("company_id", "in", self.company_id.ids),
                    "|",
                    ("site_payout_partner_id", "!=", False),
                    ("site_payout_label", "!=", False),
                ]
            )
        )
        for st_line in self:
            st_line.site_payout_provider_id = providers.filtered(
                lambda provider, st_line=st_line: provider._site_is_payout(st_line)
            )[:1]

    def action_site_provider_payout(self):
        """Open the payout of this transaction, its payments proposed."""
        self.ensure_one()
        provider = self.site_payout_provider_id
        if not provider:
            raise UserError(
                self.env._(
                    "Transaction %(label)s of %(date)s is not a payout of an online-payment "
                    "provider of the site (set the payout payer or label on the provider).",
                    label=self.payment_ref,
                    date=self.date,
                )
            )
        payout = self.env["site.provider.payout"]._site_open(self, provider)
        return {
            "type": "ir.actions.act_window",
            "res_model": "site.provider.payout",
            "res_id": payout.id,
            "view_mode": "form",
            "target": "current",
        }

    def _site_book_counterparts(self):
        """Book open lines without a unit on their counterpart account instead of the
        suspense account, as site_dues does for units; returns the lines booked."""
        done = self.browse()
        for st_line in self.filtered(
            lambda line: (
                line.site_counterpart_account_id
                and not line.site_unit_id
                and not line.is_reconciled
            )
        ):
            account = st_line.site_counterpart_account_id
            if account.account_type in ("asset_receivable", "liability_payable") and not (
                st_line.partner_id
            ):
                raise UserError(
                    self.env._(
                        "Transaction %(label)s of %(date)s: choose the partner of account "
                        "%(account)s.",
                        label=st_line.payment_ref,
                        date=st_line.date,
                        account=account.display_name,
                    )
                )
            _liquidity, suspense, others = st_line._seek_for_lines()
            if len(suspense) != 1 or others:
                continue  # partly booked by other means: leave it to the accountant
            suspense.with_context(skip_account_move_synchronization=True).write(
                {"account_id": account.id, "partner_id": st_line.partner_id.id}
            )
            done |= st_line
        return done

    def action_site_book(self):
        """Book each transaction on its counterpart account when one is chosen, else on
        the unit it names (payments)."""
        done = self._site_book_counterparts()
        rest = self - done
        rest._site_match_reference()
        done |= rest._site_reconcile()
        return self.env["site.display"]._notification(
            self.env._(
                "%(done)s of %(total)s transactions booked.", done=len(done), total=len(self)
            ),
            {"type": "ir.actions.client", "tag": "soft_reload"},
        )

    def _site_payer_units(self):
        """{line: units} the line's partner holds (as owner or tenant) on its date."""
        lines = self.filtered("partner_id")
        relations = self.env["site.unit.relation"].search(
            [
                ("partner_id", "in", lines.partner_id.ids),
                ("company_id", "in", lines.company_id.ids),
                ("role", "in", PAYER_ROLES),
            ]
        )
        by_partner = defaultdict(list)
        for relation in relations:
            by_partner[relation.partner_id, relation.company_id].append(relation)
        result = {}
        for line in lines:
            result[line] = self.env["site.unit"].union(
                *(
                    relation.unit_id
                    for relation in by_partner[line.partner_id, line.company_id]
                    if relation.date_from <= line.date
                    and (not relation.date_to or relation.date_to >= line.date)
                )
            )
        return result

    def _site_match_partner(self):
        """Set the unit of open lines whose partner holds exactly one unit of the site;
        returns the lines matched."""
        matched = self.browse()
        open_lines = self.filtered(lambda line: not line.is_reconciled and not line.site_unit_id)
        for line, units in open_lines._site_payer_units().items():
            if len(units) == 1:
                line.site_unit_id = units
                matched |= line
        return matched

    def _compute_site_suggested_unit_ids(self):
        open_lines = self.filtered(lambda line: not line.is_reconciled and not line.site_unit_id)
        (self - open_lines).site_suggested_unit_ids = False
        if not open_lines:
            return
        by_partner = open_lines._site_payer_units()
        units = self.env["site.unit"].search([("company_id", "in", open_lines.company_id.ids)])
        holders = self.env["site.unit.relation"].search(
            [("unit_id", "in", units.ids), ("role", "in", PAYER_ROLES), ("state", "=", "current")]
        )
        for line in open_lines:
            label = " ".join(filter(None, (line.payment_ref, line.partner_name))).casefold()
            words = set(label.replace(",", " ").split())
            site_units = units.filtered(lambda unit, line=line: unit.company_id == line.company_id)
            named = holders.filtered(
                lambda relation, line=line, label=label: (
                    relation.company_id == line.company_id
                    and relation.partner_id.name
                    and relation.partner_id.name.casefold() in label
                )
            ).unit_id
            quoted = site_units.filtered(
                lambda unit, words=words: unit.code and unit.code.casefold() in words
            )
            line.site_suggested_unit_ids = by_partner.get(line, units.browse()) | named | quoted

    def action_site_use_suggestion(self):
        """Take the only suggested unit and book the transaction on it."""
        for line in self.filtered(lambda line: len(line.site_suggested_unit_ids) == 1):
            line.site_unit_id = line.site_suggested_unit_ids
        return self.action_site_reconcile()
