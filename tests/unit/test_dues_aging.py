from datetime import date
from decimal import Decimal

import pytest
from conftest import load_engine

aging = load_engine("site_dues", "aging")
D = Decimal
AS_OF = date(2025, 6, 30)


def d(text):
    return date.fromisoformat(text)


def test_labels():
    assert aging.labels() == ("not_due", "0-30", "31-60", "61-90", "90+")
    assert aging.labels((15, 45)) == ("not_due", "0-15", "16-45", "45+")


@pytest.mark.parametrize(
    "days, label",
    [(-3, "not_due"), (0, "not_due"), (1, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60")]
    + [(61, "61-90"), (90, "61-90"), (91, "90+"), (4000, "90+")],
)
def test_bucket_edges(days, label):
    assert aging.bucket(days) == label


def test_buckets_per_key_and_totals():
    items = [
        ("U1", d("2025-07-31"), D("100.00")),  # not yet due
        ("U1", d("2025-06-30"), D("100.00")),  # due today: not overdue yet
        ("U1", d("2025-06-29"), D("50.00")),  # 1 day
        ("U1", d("2025-05-31"), D("20.00")),  # 30 days
        ("U2", d("2025-05-30"), D("10.00")),  # 31 days
        ("U2", d("2025-03-31"), D("7.50")),  # 91 days
        ("U2", d("2024-01-31"), D("2.50")),
    ]
    result = aging.buckets(items, AS_OF)
    assert result == {
        "U1": {
            "not_due": D("200.00"),
            "0-30": D("70.00"),
            "31-60": D(0),
            "61-90": D(0),
            "90+": D(0),
        },
        "U2": {
            "not_due": D(0),
            "0-30": D(0),
            "31-60": D("10.00"),
            "61-90": D(0),
            "90+": D("10.00"),
        },
    }
    assert aging.totals(result) == {
        "not_due": D("200.00"),
        "0-30": D("70.00"),
        "31-60": D("10.00"),
        "61-90": D(0),
        "90+": D("10.00"),
    }


def test_totals_of_nothing_are_zero_rows():
    assert aging.totals({}) == dict.fromkeys(aging.labels(), D(0))


@pytest.mark.parametrize("edges", [(), (30, 30), (60, 30), (0, 30), (30.5,)])
def test_bad_edges_are_refused(edges):
    with pytest.raises(ValueError):
        aging.labels(edges)
