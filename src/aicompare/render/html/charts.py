"""Charts for the HTML pages: horizontal bar charts (and stacked bars over time) drawn as inline
SVG by pygal.

pygal draws the SVG in Python (no browser-side script or download): the charts are made with
no JavaScript (js=[], and the configuration script pygal always writes taken out), no XML
declaration and without pygal's comments, and each chart's random
id is replaced with a fixed one so that the same document gives the same page. Bars are drawn
from floats; every label a reader sees is the document's exact string (the value's formatter),
and the figure's data table under each chart carries the same strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# the series colours, legible on a light and a dark background alike
COLOURS = ("#3b82f6", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#ec4899", "#14b8a6", "#84cc16")


class Bar(NamedTuple):
    """One bar: its series (a model), the exact figure as text, and the figure shown."""

    series: str
    value: str  # the exact decimal string from the JSON document
    label: str  # what the reader sees, e.g. "$1.10"
    color: str | None = None  # one series: the bar's own colour (its model's on every chart)


class Chart(NamedTuple):
    """A chart ready for the template: the SVG and its text alternative."""

    key: str  # a fixed id, unique in the page
    title: str
    alt: str  # one sentence for aria-label
    svg: str
    categories: tuple[str, ...]
    series: tuple[str, ...]
    cells: tuple[tuple[str, ...], ...]  # per category, per series: the label or ""


def _style(colours: tuple[str, ...], text: int, titles: int) -> Any:
    """The pygal style of every chart: transparent, the page's greys, no animation; `text` px
    for labels and values, `titles` px for the legend and title."""
    from pygal.style import Style

    return Style(
        background="transparent",
        plot_background="transparent",
        foreground="#6b7280",
        foreground_strong="#6b7280",
        foreground_subtle="#9ca3af55",
        opacity="1",
        opacity_hover="1",
        transition="none",
        colors=colours,
        font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
        label_font_size=text,
        major_label_font_size=text,
        value_font_size=text,
        legend_font_size=titles,
        title_font_size=titles,
        tooltip_font_size=text,
    )


def bar_chart(
    key: str, title: str, categories: Sequence[str], bars: Sequence[Sequence[Bar | None]]
) -> Chart:
    """A horizontal bar chart: one group per category, one bar per series in each.

    bars[i][j]: category i's bar of series j (None where that series has no figure); the series
    names come from the bars themselves, in the order of their first appearance. With one
    series, each category's label carries its figure and the legend is left out; with more, the
    legend names the series. The figures are in the data table under the chart either way.
    """
    import pygal

    series: list[str] = []
    for row in bars:
        for bar in row:
            if bar is not None and bar.series not in series:
                series.append(bar.series)
    by_series: dict[str, list[dict[str, Any] | None]] = {s: [] for s in series}
    cells: list[tuple[str, ...]] = []
    for row in bars:
        found = {bar.series: bar for bar in row if bar is not None}
        for name in series:
            bar = found.get(name)
            by_series[name].append(
                None if bar is None else {"value": float(bar.value), "formatter": _label(bar.label)}
            )
        cells.append(tuple(found[name].label if name in found else "" for name in series))
    single = len(series) == 1
    # one series with a colour per bar: each bar drawn as a series of its own, stacked, so that
    # each takes the full height of its row and the colour of its model (pygal colours series)
    firsts = [next((bar for bar in row if bar is not None), None) for row in bars]
    colours = [bar.color or "" if bar else "" for bar in firsts] if single else []
    by_bar = single and all(colours) and len(colours) == len(categories)
    if not by_bar:
        colours = []
    colours.reverse()  # the series are added bottom-up, as the categories
    style = _style(tuple(colours) or COLOURS, 15, 15)
    per_group = 1 if single else len(series)
    legend_rows = 0 if single else (len(series) + 1) // 2
    chart = (pygal.HorizontalStackedBar if by_bar else pygal.HorizontalBar)(
        style=style,
        js=[],
        disable_xml_declaration=True,
        pretty_print=False,
        width=440,
        height=50 + len(categories) * (12 + 26 * per_group) + 26 * legend_rows,
        show_legend=not single,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        legend_box_size=14,
        print_values=False,
        show_y_guides=False,
        show_x_guides=True,
        show_minor_x_labels=False,
        truncate_legend=-1,
        truncate_label=-1,
        margin=6,
        spacing=8,
        range=(0, None),
        include_x_axis=True,
        explicit_size=False,
    )
    # pygal draws the first category at the bottom: given reversed, they read from the top
    chart.x_labels = [
        f"{category} {row[0]}" if single else category for category, row in zip(categories, cells)
    ][::-1]
    if by_bar:
        values = by_series[series[0]][::-1]
        for index, category in enumerate(categories[::-1]):
            chart.add(category, [v if i == index else None for i, v in enumerate(values)])
    else:
        for name in series:
            chart.add(name, by_series[name][::-1])
    alt = f"{title}: " + "; ".join(
        f"{category}: " + ", ".join(f"{name} {cell}" for name, cell in zip(series, row) if cell)
        for category, row in zip(categories, cells)
    )
    svg = svg_of(chart, key, title, alt)
    return Chart(key, title, alt, svg, tuple(categories), tuple(series), tuple(cells))


def stacked_chart(
    key: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Bar | None]]],
    unit: str = "",
) -> Chart:
    """Vertical stacked bars: one bar per category (a day or a month, left to right), each
    series (a model) a segment of it in its own colour (the Bar's, else the palette's).

    series[j] = (name, bars): bars[i] is the series' figure in category i, or None. The data
    table under the chart has a row per category with a figure and a cell per series; the
    axis labels every few categories when there are many, so they stay legible."""
    import pygal

    shown = [(name, bars) for name, bars in series if any(b is not None for b in bars)]
    colours = tuple(
        next((b.color for b in bars if b is not None and b.color), COLOURS[i % len(COLOURS)])
        for i, (_, bars) in enumerate(shown)
    )
    style = _style(colours or COLOURS, 13, 14)
    every = max(1, -(-len(categories) // 8))  # at most about 8 labels on the axis
    columns = 3
    legend_rows = -(-len(shown) // columns)
    chart = pygal.StackedBar(
        style=style,
        js=[],
        disable_xml_declaration=True,
        pretty_print=False,
        width=720,
        height=340 + 24 * legend_rows,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,
        # pygal places a legend of more than one row too low by a row each: room below it
        margin_bottom=6 + 24 * (legend_rows - 1),
        legend_box_size=14,
        print_values=False,
        show_x_guides=False,
        show_y_guides=True,
        x_label_rotation=0 if every == 1 and len(categories) <= 8 else 30,
        x_labels_major_every=every,
        show_minor_x_labels=False,
        truncate_legend=-1,
        truncate_label=-1,
        margin=6,
        spacing=8,
        range=(0, None),
        include_x_axis=True,
        explicit_size=False,
        value_formatter=lambda v: f"{unit}{v:,.2f}" if v >= 1 else f"{unit}{v:g}",
    )
    chart.x_labels = list(categories)
    for name, bars in shown:
        chart.add(
            name,
            [
                None
                if bar is None
                else {"value": float(bar.value), "formatter": _label(f"{name}: {bar.label}")}
                for bar in bars
            ],
        )
    cells: list[tuple[str, ...]] = []
    kept: list[str] = []
    for index, category in enumerate(categories):
        row = tuple(bar.label if (bar := bars[index]) is not None else "" for _, bars in shown)
        if any(row):
            cells.append(row)
            kept.append(category)
    names = tuple(name for name, _ in shown)
    alt = f"{title}: " + "; ".join(
        f"{category}: " + ", ".join(f"{name} {cell}" for name, cell in zip(names, row) if cell)
        for category, row in zip(kept, cells)
    )
    svg = svg_of(chart, key, title, alt)
    return Chart(key, title, alt, svg, tuple(kept), names, tuple(cells))


def svg_of(chart: Any, key: str, title: str, alt: str) -> str:
    """A pygal chart as the page's inline SVG: no script, no comments, the fixed id `key`, and
    `title` and `alt` as its <title> and <desc>, which name it (aria-labelledby). Every chart of
    a page goes through here (another kind of chart, e.g. spend stacked by month, too)."""
    from markupsafe import escape

    chart.add_xml_filter(_without_scripts)
    svg = _COMMENT.sub("", str(chart.render(is_unicode=True))).replace(str(chart.uuid), key)
    svg = svg.replace(
        "<title>Pygal</title>",
        f'<title id="{key}-title">{escape(title)}</title><desc id="{key}-desc">{escape(alt)}</desc>',
        1,
    )
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{key}-title {key}-desc" ', 1)


def _without_scripts(root: Any) -> Any:
    """pygal writes its configuration as a <script> even with js=[]: taken out of the tree, so
    the SVG holds no script (the page's Content-Security-Policy would block it anyway)."""
    for parent in list(root.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rpartition("}")[2] == "script":
                parent.remove(child)
    return root


def colour(index: int) -> str:
    """The colour of the index-th model of a page."""
    return COLOURS[index % len(COLOURS)]


def _label(text: str) -> Any:
    def formatter(_: object) -> str:
        return text

    return formatter
