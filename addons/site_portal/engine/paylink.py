"""Signed, expiring pay links: a token that names what is paid, as items of a unit,
the partner whose debts it settles and the amount in minor currency units, valid
until a moment (seconds since the epoch).

Anyone holding the token may pay those amounts for those units, without logging in,
and nothing else: the signature (HMAC-SHA256 with the database's secret) covers every
field, so changing a unit, a partner, an amount or the expiry breaks it.

A token is ``units-partners-amounts-expires-signature``, the first three columns
holding one number per item joined by dots; a link of one item is
``unit-partner-amount-expires-signature``, as links sent before several items existed.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass

SCOPE = b"site_portal.paylink"
# A person's units on one site fit; the link stays a short URL.
MAX_ITEMS = 20


class PayLinkError(ValueError):
    """A token that is malformed, forged or expired."""


@dataclass(frozen=True)
class PayItem:
    unit_id: int
    partner_id: int
    amount_minor: int


@dataclass(frozen=True)
class PayLink:
    items: tuple
    expires: int

    @property
    def amount_minor(self):
        return sum(item.amount_minor for item in self.items)


def _signature(secret, payload):
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, SCOPE + b":" + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def _check_items(items):
    if not 0 < len(items) <= MAX_ITEMS:
        raise PayLinkError(f"A pay link holds 1 to {MAX_ITEMS} items.")
    if len({(item.unit_id, item.partner_id) for item in items}) != len(items):
        raise PayLinkError("A pay link names each unit and partner once.")
    if any(item.amount_minor <= 0 for item in items):
        raise PayLinkError("A pay link is for amounts above zero.")


def sign(secret, items, expires):
    """The token paying ``items`` ([(unit id, partner id, amount in minor units)])."""
    items = tuple(PayItem(*(int(value) for value in item)) for item in items)
    _check_items(items)
    columns = (
        ".".join(str(getattr(item, name)) for item in items)
        for name in ("unit_id", "partner_id", "amount_minor")
    )
    payload = f"{'-'.join(columns)}-{int(expires)}"
    return f"{payload}-{_signature(secret, payload)}"


def _numbers(column):
    values = column.split(".")
    if not all(value.isdigit() for value in values):
        raise PayLinkError("Malformed pay link.")
    return [int(value) for value in values]


def verify(secret, token, now):
    """The PayLink of a valid token; PayLinkError otherwise."""
    # The signature is base64url, which may hold "-" too: split off the four columns.
    parts = (token or "").split("-", 4)
    if len(parts) != 5:
        raise PayLinkError("Malformed pay link.")
    units, partners, amounts = (_numbers(column) for column in parts[:3])
    if not parts[3].isdigit() or not len(units) == len(partners) == len(amounts):
        raise PayLinkError("Malformed pay link.")
    payload = "-".join(parts[:4])
    if not hmac.compare_digest(_signature(secret, payload), parts[4]):
        raise PayLinkError("Invalid pay link.")
    link = PayLink(tuple(map(PayItem, units, partners, amounts)), int(parts[3]))
    if link.expires < now:
        raise PayLinkError("Expired pay link.")
    try:
        _check_items(link.items)
    except PayLinkError:
        raise PayLinkError("Invalid pay link.") from None
    return link
