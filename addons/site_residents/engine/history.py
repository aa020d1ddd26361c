"""Dated relations between people and a unit: who owned, rented or lived there when.

A relation is valid from ``date_from`` to ``date_to`` inclusive (``date_to`` None:
still valid). Everything here works on plain ``Relation`` tuples so that it can be
tested, and run over ten thousand units, without the ORM.
"""

from collections import namedtuple
from datetime import date, timedelta

OWNER, TENANT, RESIDENT, FAMILY = "owner", "tenant", "resident", "family"
ROLES = (OWNER, TENANT, RESIDENT, FAMILY)

# Who pays a charge category when the unit has both an owner and a tenant.
RUNNING, INVESTMENT = "running", "investment"
CATEGORIES = (RUNNING, INVESTMENT)
PAYER_OWNER, PAYER_TENANT = "owner", "tenant"

SHARE_TOTAL = 100.0
SHARE_TOLERANCE = 0.005  # shares are kept with two decimals

Relation = namedtuple(
    "Relation", "id partner_id role share date_from date_to", defaults=(None, None)
)
ShareGap = namedtuple("ShareGap", "date_from date_to total")
Overlap = namedtuple("Overlap", "first second date_from date_to")
Segment = namedtuple("Segment", "partner_id date_from date_to days")

ONE_DAY = timedelta(days=1)


def is_active(relation, day):
    return relation.date_from <= day and (relation.date_to is None or day <= relation.date_to)


def active_on(relations, day, role=None):
    return [r for r in relations if is_active(r, day) and (role is None or r.role == role)]


def _breakpoints(relations, start=None, end=None):
    """Days on which the set of active relations can change, sorted."""
    points = set()
    for relation in relations:
        points.add(relation.date_from)
        if relation.date_to is not None:
            points.add(relation.date_to + ONE_DAY)
    if start is not None:
        points = {p for p in points if p > start} | {start}
    if end is not None:
        points = {p for p in points if p <= end}
    return sorted(points)


def _intervals(relations, start=None, end=None):
    """Consecutive (first_day, last_day) intervals on which nothing changes.

    The last interval of an open history has last_day None.
    """
    points = _breakpoints(relations, start, end)
    for index, first in enumerate(points):
        if index + 1 < len(points):
            yield first, points[index + 1] - ONE_DAY
        else:
            yield first, end


def owner_share_gaps(relations):
    """Intervals where the unit has owners whose shares do not add up to 100 %."""
    owners = [r for r in relations if r.role == OWNER]
    gaps = []
    for first, last in _intervals(owners):
        active = active_on(owners, first)
        if not active:
            continue
        total = round(sum(r.share or 0.0 for r in active), 4)
        if abs(total - SHARE_TOTAL) > SHARE_TOLERANCE:
            if gaps and gaps[-1].total == total and gaps[-1].date_to == first - ONE_DAY:
                gaps[-1] = gaps[-1]._replace(date_to=last)
            else:
                gaps.append(ShareGap(first, last, total))
    return gaps


def overlaps(relations):
    """Pairs of relations of one person to the unit whose dates overlap.

    A person holds one role in a unit at a time: an owner who lives there is an owner
    who lives there, not an owner and a resident.
    """
    found = []
    by_partner = {}
    for relation in sorted(relations, key=lambda r: (r.date_from, r.id or 0)):
        by_partner.setdefault(relation.partner_id, []).append(relation)
    for same_person in by_partner.values():
        for index, first in enumerate(same_person):
            for second in same_person[index + 1 :]:
                start = max(first.date_from, second.date_from)
                ends = [d for d in (first.date_to, second.date_to) if d is not None]
                end = min(ends) if ends else None
                if end is None or start <= end:
                    found.append(Overlap(first, second, start, end))
    return found


def primary(relations):
    """The one relation that answers for several of the same role.

    Owners: the largest share, then the earliest start; tenants and others: the
    earliest start. The lowest id breaks ties so the answer never flickers.
    """
    if not relations:
        return None
    return min(
        relations,
        key=lambda r: (-(r.share or 0.0) if r.role == OWNER else 0.0, r.date_from, r.id or 0),
    )


def liable_relation(relations, day, payer):
    """The relation charged on ``day`` when ``payer`` ('owner' or 'tenant') is the rule.

    A tenant pays only what the rule gives tenants, and only while there is one; the
    owner pays everything else. None when nobody holds the unit that day.
    """
    if payer == PAYER_TENANT:
        tenant = primary(active_on(relations, day, TENANT))
        if tenant:
            return tenant
    return primary(active_on(relations, day, OWNER))


def liable_segments(relations, date_from, date_to, payer):
    """Split [date_from, date_to] into runs of days charged to the same partner.

    Days with nobody liable come back with partner_id None, so that a billing run
    can name them instead of losing them.
    """
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    relevant = [r for r in relations if r.role in (OWNER, TENANT)]
    segments = []
    for first, last in _intervals(relevant, date_from, date_to):
        relation = liable_relation(relevant, first, payer)
        partner_id = relation.partner_id if relation else None
        if segments and segments[-1].partner_id == partner_id:
            previous = segments[-1]
            segments[-1] = previous._replace(
                date_to=last, days=(last - previous.date_from).days + 1
            )
        else:
            segments.append(Segment(partner_id, first, last, (last - first).days + 1))
    return segments


def parse_day(value):
    """Accept a date or an ISO string (Odoo's Date fields give dates)."""
    return value if isinstance(value, date) else date.fromisoformat(value)
