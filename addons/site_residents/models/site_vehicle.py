import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError


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
