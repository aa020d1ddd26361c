"""Signed, expiring pay links: a token that names a unit, the partner paying and the
amount in minor currency units, valid until a moment (seconds since the epoch).

Anyone holding the token may pay that amount for that unit, without logging in, and
nothing else: the signature (HMAC-SHA256 with the database's secret) covers every
field, so changing the unit, the partner, the amount or the expiry breaks it.
"""

import base64
import hashlib
import hmac
from dataclasses import dataclass

SCOPE = b"site_portal.paylink"


class PayLinkError(ValueError):
    """A token that is malformed, forged or expired."""


@dataclass(frozen=True)
class PayLink:
    unit_id: int
    partner_id: int
    amount_minor: int
    expires: int


def _signature(secret, payload):
    key = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(key, SCOPE + b":" + payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def sign(secret, unit_id, partner_id, amount_minor, expires):
    if amount_minor <= 0:
        raise PayLinkError("A pay link is for an amount above zero.")
    payload = f"{int(unit_id)}-{int(partner_id)}-{int(amount_minor)}-{int(expires)}"
    return f"{payload}-{_signature(secret, payload)}"


def verify(secret, token, now):
    """The PayLink of a valid token; PayLinkError otherwise."""
    # The signature is base64url, which may hold "-" too: split off the four numbers.
    parts = (token or "").split("-", 4)
    if len(parts) != 5 or not all(part.isdigit() for part in parts[:4]):
        raise PayLinkError("Malformed pay link.")
    payload = "-".join(parts[:4])
    if not hmac.compare_digest(_signature(secret, payload), parts[4]):
        raise PayLinkError("Invalid pay link.")
    link = PayLink(*(int(part) for part in parts[:4]))
    if link.expires < now:
        raise PayLinkError("Expired pay link.")
    if link.amount_minor <= 0:
        raise PayLinkError("Invalid pay link.")
    return link
