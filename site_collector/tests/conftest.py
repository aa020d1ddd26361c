"""Tests of the site_collector package, run without installing it: src/ goes on sys.path."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


@pytest.fixture(autouse=True)
def _fresh_signature_memory():
    """Each test starts with a collector that has seen no full frame yet."""
    from site_collector.compact import DEFAULT_SIGNATURES  # noqa: PLC0415 (after sys.path)

    DEFAULT_SIGNATURES._formats.clear()
    yield
    DEFAULT_SIGNATURES._formats.clear()
