"""An SMS's encoding, length and number of parts (3GPP TS 23.038 and 23.040).

A text of GSM-7 characters only is sent in 7-bit units: 160 in one SMS, 153 per part of
a longer one (the rest of each part holds the header that joins them). A character of
the GSM-7 extension table (``€ [ ] { } ^ ~ | \\`` and the form feed) takes two units,
and is never split across two parts. Any other character (Turkish ``ş ğ ı İ``, Polish
``ą ł``, Cyrillic, emoji) makes the whole text UCS-2: 70 UTF-16 units in one SMS, 67 per
part, a character beyond the basic plane taking two units, never split either.
"""

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM7 = "gsm7"
UCS2 = "ucs2"

# (units in a single SMS, units per part of a multi-part SMS)
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class SmsLength:
    encoding: str
    units: int  # GSM-7 septets or UTF-16 code units
    segments: int
    remaining: int  # units left in the last part before one more is needed


def encoding(text):
    """GSM7 when every character of ``text`` is in the GSM-7 tables, else UCS2."""
    return GSM7 if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else UCS2


def _unit_sizes(text, enc):
    if enc == GSM7:
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def measure(text):
    """The :class:`SmsLength` of ``text``; an empty text is one empty SMS."""
    text = text or ""
    enc = encoding(text)
    single, per_part = LIMITS[enc]
    sizes = _unit_sizes(text, enc)
    units = sum(sizes)
    if units <= single:
        return SmsLength(enc, units, 1, single - units)
    segments, used = 1, 0
    for size in sizes:
        # a two-unit character never straddles two parts
        if used + size > per_part:
            segments += 1
            used = 0
        used += size
    return SmsLength(enc, units, segments, per_part - used)
