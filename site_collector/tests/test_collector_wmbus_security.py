"""Wireless security: the IV of the long transport header, plaintexts that must parse to
their end, ELL AES-CTR, mode 7's key derivation."""

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from site_collector import crypto
from site_collector.crc import crc16
from site_collector.errors import DecryptionError
from site_collector.frame import decode_frame, long_frame
from site_collector.records import parse_records
from site_collector.wmbus import decode_telegram

KEY = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
# Radio converter link layer: ZRI, id 99999999, version 1, device type 0x37 (radio converter)
LINK = bytes.fromhex("44 496A 99999999 01 37")
# The meter behind it: id 12345678, manufacturer AAT (0x0434), version 0x30, water (0x07).
METER = bytes.fromhex("78563412 3404 30 07")
# 466.472 m^3 in litres (0x00071E28), then idle fillers to a whole block.
PLAIN = bytes.fromhex("2F2F 0413 281E0700" + "2F" * 24)


def _cbc(plain, key, iv):
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(plain) + encryptor.finalize()


def _long_header_telegram(plain=PLAIN, key=KEY, access=0x5A):
    config = (0x05 << 8) | (len(plain) // 16) << 4
    iv = METER[4:6] + METER[0:4] + METER[6:8] + bytes([access]) * 8
    body = bytes([0x72]) + METER + bytes([access, 0x00]) + config.to_bytes(2, "little")
    body += _cbc(plain, key, iv)
    return bytes([len(LINK) + len(body)]) + LINK + body


def test_long_header_iv_uses_the_meters_version_and_device_type():
    """Issue 11: with manufacturer + id + manufacturer the 2F 2F check still passed and
    this meter read 50,535.976 m^3 instead of 466.472, without any error."""
    telegram = _long_header_telegram()
    reading = decode_telegram(telegram, key=KEY)
    assert (reading["id"], reading["manufacturer"], reading["status"]) == ("12345678", "AAT", "ok")
    assert reading["records"][0]["value"] == 466.472
    assert reading["records"][0]["exact"] == "466.472"
    # What the old IV gave: the same key, a plaintext that starts with 2F 2F, a wrong value.
    old_iv = METER[4:6] + METER[0:4] + METER[4:6] + bytes([0x5A]) * 8
    wrong = crypto.cbc_decrypt(telegram[-len(PLAIN) :], KEY, old_iv, 2)
    assert wrong[:2] == b"\x2f\x2f"
    assert parse_records(wrong)[0][0]["value"] == 50535.976


def test_a_plaintext_starting_2f2f_whose_records_do_not_parse_is_a_wrong_key():
    other_key = bytes(range(16, 32))
    # What this key "decrypts" to: the marker, then a reserved DIF (3F): not records.
    telegram = _long_header_telegram(bytes.fromhex("2F2F 3F13 281E0700" + "2F" * 24), other_key)
    with pytest.raises(DecryptionError, match="do not parse"):
        decode_telegram(telegram, key=other_key)


def test_mode5_without_key_is_a_precise_status():
    reading = decode_telegram(_long_header_telegram())
    assert (reading["status"], reading["records"]) == ("encrypted", [])
    assert "no key" in reading["detail"]


SESSION = bytes.fromhex("D37CAC21")  # encryption bits 001: AES-CTR


def _ell_telegram(key=KEY, cc=0x20, access=0x91, session=SESSION):
    """Kamstrup-style ELL (CI 0x8D) with AES-CTR over payload CRC and application layer."""
    link = bytes.fromhex("44 2D2C 99873476 1B 16")
    app = bytes.fromhex("78 0413 08190000")
    clear = crc16(app).to_bytes(2, "little") + app
    counter = crypto.ell_counter_block(link[1:3], link[3:9], cc, session)
    encryptor = Cipher(algorithms.AES(key), modes.CTR(counter)).encryptor()
    body = bytes([0x8D, cc, access]) + session + encryptor.update(clear) + encryptor.finalize()
    return bytes([len(link) + len(body)]) + link + body


def test_ell_aes_ctr_with_key_without_key_and_with_a_wrong_key():
    telegram = _ell_telegram()
    reading = decode_telegram(telegram, key=KEY)
    assert reading["status"] == "ok" and reading["encrypted"] is True
    assert reading["records"][0]["value"] == 6.408
    assert decode_telegram(telegram)["status"] == "encrypted"
    with pytest.raises(DecryptionError, match="payload CRC"):
        decode_telegram(telegram, key=bytes(16))


def test_ell_payload_stored_decrypted_is_recognised_by_its_crc():
    """wmbusmeters stores Kamstrup telegrams decrypted, the session's encryption bits set."""
    telegram = bytes.fromhex(
        "2A442D2C998734761B168D2091D37CAC21576C7802FF207100041308190000441308190000615B7F616713"
    )
    reading = decode_telegram(telegram)
    assert reading["status"] == "ok"
    assert reading["records"][1]["value"] == 6.408
    assert reading["alarms"] == ["dry"]


def test_mode7_decrypts_with_the_key_derived_from_the_afl_counter():
    link = bytes.fromhex("44 2D2C 99873476 1B 16")
    counter = bytes.fromhex("2A000000")
    afl = bytes([0x90, 6]) + (0x0800).to_bytes(2, "little") + counter  # FCL: counter present
    plain = bytes.fromhex("2F2F 0413 08190000" + "2F" * 8)
    derived = crypto.mode7_key(KEY, counter, link[3:7])
    config = (0x07 << 8) | (1 << 4)
    body = afl + bytes([0x7A, 0x01, 0x00]) + config.to_bytes(2, "little") + b"\x10"
    body += _cbc(plain, derived, bytes(16))
    telegram = bytes([len(link) + len(body)]) + link + body
    reading = decode_telegram(telegram, key=KEY)
    assert (reading["status"], reading["records"][0]["value"]) == ("ok", 6.408)
    assert decode_telegram(telegram)["detail"] == "security mode 7: no key"
    assert crypto.mode7_key(KEY, bytes(4), link[3:7]) != derived


def test_wired_mode5_frame_decrypts_with_the_data_headers_iv():
    header = METER + bytes([0x5A, 0x00]) + ((0x05 << 8) | (2 << 4)).to_bytes(2, "little")
    iv = METER[4:6] + METER[0:4] + METER[6:8] + bytes([0x5A]) * 8
    frame = long_frame(0x08, 1, 0x72, header + _cbc(PLAIN, KEY, iv))
    assert decode_frame(frame)["records"] == []  # no key: encrypted, as before
    assert decode_frame(frame, key=KEY)["records"][0]["value"] == 466.472
    with pytest.raises(DecryptionError):
        decode_frame(frame, key=bytes(16))
