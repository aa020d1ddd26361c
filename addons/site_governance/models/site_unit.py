from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.site_residents.engine import history

from ..engine import voting


class SiteUnit(models.Model):
    _inherit = "site.unit"

    site_voter_id = fields.Many2one(
        "res.partner",
        string="Votes For the Unit",
        tracking=True,
        help="The co-owner the unit's owners named to vote for it. A unit with one owner "
        "needs nobody named: its owner votes.",
    )

    @api.constrains("site_voter_id")
    def _check_site_voter(self):
        voters = self.filtered("site_voter_id")
        owners = voters._site_owners(fields.Date.context_today(self))
        for unit in voters:
            if unit.site_voter_id.id not in owners[unit.id]:
                raise ValidationError(
                    self.env._(
                        "Unit %(unit)s: %(person)s does not own the unit today; the one who "
                        "votes for it (Votes For the Unit) is one of its owners.",
                        unit=unit.code,
                        person=unit.site_voter_id.name,
                    )
                )

    def _site_owners(self, day):
        """{unit id: {partner ids owning it on ``day``}}, in one query."""
        return {
            unit_id: {relation.partner_id for relation in history.active_on(relations, day)}
            for unit_id, relations in self.sudo()._relations_by_unit([history.OWNER]).items()
        }

    def _site_voters(self, day=None):
        """{unit id: the partner id who votes for it on ``day`` (today), or None}."""
        owners = self._site_owners(day or fields.Date.context_today(self))
        return {
            unit.id: voting.unit_voter(owners[unit.id], unit.sudo().site_voter_id.id)
            for unit in self
        }
