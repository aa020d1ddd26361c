"""Tests of the site_collector package, run without installing it: src/ goes on sys.path.

The conformance corpora live outside the repository, in ``shared/corpora`` beside the
repository root (or where ``SITE_CORPORA`` points).
"""

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

REPO_ROOT = HERE.parents[1]
CORPORA = Path(os.environ.get("SITE_CORPORA") or REPO_ROOT.parent / "shared" / "corpora")


def corpus_dir(name):
    """Path of one corpus, or None if it is not available."""
    path = CORPORA / name
    return path if path.is_dir() else None


@pytest.fixture
def require_corpus():
    def require(name):
        path = corpus_dir(name)
        if path is None:
            pytest.skip(f"corpus {name!r} not found at {CORPORA} (set SITE_CORPORA)")
        return path

    return require
