"""What a person may see of each unit, from their dated roles in it.

A person reaches a unit through their relations (owner, tenant, resident, family
member). They see the unit's ledger lines charged to themselves, whenever dated (a
former owner still owes, and pays, their own period's debts); family members and
residents also see those of the household they belong to, dated within their own
period. Only a person who holds the unit today reads its meters.
"""

from dataclasses import dataclass, field

OWNER = "owner"
TENANT = "tenant"
LIABLE_ROLES = (OWNER, TENANT)


@dataclass(frozen=True)
class Grant:
    """One relation of the person: a role in a unit over days, both ends included
    (``date_to`` None: ongoing)."""

    unit_id: int
    role: str
    partner_id: int
    household_partner_id: int | None
    date_from: object
    date_to: object = None


@dataclass(frozen=True)
class Scope:
    """Ledger lines of ``partner_id``, dated within [date_from, date_to] (None: open)."""

    partner_id: int
    date_from: object = None
    date_to: object = None

    def covers(self, partner_id, day):
        return (
            partner_id == self.partner_id
            and (self.date_from is None or day >= self.date_from)
            and (self.date_to is None or day <= self.date_to)
        )


@dataclass
class UnitAccess:
    unit_id: int
    periods: list = field(default_factory=list)
    scopes: list = field(default_factory=list)
    roles: set = field(default_factory=set)
    current: bool = False
    payer_id: int | None = None

    def in_periods(self, day):
        """Whether ``day`` falls in one of the person's periods in the unit."""
        return any(start <= day and (end is None or day <= end) for start, end in self.periods)

    def covers(self, partner_id, day):
        """Whether a ledger line of ``partner_id`` dated ``day`` is the person's to see."""
        return any(scope.covers(partner_id, day) for scope in self.scopes)

    def partner_ids(self):
        return sorted({scope.partner_id for scope in self.scopes})


def _merge(periods):
    """Overlapping or adjacent periods merged, oldest first."""
    merged = []
    for start, end in sorted(periods, key=lambda period: period[0]):
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None or start.toordinal() <= last_end.toordinal() + 1:
                if last_end is not None and (end is None or end > last_end):
                    merged[-1] = (last_start, end)
                continue
        merged.append((start, end))
    return merged


def unit_access(grants, today):
    """{unit id: UnitAccess} of a person's grants; units only reached in the future
    are left out (nothing of theirs to see yet)."""
    result = {}
    for grant in grants:
        if grant.date_from > today:
            continue
        access = result.setdefault(grant.unit_id, UnitAccess(grant.unit_id))
        access.periods.append((grant.date_from, grant.date_to))
        access.roles.add(grant.role)
        if grant.date_to is None or grant.date_to >= today:
            access.current = True
        if grant.role in LIABLE_ROLES:
            scope = Scope(grant.partner_id)
        elif grant.household_partner_id:
            scope = Scope(grant.household_partner_id, grant.date_from, grant.date_to)
        else:
            scope = None
        if scope and scope not in access.scopes:
            access.scopes.append(scope)
    for access in result.values():
        access.periods = _merge(access.periods)
        # An owner or tenant pays for themselves; a family member for the household.
        own = [s for s in access.scopes if s.date_from is None and s.date_to is None]
        candidates = own or access.scopes
        access.payer_id = candidates[0].partner_id if candidates else None
    return result
