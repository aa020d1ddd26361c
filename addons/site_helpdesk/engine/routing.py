"""Which team a new ticket goes to, from its category and building.

Each team of a site takes some categories and some buildings (none: all of them). A
ticket goes to the most specific team that takes both its category and its building: a
team naming the category weighs more than one naming the building, so "all complaints
to the management" wins over "everything of block B to block B's caretaker" for a
complaint from block B. Teams equally specific are taken in their order (sequence, id).
"""

from dataclasses import dataclass

CATEGORY_WEIGHT = 2
BUILDING_WEIGHT = 1


@dataclass(frozen=True)
class Route:
    team_id: int
    sequence: int
    category_ids: frozenset = frozenset()
    building_ids: frozenset = frozenset()

    def takes(self, category_id, building_id):
        return (not self.category_ids or category_id in self.category_ids) and (
            not self.building_ids or building_id in self.building_ids
        )

    def specificity(self):
        return CATEGORY_WEIGHT * bool(self.category_ids) + BUILDING_WEIGHT * bool(self.building_ids)


def pick_team(routes, category_id=None, building_id=None):
    """The team id for a ticket of ``category_id`` in ``building_id`` (None: unknown),
    or None when no team takes it."""
    candidates = [route for route in routes if route.takes(category_id, building_id)]
    if not candidates:
        return None
    best = min(candidates, key=lambda route: (-route.specificity(), route.sequence, route.team_id))
    return best.team_id
