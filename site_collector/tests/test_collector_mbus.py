"""The M-Bus master against simulated slaves on a pseudo-terminal and on a TCP socket."""

import pytest
from site_collector.mbus import MBusMaster, NoAnswer
from site_collector.simulator import SimulatedBus, SimulatedSlave

from .frames import MORE_FOLLOWS, WATER, rsp_ud

TIMEOUT = 0.2


def _slaves():
    return [
        SimulatedSlave(5, [rsp_ud(WATER, address=5, ident="12345678")]),
        SimulatedSlave(7, [rsp_ud(WATER, address=7, ident="87654321", manufacturer="ELV")]),
        SimulatedSlave(9, [rsp_ud(WATER, address=9, ident="12399999")]),
    ]


@pytest.fixture(params=["pty", "tcp"])
def bus_url(request):
    bus = SimulatedBus(_slaves())
    url = bus.serve_pty() if request.param == "pty" else f"socket://127.0.0.1:{bus.serve_tcp()}"
    yield bus, url
    bus.stop()


def test_primary_addressing(bus_url):
    bus, url = bus_url
    with MBusMaster(url, timeout=TIMEOUT) as master:
        assert master.snd_nke(5) is True
        reading = master.req_ud2(7)
    assert reading["id"] == "87654321" and reading["manufacturer"] == "ELV"
    assert reading["records"][0]["value"] == 12.345
    assert reading["raw"].startswith("68")


def test_secondary_addressing_and_scan_with_collisions(bus_url):
    bus, url = bus_url
    with MBusMaster(url, timeout=TIMEOUT) as master:
        reading = master.read_secondary("12345678FFFFFFFF")
        assert reading["id"] == "12345678"
        # 12345678 and 12399999 collide on the first three digits
        found = master.scan_secondary()
    assert [address[:8] for address in found] == ["12345678", "12399999", "87654321"]


def test_timeout_when_the_slave_is_silent(bus_url):
    bus, url = bus_url
    with MBusMaster(url, timeout=TIMEOUT, retries=2) as master:
        assert master.snd_nke(42) is False
        with pytest.raises(NoAnswer):
            master.req_ud2(42)


def test_retry_after_a_dropped_reply(bus_url):
    bus, url = bus_url
    bus.slaves[0].drop_replies = 1
    with MBusMaster(url, timeout=TIMEOUT, retries=3) as master:
        reading = master.req_ud2(5)
    assert reading["id"] == "12345678"
    assert bus.slaves[0].requests == 2


def test_multi_telegram_reply_toggles_fcb():
    first = rsp_ud(MORE_FOLLOWS, address=3, ident="11112222")
    second = rsp_ud(WATER, address=3, ident="11112222")
    bus = SimulatedBus([SimulatedSlave(3, [first, second])])
    url = f"socket://127.0.0.1:{bus.serve_tcp()}"
    try:
        with MBusMaster(url, timeout=TIMEOUT) as master:
            reading = master.req_ud2(3)
    finally:
        bus.stop()
    assert reading["telegrams"] == 2
    values = [r["value"] for r in reading["records"] if r["quantity"] == "Volume"]
    assert values == [0.016, 12.345]
