"""Wireless M-Bus / OMS telegrams (EN 13757-4 link layer, EN 13757-7 security).

A telegram is taken with or without its length byte and with or without the block CRCs
of frame format A. Decoding returns the same reading dict as :func:`.frame.decode_frame`
plus ``status``:

- ``"ok"``: records decoded (after decryption where the telegram was encrypted);
- ``"encrypted"``: encrypted and no key given, so no records;
- ``"compact_frame"``: a compact frame (CI 0x79) whose format signature we cannot expand;
- ``"manufacturer_specific"``: a manufacturer's own application layer (CI 0xA0-0xB7);
- ``"truncated"``: the length byte announces more than was received (header only);
- ``"unsupported"``: a transport layer we do not decode (``detail`` says which).

Broken data raises a :class:`DecodeError` (e.g. :class:`DecryptionError` for a wrong key).
"""

from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from .errors import DecodeError, DecryptionError, FrameLengthError, PrematureEndError
from .frame import LONG_START, decode_frame, manufacturer_code
from .records import parse_records
from .tables import medium_name

# C fields of telegrams a meter sends on its own (SND_NR, SND_IR, ACC_NR, ACC_DMD, RSP_UD).
METER_C_FIELDS = {0x44, 0x46, 0x06, 0x47, 0x08, 0x48, 0x18, 0x28, 0x38}
CI_NO_HEADER = 0x78
CI_SHORT_HEADER = 0x7A
CI_LONG_HEADER = 0x72
CI_COMPACT = 0x79
CI_ELL_SHORT = 0x8C
CI_ELL_LONG = 0x8D
MANUFACTURER_CIS = range(0xA0, 0xB8)
BLOCK_A_FIRST = 10
BLOCK_A_NEXT = 16


def crc16(data):
    """CRC of EN 13757-4 (polynomial 0x3D65, complemented)."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x3D65) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc ^ 0xFFFF


def parse_hex(text):
    """Telegram bytes from hex text; a ``_`` marks that what follows is already decrypted.

    Returns ``(data, decrypted)``.
    """
    clean = "".join(text.split())
    decrypted = "_" in clean
    try:
        return bytes.fromhex(clean.replace("_", "")), decrypted
    except ValueError as exc:
        raise DecodeError(f"not a hex telegram: {exc}") from None


def strip_crcs(data):
    """Remove the block CRCs of frame format A when they are present and valid."""
    if len(data) < BLOCK_A_FIRST + 2:
        return data
    if int.from_bytes(data[BLOCK_A_FIRST : BLOCK_A_FIRST + 2], "big") != crc16(
        data[:BLOCK_A_FIRST]
    ):
        return data
    out = bytearray(data[:BLOCK_A_FIRST])
    pos = BLOCK_A_FIRST + 2
    while pos < len(data):
        block = data[pos : pos + BLOCK_A_NEXT + 2]
        if len(block) < 3:
            raise FrameLengthError(f"frame format A: dangling {len(block)} bytes at {pos}")
        body, crc = block[:-2], int.from_bytes(block[-2:], "big")
        if crc != crc16(body):
            raise DecodeError(f"frame format A: CRC error in the block at byte {pos}")
        out += body
        pos += len(block)
    return bytes(out)


def decode_telegram(data, key=None, decrypted=False):
    """Decode one wireless M-Bus telegram (bytes). ``key``: 16-byte AES key or None."""
    data = bytes(data)
    if data[:1] == bytes([LONG_START]) and len(data) > 4 and data[3] == LONG_START:
        reading = decode_frame(data)  # a wired frame relayed as is
        reading.update(status="ok", wmbus=False)
        return reading
    data = strip_crcs(data)
    if len(data) >= 2 and data[1] not in METER_C_FIELDS and data[0] in METER_C_FIELDS:
        data = bytes([len(data)]) + data  # the receiver dropped the length byte
    if len(data) < 11:
        raise FrameLengthError(f"telegram of {len(data)} bytes is shorter than its header")
    # Receivers often log telegrams cut short; keep what is there and say so.
    truncated = data[0] + 1 > len(data)
    reading = {
        "id": data[7:3:-1].hex().upper(),
        "manufacturer": manufacturer_code(int.from_bytes(data[2:4], "little")),
        "version": data[8],
        "medium": medium_name(data[9]),
        "medium_code": data[9],
        "access_number": None,
        "status": "ok",
        "meter_status": None,
        "encrypted": False,
        "truncated": truncated,
        "wmbus": True,
        "more_records_follow": False,
        "records": [],
    }
    link_address = data[2:10]
    _decode_transport(reading, data[10], data[11:], link_address, key, decrypted)
    return reading


def _decode_transport(reading, ci, rest, link_address, key, decrypted):
    if ci in (CI_ELL_SHORT, CI_ELL_LONG):
        # CC, ACC; the long form adds the session number and the payload CRC
        header_length = 2 if ci == CI_ELL_SHORT else 8
        if len(rest) < header_length + 1:
            raise PrematureEndError("premature end of data in the extended link layer")
        reading["access_number"] = rest[1]
        if ci == CI_ELL_LONG:
            session = int.from_bytes(rest[2:6], "little")
            if session >> 29 and not decrypted:
                # ELL AES-CTR encryption: we do not hold session keys of this kind.
                reading["encrypted"] = True
                reading["status"] = "encrypted"
                return
        ci, rest = rest[header_length], rest[header_length + 1 :]
    if ci in MANUFACTURER_CIS:
        reading["status"] = "manufacturer_specific"
        reading["detail"] = f"CI 0x{ci:02X}: the manufacturer's own data layout"
        return
    if ci == CI_COMPACT:
        reading["status"] = "compact_frame"
        reading["detail"] = "compact frame (CI 0x79): format signature not known"
        return
    if ci == CI_NO_HEADER:
        payload = rest
    elif ci == CI_SHORT_HEADER:
        payload = _tpl_header(reading, rest, 0, link_address)
    elif ci == CI_LONG_HEADER:
        if len(rest) < 8:
            raise PrematureEndError("premature end of data in the long transport header")
        # The meter behind a radio converter: its own address replaces the link layer's.
        reading.update(
            id=rest[3::-1].hex().upper(),
            manufacturer=manufacturer_code(int.from_bytes(rest[4:6], "little")),
            version=rest[6],
            medium=medium_name(rest[7]),
            medium_code=rest[7],
        )
        payload = _tpl_header(reading, rest, 8, rest[4:6] + rest[0:6])
    else:
        reading["status"] = "unsupported"
        reading["detail"] = f"CI 0x{ci:02X} not supported"
        return
    if payload is None:
        return
    # The IV and block count are working values, never part of the decoded reading.
    iv, blocks = reading.pop("_iv", None), reading.pop("_blocks", None)
    if reading["encrypted"] and not decrypted:
        if key is None:
            reading["status"] = "encrypted"
            return
        payload = decrypt_mode5(payload, key, iv, blocks)
    if reading["truncated"]:
        reading["status"] = "truncated"
        reading["detail"] = "telegram cut short: its length byte announces more data"
        return
    reading["records"], reading["more_records_follow"] = parse_records(payload)


def _tpl_header(reading, rest, offset, address):
    """Access number, status and configuration word of a short/long transport header."""
    header = rest[offset : offset + 4]
    if len(header) < 4:
        raise PrematureEndError("premature end of data in the transport header")
    access, status, config = header[0], header[1], int.from_bytes(header[2:4], "little")
    reading.update(access_number=access, meter_status=status)
    mode = (config >> 8) & 0x1F
    if mode == 0:
        return rest[offset + 4 :]
    if mode != 5:
        reading["status"] = "encrypted"
        reading["encrypted"] = True
        reading["detail"] = f"security mode {mode} not supported"
        return None
    reading["encrypted"] = True
    # Mode 5 IV: manufacturer + address of the meter, then 8 times the access number.
    address = address if len(address) == 8 else address[:8]
    reading["_iv"] = bytes(address) + bytes([access]) * 8
    reading["_blocks"] = (config >> 4) & 0x0F
    return rest[offset + 4 :]


def decrypt_mode5(payload, key, iv, blocks):
    """AES-128-CBC (security mode 5); the plaintext must start with 2F 2F."""
    if len(key) != 16:
        raise DecryptionError(f"AES-128 key must be 16 bytes, got {len(key)}")
    size = blocks * 16 if blocks else len(payload) - len(payload) % 16
    if size == 0 or len(payload) < size:
        raise DecryptionError(
            f"encrypted part of {size} bytes announced, {len(payload)} bytes present"
        )
    decryptor = Cipher(algorithms.AES(bytes(key)), modes.CBC(iv), backend=default_backend())
    decryptor = decryptor.decryptor()
    plain = decryptor.update(bytes(payload[:size])) + decryptor.finalize()
    if plain[:2] != b"\x2f\x2f":
        raise DecryptionError("decryption failed: wrong key (no 2F 2F after decryption)")
    return plain + bytes(payload[size:])
