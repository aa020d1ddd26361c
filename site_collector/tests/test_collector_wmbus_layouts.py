"""Compact frames from learned format signatures, manufacturers' layouts, alarms and the
rule that every telegram gives values or a precise status."""

import pytest
from site_collector.compact import FormatSignatures
from site_collector.upload import make_reading
from site_collector.wmbus import decode_telegram, parse_hex

# Kamstrup Multical 21 (wmbusmeters' published telegrams): a full frame, then a compact one
# of the same format (signature A8ED) whose ELL part is stored decrypted.
FULL = bytes.fromhex(
    "2A442D2C998734761B168D2091D37CAC21576C7802FF207100041308190000441308190000615B7F616713"
)
COMPACT = "23442D2C998734761B168D2087D19EAD217F1779EDA86AB6_710008190000081900007F13"


def test_compact_frame_is_expanded_with_the_format_learned_from_a_full_frame():
    memory = FormatSignatures()
    data, decrypted = parse_hex(COMPACT)
    unknown = decode_telegram(data, decrypted=decrypted, signatures=memory)
    assert unknown["status"] == "compact_frame" and "A8ED" in unknown["detail"]
    decode_telegram(FULL, signatures=memory)
    assert 0xA8ED in memory
    reading = decode_telegram(data, decrypted=decrypted, signatures=memory)
    assert reading["status"] == "ok"
    assert [r["value"] for r in reading["records"] if r["quantity"] == "Volume"] == [6.408] * 2
    assert reading["alarms"] == ["dry"]


def test_format_memory_exports_and_is_fed_back():
    memory = FormatSignatures()
    decode_telegram(FULL, signatures=memory)
    saved = memory.export()
    assert saved == {"A8ED": "02FF200413441361" + "5B6167"}
    fed = FormatSignatures(saved)
    data, decrypted = parse_hex(COMPACT)
    assert decode_telegram(data, decrypted=decrypted, signatures=fed)["status"] == "ok"
    with pytest.raises(ValueError, match="does not match"):
        FormatSignatures({"1234": "0413"})


def test_the_collectors_own_memory_is_used_by_default():
    decode_telegram(FULL)
    data, decrypted = parse_hex(COMPACT)
    assert decode_telegram(data, decrypted=decrypted)["status"] == "ok"


@pytest.mark.parametrize(
    "telegram, layout, expected",
    [
        (  # Techem MK Radio 3: 8.9 m^3 last period + 4.9 m^3 this one
            "2F446850313233347462A2069F255900B029310000000306060906030609070606050509050505050407040605070500",
            "Techem MK Radio 3",
            [13.8, 4.9, 8.9, "2018-12-31", "2019-04-27"],
        ),
        (  # Techem FHKV data III: 131 units, 1026 at the last due date, 22.44 / 25.51 °C
            "31446850226677116980A0119F27020480048300C408F709143C003D341A2B0B2A0707000000000000062D114457563D71A1850000",
            "Techem FHKV data III/IV",
            [131, 1026, "2019-12-31", "2020-02-08", 22.44, 25.51],
        ),
        (  # Techem Compact V: 24,966 + 284 kWh
            "37446850336633663943A210672C866100181C01000480794435D50000000000000000000000000000000000000000000000000000000000",
            "Techem Compact V",
            [25250000, 284000, 24966000],
        ),
        (  # Apator 08: 2,614,713 thirds of a litre
            "73441486DD4444000303A0B9E527004C4034B31CED0106FF01D093270065F022009661230054D023"
            "00EC49240018B424005F012500936D2500FFD525000E3D26001EAC26000B2027000300000000371D"
            "0B2000000000000024000000000000280000000000002C0033150C010D2F000000000000",
            "Apator 08",
            [871.571],
        ),
        (  # Apator 162: total in its DIF 0x0F block, telegram stored decrypted
            "4E4401062020202105077A130040852F2F0F6D4C389300020043840210351F040075012C0B040048D603003E630300CD2C03001EF402000ACE0200A098A39603FFFFFFFFFFFFFFFFFFFFFFFFFF1977",
            "Apator 162",
            [270.133],
        ),
    ],
)
def test_manufacturer_layouts(telegram, layout, expected):
    reading = decode_telegram(bytes.fromhex(telegram))
    assert reading["status"] == "ok" and reading["layout"] == layout
    assert [r["value"] for r in reading["records"]][: len(expected)] == expected


@pytest.mark.parametrize(
    "telegram, ident, values, alarms",
    [
        (  # DME PRIOS: version and type before the id; total, last month, its date
            "2944A511780729662366A20118001378D3B3DB8CEDD77731F25832AAF3DA8CADF9774EA673172E8C61F2",
            "66236629",
            [16.76, 11.84, "2019-11-30"],
            [],
        ),
        (  # SAP PRIOS (device type byte says heat: PRIOS carries none; a water meter)
            "1944304C9C5824210C04A363140013716577EC59E8663AB0D31C",
            "2124589C",
            [38.944, 38.691, "2021-02-01"],
            [],
        ),
        (  # alarms in the clear header bytes: meter blocked, underflow
            "1944304C72242421D401A2013D4013DD8B46A4999C1293E582CC",
            "21242472",
            [3.488, 3.486, "2019-09-30"],
            ["blocked", "underflow"],
        ),
    ],
)
def test_diehl_izar(telegram, ident, values, alarms):
    reading = decode_telegram(bytes.fromhex(telegram))
    assert (reading["id"], reading["medium"], reading["status"]) == (ident, "Water", "ok")
    assert [r["value"] for r in reading["records"]] == values
    assert reading["alarms"] == alarms


def test_unknown_layouts_and_fields_give_a_precise_status():
    unknown = decode_telegram(bytes.fromhex("0D 44 2D2C 78563412 01 07 A2 010203"))
    assert unknown["status"] == "manufacturer_specific"
    assert unknown["detail"] == "CI 0xA2: unknown manufacturer layout of KAM device type 0x07"
    # wmbusmeters' telegram of meter 03410514: fields 0x40, 0x41, 0x42 and 0xF0 before the
    # total (30.908 m^3); with 0x40 made a type no published telegram shows, no total.
    telegram = (
        "3E4401061405410305077A190030852F2F0F86B4B89529020040C6C1B4F0F3F341555942FA701000"
        "F00101000010BC780000FFFFFFFFFFFFFFFFFFFFFF2483"
    )
    assert decode_telegram(bytes.fromhex(telegram))["records"][0]["value"] == 30.908
    apator = decode_telegram(bytes.fromhex(telegram.replace("29020040C6", "29020045C6")))
    assert apator["status"] == "manufacturer_specific"
    assert apator["detail"] == "Apator 162: field type 0x45 at byte 7 not known"


def test_status_byte_and_error_flag_alarms():
    records = "2F2F 0413 08190000 02FD17 0400"
    telegram = bytes.fromhex("1B 44 2D2C 99873476 1B 16 7A 42 10 0000" + records)
    reading = decode_telegram(telegram)
    assert reading["alarms"] == ["error_flags", "temporary_error"]


def test_diehl_hyd_address_order():
    reading = decode_telegram(
        bytes.fromhex("1E4424238B06204790607A2A0010D8" + "0413DDC00000" + "2F" * 12)
    )
    assert (reading["id"], reading["version"], reading["medium_code"]) == ("60904720", 0x8B, 0x06)


def test_alarms_travel_in_the_upload_reading():
    reading = decode_telegram(bytes.fromhex("1944304C72242421D401A2013D4013DD8B46A4999C1293E582CC"))
    assert make_reading(reading, "2026-12-01T00:00:00Z")["alarms"] == ["blocked", "underflow"]
    quiet = decode_telegram(bytes.fromhex("1944304C9C5824210C04A363140013716577EC59E8663AB0D31C"))
    assert "alarms" not in make_reading(quiet, "2026-12-01T00:00:00Z")


# Qundis Q caloric walk-by data set (wmbusmeters' test telegram of meter 90919293): the same
# values as that meter's standard telegram (97 units now, 270 on 2020-12-31, 97 on 2021-06-30).
QUNDIS_WBDS = (
    "49449344939291903408780DFF5F350082180000800007B06E{error}970000009F2C70020000BE2697000000"
    "0000010018002E001F002E0023FF210008000500020000002F046D220FA227"
)


def test_qundis_walk_by_data_set():
    reading = decode_telegram(bytes.fromhex(QUNDIS_WBDS.format(error="FFFF")))
    assert (reading["status"], reading["layout"]) == ("ok", "Qundis Q caloric walk-by data set")
    rows = [
        (r["function"], r["storage_number"], r["quantity"], r["value"]) for r in reading["records"]
    ]
    assert rows[:6] == [
        ("Instantaneous value", 0, "H.C.A.", 97),
        ("Instantaneous value", 1, "H.C.A.", 270),
        ("Instantaneous value", 1, "Time point (date)", "2020-12-31"),
        ("Instantaneous value", 17, "H.C.A.", 97),
        ("Instantaneous value", 17, "Time point (date)", "2021-06-30"),
        ("Value during error state", 0, "Time point (date)", None),
    ]
    assert reading["alarms"] == []


def test_qundis_error_date_is_an_alarm():
    # the same data set with an error date (2020-03-05): the allocator was in error
    reading = decode_telegram(bytes.fromhex(QUNDIS_WBDS.format(error="8523")))
    assert reading["records"][5]["value"] == "2020-03-05"
    assert reading["alarms"] == ["manufacturer_error"]
    standard = decode_telegram(
        bytes.fromhex(
            "314493449392919034087a520000200b6e9700004b6e700200426c9f2ccb086e970000c2086cbe26"
            "326c8523046d2d16a227"
        )
    )
    assert standard["alarms"] == ["manufacturer_error"]


def test_qundis_data_set_of_another_kind_keeps_a_precise_status():
    short = QUNDIS_WBDS.format(error="FFFF").replace("0DFF5F35008218", "0DFF5F35000818")
    reading = decode_telegram(bytes.fromhex(short))
    assert reading["status"] == "manufacturer_specific"
    assert reading["detail"].startswith("Qundis walk-by data set of type 0x08 not known")
    assert [r["value"] for r in reading["records"] if r["quantity"].startswith("Time point")] == [
        "2021-07-02T15:34:00"
    ]


def test_hydrodigit_fraud_types_are_alarms():
    # content 0x02 (fraud): type 0xE0 (magnet, sensor, module removed) on 2025-06-30
    body = "44B4090155240317067A00000000" + "0C1335670000046D172EEA28" + "0F02E0250630"
    telegram = f"{len(body) // 2:02X}{body}"
    reading = decode_telegram(bytes.fromhex(telegram))
    assert reading["layout"] == "BMeters Hydrodigit"
    assert reading["alarms"] == ["magnet", "removed", "tamper"]
    assert reading["records"][-1]["value"] == "2025-06-30"
    cut = decode_telegram(bytes.fromhex(f"{len(body) // 2 - 2:02X}{body[:-4]}"))
    assert cut["status"] == "manufacturer_specific"
    assert cut["detail"] == "Hydrodigit: content 0x02 needs 5 bytes, 3 received"
    # another BMeters version: its block is not read with the Hydrodigit layout
    other = decode_telegram(bytes.fromhex(telegram.replace("0317067A", "0321067A")))
    assert (other["status"], other["alarms"]) == ("manufacturer_specific", [])
    assert other["detail"] == "BMeters version 0x21: manufacturer data not known"


def test_a_proprietary_payload_gets_a_precise_status():
    # BMeters RFM-TX1 (wmbusmeters' test telegram of meter 74737271, 188.56 m^3): its
    # transport header is standard, its payload obfuscated; as received and as stored.
    telegram = (
        "4644B4097172737405077AA5000610_1115F78184AB0F1D1E200000005904103103208047004A4800"
        "E73C00193E00453F003E4000E64000E74100F442000144001545005B460000"
    )
    data, decrypted = parse_hex(telegram)
    for flag in (decrypted, False):
        reading = decode_telegram(data, decrypted=flag)
        assert (reading["status"], reading["records"]) == ("manufacturer_specific", [])
        assert reading["detail"].startswith("BMeters RFM-TX1: obfuscated proprietary payload")
        assert reading["access_number"] == 0xA5
