"""Wired M-Bus decoding on frames built here (runs without the corpora)."""

import meterbus
import pytest
from site_collector.errors import (
    ChecksumError,
    DecodeError,
    FrameLengthError,
    PrematureEndError,
    SlaveReportedError,
    TooManyExtensionsError,
    UnsupportedFrameError,
)
from site_collector.frame import decode_frame, long_frame, parse_frame, short_frame
from site_collector.tables import VIF_TABLE

from .frames import DATES, MANUFACTURER_TAIL, MORE_FOLLOWS, WATER, header, rsp_ud


def test_header_and_normalised_records():
    reading = decode_frame(rsp_ud(WATER))
    assert reading["id"] == "12345678"
    assert reading["manufacturer"] == "KAM"
    assert reading["medium"] == "Water"
    assert reading["access_number"] == 0x2A
    assert reading["encrypted"] is False
    volume, energy, flow = reading["records"]
    assert (volume["quantity"], volume["unit"], volume["value"]) == ("Volume", "m^3", 12.345)
    assert (energy["unit"], energy["value"]) == ("Wh", 1234000)
    assert (flow["quantity"], flow["unit"], flow["value"]) == ("Flow temperature", "°C", 45.6)
    assert volume["function"] == "Instantaneous value" and volume["storage_number"] == 0


def test_dates_lvar_and_manufacturer_data():
    records = decode_frame(rsp_ud(DATES + MANUFACTURER_TAIL))["records"]
    date, invalid, date_time, text, binary, tail = records
    assert (date["storage_number"], date["value"]) == (1, "2024-05-31")
    assert invalid["value"] is None  # invalid bit of type F: no made-up date
    assert date_time["value"] == "2024-05-31T12:10:30"
    assert text["value"] == "AB12"
    assert (binary["quantity"], binary["value"]) == ("Error flags", "12 34")
    assert tail["function"] == "Manufacturer specific" and tail["value"] == "01 02 AB"


def test_more_records_follow_and_tariff_storage_device():
    reading = decode_frame(rsp_ud(MORE_FOLLOWS))
    assert reading["more_records_follow"] is True
    record = decode_frame(rsp_ud("8440 13 01000000"))["records"][0]  # DIFE: device 1
    assert (record["storage_number"], record["tariff"], record["device"]) == (0, 0, 1)
    record = decode_frame(rsp_ud("C4A001 13 01000000"))["records"][0]
    assert (record["storage_number"], record["tariff"], record["device"]) == (1 | 1 << 5, 2, 0)
    record = decode_frame(rsp_ud("84 A1 02 13 01000000"))["records"][0]
    assert (record["storage_number"], record["tariff"]) == (2 | 4 << 4, 2)


def test_vif_7b_without_extension_is_reported_unknown():
    record = decode_frame(rsp_ud("027B 0100"))["records"][0]
    assert record["quantity"] == "Unknown" and record["value"] == 1


def test_fixed_structure_frame():
    payload = bytes.fromhex("78563412 10 00 05 69 31650000 69000000")
    reading = decode_frame(long_frame(0x08, 1, 0x73, payload))
    assert reading["id"] == "12345678" and reading["medium"] == "Heat"
    energy, volume = reading["records"]
    assert (energy["unit"], energy["value"]) == ("Wh", 6531000)
    assert (volume["unit"], volume["value"]) == ("m^3", 0.069)


@pytest.mark.parametrize(
    "frame, error, words",
    [
        (rsp_ud(WATER)[:-2] + b"\x00\x16", ChecksumError, "checksum"),
        (rsp_ud(WATER)[:-3] + rsp_ud(WATER)[-2:], FrameLengthError, "length"),
        (rsp_ud("0C13 4523"), PrematureEndError, "premature end"),
        (rsp_ud("8C" + "80" * 11 + "0013 00"), TooManyExtensionsError, "DIFE"),
        (rsp_ud("0C93" + "80" * 11 + "00 45230100"), TooManyExtensionsError, "VIFE"),
        (long_frame(0x08, 1, 0x70, b"\x08"), SlaveReportedError, "busy"),
        (long_frame(0x08, 1, 0x51, b""), UnsupportedFrameError, "CI"),
        (b"\x68\x03\x03", FrameLengthError, "shorter"),
        (bytes.fromhex("1040015216"), ChecksumError, "checksum"),
        (b"\xe5", UnsupportedFrameError, "E5"),
    ],
)
def test_malformed_frames_raise_clear_errors(frame, error, words):
    with pytest.raises(error, match=f"(?i){words}"):
        decode_frame(frame)
    assert issubclass(error, DecodeError)


def test_short_frames_parse_through_pymeterbus():
    frame = parse_frame(short_frame(0x5B, 0x05))
    assert (frame.kind, frame.control, frame.address) == ("short", 0x5B, 0x05)
    assert parse_frame(b"\xe5").kind == "ack"


def test_scales_agree_with_pymeterbus_apart_from_corrections():
    """Our VIF table is pyMeterBus's (libmbus's) with its known slips corrected."""
    corrections = {0x279: "cumulative maximum power 10^-2 W, not 10^-3"}
    for code, entry in meterbus.VIFTable.lut.items():
        if code in VIF_TABLE and code not in corrections and VIF_TABLE[code][0]:
            assert VIF_TABLE[code][0] == pytest.approx(entry[0]), hex(code)


def test_header_helper_matches_decoder():
    assert header("00000001")[:4] == b"\x01\x00\x00\x00"
