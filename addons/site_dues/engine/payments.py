"""Apply a payment to a unit's open items: which charges it settles, in what order.

The order is a site setting: ``oldest_first`` (by due date, late fees and
principal mixed), ``fees_first`` (every late fee, oldest first, then principal)
or ``principal_first`` (principal first, so that late fees stop growing soonest).
Items due the same day keep their ``sequence`` order, then the order given.
"""

from collections import namedtuple
from decimal import Decimal

PRINCIPAL, LATE_FEE = "principal", "late_fee"
KINDS = (PRINCIPAL, LATE_FEE)

OpenItem = namedtuple("OpenItem", "key kind due_date residual sequence", defaults=(0,))

_ORDERS = {
    "oldest_first": lambda item: (item.due_date, item.sequence),
    "fees_first": lambda item: (item.kind != LATE_FEE, item.due_date, item.sequence),
    "principal_first": lambda item: (item.kind != PRINCIPAL, item.due_date, item.sequence),
}
ORDERS = tuple(_ORDERS)


def allocate(amount, items, order="oldest_first"):
    """Spread ``amount`` over ``items``; returns ([(key, paid)], credit).

    Items are paid in full one after the other; the last one reached may be paid
    in part. What is left when every item is settled comes back as ``credit`` (an
    overpayment, 0 otherwise). Items with nothing open are skipped.
    """
    amount = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    if amount <= 0:
        raise ValueError(f"A payment must be positive; got {amount}.")
    if order not in _ORDERS:
        raise ValueError(f"Unknown allocation order {order!r}; expected one of {ORDERS}.")
    items = list(items)
    for item in items:
        if item.kind not in KINDS:
            raise ValueError(f"Open item {item.key!r} has unknown kind {item.kind!r}.")
    left = amount
    paid = []
    for item in sorted((i for i in items if i.residual > 0), key=_ORDERS[order]):
        if not left:
            break
        part = min(left, item.residual)
        paid.append((item.key, part))
        left -= part
    return paid, left
