"""A person's own data as one JSON document: the right of access and to data
portability (KVKK article 11, GDPR articles 15 and 20).

The portal reads the rows; this module keeps only the rows that are the person's own
and only the listed keys of each, so that a co-owner's national ID or another unit's
ledger line cannot slip into the file even if a caller read too much.
"""

import json
from datetime import date, datetime
from decimal import Decimal

FORMAT_VERSION = 1
# Yes/no keys: False is an answer there, elsewhere it is Odoo's empty value.
BOOLEAN_KEYS = {"lives_here"}

PERSON_KEYS = (
    "name",
    "email",
    "phone",
    "street",
    "street2",
    "zip",
    "city",
    "country",
    "lang",
    "national_id",
    "blood_group",
    "profession",
)

# Per section: the keys written out, and the rule telling whether a row is the person's.
# ``own`` rows carry ``partner_id`` (or the key named) equal to the person's id;
# ``ledger`` rows must be covered by the person's access to the unit (access engine);
# ``reader`` rows were entered by one of the person's users.
SECTIONS = {
    "unit_relations": (
        ("site", "unit", "role", "share", "date_from", "date_to", "lives_here", "household_of"),
        ("own", "partner_id"),
    ),
    "persons_declarations": (
        ("site", "unit", "date", "persons", "note"),
        ("own", "declared_by_id"),
    ),
    "privacy_consents": (
        ("site", "law", "purpose", "date_given", "date_withdrawn", "channel"),
        ("own", "partner_id"),
    ),
    "ledger_lines": (
        (
            "site",
            "unit",
            "date",
            "due_date",
            "reference",
            "description",
            "debit",
            "credit",
            "open_amount",
            "currency",
        ),
        ("ledger", None),
    ),
    "payments": (
        ("site", "unit", "date", "reference", "amount", "currency", "method"),
        ("ledger", None),
    ),
    "meter_readings": (
        ("site", "unit", "meter", "kind", "date", "value", "state", "source"),
        ("reader", "reader_id"),
    ),
    "change_requests": (
        ("site", "unit", "kind", "state", "submitted", "decided", "reject_reason", "details"),
        ("own", "partner_id"),
    ),
    "vehicles": (("plate", "make", "model", "colour", "parking_place"), ("own", "partner_id")),
    "pets": (
        ("name", "species", "breed", "chip_number", "vaccination_date"),
        ("own", "partner_id"),
    ),
    "emergency_contacts": (("name", "relation"), ("own", "partner_id")),
}


def plain(value):
    """A JSON value of a row's value: dates in ISO 8601, empty values as null."""
    if value is False or value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _is_own(row, rule, person_id, user_ids, accesses):
    kind, key = rule
    if kind == "own":
        return row.get(key) == person_id
    if kind == "reader":
        return row.get(key) in user_ids
    access = accesses.get(row.get("unit_id"))
    return bool(access) and access.covers(row.get("partner_id"), row.get("date"))


def assemble(person, rows, accesses, user_ids, generated_at):
    """The export document of ``person`` (a dict with ``id`` and PERSON_KEYS).

    ``rows``: {section: [row dict]} as read; ``accesses``: the person's
    {unit id: UnitAccess} (``access.unit_access``); ``user_ids``: the person's users.
    Rows that are not the person's are left out; keys not listed are dropped.
    """
    person_id = person["id"]
    user_ids = set(user_ids)
    document = {
        "format_version": FORMAT_VERSION,
        "generated_at": plain(generated_at),
        "person": {key: plain(person.get(key)) for key in PERSON_KEYS},
    }
    for section, (keys, rule) in SECTIONS.items():
        document[section] = [
            {
                key: bool(row.get(key)) if key in BOOLEAN_KEYS else plain(row.get(key))
                for key in keys
            }
            for row in rows.get(section, ())
            if _is_own(row, rule, person_id, user_ids, accesses)
        ]
    return document


def dumps(document):
    """The document as UTF-8 JSON bytes, readable by people and programs."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")
