"""How Odoo reads the meters of a gateway, one class per gateway kind.

``site.meter.gateway._get_reader_class()`` returns the class of a gateway's kind, as
``res.company._get_sms_api_class()`` returns a company's SMS provider. Another kind (a
vendor's HTTP API, a radio receiver) plugs in from its own addon: a subclass of
``GatewayReader`` in its ``tools``, a value added to the gateway's ``kind`` selection and
an override of ``_get_reader_class`` that returns the subclass for that value.
"""

import logging

from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

# Seconds one poll or scan of a gateway may take (within the 120 s an Odoo worker is
# given by default).
POLL_BUDGET_SECONDS = 90


class GatewayReader:
    """Reads the meters of one gateway (``self.gateway``, a ``site.meter.gateway``).

    Every connection goes to ``gateway._allowed_address()``, and every read returns
    before its ``deadline`` (``time.monotonic()``).
    """

    #: Whether ``scan`` finds the meters on the gateway.
    can_scan = False

    def __init__(self, gateway):
        gateway.ensure_one()
        self.gateway = gateway
        self.env = gateway.env

    def read(self, meters, deadline):
        """Read ``meters`` once, in their order, before ``deadline``.

        Returns (entries for ``site.meter.reading._remote_ingest``, one a meter read or
        failed, made by ``gateway._entry``; how many meters the deadline left unread).
        Raises UserError, having read nothing, when the gateway cannot be reached.
        """
        raise NotImplementedError

    def scan(self, deadline):
        """The meters on the gateway, as the meter objects of an upload (``METER`` of
        ``engine.collector_upload``: ``secondary_address``, ``id``, ``manufacturer``,
        ``medium``, ``wmbus``)."""
        raise UserError(
            self.env._("Gateway %(gateway)s cannot scan for meters.", gateway=self.gateway.name)
        )

    def unreachable(self, target, error):
        """The UserError of a failed connection to ``target``.

        The socket's own words (refused, timed out, ...) would let whoever may poll probe
        the network: they go to the server log only.
        """
        gateway = self.gateway
        _logger.warning(
            "Gateway %s (id %s): cannot connect to %s: %s", gateway.name, gateway.id, target, error
        )
        return UserError(
            self.env._(
                "Gateway %(gateway)s: cannot connect to %(host)s, port %(port)s.",
                gateway=gateway.name,
                host=gateway.host,
                port=gateway.port,
            )
        )
