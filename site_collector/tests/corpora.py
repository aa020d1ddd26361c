"""Where the conformance corpora are: ``shared/corpora`` beside the repository root, or
``SITE_CORPORA``. Conformance tests skip when a corpus is absent."""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPORA = Path(os.environ.get("SITE_CORPORA") or REPO_ROOT.parent / "shared" / "corpora")


def corpus_dir(name):
    """Path of one corpus, or None if it is not available."""
    path = CORPORA / name
    return path if path.is_dir() else None
