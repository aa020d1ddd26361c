"""Which addresses the server may connect to when it polls an M-Bus gateway.

An administrator lists the allowed networks (CIDR, comma-separated); empty: none. A
gateway's host is resolved once and only the addresses inside an allowed network are
kept; the connection then goes to such an address as an IP literal, so a DNS answer
cannot change between the check and the connection.
"""

import ipaddress
import re
import socket

# RFC 1123 host names: labels of letters, digits and inner hyphens.
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
)


def _ip(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def valid_host(host):
    """A host name or an IP address, and nothing that would read as a URL."""
    return bool(host) and (_ip(host) is not None or bool(HOSTNAME_RE.match(host)))


def parse_networks(text):
    """The networks of a comma-separated list of CIDRs; ValueError names a wrong entry."""
    networks = []
    for entry in (text or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not a network (e.g. 192.168.10.0/24)") from None
    return networks


def is_allowed(address, networks):
    ip = _ip(address)
    if ip is None:  # e.g. an IPv6 address with a zone: never allowed
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip.version == network.version and ip in network for network in networks)


def allowed_addresses(host, port, networks, resolve=socket.getaddrinfo):
    """The addresses ``host`` resolves to that lie in ``networks``, in resolver order.

    Raises OSError when the host cannot be resolved.
    """
    addresses = []
    for _family, _type, _proto, _name, sockaddr in resolve(host, port, type=socket.SOCK_STREAM):
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    return [address for address in addresses if is_allowed(address, networks)]


def socket_url(address, port):
    """pyserial's URL of a TCP connection to an IP address."""
    return f"socket://[{address}]:{port}" if ":" in address else f"socket://{address}:{port}"
