"""Server-rendered SVG charts: no JavaScript, no CDN, readable by screen readers.

Pure: takes plain values and returns SVG markup (escaped), so it is tested without Flask.
"""

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from referrals.trust.series import Mark

# Score bands shaded behind the line, so a reader sees "strong" without reading numbers.
BANDS = ((70, 100, "#e4f5ec", "strong"), (45, 70, "#eef3ff", "steady"),
         (20, 45, "#fdf6e8", "fading"), (0, 20, "#f6f7f9", "dormant"))
# The legend under the chart: each band, its colour, and why it starts where it does
# (trust/parts.py STRONG_FROM, STEADY_FROM, DORMANT_BELOW).
BAND_LEGEND = (
    ("strong", "#e4f5ec", "70 and up",
     "a wild-card recommendation can lean on it: years of confirmed give and take, recent"),
    ("steady", "#eef3ff", "45 to 69", "alive and worth keeping up; 45 is about where a "
     "balanced, confirmed history of a few years sits a year after its last contact"),
    ("fading", "#fdf6e8", "20 to 44", "thin, one-sided or going quiet"),
    ("dormant", "#f6f7f9", "below 20",
     "after 18 months of silence: left alone; rebuild before asking"),
)


# Year labels need about this many units each, so narrow charts label fewer years.
YEAR_LABEL_UNITS = 56


def score_charts(series: list[tuple[date, int]], marks: Sequence["Mark"] = ()) -> str:
    """The chart drawn for a wide space and again for a narrow one (a phone): the stylesheet shows
    the one that fits its box, so labels keep their size instead of shrinking with the drawing."""
    if not series:
        return ""
    return ('<div class="chart-box">'
            + score_chart(series, marks, chart_id="chart-wide")
            + score_chart(series, marks, width=320, height=200, chart_id="chart-narrow")
            + "</div>")


def score_chart(series: list[tuple[date, int]], marks: Iterable["Mark"] = (), *, width: int = 640,
                height: int = 220, title: str = "Trust score over time",
                chart_id: str = "chart") -> str:
    """An SVG line chart of (day, score 0..100) points, with year ticks, band shading and names,
    and a mark for each of `marks` (series.Mark: confirmed entries that moved the score)."""
    if not series:
        return ""
    left, right, top, bottom = 36, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    first, last = series[0][0].toordinal(), series[-1][0].toordinal()
    span = max(last - first, 1)

    def x(day: date) -> float:
        return left + (day.toordinal() - first) / span * plot_w

    def y(score: float) -> float:
        return top + (1 - score / 100) * plot_h

    parts = [f'<svg class="chart {chart_id}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
             f'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(_describe(series))}</desc>']
    for low, high, colour, name in BANDS:
        parts.append(f'<rect x="{left}" y="{y(high):.1f}" width="{plot_w}" '
                     f'height="{y(low) - y(high):.1f}" fill="{colour}" class="zone-{name}"/>'
                     f'<text x="{left + plot_w - 4}" y="{_name_y(low, high, y):.1f}" '
                     f'text-anchor="end" class="band-name">{name}</text>')
    for score in (0, 20, 45, 70, 100):
        parts.append(f'<text x="{left - 6}" y="{y(score) + 4:.1f}" text-anchor="end" '
                     f'class="tick">{score}</text>')
    for year in _year_ticks(series[0][0], series[-1][0], max(2, plot_w // YEAR_LABEL_UNITS)):
        tick = date(year, 1, 1)
        parts.append(f'<line x1="{x(tick):.1f}" x2="{x(tick):.1f}" y1="{top}" '
                     f'y2="{top + plot_h}" class="grid"/>'
                     f'<text x="{x(tick):.1f}" y="{height - 8}" text-anchor="middle" '
                     f'class="tick">{year}</text>')
    points = " ".join(f"{x(day):.1f},{y(score):.1f}" for day, score in series)
    area = f"{left:.1f},{y(0):.1f} {points} {x(series[-1][0]):.1f},{y(0):.1f}"
    parts.append(f'<polygon points="{area}" class="area"/>')
    parts.append(f'<polyline points="{points}" class="line"/>')
    for mark in marks:
        if not series[0][0] <= mark.day <= series[-1][0]:
            continue
        kinds = ", ".join(kind.replace("_", " ") for kind in mark.kinds)
        parts.append(f'<circle cx="{x(mark.day):.1f}" cy="{y(mark.score):.1f}" r="3.5" '
                     f'class="mark"><title>{mark.day:%d %b %Y}: {escape(kinds)} confirmed, '
                     f'{mark.change:+d}</title></circle>')
    end_day, end_score = series[-1]
    parts.append(f'<circle cx="{x(end_day):.1f}" cy="{y(end_score):.1f}" r="4" class="dot"/>')
    parts.append("</svg>")
    return "".join(parts)


def _name_y(low: int, high: int, y: Callable[[float], float]) -> float:
    # The top band is named at its foot, the others at their head: the line ends at the right,
    # and a score of 100 or 0 would otherwise run through the name.
    return y(low) - 4 if high == 100 else y(high) + 12


def _year_ticks(start: date, end: date, most: int = 10) -> list[int]:
    """Years whose 1 January falls inside the span, thinned to at most `most` labels."""
    years = list(range(start.year + (start > date(start.year, 1, 1)), end.year + 1))
    step = max(1, -(-len(years) // most))
    return years[::step]


def _describe(series: list[tuple[date, int]]) -> str:
    """A sentence for screen readers: where the line starts, peaks and ends."""
    peak_day, peak = max(series, key=lambda point: point[1])
    return (f"From {series[0][0]:%b %Y} ({series[0][1]}) to {series[-1][0]:%b %Y} "
            f"({series[-1][1]}); highest {peak} in {peak_day:%b %Y}.")
