from odoo import fields, models


class SitePrivacyConsent(models.Model):
    """A person's consent to the processing of their data (KVKK in Turkey, GDPR in the EU)."""

    _name = "site.privacy.consent"
    _inherit = ["site.company.mixin"]
    _description = "Privacy Consent"
    _order = "date_given desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(help="The data controller.")
    law = fields.Selection(
        [
            ("kvkk", "KVKK (Turkey, Law 6698)"),
            ("gdpr", "GDPR (EU 2016/679)"),
            ("ua_pdp", "Personal Data Protection (Ukraine, Law 2297-VI)"),
        ],
        required=True,
        default="gdpr",
    )
    purpose = fields.Selection(
        [
            ("management", "Site Management"),
            ("communication", "SMS and E-mail Notices"),
            ("cameras", "Camera Recordings"),
            ("marketing", "Marketing"),
        ],
        required=True,
        default="management",
    )
    date_given = fields.Date(required=True, default=fields.Date.context_today)
    date_withdrawn = fields.Date()
    channel = fields.Selection(
        [("paper", "Signed Form"), ("portal", "Portal"), ("email", "E-mail"), ("other", "Other")],
        default="paper",
    )
    document = fields.Binary(attachment=True)
    document_name = fields.Char()

    _dates_ordered = models.Constraint(
        "CHECK (date_withdrawn IS NULL OR date_withdrawn >= date_given)",
        "A consent cannot be withdrawn before it was given.",
    )
