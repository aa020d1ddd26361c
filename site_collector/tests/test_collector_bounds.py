"""The master against hostile gateways: every exchange ends within its bounds."""

import threading
import time

import pytest
from site_collector import mbus
from site_collector.errors import DecodeError
from site_collector.simulator import HostileGateway

from .frames import MORE_FOLLOWS, rsp_ud

TIMEOUT = 0.1
# Today's master would run for ever against these endpoints: the watchdog stops the
# endpoint after this long, so a test that fails does not hang the suite.
WATCHDOG = 8


def run_bounded(gateway, action):
    """(result or exception, seconds) of ``action(port)``, the endpoint stopped at WATCHDOG."""
    port = gateway.serve_tcp()
    watchdog = threading.Timer(WATCHDOG, gateway.stop)
    watchdog.start()
    start = time.monotonic()
    try:
        try:
            outcome = action(f"socket://127.0.0.1:{port}")
        except Exception as error:  # the outcome is checked by the caller
            outcome = error
        return outcome, time.monotonic() - start
    finally:
        watchdog.cancel()
        gateway.stop()


def test_reply_announcing_more_records_for_ever_is_cut_off():
    endless = HostileGateway("endless_frames", rsp_ud(MORE_FOLLOWS, address=3, ident="11112222"))

    def read(url):
        with mbus.MBusMaster(url, timeout=TIMEOUT, retries=1) as master:
            return master.req_ud2(3)

    outcome, seconds = run_bounded(endless, read)
    assert isinstance(outcome, DecodeError) and outcome.reason == "too_many_frames", outcome
    assert f"{mbus.MAX_FRAMES} telegrams" in str(outcome)
    assert seconds < 3


def test_endless_noise_is_cut_off():
    flood = HostileGateway("flood")

    def read(url):
        with mbus.MBusMaster(url, timeout=TIMEOUT, retries=2) as master:
            return master.req_ud2(3)

    outcome, seconds = run_bounded(flood, read)
    assert isinstance(outcome, mbus.Collision), outcome
    assert seconds < 3


def test_scan_that_branches_at_every_digit_is_cut_off():
    collisions = HostileGateway("collisions")

    def scan(url):
        with mbus.MBusMaster(url, timeout=TIMEOUT, retries=1) as master:
            return master.scan_secondary(max_selects=30)

    outcome, seconds = run_bounded(collisions, scan)
    assert isinstance(outcome, mbus.ScanLimitExceeded), outcome
    assert seconds < 5


def test_time_budget_stops_the_master():
    silent = HostileGateway("silent")

    def read_many(url):
        deadline = time.monotonic() + 0.5
        read = 0
        with mbus.MBusMaster(url, timeout=TIMEOUT, retries=1, deadline=deadline) as master:
            for address in range(1, 251):
                with pytest.raises(mbus.NoAnswer):
                    master.req_ud2(address)
                read += 1
        return read

    outcome, seconds = run_bounded(silent, read_many)
    assert isinstance(outcome, mbus.TimeBudgetExceeded), outcome
    assert seconds < 2
