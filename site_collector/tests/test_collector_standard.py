"""EN 13757-3 application layer from the standard's tables, on records built here."""

import pytest
from site_collector import dates
from site_collector.errors import DecodeError, PrematureEndError
from site_collector.frame import decode_frame, decode_reply, long_frame
from site_collector.records import parse_records

from .frames import rsp_ud


def _one(hex_record):
    records, _ = parse_records(bytes.fromhex(hex_record))
    assert len(records) == 1
    return records[0]


@pytest.mark.parametrize(
    "record, value, error",
    [
        ("0C13 78563412", 12345.678, None),
        ("0C13 785634F2", -2345.678, None),  # F as most significant digit: negative
        ("0C13 FFFFFFFF", None, "no value (all digits F)"),
        ("0C13 7856A412", None, "BCD error digits 12A45678"),
        ("0A5A 5102", 25.1, None),
    ],
)
def test_bcd_sign_and_error_digits(record, value, error):
    got = _one(record)
    assert got["value"] == value
    assert got.get("error") == error


@pytest.mark.parametrize(
    "record, value",
    [
        ("0D78 04 34333231", "1234"),  # text, last character first
        ("0D13 C2 3412", 1.234),  # positive BCD, litres
        ("0D13 D2 3412", -1.234),  # negative BCD
        ("0DFD17 E2 3412", "12 34"),  # binary, most significant byte first
        ("0DFD17 F0" + "00" * 15 + "01", "01" + " 00" * 15),  # 16-byte binary
    ],
)
def test_lvar_ranges(record, value):
    assert _one(record)["value"] == value


@pytest.mark.parametrize("lvar", ["CA", "DF", "F7", "FF"])
def test_reserved_lvar_is_refused_with_its_reason(lvar):
    with pytest.raises(DecodeError, match=f"reserved LVAR 0x{lvar}"):
        parse_records(bytes.fromhex(f"0DFD17 {lvar} 00"))


def test_combinable_vifes_scale_and_are_named():
    # 0x13 volume in litres; VIFE 0x74: x 10^-2; then "per hour" 0x22
    record = _one("0493 F4 22 10000000")
    assert record["value"] == pytest.approx(0.00016)
    assert record["extensions"] == ["multiplicative correction factor 10^-2", "per hour"]
    # Additive constant 10^-2 (0x79) on 1 litre
    assert _one("0293 79 0100")["value"] == pytest.approx(0.011)
    # Record error code "data overflow" (VIFE 0x16)
    assert _one("0293 16 0000")["error"] == "data overflow"


def test_extension_tables_and_plain_text_and_manufacturer_vif():
    assert _one("02FD1B 0100")["quantity"] == "Digital Input"
    assert (_one("02FB1A 5702")["quantity"], _one("02FB1A 5702")["value"]) == (
        "Relative humidity",
        59.9,
    )
    text = _one("047C03 48 52 25 01000000")  # unit "%RH", sent backwards
    assert text["quantity"] == "%RH"
    maker = _one("02FF20 7100")
    assert maker["manufacturer_specific"] is True and maker["data"] == "7100"
    tail = parse_records(bytes.fromhex("0413 01000000 0F ABCD"))[0][1]
    assert tail["manufacturer_specific"] is True and tail["value"] == "AB CD"


def test_start_date_vife_makes_the_value_a_date():
    # VIF 0x22 (on time, hours) + VIFE 0x39: the start date of the on time, type G
    assert _one("02A2 39 1F35")["value"] == "2024-05-31"
    assert isinstance(_one("0222 1F35")["value"], int)


@pytest.mark.parametrize(
    "raw, text",
    [
        ("1F35", "2024-05-31"),
        ("FFF5", "****-05-31"),  # year 127: every year
        ("1F3F", "2024-**-31"),  # month 15: every month
        ("0035", "2024-05-**"),  # day 0: every day
        ("FFFF", None),
        ("3E32", None),  # 30 February
    ],
)
def test_type_g(raw, text):
    assert dates.date_g(bytes.fromhex(raw)) == text


def test_types_f_i_j_k():
    assert dates.date_time_f(bytes.fromhex("0A0C1F35")) == "2024-05-31T12:10:00"
    assert dates.date_time_f(bytes.fromhex("8A0C1F35")) is None  # invalid bit
    assert dates.date_time_f(bytes.fromhex("3F1F1F35")) == "2024-05-31T**:**:00"
    assert dates.date_time_i(bytes.fromhex("1E0A0C1F3500")) == "2024-05-31T12:10:30"
    assert dates.date_time_i(bytes.fromhex("1E8A0C1F3500")) is None
    assert dates.time_j(bytes.fromhex("1E0A0C")) == "12:10:30"
    assert dates.time_j(bytes.fromhex("1E0A18")) is None
    assert dates.daylight_saving_k(bytes.fromhex("02 3B A3 1A")) == (
        "begin 03-27T02, end 10-26, deviation +1 h"
    )


def test_cut_last_record_keeps_the_records_before_it_flagged_partial():
    frame = rsp_ud("0413 10000000" + "0C13 4523")
    with pytest.raises(PrematureEndError) as info:
        decode_frame(frame)
    assert [r["value"] for r in info.value.records] == [0.016]
    reading = decode_frame(frame, allow_partial=True)
    assert reading["partial"] is True and "premature end" in reading["partial_reason"]
    assert [r["value"] for r in reading["records"]] == [0.016]


def test_multi_telegram_reply():
    reply = rsp_ud("0413 10000000 1F") + rsp_ud("0413 20000000")
    reading = decode_reply(reply)
    assert reading["telegrams"] == 2
    assert [r["value"] for r in reading["records"] if r["quantity"] == "Volume"] == [0.016, 0.032]
    with pytest.raises(DecodeError, match="no more records follow"):
        decode_reply(rsp_ud("0413 10000000") + rsp_ud("0413 20000000"))
    with pytest.raises(DecodeError, match="from meter"):
        decode_reply(rsp_ud("0413 10000000 1F") + rsp_ud("0413 20000000", ident="11111111"))


def test_status_byte_alarms_of_a_wired_frame():
    frame = long_frame(0x08, 1, 0x72, bytes.fromhex("78563412 2D2C 01 07 2A 0C 0000 0413 01000000"))
    assert decode_frame(frame)["alarms"] == ["low_battery", "permanent_error"]


def test_fixed_structure_frame_in_bcd_and_binary():
    bcd = long_frame(0x08, 1, 0x73, bytes.fromhex("78563412 10 00 05 69 31650000 69000000"))
    binary = long_frame(0x08, 1, 0x73, bytes.fromhex("78563412 10 80 05 69 1B000000 45000000"))
    assert [r["value"] for r in decode_frame(bcd)["records"]] == [6531000, 0.069]
    assert [r["value"] for r in decode_frame(binary)["records"]] == [27000, 0.069]
