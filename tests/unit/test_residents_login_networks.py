import pytest
from conftest import load_engine

login_networks = load_engine("site_residents", "login_networks")


@pytest.mark.parametrize(
    ("text", "network"),
    [
        ("10.0.0.0/8", "10.0.0.0/8"),
        (" 192.168.1.77/24 ", "192.168.1.0/24"),
        ("203.0.113.7", "203.0.113.7/32"),
        ("2001:db8::1/32", "2001:db8::/32"),
    ],
)
def test_networks_are_normalised(text, network):
    assert login_networks.parse_network(text) == network


@pytest.mark.parametrize("text", ["", None, "office", "10.0.0.0/33", "300.1.1.1", "10.0.0.0/8,"])
def test_malformed_networks_are_refused(text):
    with pytest.raises(ValueError):
        login_networks.parse_network(text)


@pytest.mark.parametrize(
    ("address", "networks", "allowed"),
    [
        ("203.0.113.9", [], True),
        ("127.0.0.1", ["10.0.0.0/8"], False),
        ("127.0.0.1", ["10.0.0.0/8", "127.0.0.0/8"], True),
        ("::ffff:10.1.2.3", ["10.0.0.0/8"], True),
        ("2001:db8::5", ["2001:db8::/32"], True),
        ("2001:db9::5", ["2001:db8::/32", "10.0.0.0/8"], False),
        ("n/a", ["10.0.0.0/8"], False),
        (None, ["10.0.0.0/8"], False),
    ],
)
def test_address_must_lie_in_one_network(address, networks, allowed):
    assert login_networks.address_allowed(address, networks) is allowed
