from odoo import api, fields, models

from odoo.addons.site_residents.engine.dates import day_of_month


class SitePostingMixin(models.AbstractModel):
    """A charging run: charges an addon posts to a site's ledger, and may reverse.

    The accrual, the late fees and the cost allocation inherit it, and so does any
    addon that charges residents (legal costs, repairs, letters). The inheriting model
    has ``name`` and ``company_id`` (the site); it computes its charges and posts them
    with ``site.ledger._post_month``, which puts each on its unit's charge notice of the
    month (``date=`` for entries dated after the month's first day, a share's own due
    date as its sixth item), then calls ``_posting_done``. ``site.ledger`` settles open
    credit after posting and after reversing, so a run never has to.

    What the mixin gives: the state, the entries and their reversals, one try-lock per
    record (``_posting_lock``), the due date of a month's charges
    (``_posting_due_date``), cancelling through ``site.ledger`` (``_posting_cancel``)
    and the "Entries" button (``action_view_moves``).
    """

    _name = "site.posting.mixin"
    _description = "Site Charging Run"

    state = fields.Selection(
        [("draft", "Draft"), ("posted", "Posted"), ("cancelled", "Cancelled")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    due_date = fields.Date(readonly=True, copy=False)
    move_ids = fields.Many2many("account.move", string="Entries", readonly=True, copy=False)
    reversal_move_ids = fields.Many2many(
        "account.move",
        string="Reversals",
        compute="_compute_reversal_move_ids",
        help="The entries that reversed this run's entries when it was cancelled.",
    )

    @api.depends("move_ids.reversal_move_ids")
    def _compute_reversal_move_ids(self):
        for run in self:
            run.reversal_move_ids = run.move_ids.reversal_move_ids

    def _posting_lock(self, message, key=None):
        """Lock this record (or ``key``, e.g. a site's id) for the transaction, in this
        model's own namespace; raises ``message`` if another transaction holds it."""
        self.env["site.lock"]._try(self._name, key if key is not None else self.id, message)

    @api.model
    def _posting_due_date(self, company, period):
        """When a month's charges fall due: the site's due day of the month of ``period``."""
        return day_of_month(period, company.site_charge_due_day)

    def _posting_done(self, moves, **values):
        """Record what ``moves`` posted: the run is posted, with ``values`` besides."""
        self.ensure_one()
        self.write({"state": "posted", "move_ids": [fields.Command.set(moves.ids)], **values})

    def _posting_reversal_date(self):
        """The date of the reversing entries: today."""
        return fields.Date.context_today(self)

    def _posting_cancel(self):
        """Reverse the entries of the posted runs through ``site.ledger``; all are then
        cancelled. The caller checks what may be cancelled and locks."""
        for run in self:
            if run.state == "posted" and run.move_ids:
                self.env["site.ledger"]._reverse_charges(
                    run.move_ids, run.name, run._posting_reversal_date()
                )
        self.write({"state": "cancelled"})

    def action_view_moves(self):
        """The charge lines the run posted and reversed."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": "account.move.line",
            "view_mode": "list,form",
            "domain": [
                ("move_id", "in", (self.move_ids | self.reversal_move_ids).ids),
                ("site_unit_id", "!=", False),
            ],
            "context": {"create": False},
        }
