"""Meter alarms: what the telegrams of a meter say, turned into alarm events.

A telegram carries alarm codes (site_collector's ``ALARM_CODES``: leak, burst, low battery,
the status byte's error bits...). An alarm event of a meter and code opens with the first
telegram that has the code, is seen again with each later one, and is cleared by the
first later telegram read in full that no longer has it. A telegram read only in part
(encrypted without key: only its clear header's status bits are known) opens and extends
alarms but clears none (nor does one whose last record was cut short). Telegrams older
than the latest one a meter's alarms were read from are history already decided (a
replay, a late upload): they change nothing.

Some meters also report alarms as past (Diehl's "previous" bits): one that came and went
between two telegrams. A past code a telegram newly reports, of an alarm neither open nor
cleared by that telegram, is an event opened and cleared at once (``past``); the codes the
latest telegram reported as past are kept, so that the next ones repeating them add
nothing.
"""

from dataclasses import dataclass, field

# (code, label) of every code site_collector names; the labels are the field's selection.
ALARM_CODES = [
    ("leak", "Leak"),
    ("burst", "Burst"),
    ("backflow", "Backflow"),
    ("dry", "Dry Pipe"),
    ("tamper", "Tampering"),
    ("magnet", "Magnetic Manipulation"),
    ("removed", "Meter Removed"),
    ("low_battery", "Low Battery"),
    ("error_flags", "Error Flags"),
    ("permanent_error", "Permanent Error"),
    ("sensor_error", "Sensor Error"),
    ("manufacturer_error", "Manufacturer Error Code"),
    ("blocked", "Meter Blocked"),
    ("submerged", "Submerged"),
    ("application_error", "Application Error"),
    ("abnormal_condition", "Abnormal Condition"),
    ("temporary_error", "Temporary Error"),
    ("application_busy", "Application Busy"),
    ("underflow", "Flow Below Range"),
    ("overflow", "Flow Above Range"),
]
ALARM_CODE_KEYS = {code for code, _label in ALARM_CODES}
SEVERITIES = [("critical", "Critical"), ("high", "High"), ("info", "Information")]
# A village water service's leak and illegal-use control: these stand out.
CRITICAL = {"leak", "burst"}
# Passing conditions worth a look on the meter, not a task for anyone.
INFO = {"application_busy", "temporary_error", "underflow", "overflow"}


def severity(code):
    """critical (leak, burst), info (passing conditions) or high (the rest)."""
    if code in CRITICAL:
        return "critical"
    return "info" if code in INFO else "high"


def raises_activity(code):
    """Whether an open alarm of ``code`` is a task for the site's engineer."""
    return severity(code) != "info"


@dataclass(frozen=True)
class Observation:
    """The alarm codes one telegram of a meter carries.

    ``complete``: the telegram was read in full, so an alarm it lacks is over.
    ``origin``: whatever the caller wants back with the alarms it opens or extends.
    """

    meter: int
    moment: object
    codes: frozenset
    complete: bool = True
    origin: object = None
    past: frozenset = frozenset()


@dataclass
class NewAlarm:
    meter: int
    code: str
    first: object
    last: object
    origin: object = None
    cleared: object = None
    past: bool = False


@dataclass
class Changes:
    """``opened``: new alarm events (``cleared`` set when a later telegram of the batch
    already cleared them); ``seen``: {(meter, code): (moment, origin)} of open alarms seen
    again; ``cleared``: {(meter, code): moment} of open alarms cleared; ``checked``: {meter:
    moment of the latest telegram its alarms were read from}; ``past``: {meter: codes the
    latest telegram read in full reported as past}."""

    opened: list = field(default_factory=list)
    seen: dict = field(default_factory=dict)
    cleared: dict = field(default_factory=dict)
    checked: dict = field(default_factory=dict)
    past: dict = field(default_factory=dict)


def alarm_changes(open_alarms, checked, observations, past=None):
    """What ``observations`` change in the alarms of their meters.

    ``open_alarms``: {(meter, code)} of the alarm events open before; ``checked``: {meter:
    moment of the latest telegram its alarms were read from} before; ``past``: {meter:
    codes its latest telegram reported as past} before.
    """
    past = past or {}
    changes = Changes()
    open_codes = {}
    for meter, code in open_alarms:
        open_codes.setdefault(meter, {})[code] = None  # None: an event stored before
    for obs in sorted(observations, key=lambda o: (o.meter, o.moment)):
        last = changes.checked.get(obs.meter, checked.get(obs.meter))
        if last is not None and obs.moment < last:
            continue
        codes = open_codes.setdefault(obs.meter, {})
        for code in sorted(obs.codes):
            event = codes.get(code, False)
            if event is False:
                codes[code] = NewAlarm(obs.meter, code, obs.moment, obs.moment, obs.origin)
            elif event is None:
                changes.seen[(obs.meter, code)] = (obs.moment, obs.origin)
            else:
                event.last, event.origin = obs.moment, obs.origin
        if obs.complete:
            gone = [code for code in codes if code not in obs.codes]
            for code in gone:
                event = codes.pop(code)
                if event is None:
                    changes.cleared[(obs.meter, code)] = obs.moment
                else:
                    event.cleared = obs.moment
                    changes.opened.append(event)
            known = changes.past.get(obs.meter, past.get(obs.meter, frozenset()))
            for code in sorted(obs.past - known - obs.codes - set(gone)):
                changes.opened.append(
                    NewAlarm(obs.meter, code, obs.moment, obs.moment, obs.origin, obs.moment, True)
                )
            changes.past[obs.meter] = frozenset(obs.past)
        changes.checked[obs.meter] = obs.moment
    for codes in open_codes.values():
        changes.opened += [event for event in codes.values() if event]
    changes.opened.sort(key=lambda event: (event.meter, event.first, event.code))
    return changes
