"""Prints the corpus pass rates (run with -s), whole and per fixed half."""

import pytest

from .pass_rates import rates
from .test_collector_conformance import LIBMBUS_FRAMES, TELEGRAMS


def test_print_pass_rates(capsys):
    if not LIBMBUS_FRAMES and not TELEGRAMS:
        pytest.skip("corpora not found (set SITE_CORPORA)")
    lines = rates()
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    assert lines
