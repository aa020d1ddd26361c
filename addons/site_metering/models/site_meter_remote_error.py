from odoo import fields, models

from ..engine import remote


class SiteMeterRemoteError(models.Model):
    """A failed remote read of a meter: no answer, checksum, decryption..."""

    _name = "site.meter.remote.error"
    _description = "Remote Reading Error"
    _order = "date desc, id desc"
    _check_company_auto = True

    meter_id = fields.Many2one(
        "site.meter", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(related="meter_id.company_id", store=True, string="Site")
    unit_id = fields.Many2one(related="meter_id.unit_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    code = fields.Selection(remote.ERROR_CODES, required=True, index=True)
    message = fields.Char()
    raw_telegram = fields.Text(help="The telegram as received, in hexadecimal.")
    gateway_id = fields.Many2one("site.meter.gateway", index="btree_not_null", ondelete="set null")
    collector_id = fields.Many2one(
        "site.meter.collector", index="btree_not_null", ondelete="set null"
    )
    remote_key = fields.Char(string="Upload Key", readonly=True, copy=False)

    _remote_key_uniq = models.UniqueIndex("(company_id, remote_key) WHERE remote_key IS NOT NULL")
