"""The README's import examples and the example files stay in step."""

import csv
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = "addons/site_residents/static/examples"


def readme():
    return (REPO / "README.md").read_text(encoding="utf-8")


def example_files():
    return sorted((REPO / EXAMPLES).glob("*.csv"))


def test_readme_links_every_example_file():
    linked = set(re.findall(rf"\]\(({EXAMPLES}/[^)]+)\)", readme()))
    assert linked == {f"{EXAMPLES}/{path.name}" for path in example_files()}


def test_readme_documents_every_column_of_the_examples():
    text = readme()
    for path in example_files():
        with path.open(encoding="utf-8", newline="") as example:
            header = next(csv.reader(example))
        undocumented = [column for column in header if f"`{column}`" not in text]
        assert not undocumented, f"{path.name}: {undocumented}"
