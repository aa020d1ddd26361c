"""Consumption as a server-rendered SVG bar chart: months against the same months last
year and the building average (the EU consumption-information practice).

Pure string building (no JavaScript, no library): the page and a PDF show the same
picture, and it scales to any width through its viewBox. The numbers come from
site_metering's comparison, the one the expense notice prints.
"""

import math
from html import escape

COLORS = {"current": "#1f5f8b", "history": "#9fbfd9", "average": "#e8a33d"}
# Small enough that its text stays legible on a 390 px phone, where it is drawn at
# about 0.75 of these units.
WIDTH, HEIGHT = 480, 240
LEFT, RIGHT, TOP, BOTTOM = 40, 6, 12, 30
GRID_STEPS = 4


def months_back(last_month, count):
    """The ``count`` first days of months ending with ``last_month``, oldest first."""
    year, month = last_month.year, last_month.month
    months = []
    for _ in range(count):
        months.append(last_month.replace(year=year, month=month, day=1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def nice_step(value):
    """A round grid step at or above ``value`` (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a
    power of ten)."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if factor * magnitude >= value * (1 - 1e-9):
            return float(factor * magnitude)
    return float(10 * magnitude)


def _number(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def bar_chart_svg(labels, current, history, average, title=""):
    """The SVG markup: per month a bar of ``current`` and one of ``history`` (last
    year), and ``average`` as a line of dots. Lists are aligned with ``labels``; None
    leaves a gap."""
    values = [v for v in (*current, *history, *average) if v is not None]
    # A little headroom: the highest bar does not touch the frame.
    step = nice_step(max(values, default=0) * 1.05 / GRID_STEPS)
    top = step * GRID_STEPS
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / max(len(labels), 1)
    bar = group * 0.36

    def y(value):
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="o_site_portal_chart w-100" '
        f'style="max-height:360px" font-family="sans-serif" font-size="14">'
    ]
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for index in range(GRID_STEPS + 1):
        value = step * index
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
            f'<text x="{LEFT - 4}" y="{y(value) + 4:.1f}" text-anchor="end" '
            f'fill="#6c757d">{escape(_number(value))}</text>'
        )
    for index, label in enumerate(labels):
        x0 = LEFT + index * group + (group - 2 * bar) / 2
        for offset, (key, data) in enumerate((("history", history), ("current", current))):
            value = data[index]
            if value is None:
                continue
            height = max(plot_h * value / top, 0)
            parts.append(
                f'<rect x="{x0 + offset * bar:.1f}" y="{TOP + plot_h - height:.1f}" '
                f'width="{bar:.1f}" height="{height:.1f}" fill="{COLORS[key]}">'
                f"<title>{escape(label)}: {escape(_number(value))}</title></rect>"
            )
        parts.append(
            f'<text x="{LEFT + index * group + group / 2:.1f}" y="{HEIGHT - 9}" '
            f'text-anchor="middle" fill="#495057">{escape(label)}</text>'
        )
    points = [
        (LEFT + index * group + group / 2, y(value))
        for index, value in enumerate(average)
        if value is not None
    ]
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{py:.1f}" for x, py in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{COLORS["average"]}" '
            f'stroke-width="2" stroke-dasharray="5 3"/>'
        )
    for x, py in points:
        parts.append(f'<circle cx="{x:.1f}" cy="{py:.1f}" r="3.5" fill="{COLORS["average"]}"/>')
    parts.append("</svg>")
    return "".join(parts)
