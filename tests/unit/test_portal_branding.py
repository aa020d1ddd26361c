import io

import pytest
from conftest import load_engine
from PIL import Image

branding = load_engine("site_portal", "branding")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("#1F6F43", "#1f6f43"),
        ("1f6f43", "#1f6f43"),
        ("#abc", "#aabbcc"),
        (" #abc ", "#aabbcc"),
        ("red", None),
        ("#12345", None),
        ("#1f6f43;}body{display:none", None),
        ("", None),
        (None, None),
    ],
)
def test_colours_are_hex_or_nothing(text, expected):
    assert branding.normalise_color(text) == expected


def test_label_colour_reads_best():
    assert branding.text_on((31, 111, 67)) == branding.WHITE  # dark green
    assert branding.text_on((242, 169, 0)) == branding.BLACK  # amber


def test_light_colour_darkened_for_links_on_white():
    link = branding.readable_on_white((242, 169, 0))
    assert branding.contrast(link, branding.WHITE) >= branding.READABLE_CONTRAST
    dark = (29, 53, 87)
    assert branding.readable_on_white(dark) == dark


def test_css_scoped_and_empty_without_colour():
    css = branding.css("#1d3557", "#e9c46a")
    assert css.startswith(".o_site_branded{")
    assert "--primary:#1d3557" in css
    assert "--primary-rgb:29,53,87" in css
    assert "--o-site-on-primary:#ffffff" in css
    assert "--o-site-secondary:#e9c46a" in css
    assert ".o_site_branded .btn-primary{" in css
    assert not any(char in css for char in "<>\"'&")
    assert branding.css("not a colour") == ""
    # Without a second colour the first serves for both.
    assert "--o-site-secondary:#1d3557" in branding.css("#1d3557")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Yeşilvadi Sitesi", "yesilvadi-sitesi"),
        ("Wspólnota Mieszkaniowa Słoneczna 12", "wspolnota-mieszkaniowa-sloneczna-12"),
        ("ОСББ «Затишок»", "osbb-zatyshok"),
        ("İnci Evleri", "inci-evleri"),
        ("«»", ""),
    ],
)
def test_slug(name, expected):
    assert branding.slug(name) == expected


def test_short_name_fits_under_an_icon():
    assert branding.short_name("Yeşilvadi Sitesi") == "Yeşilvadi"
    assert branding.short_name("Słoneczna 12") == "Słoneczna 12"
    assert branding.short_name("Wspólnota Mieszkaniowa Słoneczna 12") == "Wspólnota"
    assert branding.short_name("Supercalifragilistic") == "Supercalifra"
    assert branding.short_name("") == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://yesilvadi.example.com", "https://yesilvadi.example.com"),
        ("www.example.com", "https://www.example.com"),
        ("http://example.com/site", "http://example.com/site"),
        ("javascript:alert(1)", None),
        ("javascript://alert(1)", None),
        ("ftp://example.com", None),
        ("https:///path", None),
        ("https://exa mple.com", None),
        ("", None),
    ],
)
def test_website_url(text, expected):
    assert branding.website_url(text) == expected


def test_manifest():
    document = branding.manifest(
        app_id="/my?site=yesilvadi",
        name="Yeşilvadi Sitesi",
        short="",
        start_url="/my",
        scope="/",
        theme_color="#1F6F43",
        background_color="nonsense",
        icons=[("/site/7/icon-192.png", 192), ("/site/7/icon-512.png", 512)],
    )
    assert document == {
        "id": "/my?site=yesilvadi",
        "name": "Yeşilvadi Sitesi",
        "short_name": "Yeşilvadi",
        "start_url": "/my",
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1f6f43",
        "background_color": "#ffffff",
        "icons": [
            {
                "src": "/site/7/icon-192.png",
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any",
            },
            {
                "src": "/site/7/icon-512.png",
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any",
            },
        ],
    }


def _png(data):
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def test_icon_from_a_wide_logo_keeps_it_whole_on_white():
    logo = Image.new("RGB", (600, 150), (200, 0, 0))
    icon = _png(branding.app_icon(192, color="#1f6f43", image=logo))
    assert icon.size == (192, 192)
    assert icon.getpixel((2, 2)) == (255, 255, 255)  # corner: the white square
    assert icon.getpixel((96, 96)) == (200, 0, 0)  # middle: the logo
    assert icon.getpixel((96, 40)) == (255, 255, 255)  # above the flat logo


def test_icon_of_its_own_fills_the_square():
    own = Image.new("RGB", (300, 200), (0, 0, 200))
    icon = _png(branding.app_icon(512, color=None, image=own, cover=True))
    assert icon.size == (512, 512)
    assert icon.getpixel((0, 0)) == (0, 0, 200)


def test_icon_without_image_is_the_letter_on_the_colour(tmp_path):
    icon = _png(branding.app_icon(180, color="#1d3557", letter="s"))
    assert icon.size == (180, 180)
    assert icon.getpixel((5, 5)) == (29, 53, 87)
