from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SiteEmergencyContact(models.Model):
    _name = "site.emergency.contact"
    _description = "Emergency Contact"
    _order = "partner_id, sequence, id"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    contact_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="restrict",
        domain="[('id', '!=', partner_id)]",
    )
    relation = fields.Selection(
        [
            ("spouse", "Spouse or Partner"),
            ("parent", "Parent"),
            ("child", "Child"),
            ("sibling", "Sibling"),
            ("relative", "Other Relative"),
            ("friend", "Friend"),
            ("neighbour", "Neighbour"),
            ("caregiver", "Caregiver"),
            ("other", "Other"),
        ],
        required=True,
        default="relative",
    )
    sequence = fields.Integer(default=10)
    phone = fields.Char(related="contact_id.phone")
    note = fields.Char()

    @api.constrains("partner_id", "contact_id")
    def _check_not_self(self):
        for record in self:
            if record.partner_id == record.contact_id:
                raise ValidationError(
                    self.env._(
                        "%(person)s cannot be their own emergency contact.",
                        person=record.partner_id.name,
                    )
                )
