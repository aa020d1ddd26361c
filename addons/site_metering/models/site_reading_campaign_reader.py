from odoo import fields, models


class SiteReadingCampaignReader(models.Model):
    _name = "site.reading.campaign.reader"
    _description = "Reading Campaign Reader by Building"

    campaign_id = fields.Many2one(
        "site.reading.campaign", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, string="Site")
    building_id = fields.Many2one(
        "site.building",
        required=True,
        domain="[('company_id', '=', company_id)]",
    )
    reader_id = fields.Many2one("res.users", string="Reader", required=True)

    _building_uniq = models.Constraint(
        "UNIQUE (campaign_id, building_id)", "A building has one reader per campaign."
    )
