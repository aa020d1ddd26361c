from datetime import date

import pytest
from conftest import load_engine

history = load_engine("site_residents", "history")
R = history.Relation


def d(text):
    return date.fromisoformat(text)


def test_shares_summing_to_100_have_no_gap():
    relations = [R(1, 10, "owner", 50, d("2024-01-01")), R(2, 11, "owner", 50, d("2024-01-01"))]
    assert history.owner_share_gaps(relations) == []


def test_gap_names_the_interval_and_total():
    relations = [
        R(1, 10, "owner", 100, d("2024-01-01"), d("2024-06-30")),
        R(2, 11, "owner", 60, d("2024-07-01")),
        R(3, 12, "owner", 40, d("2024-09-01")),
    ]
    assert history.owner_share_gaps(relations) == [
        history.ShareGap(d("2024-07-01"), d("2024-08-31"), 60.0)
    ]


def test_days_without_owner_are_not_a_gap():
    relations = [
        R(1, 10, "owner", 100, d("2024-01-01"), d("2024-01-31")),
        R(2, 11, "owner", 100, d("2024-03-01")),
    ]
    assert history.owner_share_gaps(relations) == []


def test_tenants_do_not_count_in_shares():
    relations = [R(1, 10, "owner", 100, d("2024-01-01")), R(2, 11, "tenant", 0, d("2024-01-01"))]
    assert history.owner_share_gaps(relations) == []


def test_overlap_of_one_person_is_found_and_bounded():
    relations = [
        R(1, 10, "owner", 100, d("2024-01-01"), d("2024-06-30")),
        R(2, 10, "tenant", 0, d("2024-03-01")),
    ]
    [overlap] = history.overlaps(relations)
    assert (overlap.first.id, overlap.second.id) == (1, 2)
    assert (overlap.date_from, overlap.date_to) == (d("2024-03-01"), d("2024-06-30"))


def test_consecutive_relations_do_not_overlap():
    relations = [
        R(1, 10, "tenant", 0, d("2024-01-01"), d("2024-06-30")),
        R(2, 10, "tenant", 0, d("2024-07-01")),
    ]
    assert history.overlaps(relations) == []


def test_primary_owner_is_largest_share_then_earliest():
    a = R(1, 10, "owner", 40, d("2023-01-01"))
    b = R(2, 11, "owner", 60, d("2024-01-01"))
    c = R(3, 12, "owner", 60, d("2022-01-01"))
    assert history.primary([a, b]) == b
    assert history.primary([a, b, c]) == c


@pytest.mark.parametrize(
    "day, payer, expected",
    [
        ("2024-02-01", "tenant", 10),  # no tenant yet
        ("2024-04-01", "tenant", 20),
        ("2024-04-01", "owner", 10),
        ("2024-08-01", "tenant", 11),  # tenant gone, new owner
        ("2023-12-31", "tenant", None),
    ],
)
def test_liable_relation(day, payer, expected):
    relations = [
        R(1, 10, "owner", 100, d("2024-01-01"), d("2024-06-30")),
        R(2, 11, "owner", 100, d("2024-07-01")),
        R(3, 20, "tenant", 0, d("2024-03-01"), d("2024-07-31")),
    ]
    relation = history.liable_relation(relations, d(day), payer)
    assert (relation.partner_id if relation else None) == expected


def test_segments_merge_same_partner_and_keep_empty_days():
    relations = [
        R(1, 10, "owner", 100, d("2024-01-10"), d("2024-01-20")),
        R(2, 10, "owner", 100, d("2024-01-21")),
    ]
    segments = history.liable_segments(relations, d("2024-01-01"), d("2024-01-31"), "owner")
    assert segments == [
        history.Segment(None, d("2024-01-01"), d("2024-01-09"), 9),
        history.Segment(10, d("2024-01-10"), d("2024-01-31"), 22),
    ]


def test_segments_reject_reversed_period():
    with pytest.raises(ValueError):
        history.liable_segments([], d("2024-02-01"), d("2024-01-01"), "owner")
