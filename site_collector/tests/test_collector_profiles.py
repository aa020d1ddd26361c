"""Compact profiles (EN 13757-3 annex F): expansion into one record per register, with
dates; a profile that cannot be expanded says why, never a made-up value."""

import pytest
from site_collector.records import parse_records


def _rows(hex_text):
    records, _ = parse_records(bytes.fromhex("".join(hex_text.split())))
    return [(r["storage_number"], r["quantity"], r["value"]) for r in records]


@pytest.mark.parametrize(
    "payload, expected",
    [
        (  # wmbusmeters src/testinternals.cc: with register numbers, monthly, absolute
            "820413E803 82046C1031 8D04931E0632FEE903EA03",
            [
                (9, "Time point (date)", "2024-02-16"),
                (9, "Volume", 1.001),
                (10, "Time point (date)", "2024-03-16"),
                (10, "Volume", 1.002),
            ],
        ),
        (  # wmbusmeters src/testinternals.cc: inverse, half months, increments
            "0213E803 026C1031 0D9313 06 72FD05000300",
            [
                (1, "Time point (date)", "2024-01-01"),
                (1, "Volume", 0.995),
                (2, "Time point (date)", "2023-12-16"),
                (2, "Volume", 0.992),
            ],
        ),
    ],
)
def test_published_profiles(payload, expected):
    rows = _rows(payload)
    assert rows[-len(expected) :] == expected


def test_profile_records_keep_their_header_and_say_they_come_from_a_profile():
    records, _ = parse_records(bytes.fromhex("820413E80382046C10318D04931E0632FEE903EA03"))
    expanded = [r for r in records if r.get("compact_profile")]
    assert {r["header"] for r in expanded} == {"8D04931E"}
    assert [r["exact"] for r in expanded if r["quantity"] == "Volume"] == ["1.001", "1.002"]


def test_illegal_elements_and_missing_base_value():
    # absolute 16-bit signed elements: 0x8000 is "illegal" -> None
    assert _rows("8D04931E 06 32FE E903 0080")[-1] == (10, "Volume", None)
    # increments with no base value: the profile stays one record, without value
    records, _ = parse_records(bytes.fromhex("8D04931E0672FE05000300"))
    assert len(records) == 1 and records[0]["value"] is None
    assert "without its base value" in records[0]["error"]
    # unsigned increments: 0xFFFF is "illegal" and breaks the chain after it
    rows = _rows("0213E803 8D00931E 08 72FE 0500 FFFF 0300")
    assert [v for _, q, v in rows if q == "Volume"] == [1, 1.005, None, None]


def test_elements_that_do_not_divide_the_data_are_refused():
    records, _ = parse_records(bytes.fromhex("8D04931E0532FEE903EA"))
    assert records[0]["value"] is None and "not elements of 2" in records[0]["error"]


def test_a_profile_vife_on_a_fixed_length_field_gives_no_value():
    records, _ = parse_records(bytes.fromhex("0C931E12345678"))
    assert records[0]["value"] is None
    assert "without a variable-length data field" in records[0]["error"]
    # standard conform data content (VIFE 0x1D) is no record error
    plain, _ = parse_records(bytes.fromhex("0C931D12345678"))
    assert plain[0]["value"] == 78563.412 and "error" not in plain[0]
