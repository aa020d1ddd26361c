from odoo import fields, models


class SiteMeterCollectorKey(models.TransientModel):
    """Shows a newly generated API key once; only its hash is stored on the collector."""

    _name = "site.meter.collector.key"
    _description = "Collector API Key"

    collector_id = fields.Many2one("site.meter.collector", required=True, ondelete="cascade")
    key = fields.Char(readonly=True)
