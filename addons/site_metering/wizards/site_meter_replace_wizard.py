from odoo import api, fields, models
from odoo.exceptions import UserError


class SiteMeterReplaceWizard(models.TransientModel):
    """Replace a meter: the old one's final reading, the new one's initial reading.

    The new meter takes the old one's place (unit, room, radiator, factors) and its
    initial reading has no consumption, so the unit's consumption is the old meter's
    up to the final reading plus the new meter's from its initial one.
    """

    _name = "site.meter.replace.wizard"
    _description = "Replace a Meter"

    meter_id = fields.Many2one("site.meter", required=True, readonly=True)
    company_id = fields.Many2one(related="meter_id.company_id", store=True)
    date = fields.Date(string="Replaced On", required=True, default=fields.Date.context_today)
    final_value = fields.Float(string="Old Meter's Final Reading", digits=(16, 3), required=True)
    new_serial = fields.Char(string="New Serial Number", required=True)
    new_model_id = fields.Many2one("site.meter.model", string="New Model")
    initial_value = fields.Float(
        string="New Meter's Initial Reading", digits=(16, 3), required=True, default=0.0
    )
    seal_number = fields.Char(string="New Seal")
    calibration_expiry = fields.Date(string="New Calibration Valid Until")
    reason = fields.Char(help="Why the meter was replaced: calibration, fault, upgrade...")

    @api.onchange("meter_id")
    def _onchange_meter_id(self):
        self.new_model_id = self.meter_id.model_id
        self.final_value = self.meter_id.last_value

    def action_replace(self):
        self.ensure_one()
        old = self.meter_id
        if old.state == "replaced":
            raise UserError(self.env._("Meter %(serial)s was already replaced.", serial=old.serial))
        if old.last_date and self.date < old.last_date:
            raise UserError(
                self.env._(
                    "Meter %(serial)s was read on %(last)s: the replacement cannot be dated "
                    "earlier.",
                    serial=old.serial,
                    last=old.last_date,
                )
            )
        Reading = self.env["site.meter.reading"]
        Reading._create_trusted(
            {
                "meter_id": old.id,
                "date": self.date,
                "value": self.final_value,
                "source": "engineer",
                "is_final": True,
                "note": self.reason,
            }
        )
        new = old.copy(
            {
                "serial": self.new_serial,
                "model_id": self.new_model_id.id or old.model_id.id,
                "seal_number": self.seal_number,
                "seal_date": self.date if self.seal_number else False,
                "calibration_expiry": self.calibration_expiry,
                "install_date": self.date,
                "replaces_id": old.id,
                "state": "active",
            }
        )
        Reading._create_trusted(
            {
                "meter_id": new.id,
                "date": self.date,
                "value": self.initial_value,
                "source": "engineer",
                "is_initial": True,
            }
        )
        old.write({"state": "replaced", "replaced_by_id": new.id, "active": False})
        old.message_post(
            body=self.env._(
                "Replaced by %(serial)s on %(date)s at %(value)s. %(reason)s",
                serial=new.serial,
                date=self.date,
                value=self.final_value,
                reason=self.reason or "",
            )
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "site.meter",
            "res_id": new.id,
            "view_mode": "form",
        }
