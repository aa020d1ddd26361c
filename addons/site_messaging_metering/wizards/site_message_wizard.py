from odoo import api, fields, models


class SiteMessageWizard(models.TransientModel):
    _inherit = "site.message.wizard"

    audience = fields.Selection(
        selection_add=[("readings_missing", "People with Readings Missing")],
        ondelete={"readings_missing": "set default"},
    )

    def _audience_roles(self):
        if self.audience == "readings_missing":
            return ["owner", "tenant"]
        return super()._audience_roles()

    def _readings_window(self):
        """The days a reading is missing from: the wizard's reading window, else the
        site's current one."""
        current = self.env["site.message.automation"]._site_reading_window_dates(
            self.company_id, fields.Date.context_today(self)
        )
        return (self.reading_date_from or current[0], self.reading_date_to or current[1])

    def _audience_filter(self, recipients):
        """People with readings missing: the owners and tenants of the units with a
        meter not read in the window, with those units only."""
        recipients = super()._audience_filter(recipients)
        if self.audience != "readings_missing":
            return recipients
        missing = self.env["site.message.automation"]._site_metered_units(
            self.company_id, self._readings_window()
        )
        narrowed = {partner: units & missing for partner, units in recipients.items()}
        return {partner: units for partner, units in narrowed.items() if units}

    @api.onchange("audience", "company_id")
    def _onchange_audience_reading_window(self):
        if self.audience == "readings_missing" and self.company_id:
            self.reading_date_from, self.reading_date_to = self.env[
                "site.message.automation"
            ]._site_reading_window_dates(self.company_id, fields.Date.context_today(self))
