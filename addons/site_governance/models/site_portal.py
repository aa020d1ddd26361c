from odoo import api, models
from odoo.fields import Domain


class SitePortal(models.AbstractModel):
    _inherit = "site.portal"

    @api.model
    def _site_voting_units(self, partner):
        """The units (sudo) ``partner`` votes for today: among those they own today (their
        own relations, ``_access``), the ones whose co-owners named them, or that they
        own alone."""
        accesses = self._access(partner)
        owned = (
            self.env["site.unit"]
            .sudo()
            .browse(
                unit_id
                for unit_id, unit_access in accesses.items()
                if unit_access.current and "owner" in unit_access.roles
            )
        )
        voters = owned._site_voters()
        return owned.filtered(lambda unit: voters[unit.id] == partner.id)

    @api.model
    def _site_votes(self, partner, resolution=None):
        """The roll rows (sudo) of open and closed votes that are ``partner``'s: units
        they vote for today, and votes they cast."""
        units = self._site_voting_units(partner)
        domain = Domain.AND(
            [
                Domain("resolution_id.state", "in", ("open", "closed")),
                Domain("unit_id", "in", units.ids) | Domain("voter_id", "=", partner.id),
            ]
        )
        if resolution is not None:
            domain &= Domain("resolution_id", "=", resolution.id)
        return self.env["site.vote"].sudo().search(domain)

    @api.model
    def _site_resolutions(self, partner):
        """The person's open and closed votes (sudo): open ones first, latest first."""
        resolutions = self._site_votes(partner).resolution_id
        return resolutions.sorted(
            lambda r: (r.state != "open", -(r.date_close.timestamp() if r.date_close else 0))
        )
