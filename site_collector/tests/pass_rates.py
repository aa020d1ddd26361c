"""Pass rates on the shared corpora and the published vectors (tests/data), whole and split
in two halves.

Printed by ``python3 -m pytest -q -s site_collector/tests/test_collector_pass_rates.py``
(from the repository root). The split is
fixed (SHA-256 of each item's name or telegram): "half A" and "half B" each get about half
of every corpus, so a rate that holds on one half only shows tuning to the other. The
corpora's own held-back part is checked by the lead, not here.
"""

import hashlib

from site_collector.errors import DecodeError
from site_collector.frame import decode_frame

from .test_collector_conformance import (
    ERROR_FRAMES,
    LIBMBUS_FRAMES,
    TELEGRAMS,
    _hex,
    libmbus_mismatches,
    wmbus_outcome,
)
from .test_collector_driver_vectors import LINES, PRECISE_STATUS, test_driver_telegram
from .test_collector_spec_vectors import VECTORS, test_spec_vector


def half(key):
    return "A" if hashlib.sha256(key.encode()).digest()[0] % 2 == 0 else "B"


def _libmbus():
    results = []
    for path in LIBMBUS_FRAMES:
        try:
            ok = not libmbus_mismatches(path)
        except DecodeError:
            ok = False
        results.append((half(path.stem), ok, "values"))
    for path in ERROR_FRAMES:
        try:
            decode_frame(_hex(path))
            ok = False
        except DecodeError:
            ok = True
        results.append((half(path.stem), ok, "rejected"))
    return results


def _wmbus():
    results = []
    for index, line in enumerate(TELEGRAMS):
        ok, detail = wmbus_outcome(index)
        results.append((half(line["telegram"]), ok, "values" if detail == "ok" else detail))
    return results


def _passes(test, item):
    try:
        test(item)
    except AssertionError:
        return False
    return True


def _published():
    """wmbusmeters' driver telegrams and exmbus' vectors (tests/data): every value they
    publish found, or the precise status of a block no source describes."""
    results = []
    for line in LINES:
        how = "status" if line["args"] in PRECISE_STATUS else "values"
        results.append((half(line["telegram"]), _passes(test_driver_telegram, line), how))
    for vector in VECTORS:
        results.append((half(vector["hex"]), _passes(test_spec_vector, vector), "values"))
    return results


def rates():
    """Lines of text: per corpus, whole and per half, passed/total and how."""
    lines = []
    corpora = (("libmbus", _libmbus()), ("wmbus", _wmbus()), ("published", _published()))
    for name, results in corpora:
        for part in ("all", "A", "B"):
            chosen = [r for r in results if part == "all" or r[0] == part]
            passed = sum(1 for _, ok, _ in chosen if ok)
            values = sum(1 for _, ok, how in chosen if ok and how == "values")
            share = f"{100 * passed / len(chosen):.1f}%" if chosen else "-"
            lines.append(
                f"{name:9} {part:3} {passed:3}/{len(chosen):<3} {share:>6}  "
                f"({values} with values, {passed - values} with a precise status or rejection)"
            )
    return lines
