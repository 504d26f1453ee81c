"""Bar and line charts drawn on the server as inline SVG: no JavaScript, no CDN.

Each chart is an image with a title and a text summary for screen readers (`role="img"`,
`<title>`, `aria-label`); the page puts the same figures in a table under it, so nothing is
known only from a shape or a colour.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

Number = int | float | Decimal
Point = tuple[str, Number]

WIDTH, HEIGHT = 640, 240
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 12, 12, 40
# Dark blue on white (contrast 9:1); axis text in the dashboard's body grey.
_INK, _TEXT, _GRID = "#1f4e79", "#212529", "#dee2e6"


@dataclass(frozen=True)
class Chart:
    title: str
    summary: str
    svg: SafeString
    rows: list[tuple[str, str]]  # (label, formatted value) for the table under the chart


def _plain(value: Number) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _scale(values: Sequence[Number]) -> float:
    """The top of the value axis: a round number at or above the largest value (2, 4, 6, 8,
    10, 20, 40, 50, 60…) whose half, the axis' middle line, is a whole number too."""
    largest = max((float(v) for v in values), default=0.0)
    if largest <= 2:
        return 2.0
    magnitude = 10 ** math.floor(math.log10(largest))
    steps = (2, 4, 6, 8, 10) if magnitude == 1 else (1, 2, 4, 5, 6, 8, 10)
    return float(next(magnitude * k for k in steps if magnitude * k >= largest))


def _summary(title: str, points: Sequence[Point], fmt: Callable[[Number], str]) -> str:
    if not points:
        return _("%(title)s : aucune donnée.") % {"title": title}
    values = [v for _label, v in points]
    hi = max(range(len(points)), key=lambda i: values[i])
    return _(
        "%(title)s, %(n)s valeurs du %(first)s au %(last)s ; dernière : %(latest)s ; "
        "maximum : %(max)s (%(max_label)s)."
    ) % {
        "title": title,
        "n": len(points),
        "first": points[0][0],
        "last": points[-1][0],
        "latest": fmt(values[-1]),
        "max": fmt(values[hi]),
        "max_label": points[hi][0],
    }


def _frame(top: float, fmt: Callable[[Number], str]) -> str:
    """The value axis: three grid lines labelled 0, half and top."""
    plot_h = HEIGHT - _TOP - _BOTTOM
    parts = []
    for fraction in (0, 0.5, 1):
        y = _TOP + plot_h * (1 - fraction)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text>',
                _LEFT,
                f"{y:.1f}",
                WIDTH - _RIGHT,
                f"{y:.1f}",
                _GRID,
                _LEFT - 6,
                f"{y + 4:.1f}",
                _TEXT,
                fmt(top * fraction),
            )
        )
    return _join(parts)


def _x_labels(labels: Sequence[str], xs: Sequence[float]) -> str:
    """At most 7 labels under the axis, evenly picked, the last always shown."""
    if not labels:
        return ""
    step = max(1, -(-len(labels) // 7))
    picked = [i for i in range(len(labels)) if i % step == 0 or i == len(labels) - 1]
    if len(picked) > 1 and picked[-1] - picked[-2] < step:
        picked.pop(-2)
    return format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        ((f"{xs[i]:.1f}", HEIGHT - _BOTTOM + 16, _TEXT, labels[i]) for i in picked),
    )


def _join(parts) -> SafeString:
    """Pieces made by format_html, joined without ever trusting a plain string."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg(title: str, summary: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" '
        'role="img" aria-label="{summary}" class="console-chart" '
        'preserveAspectRatio="xMidYMid meet"><title>{title}</title><desc>{summary}</desc>'
        "{body}</svg>",
        w=WIDTH,
        h=HEIGHT,
        title=title,
        summary=summary,
        body=body,
    )


def bar_chart(*, title: str, points: Sequence[Point], fmt: Callable = _plain) -> Chart:
    """One bar per (label, value), from 0 up; `fmt` writes a value for people."""
    summary = _summary(title, points, fmt)
    top = _scale([v for _l, v in points])
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    slot = plot_w / max(len(points), 1)
    xs, bars = [], []
    for i, (label, value) in enumerate(points):
        h = plot_h * float(value) / top
        x = _LEFT + slot * i + slot * 0.15
        xs.append(x + slot * 0.35)
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}">'
                "<title>{} : {}</title></rect>",
                f"{x:.1f}",
                f"{_TOP + plot_h - h:.1f}",
                f"{slot * 0.7:.1f}",
                f"{h:.1f}",
                _INK,
                label,
                fmt(value),
            )
        )
    body = _join([_frame(top, fmt), *bars, _x_labels([p[0] for p in points], xs)])
    rows = [(label, fmt(value)) for label, value in points]
    return Chart(title=title, summary=summary, svg=_svg(title, summary, body), rows=rows)


def line_chart(*, title: str, points: Sequence[Point], fmt: Callable = _plain) -> Chart:
    """A line through (label, value) points, left to right, with a dot on each."""
    summary = _summary(title, points, fmt)
    top = _scale([v for _l, v in points])
    plot_w, plot_h = WIDTH - _LEFT - _RIGHT, HEIGHT - _TOP - _BOTTOM
    step = plot_w / max(len(points) - 1, 1)
    coords = [
        (_LEFT + step * i, _TOP + plot_h * (1 - float(v) / top)) for i, (_l, v) in enumerate(points)
    ]
    line = ""
    if coords:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        line = format_html(
            '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>', path, _INK
        )
    dots = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="2.5" fill="{}"><title>{} : {}</title></circle>',
        (
            (f"{x:.1f}", f"{y:.1f}", _INK, label, fmt(value))
            for (x, y), (label, value) in zip(coords, points, strict=True)
        ),
    )
    xs = [x for x, _y in coords]
    body = _join([_frame(top, fmt), line, dots, _x_labels([p[0] for p in points], xs)])
    rows = [(label, fmt(value)) for label, value in points]
    return Chart(title=title, summary=summary, svg=_svg(title, summary, body), rows=rows)
