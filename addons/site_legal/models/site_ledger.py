from collections import defaultdict, namedtuple

from odoo import api, fields, models
from odoo.exceptions import UserError

# One amount moved off an open receivable line: ``source`` (the line), ``amount``
# (positive, at most its open amount), ``target`` (values of the new line: account_id
# and whatever differs from the source) and ``offset`` (values the line that closes the
# source takes besides the source's own, e.g. another charge type).
Reclass = namedtuple("Reclass", "source amount target offset", defaults=(None,))

# What a new line keeps of the line it comes from.
KEPT_FIELDS = ("partner_id", "site_unit_id", "site_charge_type_id", "site_period")


class SiteLedger(models.AbstractModel):
    """The legal follow-up's entries, on the same posting path as the charges."""

    _inherit = "site.ledger"

    @api.model
    def _post_legal_entry(self, company, date, lines, reference, kind, case=None):
        """Create and post one entry of ``lines`` (account.move.line values, each with
        its signed ``balance``) in the site's legal journal; returns the move."""
        company._site_legal_accounts()
        move = (
            self.env["account.move"]
            .with_company(company)
            .with_context(tracking_disable=True)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": company.site_legal_journal_id.id,
                    "date": date,
                    "ref": reference,
                    "company_id": company.id,
                    "site_legal_case_id": case.id if case else False,
                    "site_legal_kind": kind,
                    "line_ids": [fields.Command.create(values) for values in lines],
                }
            )
        )
        move.action_post()
        return move

    @api.model
    def _post_reclassification(self, company, date, items, reference, kind, case=None):
        """Move open amounts of receivable lines to other lines, in one entry.

        For each Reclass: a line on the source's account, opposite to the source and
        matched with it (the source is closed by that much), and the target line, which
        keeps the source's partner, unit, charge type, month and analytic distribution
        unless ``target`` says otherwise. Returns the move and the target lines, in the
        order of ``items``.
        """
        moved = defaultdict(float)
        for item in items:
            moved[item.source] += float(item.amount)
            if item.amount <= 0 or round(moved[item.source], 2) > abs(item.source.amount_residual):
                raise UserError(
                    self.env._(
                        "%(amount)s cannot be moved off %(line)s, which has %(open)s open.",
                        amount=moved[item.source],
                        line=item.source.display_name,
                        open=item.source.amount_residual,
                    )
                )
        lines = []
        for item in items:
            source = item.source
            sign = 1 if source.amount_residual > 0 else -1
            kept = {
                name: source[name].id if name != "site_period" else source[name]
                for name in KEPT_FIELDS
            }
            kept["analytic_distribution"] = source.analytic_distribution or False
            kept["name"] = source.name
            amount = float(item.amount)
            offset = dict(kept, account_id=source.account_id.id, date_maturity=date)
            lines.append(dict(offset, balance=-sign * amount, **(item.offset or {})))
            lines.append(dict(kept, balance=sign * amount, **item.target))
        move = self._post_legal_entry(company, date, lines, reference, kind, case)
        created = move.line_ids.sorted("id")
        offsets, targets = created[0::2], created[1::2]
        by_source = defaultdict(lambda: self.env["account.move.line"])
        for item, offset in zip(items, offsets):
            by_source[item.source] |= offset
        self.env["account.move.line"]._reconcile_plan(
            [source | source_offsets for source, source_offsets in by_source.items()]
        )
        return move, targets
