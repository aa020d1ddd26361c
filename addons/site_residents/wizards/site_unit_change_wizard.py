from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine import history


class SiteUnitChangeWizard(models.TransientModel):
    """Sale, move-in or move-out: close the old relations and open the new ones in one step.

    The change date is the first day of the new situation: whoever leaves is related to
    the unit until the day before.
    """

    _name = "site.unit.change.wizard"
    _description = "Sale, Move-in or Move-out"

    unit_id = fields.Many2one("site.unit", required=True)
    company_id = fields.Many2one(related="unit_id.company_id")
    change_type = fields.Selection(
        [
            ("sale", "Sale (new owners)"),
            ("move_in", "Move-in (new tenants)"),
            ("move_out", "Move-out (tenants leave)"),
        ],
        required=True,
        default="sale",
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, help="First day of the new situation."
    )
    line_ids = fields.One2many("site.unit.change.wizard.line", "wizard_id", string="New People")
    end_household = fields.Boolean(
        string="End Their Household's Stay",
        default=True,
        help="Also end the residents and family members registered with the people who leave.",
    )
    persons = fields.Integer(
        string="Persons Living From Then", help="Leave at 0 to keep the current declaration."
    )
    current_relation_ids = fields.Many2many(
        "site.unit.relation", compute="_compute_current_relation_ids", string="Ending"
    )

    @api.depends("unit_id", "change_type", "date")
    def _compute_current_relation_ids(self):
        for wizard in self:
            wizard.current_relation_ids = wizard._relations_to_end() if wizard.unit_id else False

    def _leaving_role(self):
        return history.OWNER if self.change_type == "sale" else history.TENANT

    def _relations_to_end(self):
        """Relations that are valid on the change date and end with this change."""
        relation_model = self.env["site.unit.relation"]
        leaving = relation_model.search(
            [("unit_id", "=", self.unit_id.id), ("role", "=", self._leaving_role())]
            + relation_model._domain_active_on(self.date)
        )
        if self.end_household and leaving:
            leaving |= relation_model.search(
                [
                    ("unit_id", "=", self.unit_id.id),
                    ("role", "in", (history.RESIDENT, history.FAMILY)),
                    ("related_partner_id", "in", leaving.partner_id.ids),
                ]
                + relation_model._domain_active_on(self.date)
            )
        return leaving

    def _validate(self, ending):
        new_lines = self.line_ids
        if self.change_type in ("sale", "move_in") and not new_lines:
            raise UserError(
                self.env._(
                    "Add the new %(who)s of unit %(unit)s.",
                    who=self.env._("owners")
                    if self.change_type == "sale"
                    else self.env._("tenants"),
                    unit=self.unit_id.code,
                )
            )
        if self.change_type == "move_out" and not ending:
            raise UserError(
                self.env._(
                    "Unit %(unit)s has no tenant on %(date)s.",
                    unit=self.unit_id.code,
                    date=self.date,
                )
            )
        too_early = ending.filtered(lambda r: r.date_from >= self.date)
        if too_early:
            raise UserError(
                self.env._(
                    "Unit %(unit)s: %(person)s only starts on %(start)s, so the change cannot take "
                    "effect on %(date)s.",
                    unit=self.unit_id.code,
                    person=too_early[0].partner_id.name,
                    start=too_early[0].date_from,
                    date=self.date,
                )
            )
        if self.change_type == "sale":
            total = round(sum(new_lines.mapped("share")), 2)
            if total != 100:
                raise UserError(
                    self.env._(
                        "Unit %(unit)s: the new owners' shares add up to %(total)s %%, not 100 %%.",
                        unit=self.unit_id.code,
                        total=total,
                    )
                )

    def action_apply(self):
        self.ensure_one()
        ending = self._relations_to_end()
        self._validate(ending)
        day_before = fields.Date.subtract(self.date, days=1)
        unit = self.unit_id.with_context(site_defer_share_check=True)
        relation_model = self.env["site.unit.relation"].with_context(site_defer_share_check=True)
        ending.with_context(site_defer_share_check=True).write({"date_to": day_before})
        role = history.OWNER if self.change_type == "sale" else history.TENANT
        started = relation_model.create(
            [
                {
                    "unit_id": unit.id,
                    "partner_id": line.partner_id.id,
                    "role": role,
                    "share": line.share if role == history.OWNER else 0.0,
                    "lives_here": line.lives_here,
                    "date_from": self.date,
                }
                for line in self.line_ids
            ]
        )
        if self.persons:
            self.env["site.unit.persons"].create(
                {"unit_id": unit.id, "date": self.date, "persons": self.persons}
            )
        self.unit_id._check_owner_shares()
        self.unit_id.message_post(
            body=self.env._(
                "%(change)s on %(date)s: %(ended)s ended, %(started)s started.",
                change=dict(self._fields["change_type"]._description_selection(self.env))[
                    self.change_type
                ],
                date=self.date,
                ended=", ".join(ending.partner_id.mapped("name")) or "—",
                started=", ".join(started.partner_id.mapped("name")) or "—",
            )
        )
        return self._next_action_after_change(ending, started) or {
            "type": "ir.actions.act_window_close"
        }

    def _next_action_after_change(self, ended, started):
        """Hook for the meter readings taken on the change date.

        site_metering returns an action that asks for them; here there is nothing more to do.
        """
        return False
