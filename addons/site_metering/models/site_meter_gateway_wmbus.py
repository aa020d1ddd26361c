"""The wireless M-Bus receiver kind of gateway, plugged in as another addon would plug in
its own kind: a selection value, its settings and ``_get_reader_class``."""

from odoo import fields, models

from ..tools.wmbus_reader import WMBusReader


class SiteMeterGateway(models.Model):
    _inherit = "site.meter.gateway"

    kind = fields.Selection(
        selection_add=[("wmbus_tcp", "Wireless M-Bus Receiver over TCP")],
        ondelete={"wmbus_tcp": "set default"},
    )
    listen_seconds = fields.Integer(
        string="Listen For (s)",
        default=60,
        help="Wireless receivers: how long a poll listens for the meters' telegrams, up to 90 "
        "seconds. Meters not heard by then count as not answering.",
    )

    _listen_seconds_range = models.Constraint(
        "CHECK (listen_seconds BETWEEN 1 AND 90)",
        "A receiver's listening time must be from 1 to 90 seconds.",
    )

    def _get_reader_class(self):
        self.ensure_one()
        if self.kind == "wmbus_tcp":
            return WMBusReader
        return super()._get_reader_class()
