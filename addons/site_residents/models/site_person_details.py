"""People's details kept by the management: emergency contacts, vehicles, pets, consents."""

import re

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


class SiteVehicle(models.Model):
    _name = "site.vehicle"
    _inherit = ["site.company.mixin"]
    _description = "Vehicle"
    _order = "plate"
    _rec_name = "plate"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Owner", required=True, index=True, ondelete="cascade"
    )
    plate = fields.Char(required=True, help="Stored upper-case, without spaces or dashes.")
    make = fields.Char()
    model = fields.Char()
    colour = fields.Char()
    remote_serial = fields.Char(
        string="Remote Control Serial", help="Serial of the gate or barrier remote control."
    )
    parking_unit_id = fields.Many2one(
        "site.unit",
        string="Parking Space",
        check_company=True,
        domain="[('type_kind', '=', 'parking')]",
    )
    parking_place = fields.Char(help="A place that is not a unit of its own, e.g. 'P2-14'.")
    active = fields.Boolean(default=True)

    _plate_site_uniq = models.Constraint(
        "UNIQUE (company_id, plate)", "This plate is already registered in the site."
    )

    @api.model
    def _normalise_plate(self, plate):
        return re.sub(r"[\s\-.]", "", plate or "").upper()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("plate"):
                vals["plate"] = self._normalise_plate(vals["plate"])
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("plate"):
            vals["plate"] = self._normalise_plate(vals["plate"])
        return super().write(vals)

    @api.constrains("plate")
    def _check_plate(self):
        for vehicle in self:
            if not re.fullmatch(r"[0-9A-ZÇĞİÖŞÜĄĆĘŁŃÓŚŹŻА-ЯІЇЄҐ]{2,12}", vehicle.plate):
                raise ValidationError(
                    self.env._(
                        "%(plate)s is not a plate number: use 2 to 12 letters and digits.",
                        plate=vehicle.plate,
                    )
                )


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
