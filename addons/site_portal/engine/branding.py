"""A site's look on the portal: colours, the CSS they give, its address slug and the
web app manifest that puts the portal on a phone's home screen."""

import io
import re
import unicodedata
from urllib.parse import urlsplit

from PIL import Image, ImageDraw, ImageFont, ImageOps

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+-]*:")
_HOST = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*")
WHITE = (255, 255, 255)
BLACK = (0, 0, 0)
# WCAG 2 level AA for normal text: links and button labels must reach it.
READABLE_CONTRAST = 4.5
SHORT_NAME_LENGTH = 12  # what a home screen shows under an icon without cutting it

# Letters that Unicode does not decompose into a Latin base letter: Turkish, Polish,
# German and Ukrainian names must still give a readable address.
_TRANSLITERATION = str.maketrans(
    {
        "ı": "i",
        "İ": "I",
        "ł": "l",
        "Ł": "L",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "h",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ie",
        "ж": "zh",
        "з": "z",
        "и": "y",
        "і": "i",
        "ї": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ь": "",
        "ю": "iu",
        "я": "ia",
        "ы": "y",
        "э": "e",
        "ё": "e",
        "ъ": "",
    }
)


def parse_color(text):
    """(r, g, b) of a ``#rgb`` or ``#rrggbb`` colour; None for anything else."""
    match = _HEX.fullmatch((text or "").strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(char * 2 for char in digits)
    return tuple(int(digits[index : index + 2], 16) for index in (0, 2, 4))


def to_hex(rgb):
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def normalise_color(text):
    """``#rrggbb`` in lower case, or None when ``text`` is not a colour."""
    rgb = parse_color(text)
    return to_hex(rgb) if rgb else None


def _luminance(rgb):
    """WCAG 2 relative luminance."""

    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(rgb):
    """White or black, whichever reads better on ``rgb``."""
    return WHITE if contrast(rgb, WHITE) >= contrast(rgb, BLACK) else BLACK


def shade(rgb, factor):
    """``rgb`` darkened by ``factor`` (0.1: ten per cent towards black)."""
    return tuple(round(channel * (1 - factor)) for channel in rgb)


def readable_on_white(rgb):
    """``rgb``, darkened just enough to be read as text on a white page."""
    for step in range(11):
        candidate = shade(rgb, step / 10)
        if contrast(candidate, WHITE) >= READABLE_CONTRAST:
            return candidate
    return BLACK


def css(primary, secondary=None):
    """Rules that paint the portal's Bootstrap in the site's colours, scoped to
    ``.o_site_branded``; empty when ``primary`` is not a colour. (Odoo compiles Bootstrap's
    CSS variables without the ``bs-`` prefix.)"""
    base = parse_color(primary)
    if not base:
        return ""
    accent = parse_color(secondary) or base
    label = to_hex(text_on(base))
    hover, active = to_hex(shade(base, 0.12)), to_hex(shade(base, 0.2))
    link = readable_on_white(base)
    rgb = ",".join(map(str, base))
    color = to_hex(base)
    return (
        f".o_site_branded{{--primary:{color};--primary-rgb:{rgb};"
        f"--link-color:{to_hex(link)};--link-color-rgb:{','.join(map(str, link))};"
        f"--link-hover-color:{to_hex(shade(link, 0.2))};"
        f"--link-hover-color-rgb:{','.join(map(str, shade(link, 0.2)))};"
        f"--o-site-primary:{color};--o-site-on-primary:{label};"
        f"--o-site-secondary:{to_hex(accent)};--o-site-on-secondary:{to_hex(text_on(accent))}}}"
        f".o_site_branded .btn-primary{{--btn-bg:{color};--btn-border-color:{color};"
        f"--btn-color:{label};--btn-hover-bg:{hover};--btn-hover-border-color:{hover};"
        f"--btn-hover-color:{label};--btn-active-bg:{active};"
        f"--btn-active-border-color:{active};--btn-active-color:{label};"
        f"--btn-disabled-bg:{color};--btn-disabled-border-color:{color};"
        f"--btn-disabled-color:{label};--btn-focus-shadow-rgb:{rgb}}}"
        f".o_site_branded .btn-outline-primary{{--btn-color:{to_hex(link)};"
        f"--btn-border-color:{color};--btn-hover-bg:{color};"
        f"--btn-hover-border-color:{color};--btn-hover-color:{label};"
        f"--btn-active-bg:{hover};--btn-active-border-color:{hover};"
        f"--btn-active-color:{label};--btn-focus-shadow-rgb:{rgb}}}"
    )


def slug(text):
    """A lower-case ASCII address part of ``text``: "Yeşilvadi Sitesi" gives
    "yesilvadi-sitesi"; empty when nothing of it is a letter or digit."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_TRANSLITERATION).lower())
    text = text.translate(_TRANSLITERATION)  # Cyrillic capitals lowered above
    ascii_text = text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")


def short_name(name, limit=SHORT_NAME_LENGTH):
    """The words of ``name`` that fit under a home screen icon (at least the first word,
    cut to ``limit``)."""
    words = (name or "").split()
    if not words:
        return ""
    kept = words[0][:limit]
    for word in words[1:]:
        if len(kept) + 1 + len(word) > limit:
            break
        kept = f"{kept} {word}"
    return kept


def manifest(*, name, short, start_url, scope, theme_color, background_color, icons, app_id=None):
    """The web app manifest (W3C Web Application Manifest) of a site's portal.

    ``icons``: (url, size in pixels) pairs of square PNG images; ``app_id``: what tells
    the portals of two sites on one server apart on a phone.
    """
    document = {
        "id": app_id or start_url,
        "name": name,
        "short_name": short or short_name(name),
        "start_url": start_url,
        "scope": scope,
        "display": "standalone",
        "theme_color": normalise_color(theme_color) or "#ffffff",
        "background_color": normalise_color(background_color) or "#ffffff",
        "icons": [
            {"src": url, "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for url, size in icons
        ],
    }
    return document


def website_url(text):
    """An http(s) address of ``text`` ("www.example.com" gets https://); None when it is
    not a web address (a ``javascript:`` link never reaches a page)."""
    text = (text or "").strip()
    if not text or any(char.isspace() for char in text):
        return None
    if not _SCHEME.match(text):
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not _HOST.fullmatch(parts.hostname or ""):
        return None
    return text


def app_icon(size, *, color, letter="", font_path=None, image=None, cover=False):
    """A square PNG (bytes) of ``size`` pixels for a phone's home screen.

    ``image`` (a PIL image): the site's own icon, filling the square (``cover``) or its
    logo, kept whole inside the middle of a white square, the zone every phone shows;
    without an image: ``letter`` in the site's ``color``.
    """
    background = parse_color(color) or (61, 90, 128)
    if image is not None:
        image = image.convert("RGBA")
        if cover:
            square = ImageOps.fit(image, (size, size), Image.LANCZOS)
            canvas = Image.new("RGBA", (size, size), (*WHITE, 255))
            canvas.alpha_composite(square)
        else:
            inner = round(size * 0.72)
            image.thumbnail((inner, inner), Image.LANCZOS)
            canvas = Image.new("RGBA", (size, size), (*WHITE, 255))
            canvas.alpha_composite(image, ((size - image.width) // 2, (size - image.height) // 2))
    else:
        canvas = Image.new("RGBA", (size, size), (*background, 255))
        if letter and font_path:
            draw = ImageDraw.Draw(canvas)
            font = ImageFont.truetype(font_path, round(size * 0.56))
            draw.text(
                (size / 2, size / 2),
                letter[:1].upper(),
                fill=text_on(background),
                font=font,
                anchor="mm",
            )
    output = io.BytesIO()
    canvas.convert("RGB").save(output, format="PNG", optimize=True)
    return output.getvalue()
