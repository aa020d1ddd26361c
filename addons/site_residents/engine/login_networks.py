"""Where a staff account may sign in from: the office networks of its site."""

import ipaddress


def parse_network(text):
    """The network ``text`` in canonical CIDR form; raises ValueError when it is not one.

    One address is a network of its own (``203.0.113.7`` is ``203.0.113.7/32``) and
    host bits are cleared (``192.168.1.77/24`` is ``192.168.1.0/24``).
    """
    return str(ipaddress.ip_network((text or "").strip(), strict=False))


def address_allowed(address, networks):
    """Whether ``address`` lies in one of ``networks`` (CIDR strings); no networks: anywhere.

    An address that cannot be read is outside every network.
    """
    if not networks:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    # An IPv4 client seen through a dual-stack socket arrives as ::ffff:a.b.c.d.
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in ipaddress.ip_network(network) for network in networks)
