"""Differential test against pymbusparser (Rust m-bus-parser bindings), every corpus frame.

Each disagreement is either a bug of ours (fixed) or an error of theirs listed below with
the reason; a listed error that disappears fails too, so the list stays true.
"""

import json

import pytest
from site_collector.frame import decode_frame
from site_collector.wmbus import decode_telegram, parse_hex

from .corpora import corpus_dir
from .differential import PROFILE_AS_TEXT, differences

pymbusparser = pytest.importorskip("pymbusparser", reason="pymbusparser is not installed")

LIBMBUS = corpus_dir("libmbus")
WMBUS = corpus_dir("wmbus")
FRAMES = sorted((LIBMBUS / "frames").glob("*.hex")) if LIBMBUS else []
TELEGRAMS = (
    [json.loads(line) for line in (WMBUS / "telegrams.jsonl").read_text().splitlines() if line]
    if WMBUS
    else []
)

UNSCALED_REAL = "scales no 32-bit real by its VIF (libmbus agrees with us)"
PLAIN_TEXT_VIFE = (
    "stops at a plain-text VIF followed by a VIFE (02 FC 03 'HR%' 74): 'Invalid value "
    "information'; libmbus reads the records"
)
# frame -> {record index: reason}, or "all" when they give no record from some point on
THEIR_ERRORS = {
    "EDC": {8: UNSCALED_REAL, 10: UNSCALED_REAL},
    "SEN_Pollustat": {7: UNSCALED_REAL},
    "REL-Relay-Padpuls2": {1: "ignores the invalid bit (IV) of a type F date (minute byte A1)"},
    "rel_padpuls3": {1: "reads day 31 of a type F date (1F) as 'every day' (libmbus: 31)"},
    "ELV-Elvaco-CMa10": ("all", PLAIN_TEXT_VIFE),
    "THI_cma10": ("all", PLAIN_TEXT_VIFE),
    "elv_temp_humid": ("all", PLAIN_TEXT_VIFE),
    "electricity-meter-1": (
        "all",
        "refuses the frame's non-BCD identification number (3E 02 00 05) and its records",
    ),
    "example_data_01": (
        "all",
        "takes the non-zero signature field of an old meter for encryption: no records",
    ),
}
# Wireless: (index in telegrams.jsonl) -> reason; they parse the link and transport layers.
THEIR_WIRELESS_ERRORS = {
    **dict.fromkeys(
        (0, 1, 8, 13, 45),
        "take a Kamstrup ELL payload stored decrypted for encrypted; its payload CRC "
        "(EN 13757-4) says it is clear",
    ),
    **dict.fromkeys(
        (12, 33, 34, 35, 38, 39, 42),
        "wmbusmeters stores this telegram decrypted with the mode 5 bits still set: they "
        "cannot know",
    ),
    15: "read a Diehl DME PRIOS address in the EN 13757-4 order (66290778); PRIOS frames "
    "send version and device type first (wmbusmeters: id 66236629)",
    41: "read a Diehl HYD address in the EN 13757-4 order (id 60250420); HYD meters send "
    "version and device type first (wmbusmeters: id 68926025)",
    16: "refuse the 25-byte Diehl IZAR telegram as too short",
    19: "refuse 3 receiver bytes after the announced length",
    36: "refuse the Apator 08 telegram (length byte 0x73) as too short",
    43: "refuse the telegram stored decrypted as too short (its length counts the MAC)",
}


@pytest.mark.parametrize("path", FRAMES, ids=lambda p: p.stem)
def test_wired_frames_agree_with_pymbusparser(path):
    data = bytes.fromhex("".join(path.read_text().split()))
    ours = decode_frame(data)
    theirs = pymbusparser.parse(data)
    assert theirs["meter"].get("identity", {}).get("id", ours["id"]) == ours["id"]
    found = differences(ours["records"], theirs["records"])
    known = THEIR_ERRORS.get(path.stem, {})
    if isinstance(known, tuple):
        assert found, f"their error is gone: {known[1]}"
        assert theirs["decode_state"] == "partial"
        assert all(reason.startswith("no record") for _, reason in found)
        return
    assert {index for index, _ in found} == set(known), found


@pytest.mark.parametrize("index", range(len(TELEGRAMS)))
def test_wireless_telegrams_agree_with_pymbusparser(index):
    data, decrypted = parse_hex(TELEGRAMS[index]["telegram"])
    ours = decode_telegram(data, decrypted=decrypted)
    try:
        theirs = pymbusparser.parse(data)
    except pymbusparser.MbusParserError:
        assert index in THEIR_WIRELESS_ERRORS
        return
    identity = theirs.get("meter", {}).get("identity", {})
    found = differences(ours["records"], theirs["records"])
    # Their error on every compact profile (Sontex Supercom 587's monthly volumes).
    found = [(i, reason) for i, reason in found if not reason.startswith(PROFILE_AS_TEXT)]
    if index in THEIR_WIRELESS_ERRORS:
        assert found or not ours["records"] or theirs["decode_state"] == "partial"
        return
    assert identity.get("id", ours["id"]).upper() == ours["id"]
    if theirs["decode_state"] == "partial" and not theirs["records"]:
        # Encrypted for both of us (no key in the corpus), or a layout only we know.
        assert ours["status"] != "ok" or ours.get("layout")
        return
    assert found == []


def test_differential_summary(capsys):
    """Prints how many corpus records agree (shown with -s)."""
    agree = total = 0
    for path in FRAMES:
        data = bytes.fromhex("".join(path.read_text().split()))
        ours = decode_frame(data)["records"]
        found = differences(ours, pymbusparser.parse(data)["records"])
        total += len(ours)
        agree += len(ours) - len({i for i, _ in found if i is not None})
    with capsys.disabled():
        print(f"\npymbusparser: {agree}/{total} wired records agree value by value")
    assert total == 0 or agree / total > 0.8
