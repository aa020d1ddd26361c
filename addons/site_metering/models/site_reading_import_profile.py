from odoo import fields, models


class SiteReadingImportProfile(models.Model):
    """A reading firm's file layout, saved to import its next files in one step."""

    _name = "site.reading.import.profile"
    _description = "Reading Import Profile"
    _inherit = ["site.reading.import.mapping"]
    _order = "partner_id, name"

    name = fields.Char(required=True)
    partner_id = fields.Many2one(
        "res.partner", string="Reading Firm", required=True, index=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company",
        string="Site",
        default=lambda self: self.env.company,
        domain=[("is_site", "=", True)],
        help="Leave empty to use this layout on every site the firm reads.",
    )
    col_meter = fields.Char(required=True)
    col_date = fields.Char(required=True)
    col_value = fields.Char(required=True)
    active = fields.Boolean(default=True)
    note = fields.Text()

    _name_uniq = models.Constraint(
        "UNIQUE (partner_id, name)", "A reading firm's profiles need different names."
    )

    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            # Odoo checks the rules before a write only: the profile's new site must pass
            # them too, or a site's profile could be made every site's.
            self.check_access("write")
        return result

    def _compute_display_name(self):
        for profile in self:
            profile.display_name = (
                f"{profile.partner_id.name}: {profile.name}" if profile.partner_id else profile.name
            )

    def action_import(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Import Readings"),
            "res_model": "site.reading.import.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_profile_id": self.id},
        }
