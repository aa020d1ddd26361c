"""Merge fields: ``{{ field }}`` in a template's body, replaced by the recipient's values.

A body is written per language (Odoo's translated field gives the recipient's); the
values are formatted here in that language, so "1.234,50" in Turkish and "1,234.50" in
English. A field the template names but the suite does not know is an error naming it,
raised when the template is saved and again before anything is sent.
"""

import re
from datetime import date
from decimal import Decimal

from odoo.addons.site_residents.engine.money import round_half_up, to_decimal

FIELD = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

# The merge fields a template may use; their values are computed by the models.
MERGE_FIELDS = (
    "partner_name",
    "unit",
    "site",
    "balance",
    "balance_by_type",
    "due_date",
    "payment_link",
    "reading_window",
    # what an automatic message is about (a ticket, a case) and its new status; empty
    # in messages about no such document
    "document",
    "status",
)

# (thousands separator, decimal separator, date format) per language code prefix
NUMBER_FORMATS = {
    "tr": (".", ",", "%d.%m.%Y"),
    "pl": ("\u00a0", ",", "%d.%m.%Y"),
    "uk": ("\u00a0", ",", "%d.%m.%Y"),
    "en": (",", ".", "%m/%d/%Y"),
}


class UnknownMergeField(ValueError):
    """A template names a merge field that does not exist."""

    def __init__(self, field, known=MERGE_FIELDS):
        self.field = field
        self.known = tuple(known)
        super().__init__(
            f"Unknown merge field {{{{{field}}}}}; known fields: {', '.join(self.known)}"
        )


def fields_in(body):
    """The merge fields ``body`` uses, in order of first use."""
    return list(dict.fromkeys(FIELD.findall(body or "")))


def check(body, known=MERGE_FIELDS):
    """Raise :class:`UnknownMergeField` for the first field of ``body`` not in ``known``."""
    for field in fields_in(body):
        if field not in known:
            raise UnknownMergeField(field, known)


def render(body, values, known=MERGE_FIELDS):
    """``body`` with each ``{{ field }}`` replaced by ``values[field]`` (empty when the
    value is missing or False); unknown fields raise :class:`UnknownMergeField`."""
    check(body, known)

    def value(match):
        found = values.get(match.group(1))
        return "" if found is None or found is False else str(found)

    return FIELD.sub(value, body or "")


def _formats(lang):
    return NUMBER_FORMATS.get((lang or "en").split("_")[0].lower(), NUMBER_FORMATS["en"])


def format_amount(amount, lang, currency="", digits=2):
    """``amount`` rounded half up to ``digits``, grouped the way ``lang`` writes it,
    followed by the currency's symbol or code."""
    thousands, decimal_sep, _date = _formats(lang)
    value = round_half_up(to_decimal(amount), digits)
    sign = "-" if value < 0 else ""
    whole, _, fraction = f"{abs(value):.{digits}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = sign + thousands.join(groups) + (decimal_sep + fraction if digits else "")
    return f"{text} {currency}".strip()


def format_date(day, lang):
    """``day`` the way ``lang`` writes dates ("05.12.2026" in Turkish)."""
    if not isinstance(day, date):
        return ""
    return day.strftime(_formats(lang)[2])


def balance_by_type(amounts, lang, currency=""):
    """One line per charge type, "Dues: 1.000,00 TRY", for the non-zero amounts of
    ``amounts`` ({charge type label: amount}) in their given order."""
    return "\n".join(
        f"{label}: {format_amount(amount, lang, currency)}"
        for label, amount in amounts.items()
        if to_decimal(amount) != Decimal(0)
    )
