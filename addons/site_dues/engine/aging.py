"""Aged balances: how long each open amount has been overdue, in buckets.

Days overdue count as the late fees count them: a debt falls overdue the day
after its due date, so an item due today is still "not_due". With the default
edges the buckets are "0-30" (1 to 30 days overdue), "31-60", "61-90" and "90+"
(91 days and more).
"""

from decimal import Decimal

NOT_DUE = "not_due"
DEFAULT_EDGES = (30, 60, 90)


def labels(edges=DEFAULT_EDGES):
    """The bucket labels for ``edges``, "not_due" first, in report order."""
    edges = tuple(edges)
    if not edges or any(not isinstance(e, int) or e <= 0 for e in edges):
        raise ValueError(f"Bucket edges must be positive whole days; got {edges}.")
    if any(later <= earlier for earlier, later in zip(edges, edges[1:])):
        raise ValueError(f"Bucket edges must increase; got {edges}.")
    inner = [f"{earlier + 1}-{later}" for earlier, later in zip(edges, edges[1:])]
    return (NOT_DUE, f"0-{edges[0]}", *inner, f"{edges[-1]}+")


def _label(days_overdue, edges, names):
    if days_overdue <= 0:
        return NOT_DUE
    for edge, name in zip(edges, names[1:]):
        if days_overdue <= edge:
            return name
    return names[-1]


def bucket(days_overdue, edges=DEFAULT_EDGES):
    """The label of an amount ``days_overdue`` days late (0 or less: not due)."""
    return _label(days_overdue, tuple(edges), labels(edges))


def buckets(items, as_of, edges=DEFAULT_EDGES):
    """{key: {label: amount}} for (key, due_date, residual) items, on ``as_of``.

    Every key gets every label (0 where empty); amounts of one key add up.
    """
    edges = tuple(edges)
    names = labels(edges)
    result = {}
    for key, due_date, residual in items:
        row = result.setdefault(key, dict.fromkeys(names, Decimal(0)))
        row[_label((as_of - due_date).days, edges, names)] += residual
    return result


def totals(bucketed, edges=DEFAULT_EDGES):
    """{label: amount} summed over the keys of a ``buckets`` result."""
    names = labels(edges)
    return {name: sum((row[name] for row in bucketed.values()), Decimal(0)) for name in names}
