"""A simulated wired M-Bus: slaves answering a master over a pty or a TCP socket.

Used by the tests and handy for trying the collector without meters::

    bus = SimulatedBus([SimulatedSlave(5, frames=[rsp_ud_bytes])])
    server = bus.serve_tcp()        # socket://127.0.0.1:<server.port>
"""

import os
import socket
import threading

from .errors import DecodeError
from .frame import (
    ACK,
    ADDRESS_BROADCAST,
    ADDRESS_NETWORK_LAYER,
    C_REQ_UD2,
    C_SND_NKE,
    C_SND_UD,
    CI_SELECT,
    FCB,
    LONG_START,
    SHORT_START,
    decode_frame,
    parse_frame,
    secondary_address,
)

COLLISION_NOISE = b"\xf5\xe7\x1d"


class SimulatedSlave:
    """A slave with a primary address and the RSP_UD frames it answers, in turn.

    ``drop_replies``: how many requests it ignores first (to test retries);
    ``silent``: never answers.
    """

    def __init__(self, address, frames, drop_replies=0, silent=False):
        self.address = address
        self.frames = [bytes(f) for f in frames]
        self.secondary = secondary_address(decode_frame(self.frames[0]))
        self.drop_replies = drop_replies
        self.silent = silent
        self.selected = False
        self.index = 0
        self.last_fcb = None
        self.requests = 0

    def matches(self, mask):
        return all(m in ("F", s) for m, s in zip(mask, self.secondary))

    def answer_req_ud2(self, fcb):
        """Next telegram if the FCB toggled, the same one again if it did not."""
        self.requests += 1
        if self.last_fcb is not None and fcb == self.last_fcb:
            frame = self.frames[(self.index - 1) % len(self.frames)]
        else:
            frame = self.frames[self.index % len(self.frames)]
            self.index += 1
        self.last_fcb = fcb
        if self.drop_replies:
            self.drop_replies -= 1
            self.index -= 1
            self.last_fcb = None
            return b""
        return frame

    def reset(self):
        self.index = 0
        self.last_fcb = None


class SimulatedBus:
    def __init__(self, slaves):
        self.slaves = slaves
        self._stop = threading.Event()

    def handle(self, request):
        """Bytes the bus answers to one request frame (empty: silence)."""
        try:
            frame = parse_frame(request)
        except DecodeError:
            return b""
        if frame.kind == "short" and frame.control == C_SND_NKE:
            targets = self._targets(frame.address)
            for slave in targets:
                slave.reset()
                if frame.address == ADDRESS_NETWORK_LAYER:
                    slave.selected = False
            return self._reply([bytes([ACK])] * len(targets), frame.address)
        if frame.kind == "short" and frame.control & ~FCB == C_REQ_UD2:
            replies = [
                s.answer_req_ud2(bool(frame.control & FCB)) for s in self._targets(frame.address)
            ]
            return self._reply([r for r in replies if r], frame.address)
        if frame.kind == "long" and frame.control == C_SND_UD and frame.ci == CI_SELECT:
            mask = _mask_of(frame.payload)
            for slave in self.slaves:
                slave.selected = slave.matches(mask)
            chosen = [s for s in self.slaves if s.selected and not s.silent]
            return self._reply([bytes([ACK])] * len(chosen), ADDRESS_NETWORK_LAYER)
        return b""

    def _targets(self, address):
        if address == ADDRESS_NETWORK_LAYER:
            return [s for s in self.slaves if s.selected and not s.silent]
        if address == ADDRESS_BROADCAST:
            return [s for s in self.slaves if not s.silent]
        return [s for s in self.slaves if s.address == address and not s.silent]

    @staticmethod
    def _reply(replies, address):
        if len(replies) > 1 and address != ADDRESS_BROADCAST:
            return COLLISION_NOISE  # several slaves talking at once
        return replies[0] if replies else b""

    # -- transports ---------------------------------------------------------------------

    def _serve(self, read, write):
        buffer = b""
        while not self._stop.is_set():
            chunk = read()
            if chunk is None:
                continue
            if not chunk:
                return
            requests, buffer = _split_requests(buffer + chunk)
            for request in requests:
                reply = self.handle(request)
                if reply:
                    write(reply)

    def serve_pty(self):
        """Start on a pseudo-terminal; returns the tty path to open with pyserial."""
        import pty  # noqa: PLC0415  (POSIX only; the TCP transport works everywhere)
        import select  # noqa: PLC0415
        import tty  # noqa: PLC0415

        master_fd, slave_fd = pty.openpty()
        tty.setraw(master_fd)
        path = os.ttyname(slave_fd)

        def read():
            ready, _, _ = select.select([master_fd], [], [], 0.05)
            return os.read(master_fd, 256) if ready else None

        def write(data):
            os.write(master_fd, data)

        self._thread = threading.Thread(target=self._serve, args=(read, write), daemon=True)
        self._thread.start()
        self._fds = (master_fd, slave_fd)
        return path

    def serve_tcp(self, host="127.0.0.1"):
        """Start a TCP gateway; returns the port number (connect to socket://host:port)."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, 0))
        listener.listen(1)
        listener.settimeout(0.1)
        self._listener = listener

        def accept_loop():
            while not self._stop.is_set():
                try:
                    conn, _ = listener.accept()
                except (TimeoutError, OSError):
                    continue
                conn.settimeout(0.05)

                def read(conn=conn):
                    try:
                        return conn.recv(256)
                    except TimeoutError:
                        return None
                    except OSError:
                        return b""

                self._serve(read, conn.sendall)
                conn.close()

        self._thread = threading.Thread(target=accept_loop, daemon=True)
        self._thread.start()
        return listener.getsockname()[1]

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)
        if hasattr(self, "_listener"):
            self._listener.close()
        for fd in getattr(self, "_fds", ()):
            os.close(fd)


class HostileGateway:
    """A TCP endpoint misbehaving as a broken or malicious gateway would (tests).

    ``mode``: ``"endless_frames"`` answers every request with ``frame`` (a telegram that
    announces more records) and acknowledges everything else; ``"flood"`` sends noise
    without end from the moment a master connects; ``"collisions"`` answers the
    secondary-address selections with garbled noise while id digits are left to try, so
    a scan branches at every digit; ``"silent"`` never answers. ``connections`` counts
    the masters that connected.
    """

    def __init__(self, mode, frame=None):
        self.mode = mode
        self.frame = bytes(frame or b"")
        self.connections = 0
        self._stop = threading.Event()
        self._threads = []

    def serve_tcp(self, host="127.0.0.1"):
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, 0))
        listener.listen(4)
        listener.settimeout(0.05)
        self._listener = listener
        thread = threading.Thread(target=self._accept_loop, daemon=True)
        thread.start()
        self._threads.append(thread)
        return listener.getsockname()[1]

    def _accept_loop(self):
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            thread = threading.Thread(target=self._talk, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _talk(self, conn):
        conn.settimeout(0.05)
        buffer = b""
        try:
            while not self._stop.is_set():
                if self.mode == "flood":
                    conn.sendall(b"\xaa" * 4096)
                    continue
                try:
                    chunk = conn.recv(256)
                except TimeoutError:
                    continue
                if not chunk:
                    return
                requests, buffer = _split_requests(buffer + chunk)
                for request in requests:
                    reply = self._reply(request)
                    if reply:
                        conn.sendall(reply)
        except OSError:
            return
        finally:
            conn.close()

    def _reply(self, request):
        if self.mode == "silent" or len(request) < 5:
            return b""
        is_request = request[0] == SHORT_START and request[1] & ~FCB == C_REQ_UD2
        if self.mode == "endless_frames":
            return self.frame if is_request else bytes([ACK])
        if self.mode == "collisions":
            if request[0] != LONG_START:
                return bytes([ACK])
            # Noise while id digits are left to try, silence on full ids: the search
            # goes down every branch, never to a meter.
            return COLLISION_NOISE if _mask_of(parse_frame(request).payload)[7] == "F" else b""
        return b""

    def stop(self):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        self._listener.close()


def _mask_of(payload):
    return payload[3::-1].hex().upper() + payload[5:3:-1].hex().upper() + payload[6:8].hex().upper()


def _split_requests(buffer):
    """The complete frames at the start of ``buffer``, and what is left of it."""
    requests = []
    while True:
        length = _frame_length(buffer)
        if length is None or len(buffer) < length:
            return requests, buffer
        requests.append(buffer[:length])
        buffer = buffer[length:]


def _frame_length(buffer):
    if not buffer:
        return None
    if buffer[0] == SHORT_START:
        return 5
    if buffer[0] == LONG_START:
        return buffer[1] + 6 if len(buffer) > 1 else None
    return 1  # stray byte: consume it alone
