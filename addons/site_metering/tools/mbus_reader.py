"""Wired M-Bus over TCP: a level converter Odoo polls with site_collector's M-Bus master.

Every exchange is bounded: the answer timeout and the retries (whatever the gateway's
fields say), the telegrams of a reply (site_collector), the masks one scan may try and
the poll's deadline. Socket errors go to the server log only.
"""

import logging

from site_collector import DecodeError, mbus
from site_collector.frame import manufacturer_code
from site_collector.tables import medium_name

from odoo import fields
from odoo.exceptions import UserError

from ..engine import gateway_access
from ..engine.remote import normalise_address
from . import gateway_reader

_logger = logging.getLogger(__name__)

# Hard caps whatever the gateway's fields say (the fields' constraints say the same).
MIN_TIMEOUT, MAX_TIMEOUT = 0.05, 10.0
MAX_RETRIES = 5
# Masks one secondary-address scan may try.
MAX_SCAN_SELECTS = 5000


def found_meter(address):
    """The upload meter object of a 16-hex-digit secondary address a scan found
    (identification number, manufacturer, version, medium)."""
    return {
        "secondary_address": address,
        "id": address[:8],
        "manufacturer": manufacturer_code(int(address[8:12], 16)),
        "medium": medium_name(int(address[14:16], 16)),
        "wmbus": False,
    }


class MBusReader(gateway_reader.GatewayReader):
    """REQ_UD2 to each meter, by its secondary address (16 digits) or primary address."""

    can_scan = True

    def _master(self, deadline):
        gateway = self.gateway
        url = gateway_access.socket_url(gateway._allowed_address(), gateway.port)
        try:
            return mbus.MBusMaster(
                url,
                gateway.baudrate,
                min(max(gateway.timeout or 1.0, MIN_TIMEOUT), MAX_TIMEOUT),
                min(max(gateway.retries or 1, 1), MAX_RETRIES),
                deadline=deadline,
            )
        except Exception as error:  # pyserial raises SerialException, an OSError
            raise self.unreachable(url, error) from error

    def read(self, meters, deadline):
        entries = []
        with self._master(deadline) as master:
            for index, meter in enumerate(meters):
                try:
                    entries.append(self.read_meter(master, meter))
                except mbus.TimeBudgetExceeded:
                    return entries, len(meters) - index
        return entries, 0

    def read_meter(self, master, meter):
        """One REQ_UD2 exchange: an entry with the decoded records or the error."""
        gateway, env = self.gateway, self.env
        moment = fields.Datetime.now()
        secondary = normalise_address(meter.mbus_secondary_address)
        try:
            if len(secondary) == 16:
                decoded = master.read_secondary(secondary)
            elif meter.mbus_primary_address:
                decoded = master.req_ud2(meter.mbus_primary_address)
            else:
                return gateway._entry(
                    meter,
                    moment,
                    error="no_address",
                    message=env._(
                        "Give the meter a primary address or a 16-digit secondary address."
                    ),
                )
        except mbus.NoAnswer as error:
            return gateway._entry(meter, moment, error="no_answer", message=str(error))
        except DecodeError as error:
            return gateway._entry(meter, moment, error=error.reason, message=str(error))
        except OSError as error:
            _logger.warning(
                "Gateway %s (id %s): connection lost: %s", gateway.name, gateway.id, error
            )
            return gateway._entry(
                meter,
                moment,
                error="connection",
                message=env._("The connection to the gateway failed during the read."),
            )
        if secondary and decoded.get("id") and decoded["id"] != secondary[:8]:
            return gateway._entry(
                meter,
                moment,
                raw=decoded.get("raw"),
                error="address_mismatch",
                message=env._(
                    "Meter %(expected)s expected, meter %(found)s answered.",
                    expected=secondary[:8],
                    found=decoded["id"],
                ),
            )
        return gateway._decoded_entry(meter, moment, decoded, decoded.get("raw"))

    def scan(self, deadline):
        gateway, env = self.gateway, self.env
        with self._master(deadline) as master:
            try:
                addresses = master.scan_secondary(max_selects=MAX_SCAN_SELECTS)
            except mbus.ScanLimitExceeded as error:
                raise UserError(
                    env._(
                        "Gateway %(gateway)s: the scan stopped after %(selects)s addresses tried, "
                        "as the bus answered nearly all of them: a faulty or foreign device?",
                        gateway=gateway.name,
                        selects=MAX_SCAN_SELECTS,
                    )
                ) from error
            except mbus.TimeBudgetExceeded as error:
                raise UserError(
                    env._(
                        "Gateway %(gateway)s: the scan took longer than %(seconds)s s and was "
                        "stopped.",
                        gateway=gateway.name,
                        seconds=gateway_reader.POLL_BUDGET_SECONDS,
                    )
                ) from error
            except (DecodeError, mbus.NoAnswer) as error:
                raise UserError(
                    env._("Gateway %(gateway)s: %(error)s", gateway=gateway.name, error=error)
                ) from error
            except OSError as error:
                _logger.warning(
                    "Gateway %s (id %s): scan failed: %s", gateway.name, gateway.id, error
                )
                raise UserError(
                    env._(
                        "Gateway %(gateway)s: the connection failed during the scan.",
                        gateway=gateway.name,
                    )
                ) from error
        return [found_meter(address) for address in addresses]
