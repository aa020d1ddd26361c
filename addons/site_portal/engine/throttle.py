"""Slowing down too many submissions from one person."""

from datetime import timedelta


def wait_seconds(times, now, limit, window_seconds):
    """Seconds the person must wait before submitting again, 0 when they may now.

    ``times``: when their earlier submissions were made; at most ``limit`` fit in any
    ``window_seconds`` long window.
    """
    if limit <= 0:
        return 0
    start = now - timedelta(seconds=window_seconds)
    recent = sorted(moment for moment in times if moment > start)
    if len(recent) < limit:
        return 0
    # The oldest submission that keeps the count at the limit must leave the window.
    frees_at = recent[-limit] + timedelta(seconds=window_seconds)
    return max(1, int((frees_at - now).total_seconds() + 0.999))
