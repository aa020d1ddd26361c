"""Refused attempts counted per source address, so that guessing is slowed down.

Past ``limit`` refusals within ``window`` seconds, a source is told to wait until the
oldest of them is older than the window; the caller answers it without checking
anything. Kept in memory: each server process counts on its own, which is enough to
make guessing slow, and nothing is written to the database for an attacker's requests.
"""

import threading
import time
from collections import deque


class FailureThrottle:
    def __init__(self, limit=10, window=600.0, clock=time.monotonic, max_sources=10000):
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_sources = max_sources
        self._failures = {}
        self._lock = threading.Lock()

    def _recent(self, source, now):
        failures = self._failures.get(source)
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if failures is not None and not failures:
            del self._failures[source]
            return None
        return failures

    def retry_after(self, source):
        """Seconds the source must wait before it is heard again; 0 when it may try."""
        with self._lock:
            now = self.clock()
            failures = self._recent(source, now)
            if not failures or len(failures) < self.limit:
                return 0.0
            return failures[0] + self.window - now

    def failed(self, source):
        """Count one refusal of the source."""
        with self._lock:
            now = self.clock()
            if source not in self._failures and len(self._failures) >= self.max_sources:
                # Bounded memory: forget the sources whose last refusal is the oldest.
                stale = sorted(self._failures, key=lambda s: self._failures[s][-1])
                for old in stale[: len(stale) // 2 or 1]:
                    del self._failures[old]
            failures = self._recent(source, now)
            if failures is None:
                failures = self._failures[source] = deque()
            failures.append(now)
            # Only the last ``limit`` refusals decide when the source is heard again.
            while len(failures) > self.limit:
                failures.popleft()

    def reset(self):
        with self._lock:
            self._failures.clear()
