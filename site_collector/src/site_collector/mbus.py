"""Wired M-Bus master (EN 13757-2) over a serial port or a TCP gateway.

The port is opened with ``serial.serial_for_url``, so ``/dev/ttyUSB0`` and
``socket://host:port`` both work. Default line settings: 2400 baud, 8E1.
"""

import time

import serial

from .errors import DecodeError
from .frame import (
    ACK,
    ADDRESS_NETWORK_LAYER,
    C_REQ_UD2,
    C_SND_NKE,
    FCB,
    LONG_START,
    SHORT_START,
    decode_application,
    parse_frame,
    secondary_address,
    select_frame,
    short_frame,
)

WILDCARD = "F"


class NoAnswer(Exception):
    """The slave did not answer within the timeout, after every retry."""


class Collision(DecodeError):
    """Several slaves answered at once: the reply is garbled."""

    reason = "collision"


class MBusMaster:
    def __init__(self, url, baudrate=2400, timeout=1.0, retries=3):
        self.port = serial.serial_for_url(
            url,
            baudrate=baudrate,
            bytesize=serial.EIGHTBITS,
            parity=serial.PARITY_EVEN,
            stopbits=serial.STOPBITS_ONE,
            timeout=timeout,
        )
        self.timeout = timeout
        self.retries = retries
        self._fcb = {}

    def close(self):
        self.port.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- link layer ---------------------------------------------------------------------

    def _exchange(self, request, retries=None):
        """Send ``request`` and return the reply frame, retrying on silence."""
        attempts = retries or self.retries
        for _attempt in range(attempts):
            self.port.reset_input_buffer()
            self.port.write(request)
            self.port.flush()
            frame = self._receive()
            if frame is not None:
                return frame
        raise NoAnswer(f"no answer after {attempts} attempts")

    def _read_exact(self, count):
        data = b""
        deadline = time.monotonic() + self.timeout
        while len(data) < count and time.monotonic() < deadline:
            data += self.port.read(count - len(data))
        return data

    def _receive(self):
        """One frame, None on silence; garbage (several slaves at once) raises Collision."""
        first = self.port.read(1)
        if not first:
            return None
        if first[0] == ACK:
            rest = b""
        elif first[0] == SHORT_START:
            rest = self._read_exact(4)
        elif first[0] == LONG_START:
            head = self._read_exact(3)
            rest = head + (self._read_exact(head[0] + 2) if len(head) == 3 else b"")
        else:
            self._drain()
            raise Collision(f"garbled reply starting with 0x{first[0]:02X}")
        try:
            return parse_frame(first + rest)
        except DecodeError as exc:
            self._drain()
            raise Collision(f"garbled reply: {exc}") from None

    def _drain(self):
        while self.port.read(64):
            pass

    # -- application requests -------------------------------------------------------------

    def snd_nke(self, address):
        """Reset a slave's link layer (and deselect on 0xFD). True if it acknowledged."""
        self._fcb[address] = False
        try:
            frame = self._exchange(short_frame(C_SND_NKE, address))
        except NoAnswer:
            return False
        return frame.kind == "ack"

    def req_ud2(self, address):
        """Read a slave: all its telegrams (more-records-follow), merged into one reading."""
        frames, records, raw = [], [], b""
        while True:
            control = C_REQ_UD2 | (FCB if self._fcb.get(address, False) else 0)
            frame = self._exchange(short_frame(control, address))
            if frame.kind != "long":
                raise DecodeError(f"expected RSP_UD, got a {frame.kind} frame")
            # FCB toggles only after a good exchange: a retry repeats the same request.
            self._fcb[address] = not self._fcb.get(address, False)
            reading = decode_application(frame.ci, frame.payload)
            raw += frame.raw
            frames.append(reading)
            records.extend(reading["records"])
            if not reading["more_records_follow"]:
                break
        result = dict(frames[0], records=records, more_records_follow=False)
        result["raw"] = raw.hex().upper()
        result["telegrams"] = len(frames)
        return result

    def select(self, mask, retries=None):
        """Select by secondary address (wildcards F). Returns "single", "none" or "collision"."""
        try:
            frame = self._exchange(select_frame(mask), retries)
        except NoAnswer:
            return "none"
        except Collision:
            return "collision"
        return "single" if frame.kind == "ack" else "collision"

    def read_secondary(self, secondary):
        if self.select(secondary) != "single":
            raise NoAnswer(f"no single slave answers to secondary address {secondary}")
        return self.req_ud2(ADDRESS_NETWORK_LAYER)

    def scan_secondary(self, progress=None):
        """Find every slave's secondary address by wildcard search over the id digits."""
        self.snd_nke(ADDRESS_NETWORK_LAYER)
        found = []
        self._search(WILDCARD * 16, 0, found, progress)
        return sorted(set(found))

    def _search(self, mask, position, found, progress):
        for digit in "0123456789":
            candidate = mask[:position] + digit + mask[position + 1 :]
            if progress:
                progress(candidate)
            # One try per mask, as libmbus does: silence is the common answer in a search.
            answer = self.select(candidate, retries=1)
            if answer == "none":
                continue
            if answer == "collision" and position < 7:
                self._search(candidate, position + 1, found, progress)
                continue
            reading = self.req_ud2(ADDRESS_NETWORK_LAYER)
            found.append(secondary_address(reading))
            if answer == "collision":
                # Same id, different manufacturer/version/medium: not separable by id digits.
                raise Collision(f"several slaves share the id digits {candidate[:8]}")
