"""Wired M-Bus frames (EN 13757-2 link layer) and their decoding to a reading dict.

pyMeterBus parses the single-character and short frames (and checks their checksums);
long frames are split here because pyMeterBus's long-frame parser also parses the records
and rejects fixed-structure frames (CI 0x73), application errors (CI 0x70) and VIF codes it
does not know, and accepts records cut short. Records are decoded by :mod:`.records`.
"""

import meterbus
from meterbus.exceptions import MBusFrameCRCError, MBusFrameDecodeError

from .alarms import add_alarms
from .crypto import cbc_decrypt, mode5_iv
from .errors import (
    ChecksumError,
    DecodeError,
    DecryptionError,
    FrameLengthError,
    PrematureEndError,
    SlaveReportedError,
    UnsupportedFrameError,
)
from .records import decode_bcd, parse_records, scaled
from .tables import APPLICATION_ERRORS, FIXED_MEDIA, FIXED_UNITS, medium_name

ACK = 0xE5
SHORT_START = 0x10
LONG_START = 0x68
STOP = 0x16

C_SND_NKE = 0x40
C_REQ_UD2 = 0x5B
C_SND_UD = 0x53
FCB = 0x20
ADDRESS_NETWORK_LAYER = 0xFD  # the slave selected by secondary address
ADDRESS_BROADCAST = 0xFF

CI_APPLICATION_ERROR = 0x70
CI_ALARM = 0x71
CI_VARIABLE = (0x72, 0x76)  # 0x76: multi-byte values sent most significant byte first
CI_FIXED = (0x73, 0x77)
CI_SELECT = 0x52
ENCRYPTION_MODES = {5, 7, 13}  # AES-CBC with static key, with derived keys, TLS


class Frame:
    """One link-layer frame: ``kind`` is "ack", "short", "control" or "long"."""

    def __init__(self, kind, control=None, address=None, ci=None, payload=b"", raw=b""):
        self.kind = kind
        self.raw = raw
        self.control = control
        self.address = address
        self.ci = ci
        self.payload = payload

    def __repr__(self):
        return f"Frame({self.kind}, C={self.control}, A={self.address}, CI={self.ci})"


def checksum(data):
    return sum(data) & 0xFF


def short_frame(control, address):
    return bytes([SHORT_START, control, address, checksum([control, address]), STOP])


def long_frame(control, address, ci, payload=b""):
    body = bytes([control, address, ci]) + bytes(payload)
    return (
        bytes([LONG_START, len(body), len(body), LONG_START]) + body + bytes([checksum(body), STOP])
    )


def select_frame(secondary):
    """SND_UD selecting a slave by secondary address; F (hex) digits/bytes are wildcards.

    ``secondary`` is 16 hex characters: id (8 digits), manufacturer (4), version (2),
    medium (2), as printed by :func:`secondary_address`.
    """
    text = secondary.upper()
    if len(text) != 16:
        raise ValueError(f"secondary address must be 16 hex characters, got {secondary!r}")
    payload = (
        bytes.fromhex(text[:8])[::-1] + bytes.fromhex(text[8:12])[::-1] + bytes.fromhex(text[12:])
    )
    return long_frame(C_SND_UD, ADDRESS_NETWORK_LAYER, CI_SELECT, payload)


def parse_frame(data):
    """Split one complete frame, checking start, lengths, checksum and stop byte."""
    data = bytes(data)
    if not data:
        raise FrameLengthError("empty frame")
    if data[0] == ACK:
        if len(data) != 1:
            raise FrameLengthError(f"single-character frame followed by {len(data) - 1} bytes")
        return Frame("ack", raw=data)
    if data[0] == SHORT_START:
        return _parse_short(data)
    if data[0] == LONG_START:
        return _parse_long(data)
    raise DecodeError(f"unknown frame start byte 0x{data[0]:02X}")


def _parse_short(data):
    if len(data) != 5:
        raise FrameLengthError(f"short frame of {len(data)} bytes, expected 5")
    try:
        telegram = meterbus.load(data)
    except MBusFrameCRCError as exc:
        raise ChecksumError(
            f"checksum error: frame says 0x{exc.expected:02X}, computed 0x{exc.computed:02X}"
        ) from None
    except MBusFrameDecodeError as exc:
        raise DecodeError(f"malformed short frame: {exc.msg}") from None
    if data[4] != STOP:
        raise DecodeError(f"short frame ends with 0x{data[4]:02X}, not the stop byte 0x16")
    header = telegram.header
    return Frame("short", header.cField.parts[0], header.aField.parts[0], raw=data)


def _parse_long(data):
    if len(data) < 9:
        raise FrameLengthError(f"long frame of {len(data)} bytes is shorter than 9")
    length = data[1]
    if data[2] != length or data[3] != LONG_START:
        raise FrameLengthError(
            f"long frame header 68 {data[1]:02X} {data[2]:02X} {data[3]:02X}: "
            "length bytes differ or second start byte missing"
        )
    if len(data) != length + 6:
        raise FrameLengthError(
            f"long frame length field says {length} user bytes ({length + 6} in all), "
            f"got {len(data)} bytes"
        )
    if length < 3:
        raise FrameLengthError(f"long frame length field {length} is below 3")
    body = data[4 : 4 + length]
    if checksum(body) != data[-2]:
        raise ChecksumError(
            f"checksum error: frame says 0x{data[-2]:02X}, computed 0x{checksum(body):02X}"
        )
    if data[-1] != STOP:
        raise DecodeError(f"long frame ends with 0x{data[-1]:02X}, not the stop byte 0x16")
    kind = "control" if length == 3 else "long"
    return Frame(kind, body[0], body[1], body[2], body[3:], raw=data)


def manufacturer_code(value):
    """Three-letter manufacturer code (EN 62056-21 flag) from its 16-bit value."""
    return "".join(chr(((value >> shift) & 0x1F) + 64) for shift in (10, 5, 0))


def secondary_address(reading):
    """16-hex-character secondary address of a decoded reading (id, manufacturer, ...)."""
    man = 0
    for letter in reading["manufacturer"]:
        man = (man << 5) | (ord(letter) - 64)
    return f"{reading['id']}{man:04X}{reading['version']:02X}{reading['medium_code']:02X}"


def decode_frame(data, allow_partial=False, key=None):
    """Decode one wired M-Bus RSP_UD frame into a reading dict.

    ``{"id", "manufacturer", "version", "medium", "medium_code", "access_number", "status",
    "signature", "encrypted", "more_records_follow", "alarms", "records": [...]}``

    A frame whose last record is cut short raises :class:`PrematureEndError`; with
    ``allow_partial`` it gives the records before the cut instead, with ``partial`` True and
    ``partial_reason``. ``key``: the AES-128 key of a meter using security mode 5.
    """
    frame = parse_frame(data)
    if frame.kind == "ack":
        raise UnsupportedFrameError("single acknowledgement (E5) carries no data")
    if frame.kind == "short":
        raise UnsupportedFrameError(f"short frame (C=0x{frame.control:02X}) carries no data")
    return decode_application(frame.ci, frame.payload, allow_partial, key)


def split_frames(data):
    """Split bytes holding several frames one after the other (a multi-telegram reply)."""
    data = bytes(data)
    frames, pos = [], 0
    while pos < len(data):
        if data[pos] == ACK:
            size = 1
        elif data[pos] == SHORT_START:
            size = 5
        elif data[pos] == LONG_START and pos + 1 < len(data):
            size = data[pos + 1] + 6
        else:
            raise DecodeError(f"no frame starts at byte {pos} (0x{data[pos]:02X})")
        if pos + size > len(data):
            raise FrameLengthError(f"the frame at byte {pos} needs {size} bytes")
        frames.append(data[pos : pos + size])
        pos += size
    return frames


def decode_reply(data):
    """Decode a multi-telegram reply (frames one after the other) into one reading.

    Every frame must come from the same meter; the records are joined in order, and
    ``telegrams`` says how many frames there were. Only the last may say no more follow.
    """
    frames = split_frames(data)
    if not frames:
        raise FrameLengthError("empty reply")
    readings = [decode_frame(frame) for frame in frames]
    first = readings[0]
    for index, reading in enumerate(readings[1:], start=1):
        if (reading["id"], reading["manufacturer"]) != (first["id"], first["manufacturer"]):
            raise DecodeError(f"telegram {index + 1} of the reply is from meter {reading['id']}")
    for index, reading in enumerate(readings[:-1]):
        if not reading["more_records_follow"]:
            raise DecodeError(f"telegram {index + 1} says no more records follow, yet more came")
    records = [record for reading in readings for record in reading["records"]]
    alarms = sorted({code for reading in readings for code in reading["alarms"]})
    return dict(
        first,
        records=records,
        alarms=alarms,
        telegrams=len(readings),
        more_records_follow=readings[-1]["more_records_follow"],
    )


def decode_application(ci, payload, allow_partial=False, key=None):
    """Decode an application layer given its CI field and the bytes after it."""
    if ci == CI_APPLICATION_ERROR:
        code = payload[0] if payload else 0
        message = APPLICATION_ERRORS.get(code, f"error code 0x{code:02X}")
        raise SlaveReportedError(f"slave reports an application error: {message}")
    if ci in CI_FIXED:
        return _decode_fixed(payload)
    if ci in CI_VARIABLE:
        if ci == 0x76:
            raise UnsupportedFrameError("CI 0x76: most-significant-byte-first data")
        if len(payload) < 12:
            raise FrameLengthError(f"variable data header needs 12 bytes, frame has {len(payload)}")
        reading = long_header(payload[:12])
        # Some old wired meters fill the signature with other data: only a known AES mode
        # whose payload does not start with the 2F 2F marker counts as encrypted.
        reading["encrypted"] = reading["security_mode"] in ENCRYPTION_MODES and not payload[
            12:
        ].startswith(b"\x2f\x2f")
        reading["alarms"] = []
        data = payload[12:]
        if reading["encrypted"]:
            if key is None or reading["security_mode"] != 5:
                reading["records"] = []
                reading["more_records_follow"] = False
                return reading
            data = _decrypt_mode5(payload[:12], data, key)
            try:
                reading["records"], reading["more_records_follow"] = parse_records(data)
            except DecodeError as exc:
                raise DecryptionError(
                    f"decryption gave a plaintext whose records do not parse ({exc}): "
                    "wrong key or IV"
                ) from None
            return add_alarms(reading)
        try:
            reading["records"], reading["more_records_follow"] = parse_records(data)
        except PrematureEndError as exc:
            if not allow_partial:
                raise
            reading.update(records=exc.records, more_records_follow=False, partial=True)
            reading["partial_reason"] = str(exc)
        return add_alarms(reading)
    if ci == CI_ALARM:
        raise UnsupportedFrameError("CI 0x71: alarm status frame")
    raise UnsupportedFrameError(f"unknown CI field 0x{ci:02X}")


def _decrypt_mode5(header, data, key):
    """Mode 5 of a wired frame: the IV is the data header's M, id, version and medium."""
    iv = mode5_iv(header[4:6], header[0:4], header[6], header[7], header[8])
    blocks = (int.from_bytes(header[10:12], "little") >> 4) & 0x0F
    return cbc_decrypt(data, key, iv, blocks)


def long_header(header):
    """The 12-byte data header of CI 0x72: id, manufacturer, version, medium, access, ..."""
    signature = int.from_bytes(header[10:12], "little")
    return {
        "id": header[3::-1].hex().upper(),
        "manufacturer": manufacturer_code(int.from_bytes(header[4:6], "little")),
        "version": header[6],
        "medium": medium_name(header[7]),
        "medium_code": header[7],
        "access_number": header[8],
        "status": header[9],
        "signature": signature,
        # Security mode in bits 8-12 of the configuration word (EN 13757-7)
        "security_mode": (signature >> 8) & 0x1F,
        "encrypted": False,
    }


def _decode_fixed(payload):
    """Fixed-structure frame (CI 0x73): id, access number, status, two counters."""
    if len(payload) != 16:
        raise FrameLengthError(f"fixed data structure needs 16 bytes, frame has {len(payload)}")
    status = payload[5]
    unit1, unit2 = payload[6], payload[7]
    function = "Stored value" if status & 0x40 else "Actual value"
    records = []
    for unit_code, raw in ((unit1, payload[8:12]), (unit2, payload[12:16])):
        if status & 0x80:
            count = int.from_bytes(raw, "little", signed=True)
        else:
            count = decode_bcd(raw)
        scale, unit, quantity = FIXED_UNITS.get(unit_code & 0x3F, (1.0, "", "Unknown"))
        value = None if count is None else scaled(count, scale)
        records.append(
            {
                "function": function,
                "storage_number": 1 if status & 0x40 else 0,
                "tariff": 0,
                "device": 0,
                "quantity": quantity,
                "unit": unit,
                "value": value,
            }
        )
    medium_code = ((unit1 & 0xC0) >> 6) | ((unit2 & 0xC0) >> 4)
    return {
        "id": payload[3::-1].hex().upper(),
        "manufacturer": None,
        "version": None,
        "medium": FIXED_MEDIA[medium_code],
        "medium_code": None,
        "access_number": payload[4],
        "status": status,
        "signature": None,
        "security_mode": 0,
        "encrypted": False,
        "more_records_follow": False,
        "records": records,
        "alarms": [],
    }
