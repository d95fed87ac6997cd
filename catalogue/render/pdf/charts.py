"""The catalogue's charts as geometry for inline SVG: the template draws them, so WeasyPrint never fetches one.

Every label is autoescaped like any other text. Geometry is layout, not a
figure: bar lengths are the model's amounts scaled to the plot width, and the
numbers printed beside the bars are the model's own, formatted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from catalogue.model.catalogue import Group, Priority
from catalogue.model.contributions import DonorTotal
from catalogue.render.words.i18n import Formatter

CHART_WIDTH = 504.0  # points: the A4 text width (178 mm)
ROW_PITCH = 12.0
BAR_HEIGHT = 8.5
FONT_SIZE = 7.0
TOP = 2.0
CHAR_WIDTH = FONT_SIZE * 0.58  # DejaVu Sans, average; used only to shorten labels that would not fit


@dataclass(frozen=True)
class Segment:
    x: str
    width: str
    css: str


@dataclass(frozen=True)
class ChartRow:
    label_strong: str  # e.g. a priority id, drawn bold
    label: str
    bar_y: str
    text_y: str
    segments: tuple[Segment, ...]
    value_x: str
    value_text: str
    track: Segment | None  # the full-scale background of a ratio bar


@dataclass(frozen=True)
class LegendItem:
    x: str
    text_x: str
    css: str
    text: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    width: str
    height: str
    plot_x: str
    rows: tuple[ChartRow, ...]
    legend: tuple[LegendItem, ...]
    legend_bar_y: str
    legend_text_y: str
    bar_height: str


def _pt(value: float) -> str:
    return f"{value:.1f}"


def _shorten(text: str, room: float) -> str:
    """Text cut with an ellipsis to about the characters that fit in `room` points; full text is in the tables."""
    fits = max(int(room / CHAR_WIDTH), 4)
    return text if len(text) <= fits else text[: fits - 1].rstrip() + "…"


def _chart(chart_id: str, title: str, description: str, label_width: float,
           rows: Sequence[tuple[str, str, Sequence[tuple[Decimal, str]], str]],
           *, ratio: bool = False, legend: Sequence[tuple[str, str]] = ()) -> BarChart:
    """Horizontal bars: each row is (bold label, label, [(amount, css class), ...] stacked, value text).

    The value text sits after the bar; room for the longest one is kept at the right,
    so a longer language (French, Spanish) shortens the bars rather than overflowing.
    """
    value_width = max((len(value) * CHAR_WIDTH for *_, value in rows), default=0.0) + 10.0
    plot_x = label_width + 6.0
    plot_width = CHART_WIDTH - plot_x - value_width
    top = TOP + (ROW_PITCH if legend else 0.0)
    scale_max = Decimal(1) if ratio else max((sum((a for a, _ in segs), Decimal(0)) for _, _, segs, _ in rows),
                                             default=Decimal(0))
    chart_rows: list[ChartRow] = []
    for i, (strong, label, segments, value_text) in enumerate(rows):
        bar_y = top + i * ROW_PITCH
        x = plot_x
        drawn: list[Segment] = []
        for amount, css in segments:
            share = min(max(amount / scale_max, Decimal(0)), Decimal(1)) if scale_max else Decimal(0)
            width = float(share) * plot_width
            if width > 0:
                drawn.append(Segment(_pt(x), _pt(width), css))
            x += width
        label_room = label_width - (len(strong) + 1) * CHAR_WIDTH * 1.08 if strong else label_width
        chart_rows.append(ChartRow(
            label_strong=strong, label=_shorten(label, label_room) if label else "",
            bar_y=_pt(bar_y), text_y=_pt(bar_y + BAR_HEIGHT - 2.0),
            segments=tuple(drawn), value_x=_pt((plot_x + plot_width if ratio else x) + 4.0), value_text=value_text,
            track=Segment(_pt(plot_x), _pt(plot_width), "track") if ratio else None))
    legend_items: list[LegendItem] = []
    x = plot_x
    for css, text in legend:
        legend_items.append(LegendItem(_pt(x), _pt(x + 13.0), css, text))
        x += 24.0 + len(text) * CHAR_WIDTH
    height = top + len(rows) * ROW_PITCH + 2.0
    return BarChart(chart_id, title, description, _pt(CHART_WIDTH), _pt(height), _pt(plot_x), tuple(chart_rows),
                    tuple(legend_items), _pt(TOP), _pt(TOP + BAR_HEIGHT - 2.0), _pt(BAR_HEIGHT))


def gap_chart(priorities: Sequence[Priority], fmt: Formatter, count: int = 15) -> BarChart:
    """The `count` largest gaps (the model orders priorities by gap), one bar each."""
    _ = fmt.gettext
    rows = [(p.id, p.title, [(p.figures.gap, "gap")], fmt.amount(p.figures.gap))
            for p in priorities[:count] if p.figures.gap > 0]
    return _chart("chart-gap", _("Gap by priority"),
                  _("The largest funding gaps, one bar per priority, in whole units of the reporting currency."),
                  230.0, rows)


def coverage_chart(groups: Sequence[Group], fmt: Formatter) -> BarChart:
    """Coverage (secured / required) of each Strategic Plan target, against a full-scale track."""
    _ = fmt.gettext
    rows = [("", _("Target %(target)s") % {"target": g.key}, [(g.figures.coverage or Decimal(0), g.figures.status)],
             _("%(coverage)s · gap %(gap)s") % {"coverage": fmt.percent(g.figures.coverage),
                                                "gap": fmt.amount(g.figures.gap)})
            for g in groups]
    return _chart("chart-coverage", _("Coverage by Strategic Plan target"),
                  _("Share of each target's requirement that is secured; the rest of the bar is the gap."),
                  62.0, rows, ratio=True)


def donor_chart(donors: Sequence[DonorTotal], fmt: Formatter, count: int = 10) -> BarChart:
    """The `count` largest donors (a government with its ministries and agencies rolled up), committed and pledged
    stacked; the model's order (committed, then pledged, then name)."""
    _ = fmt.gettext
    rows = []
    for d in [d for d in donors if d.parent is None][:count]:
        value = fmt.amount(d.family_committed)
        if d.family_pledged:
            value = _("%(confirmed)s + %(pledged)s pledged") % {"confirmed": value, "pledged": fmt.amount(d.family_pledged)}
        rows.append(("", d.name, [(d.family_committed, "confirmed"), (d.family_pledged, "pledged")], value))
    return _chart("chart-sources", _("Money by donor"),
                  _("Committed and pledged money from the largest donors, each government with its ministries and "
                    "agencies, in whole units of the reporting currency."),
                  200.0, rows, legend=[("confirmed", _("committed")), ("pledged", _("pledged"))])
