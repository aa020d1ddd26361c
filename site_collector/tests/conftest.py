"""Tests of the site_collector package, run without installing it: src/ goes on sys.path."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
