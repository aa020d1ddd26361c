"""Wired M-Bus master (EN 13757-2) over a serial port or a TCP gateway.

The port is opened with ``serial.serial_for_url``, so ``/dev/ttyUSB0`` and
``socket://host:port`` both work. Default line settings: 2400 baud, 8E1.

Every exchange is bounded, so that a broken or hostile gateway cannot hold the master:
each read waits at most ``timeout``, a reply has at most ``MAX_FRAMES`` telegrams, noise
is thrown away up to ``MAX_DISCARD`` bytes, a scan tries at most ``max_selects`` masks,
and an optional ``deadline`` (``time.monotonic()``) ends the whole session.
"""

import select
import time

import serial
from serial.urlhandler import protocol_socket

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
# Telegrams of one multi-telegram reply (libmbus's default limit).
MAX_FRAMES = 16
# Secondary-address masks one scan may try: a full bus of 250 meters needs far fewer.
MAX_SELECTS = 5000
# Bytes of noise thrown away at once before the master gives up listening.
MAX_DISCARD = 4096


class NoAnswer(Exception):
    """The slave did not answer within the timeout, after every retry."""


class Collision(DecodeError):
    """Several slaves answered at once: the reply is garbled."""

    reason = "collision"


class TooManyFrames(DecodeError):
    """The reply announces more telegrams than a meter sends."""

    reason = "too_many_frames"


class ScanLimitExceeded(Exception):
    """The scan tried as many masks as it may: the bus answers every one of them."""


class TimeBudgetExceeded(Exception):
    """The master's deadline passed: the rest of the session is given up."""


class BoundedSocket(protocol_socket.Serial):
    """pyserial's ``socket://`` port, whose input flush stops after ``MAX_DISCARD`` bytes:
    pyserial's own reads for as long as the peer sends, which may be for ever."""

    def reset_input_buffer(self):
        discarded = 0
        while discarded < MAX_DISCARD:
            ready, _, _ = select.select([self._socket], [], [], 0)
            if not ready:
                return
            try:
                chunk = self._socket.recv(4096)
            except BlockingIOError:
                return
            except OSError as error:
                raise serial.SerialException(f"read failed: {error}") from None
            if not chunk:
                return
            discarded += len(chunk)


class MBusMaster:
    def __init__(self, url, baudrate=2400, timeout=1.0, retries=3, deadline=None):
        settings = {
            "baudrate": baudrate,
            "bytesize": serial.EIGHTBITS,
            "parity": serial.PARITY_EVEN,
            "stopbits": serial.STOPBITS_ONE,
            "timeout": timeout,
            "write_timeout": timeout,
        }
        if url.startswith("socket://"):
            self.port = BoundedSocket(url, **settings)
        else:
            self.port = serial.serial_for_url(url, **settings)
        self.timeout = timeout
        self.retries = retries
        self.deadline = deadline
        self._fcb = {}

    def _check_deadline(self):
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise TimeBudgetExceeded("the time given to this gateway is over")

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
            self._check_deadline()
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
        """Throw away the rest of a garbled reply: until silence, or MAX_DISCARD bytes."""
        discarded = 0
        while discarded < MAX_DISCARD:
            self._check_deadline()
            chunk = self.port.read(64)
            if not chunk:
                return
            discarded += len(chunk)

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
            if len(frames) == MAX_FRAMES:
                raise TooManyFrames(f"the reply goes on past {MAX_FRAMES} telegrams")
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

    def scan_secondary(self, progress=None, max_selects=MAX_SELECTS):
        """Find every slave's secondary address by wildcard search over the id digits.

        Raises ScanLimitExceeded past ``max_selects`` masks tried.
        """
        self.snd_nke(ADDRESS_NETWORK_LAYER)
        found = []
        self._selects_left = max_selects
        self._search(WILDCARD * 16, 0, found, progress)
        return sorted(set(found))

    def _search(self, mask, position, found, progress):
        for digit in "0123456789":
            candidate = mask[:position] + digit + mask[position + 1 :]
            if not self._selects_left:
                raise ScanLimitExceeded(
                    f"the scan stopped after trying its limit of masks ({len(found)} found)"
                )
            self._selects_left -= 1
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
