"""Quiet hours: the hours of the night a site sends no SMS, in the site's time zone.

Hours are decimal (21.5 is 21:30). A window from 21 to 9 crosses midnight; a window
whose start equals its end is empty (no quiet hours). A message due in the window waits
for its end, in local time, so a change of daylight saving time moves it with the clock.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The zone of a site whose address gives none, by its country.
COUNTRY_ZONES = {"TR": "Europe/Istanbul", "PL": "Europe/Warsaw", "UA": "Europe/Kyiv"}


def zone_for(tz_name, country_code=None):
    """The site's zone name: its own, else its country's, else UTC."""
    return tz_name or COUNTRY_ZONES.get((country_code or "").upper()) or "UTC"


def _clock(hours):
    minutes = round(hours * 60) % (24 * 60)
    return time(minutes // 60, minutes % 60)


def is_quiet(local_time, start, end):
    """Whether the wall-clock ``local_time`` is within the window [start, end)."""
    start_t, end_t = _clock(start), _clock(end)
    if start_t == end_t:
        return False
    if start_t < end_t:
        return start_t <= local_time < end_t
    return local_time >= start_t or local_time < end_t


def next_allowed(now, tz_name, start, end):
    """The first moment from ``now`` (an aware datetime) a site in ``tz_name`` with quiet
    hours from ``start`` to ``end`` may send: ``now`` itself outside the window, else the
    window's end, as an aware UTC datetime."""
    zone = ZoneInfo(tz_name)
    local = now.astimezone(zone)
    if not is_quiet(local.time(), start, end):
        return now.astimezone(UTC)
    end_t = _clock(end)
    day = local.date() if local.time() < end_t else local.date() + timedelta(days=1)
    # a wall-clock time skipped by a daylight-saving change resolves to the new offset
    return datetime.combine(day, end_t, tzinfo=zone).astimezone(UTC)
