from odoo import api, fields, models


class SitePet(models.Model):
    _name = "site.pet"
    _description = "Pet"
    _order = "partner_id, name"

    partner_id = fields.Many2one(
        "res.partner", string="Owner", required=True, index=True, ondelete="cascade"
    )
    name = fields.Char(required=True)
    species = fields.Selection(
        [
            ("dog", "Dog"),
            ("cat", "Cat"),
            ("bird", "Bird"),
            ("fish", "Fish"),
            ("rodent", "Rodent"),
            ("reptile", "Reptile"),
            ("other", "Other"),
        ],
        required=True,
        default="dog",
    )
    breed = fields.Char()
    chip_number = fields.Char(string="Microchip")
    vaccination_date = fields.Date(string="Last Vaccination")
    vaccination_due = fields.Date(
        compute="_compute_vaccination_due",
        store=True,
        help="A year after the last vaccination (rabies).",
    )
    active = fields.Boolean(default=True)

    @api.depends("vaccination_date")
    def _compute_vaccination_due(self):
        for pet in self:
            pet.vaccination_due = (
                fields.Date.add(pet.vaccination_date, years=1) if pet.vaccination_date else False
            )
