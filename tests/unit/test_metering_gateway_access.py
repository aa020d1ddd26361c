import socket

import pytest
from conftest import load_engine

access = load_engine("site_metering", "gateway_access")


def resolver(*addresses):
    def resolve(host, port, type=None):
        return [(None, type, 6, "", (address, port)) for address in addresses]

    return resolve


def test_networks_parsed_and_wrong_entry_named():
    networks = access.parse_networks(" 10.0.0.0/8, 192.168.1.5 ,,fd00::/8")
    assert [str(n) for n in networks] == ["10.0.0.0/8", "192.168.1.5/32", "fd00::/8"]
    assert access.parse_networks("") == []
    with pytest.raises(ValueError, match="'10.0.0.0/33' is not a network"):
        access.parse_networks("10.0.0.0/33")


def test_only_resolved_addresses_inside_the_networks_are_kept():
    networks = access.parse_networks("10.1.0.0/16")
    resolve = resolver("10.1.2.3", "10.2.0.1", "10.1.2.3", "::ffff:10.1.9.9")
    assert access.allowed_addresses("gw.example", 10001, networks, resolve) == [
        "10.1.2.3",
        "::ffff:10.1.9.9",
    ]
    assert access.allowed_addresses("gw.example", 10001, [], resolve) == []
    assert access.allowed_addresses("gw", 1, networks, resolver("fe80::1%eth0")) == []


def test_localhost_resolved_before_the_check():
    loopback = access.parse_networks("127.0.0.0/8")
    assert access.allowed_addresses("localhost", 1, loopback)
    assert not access.allowed_addresses("localhost", 1, access.parse_networks("10.0.0.0/8"))
    with pytest.raises(OSError):
        access.allowed_addresses("no-such-host.invalid", 1, loopback)


@pytest.mark.parametrize(
    "host, valid",
    [
        ("192.168.1.50", True),
        ("gw-1.block-a.example", True),
        ("::1", True),
        ("", False),
        ("gw:10001", False),
        ("gw/x?logging=debug", False),
        ("-gw", False),
        ("gw .example", False),
    ],
)
def test_host_syntax(host, valid):
    assert access.valid_host(host) is valid


def test_socket_url():
    assert access.socket_url("10.0.0.5", 10001) == "socket://10.0.0.5:10001"
    assert access.socket_url("fd00::5", 10001) == "socket://[fd00::5]:10001"
    assert socket.AF_INET  # the resolver's constants exist on this platform
