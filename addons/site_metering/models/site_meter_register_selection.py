from odoo import models

from .site_meter_register import default_specs, describe, pick_values


class SiteMeterRegisterSelection(models.Model):
    _inherit = "site.meter"

    def _register_specs(self):
        """The register lines of this meter's model, or the defaults of its kind."""
        self.ensure_one()
        if self.model_id.register_ids:
            return [line._spec() for line in self.model_id.register_ids]
        return default_specs(self.kind)

    def _billing_values(self, records):
        """{role: (value, description)} picked from decoded records for this meter."""
        self.ensure_one()
        return {
            role: (value, describe(spec))
            for role, (value, spec) in pick_values(self._register_specs(), records or []).items()
        }
