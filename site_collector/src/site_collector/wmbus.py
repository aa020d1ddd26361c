"""Wireless M-Bus / OMS telegrams (EN 13757-4 link layer, EN 13757-7 security).

A telegram is taken with or without its length byte and with or without the block CRCs
of frame format A. Decoding returns the same reading dict as :func:`.frame.decode_frame`
plus ``status``:

- ``"ok"``: records decoded (after decryption where the telegram was encrypted);
- ``"encrypted"``: encrypted and no key given (or a mode we cannot decrypt), no records;
- ``"compact_frame"``: a compact frame whose format signature is not known yet;
- ``"manufacturer_specific"``: a manufacturer's own layout we do not know (``detail``);
- ``"truncated"``: the length byte announces more than was received (header only);
- ``"unsupported"``: a transport layer we do not decode (``detail`` says which).

``alarms`` (see :mod:`.alarms`) lists the alarm codes the telegram carries. Broken data
raises a :class:`DecodeError`; a decryption that does not give records parsing to their
end raises :class:`DecryptionError` (wrong key, IV or layout), never a made-up value.
"""

from . import crypto
from .alarms import add_alarms
from .compact import DEFAULT_SIGNATURES
from .crc import crc16
from .errors import (
    ChecksumError,
    DecodeError,
    DecryptionError,
    FrameLengthError,
    PrematureEndError,
)
from .frame import LONG_START, decode_frame, manufacturer_code
from .manufacturers import decode_manufacturer, decode_manufacturer_data, proprietary_payload
from .records import parse_records
from .tables import medium_name

# C fields of telegrams a meter sends on its own (SND_NR, SND_IR, ACC_NR, ACC_DMD, RSP_UD).
METER_C_FIELDS = {0x44, 0x46, 0x06, 0x47, 0x08, 0x48, 0x18, 0x28, 0x38}
CI_NO_HEADER = 0x78
CI_SHORT_HEADER = 0x7A
CI_LONG_HEADER = 0x72
CI_COMPACT = 0x79  # compact frame, no transport header
CI_COMPACT_SHORT = 0x7B
CI_AFL = 0x90  # authentication and fragmentation layer
CI_ELL_SHORT = 0x8C  # CC, ACC
CI_ELL_LONG = 0x8D  # CC, ACC, SN, payload CRC
CI_ELL_ADDRESS = 0x8E  # CC, ACC, M, A
CI_ELL_ADDRESS_LONG = 0x8F  # CC, ACC, M, A, SN, payload CRC
MANUFACTURER_CIS = range(0xA0, 0xB8)
BLOCK_A_FIRST = 10
BLOCK_A_NEXT = 16
ELL_ENC_NONE, ELL_ENC_CTR = 0, 1
DIEHL_HYD, DIEHL_DME, DIEHL_SAP = (bytes.fromhex(m) for m in ("2423", "A511", "304C"))
PRIOS_CIS = range(0xA0, 0xA8)
MAX_TRAILING = 3  # bytes a receiver may append after the telegram (RSSI, LQI, ...)

__all__ = ["crc16", "decode_telegram", "parse_hex", "strip_crcs", "decrypt_mode5"]


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


def format_a_length(length_byte):
    """Bytes of a frame format A telegram with its CRCs, from its length byte."""
    rest = max(length_byte - (BLOCK_A_FIRST - 1), 0)
    return BLOCK_A_FIRST + 2 + rest + 2 * -(-rest // BLOCK_A_NEXT)


def _second_block_ok(data):
    """Whether the block after the first ends in its format A CRC: then the telegram
    carries CRCs, even if a corrupted length byte says otherwise (a CRC-less telegram
    matches by chance once in 65,536)."""
    start = BLOCK_A_FIRST + 2
    end = min(start + BLOCK_A_NEXT, len(data) - 2)
    if end <= start:
        return False
    return int.from_bytes(data[end : end + 2], "big") == crc16(data[start:end])


def strip_crcs(data):
    """Remove the block CRCs of frame format A when the telegram carries them.

    A telegram whose size is that of format A for its length byte, or whose first block
    has a valid CRC, must have every CRC right: a wrong one raises :class:`ChecksumError`.
    """
    if len(data) < BLOCK_A_FIRST + 2:
        return data
    first_ok = int.from_bytes(data[BLOCK_A_FIRST : BLOCK_A_FIRST + 2], "big") == crc16(
        data[:BLOCK_A_FIRST]
    )
    if not first_ok:
        if (data[0] > BLOCK_A_FIRST and len(data) == format_a_length(data[0])) or _second_block_ok(
            data
        ):
            raise ChecksumError("frame format A: CRC error in the first block")
        return data
    out = bytearray(data[:BLOCK_A_FIRST])
    pos = BLOCK_A_FIRST + 2
    while pos < len(data):
        block = data[pos : pos + BLOCK_A_NEXT + 2]
        if len(block) < 3:
            raise FrameLengthError(f"frame format A: dangling {len(block)} bytes at {pos}")
        body, crc = block[:-2], int.from_bytes(block[-2:], "big")
        if crc != crc16(body):
            raise ChecksumError(f"frame format A: CRC error in the block at byte {pos}")
        out += body
        pos += len(block)
    return bytes(out)


def decode_telegram(data, key=None, decrypted=False, signatures=None):
    """Decode one wireless M-Bus telegram (bytes).

    ``key``: 16-byte AES key or None; ``decrypted``: the encrypted part is stored already
    decrypted; ``signatures``: a :class:`.compact.FormatSignatures` to learn full frames'
    formats into and expand compact frames from (the collector's own by default).
    """
    data = bytes(data)
    signatures = DEFAULT_SIGNATURES if signatures is None else signatures
    if data[:1] == bytes([LONG_START]) and len(data) > 4 and data[3] == LONG_START:
        reading = decode_frame(data)  # a wired frame relayed as is
        reading.update(status="ok", wmbus=False)
        add_alarms(reading)
        return reading
    data = strip_crcs(data)
    if len(data) >= 2 and data[1] not in METER_C_FIELDS and data[0] in METER_C_FIELDS:
        data = bytes([len(data)]) + data  # the receiver dropped the length byte
    trailing = len(data) - data[0] - 1 if data else 0
    if trailing > MAX_TRAILING:
        raise FrameLengthError(f"length byte says {data[0]} bytes follow, {len(data) - 1} received")
    if trailing > 0:
        data = data[: data[0] + 1]  # a receiver's own bytes (RSSI, ...) after the telegram
    if len(data) < 11:
        raise FrameLengthError(f"telegram of {len(data)} bytes is shorter than its header")
    # Receivers often log telegrams cut short; keep the header and say so.
    truncated = data[0] + 1 > len(data)
    received = data
    data = _diehl_address(data)
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
        "alarms": [],
    }
    if trailing > 0:
        reading["trailing_bytes"] = trailing
    context = _Context(data, received, key, decrypted, signatures)
    _decode_transport(reading, data[10], data[11:], context)
    add_alarms(reading)
    return reading


class _Context:
    """What the layers of one telegram need: link address, key, signature memory."""

    def __init__(self, data, received, key, decrypted, signatures):
        self.link = data[:10]
        self.received = received  # as sent, before any address reordering
        self.key = bytes(key) if key is not None else None
        self.decrypted = decrypted
        self.signatures = signatures
        self.afl_counter = None


def _diehl_address(data):
    """The link address of Diehl meters in EN 13757-4 order (id, version, device type).

    HYD meters (both published telegrams) and DME's PRIOS frames (CI 0xA0-0xA7) send
    version and device type before the id; SAP's PRIOS frames carry neither, they are a
    water meter of version 0.
    """
    manufacturer, ci = data[2:4], data[10]
    if manufacturer == DIEHL_HYD or (manufacturer == DIEHL_DME and ci in PRIOS_CIS):
        return data[:4] + data[6:10] + data[4:6] + data[10:]
    if manufacturer == DIEHL_SAP and ci in PRIOS_CIS:
        return data[:8] + b"\x00\x07" + data[10:]
    return data


def _decode_transport(reading, ci, rest, ctx):
    if ci in (CI_ELL_SHORT, CI_ELL_LONG, CI_ELL_ADDRESS, CI_ELL_ADDRESS_LONG):
        ci, rest = _extended_link_layer(reading, ci, rest, ctx)
        if ci is None:
            return
    if reading["truncated"]:
        reading["status"] = "truncated"
        reading["detail"] = "telegram cut short: its length byte announces more data"
        return
    if ci == CI_AFL:
        ci, rest = _authentication_layer(rest, ctx)
    if ci in MANUFACTURER_CIS:
        decode_manufacturer(reading, ci, rest, ctx.received)
        return
    if ci in (CI_COMPACT, CI_COMPACT_SHORT):
        if ci == CI_COMPACT_SHORT:
            link = ctx.link
            rest = _tpl_header(reading, rest, 0, (link[2:4], link[4:8], link[8], link[9]), ctx)
            if rest is None:
                return
            if reading["encrypted"] and rest[:2] == b"\x2f\x2f":
                rest = rest[2:]  # the decryption marker precedes the compact header
        _compact(reading, rest, ctx)
        return
    if ci == CI_NO_HEADER:
        payload = rest
    elif ci == CI_SHORT_HEADER:
        link = ctx.link
        payload = _tpl_header(reading, rest, 0, (link[2:4], link[4:8], link[8], link[9]), ctx)
    elif ci == CI_LONG_HEADER:
        if len(rest) < 8:
            raise PrematureEndError("premature end of data in the long transport header")
        # The meter behind a radio converter: its own address replaces the link layer's,
        # in the records' identity and in the IV (EN 13757-4 / OMS).
        reading.update(
            id=rest[3::-1].hex().upper(),
            manufacturer=manufacturer_code(int.from_bytes(rest[4:6], "little")),
            version=rest[6],
            medium=medium_name(rest[7]),
            medium_code=rest[7],
        )
        payload = _tpl_header(reading, rest, 8, (rest[4:6], rest[0:4], rest[6], rest[7]), ctx)
    else:
        reading["status"] = "unsupported"
        reading["detail"] = f"CI 0x{ci:02X} not supported"
        return
    if payload is None:
        return
    _records(reading, payload, ctx)


def _records(reading, payload, ctx):
    """Parse the records; after a decryption, anything but a clean parse is a wrong key."""
    proprietary = proprietary_payload(reading)
    if proprietary:
        reading.update(status="manufacturer_specific", detail=proprietary)
        return
    headers = []
    try:
        reading["records"], reading["more_records_follow"] = parse_records(payload, headers)
    except PrematureEndError as exc:
        if reading["encrypted"] and not (ctx.decrypted or reading.get("stored_decrypted")):
            raise DecryptionError(
                f"decryption gave a plaintext whose records do not parse ({exc}): "
                "wrong key, IV or layout"
            ) from None
        # The telegram is whole (its length byte holds) but the meter cut its last record.
        reading.update(records=exc.records, status="partial", partial=True)
        reading["detail"] = f"last record cut short: {exc}"
        return
    except DecodeError as exc:
        if reading["encrypted"] and not ctx.decrypted:
            raise DecryptionError(
                f"decryption gave a plaintext whose records do not parse ({exc}): "
                "wrong key, IV or layout"
            ) from None
        raise
    ctx.signatures.learn(headers)
    decode_manufacturer_data(reading)
    if not reading["records"]:
        reading["status"] = "no_records"
        reading["detail"] = "the telegram holds no data records"


def _compact(reading, rest, ctx):
    """Compact frame: format signature, full-frame CRC, data without headers."""
    if len(rest) < 4:
        raise PrematureEndError("premature end of data in the compact frame header")
    signature = int.from_bytes(rest[0:2], "little")
    full_crc = int.from_bytes(rest[2:4], "little")
    reading["format_signature"] = f"{signature:04X}"
    payload = ctx.signatures.expand(signature, rest[4:])
    if payload is None:
        reading["status"] = "compact_frame"
        reading["detail"] = (
            f"compact frame with format signature 0x{signature:04X}: no full frame of this "
            "format seen yet"
        )
        return
    if crc16(payload) != full_crc:
        raise DecodeError(
            f"compact frame expanded with format 0x{signature:04X} fails its full-frame CRC"
        )
    _records(reading, payload, ctx)


def _extended_link_layer(reading, ci, rest, ctx):
    """Strip the ELL; decrypt its AES-CTR payload. Returns (next CI, rest) or (None, None)."""
    has_address = ci in (CI_ELL_ADDRESS, CI_ELL_ADDRESS_LONG)
    has_session = ci in (CI_ELL_LONG, CI_ELL_ADDRESS_LONG)
    length = 2 + (8 if has_address else 0) + (4 if has_session else 0)
    if len(rest) < length + (2 if has_session else 0) + 1:
        raise PrematureEndError("premature end of data in the extended link layer")
    cc, access = rest[0], rest[1]
    reading["access_number"] = access
    if not has_session:
        return rest[length], rest[length + 1 :]
    session = rest[length - 4 : length]
    encryption = session[3] >> 5
    body = rest[length:]  # payload CRC, CI, ...
    if reading["truncated"]:
        reading["status"] = "truncated"
        reading["detail"] = "telegram cut short: its length byte announces more data"
        return None, None
    if encryption != ELL_ENC_NONE and not ctx.decrypted and not _ell_crc_ok(body):
        if encryption != ELL_ENC_CTR:
            reading.update(status="encrypted", encrypted=True)
            reading["detail"] = f"ELL encryption {encryption} not supported"
            return None, None
        reading["encrypted"] = True
        if ctx.key is None:
            reading["status"] = "encrypted"
            reading["detail"] = "ELL AES-CTR: no key"
            return None, None
        counter = crypto.ell_counter_block(ctx.link[2:4], ctx.link[4:10], cc, session)
        body = crypto.ctr_decrypt(body, ctx.key, counter)
        if not _ell_crc_ok(body):
            raise DecryptionError("ELL AES-CTR: payload CRC wrong after decryption (wrong key)")
    elif encryption != ELL_ENC_NONE:
        reading["encrypted"] = True
    return body[2], body[3:]


def _authentication_layer(rest, ctx):
    """AFL (EN 13757-7): keep the message counter (mode 7's key derivation); next layer."""
    if len(rest) < 3 or rest[0] + 1 >= len(rest):
        raise PrematureEndError("premature end of data in the authentication layer")
    afl, after = rest[1 : 1 + rest[0]], rest[1 + rest[0] :]
    control = int.from_bytes(afl[0:2], "little")
    if control & 0x4000:
        raise DecodeError("fragmented telegram (AFL: more fragments follow): not reassembled")
    pos = 2 + (1 if control & 0x2000 else 0) + (2 if control & 0x0200 else 0)
    if control & 0x0800:
        if len(afl) < pos + 4:
            raise PrematureEndError("premature end of data in the AFL message counter")
        ctx.afl_counter = afl[pos : pos + 4]
    return after[0], after[1:]


def _ell_crc_ok(body):
    return len(body) >= 3 and int.from_bytes(body[0:2], "little") == crc16(body[2:])


def _tpl_header(reading, rest, offset, address, ctx):
    """Access number, status and configuration word of a short/long transport header.

    ``address``: (manufacturer, id, version, device type) the IV is built from.
    """
    header = rest[offset : offset + 4]
    if len(header) < 4:
        raise PrematureEndError("premature end of data in the transport header")
    access, status, config = header[0], header[1], int.from_bytes(header[2:4], "little")
    reading.update(access_number=access, meter_status=status)
    mode = (config >> 8) & 0x1F
    payload = rest[offset + 4 :]
    if mode == 0 or proprietary_payload(reading):
        return payload  # a proprietary payload's configuration word is its maker's
    reading["encrypted"] = True
    reading["security_mode"] = mode
    if ctx.decrypted:
        return payload
    if mode == 5 and address is not None:
        if ctx.key is None:
            if _clear_already(payload):
                # A receiver stored it decrypted, header unchanged: it parses to its end.
                reading["stored_decrypted"] = True
                return payload
            reading["status"] = "encrypted"
            reading["detail"] = "security mode 5: no key"
            return None
        manufacturer, ident, version, device_type = address
        iv = crypto.mode5_iv(manufacturer, ident, version, device_type, access)
        return crypto.cbc_decrypt(payload, ctx.key, iv, (config >> 4) & 0x0F)
    if mode == 7:
        return _mode7(reading, payload, config, address, ctx)
    reading["status"] = "encrypted"
    reading["detail"] = f"security mode {mode} not supported"
    return None


def _clear_already(payload):
    """True if a "mode 5" payload is plainly records already: 2F 2F, then a clean parse."""
    if payload[:2] != b"\x2f\x2f":
        return False
    try:
        records, _ = parse_records(payload)
    except DecodeError:
        return False
    return bool(records)


def _mode7(reading, payload, config, address, ctx):
    """OMS mode 7: the AFL (CI 0x90) gives the message counter the key is derived from."""
    if ctx.key is None:
        reading["status"] = "encrypted"
        reading["detail"] = "security mode 7: no key"
        return None
    counter = ctx.afl_counter
    if counter is None or address is None:
        reading["status"] = "encrypted"
        reading["detail"] = "security mode 7: no AFL message counter"
        return None
    if not payload:
        raise PrematureEndError("security mode 7: configuration field extension missing")
    # The configuration field extension (1 byte) follows the configuration word.
    key = crypto.mode7_key(ctx.key, counter, address[1])
    return crypto.cbc_decrypt(payload[1:], key, bytes(16), (config >> 4) & 0x0F)


def decrypt_mode5(payload, key, iv, blocks):
    """AES-128-CBC (security mode 5); the plaintext must start with 2F 2F."""
    return crypto.cbc_decrypt(payload, key, iv, blocks)
