from odoo import models

from ..models.res_company import DEFAULT_CHARGE_TYPES


class SiteSetupWizard(models.TransientModel):
    _inherit = "site.setup.wizard"

    def _site_summary(self):
        rows = super()._site_summary()
        lang = self.env.lang or "en_US"
        rows = [
            (key, label, f"{text}, {self.env._('Site Charges')}" if key == "journals" else text)
            for key, label, text in rows
        ]
        rows.append(
            (
                "charge_types",
                self.env._("Charge Types"),
                ", ".join(row[1]._translate(lang) for row in DEFAULT_CHARGE_TYPES),
            )
        )
        return rows

    def action_create(self):
        action = super().action_create()
        # The role was checked by the New Site wizard; the user may not write charge types.
        self.env["res.company"].browse(action["res_id"]).sudo()._site_dues_setup()
        return action
