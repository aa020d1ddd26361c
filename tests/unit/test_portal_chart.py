from datetime import date
from xml.etree import ElementTree

from conftest import load_engine

chart = load_engine("site_portal", "chart")


def test_months_back_crosses_the_year():
    months = chart.months_back(date(2026, 2, 1), 4)
    assert months == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]


def test_nice_step():
    assert chart.nice_step(0) == 1.0
    assert chart.nice_step(52.5) == 60.0  # a 210 maximum: grid 0, 60, 120, 180, 240
    assert chart.nice_step(1.4) == 1.5
    assert chart.nice_step(0.8) == 0.8
    assert chart.nice_step(0.07) == 0.08
    assert chart.nice_step(13) == 15.0
    assert chart.nice_step(100) == 100.0


def test_svg_is_well_formed_and_escaped():
    svg = chart.bar_chart_svg(
        ["Oca", "<Şub>"], [5.0, None], [4.0, 6.0], [4.5, 5.5], title='A & "B"'
    )
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}rect")) == 3  # one month without a current value
    assert len(root.findall(f"{ns}circle")) == 2
    assert root.find(f"{ns}polyline") is not None
    assert "&lt;Şub&gt;" in svg
    assert root.get("aria-label") == 'A & "B"'


def test_svg_without_values():
    root = ElementTree.fromstring(chart.bar_chart_svg(["a"], [None], [None], [None]))
    assert root.find("{http://www.w3.org/2000/svg}rect") is None
