"""Prices over time at the edge: `show MODEL --history` (the periods as a table and a bar chart
per price kind) and `aicompare changes` (the catalog's digest), as blocks and JSON."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from aicompare import fmt
from aicompare.catalog import Catalog
from aicompare.history import (
    ChangesResult,
    Event,
    Period,
    change_words,
    history,
    kind_words,
    kinds_of,
    record_periods,
)
from aicompare.model import EVER, Model, PricePeriod
from aicompare.render.blocks import Block, Cell, Column, TableBlock, TextBlock

CHART_WIDTH = 36  # the longest bar, in character cells: a chart line fits 80 columns
_EIGHTHS = " ▏▎▍▌▋▊▉"


def _day_before(date: dt.date) -> dt.date:
    return date - dt.timedelta(days=1)


def _state(period: Period, today: dt.date) -> tuple[str, str | None]:
    if period.current:
        return "now", "good"
    if period.start is not None and period.start > today:
        return "announced", "warn"
    return "past", "dim"


def span_text(period: Period) -> str:
    """'until 2000-12-31', '2001-01-01 to 2998-12-31', 'from 2999-01-01', 'always'."""
    if period.start is None and period.end is None:
        return "always"
    if period.start is None:
        assert period.end is not None
        return f"until {_day_before(period.end).isoformat()}"
    if period.end is None:
        return f"from {period.start.isoformat()}"
    return f"{period.start.isoformat()} to {_day_before(period.end).isoformat()}"


def bar(value: Decimal, top: Decimal, width: int = CHART_WIDTH) -> str:
    """A horizontal bar of `value` out of `top` in eighths of a character cell; a price above
    zero shows at least an eighth."""
    if top <= 0 or value <= 0:
        return ""
    eighths = int(value * width * 8 / top)
    eighths = max(eighths, 1)
    full, rest = divmod(eighths, 8)
    return "█" * full + (_EIGHTHS[rest] if rest else "")


def chart_lines(periods: list[Period], kind: str) -> list[str]:
    """One line per period: its span, the price and a bar scaled to the highest price."""
    values = [p.prices.get(kind) for p in periods]
    known = [v for v in values if v is not None]
    top = max(known) if known else Decimal(0)
    spans = [span_text(p) for p in periods]
    prices = [fmt.price(v) if v is not None else "-" for v in values]
    span_w = max(len(s) for s in spans)
    price_w = max(len(p) for p in prices)
    return [
        f"  {span:<{span_w}}  {price:>{price_w}}  {bar(value, top) if value else ''}".rstrip()
        for span, price, value in zip(spans, prices, values, strict=True)
    ]


def _unit(kind: str) -> str:
    from aicompare.model import PRICE_UNITS

    return PRICE_UNITS.get(kind.rpartition(".")[2], "")


def _price_cell(value: Decimal | None) -> Cell:
    return Cell("-", tone="dim") if value is None else Cell(fmt.price(value))


def _periods_table(periods: list[Period], today: dt.date, title: str) -> TableBlock:
    kinds = kinds_of(periods)
    columns = [
        Column("from"),
        Column("last day"),
        Column("in force"),
        *[Column(kind_words(kind), "right", drop=0 if "." not in kind else 2) for kind in kinds],
        Column("per image", "right", drop=3),
        Column("source", truncate=True, min_width=12, drop=1),
    ]
    rows = []
    for period in periods:
        state, tone = _state(period, today)
        rows.append(
            [
                Cell(period.start.isoformat() if period.start else "-"),
                Cell(_day_before(period.end).isoformat() if period.end else "-"),
                Cell(state, tone=tone),
                *[_price_cell(period.prices.get(kind)) for kind in kinds],
                Cell(f"{period.image_prices} cells" if period.image_prices else "-"),
                Cell(period.source or fmt.NA),
            ]
        )
    if not any(p.image_prices for p in periods):
        drop = len(columns) - 2
        columns.pop(drop)
        for row in rows:
            row.pop(drop)
    return TableBlock(columns, rows, title=title)


def show_history_view(model: Model, catalog: Catalog, today: dt.date) -> list[Block]:
    """`show MODEL --history`: the model's periods, a chart per price kind that changed, then
    each offer's periods when it has dated prices."""
    periods = history(record_periods(model), today)
    blocks: list[Block] = [
        _periods_table(periods, today, f"{model.name} ({model.id}): prices over time (USD)")
    ]
    if len(periods) > 1:
        for kind in kinds_of(periods):
            values = {p.prices.get(kind) for p in periods}
            if len(values) < 2:
                continue
            blocks.append(
                TextBlock(
                    chart_lines(periods, kind),
                    title=f"{kind_words(kind)} (USD {_unit(kind)})",
                )
            )
    for offer in model.offers:
        if offer.price_periods:
            blocks.append(
                _periods_table(
                    history(offer.price_periods, today),
                    today,
                    f"{model.id}@{offer.id}: prices over time (USD)",
                )
            )
    blocks.append(
        TextBlock(
            [
                "A period applies from 00:00 UTC on its first day through its last day; "
                f"now: the one in force on {today}."
            ]
        )
    )
    return blocks


def periods_document(periods: tuple[PricePeriod, ...], today: dt.date) -> list[dict[str, Any]]:
    """The periods for JSON: `from` (null: since ever), `to` (the next period's `from`, the first
    day it no longer applies; null: open), `current`, `source` and the prices as in `prices`."""
    from aicompare.model import period_index
    from aicompare.render.documents import price_document

    now = period_index(periods, today)
    out = []
    for index, period in enumerate(periods):
        end = periods[index + 1].start if index + 1 < len(periods) else None
        out.append(
            {
                "from": None if period.start == EVER else period.start.isoformat(),
                "to": end.isoformat() if end else None,
                "current": index == now,
                "announced": period.start > today,
                "source": period.source,
                **price_document(period.prices, period.image_prices),
            }
        )
    return out


def show_history_document(model: Model, catalog: Catalog, today: dt.date) -> dict[str, Any]:
    """`show --json --history`: the model as `show --json`, with `price_periods` on it and on
    each offer."""
    from aicompare.render.documents import show_document

    doc = show_document(model, catalog, today)
    doc["model"]["price_periods"] = periods_document(record_periods(model), today)
    for entry, offer in zip(doc["model"]["offers"], model.offers, strict=True):
        entry["price_periods"] = periods_document(record_periods(offer), today)
    return doc


# --- aicompare changes ------------------------------------------------------------------------

_KIND_WORDS = {
    "price": "price",
    "new": "new model",
    "deprecation": "deprecation",
    "shutdown": "shutdown",
}


def _event_rows(event: Event) -> list[list[Cell]]:
    """One row per price kind that changed, or one for a lifecycle event."""
    mark = Cell("announced", tone="warn") if event.announced else Cell("")
    head = [Cell(event.on.isoformat()), Cell(event.record, tone="head")]
    if event.change is None:
        what = {"new": "released", "deprecation": "deprecated", "shutdown": "shut down"}
        dash = Cell("-", tone="dim")
        return [[*head, Cell(what[event.kind]), dash, dash, dash, mark, dash]]
    source = Cell(event.change.source or "-", tone=None if event.change.source else "dim")
    rows = [
        [
            *head,
            Cell(f"{c.words} price"),
            _price_cell(c.old),
            _price_cell(c.new),
            Cell(
                change_words(c),
                tone="good" if c.new is not None and c.old is not None and c.new < c.old else None,
            ),
            mark,
            source,
        ]
        for c in event.change.changes
    ]
    if event.change.images_changed:
        dash = Cell("-", tone="dim")
        rows.append([*head, Cell("per-image prices"), dash, dash, Cell("changed"), mark, source])
    return rows


def changes_view(result: ChangesResult) -> list[Block]:
    """`aicompare changes`: one row per price kind changed and per lifecycle event, by date. The
    price columns are left out when no price changed, the source when no row has one."""
    rows = [row for event in result.events for row in _event_rows(event)]
    columns = [
        Column("date"),
        Column("model", truncate=True, min_width=24),
        Column("event", truncate=True, min_width=12),
        Column("old", "right"),
        Column("new", "right"),
        Column("change", "right"),
        Column("", drop=2),
        Column("source", truncate=True, min_width=12, drop=1),
    ]
    keep = list(range(len(columns)))
    if not any(e.change for e in result.events):
        keep = [i for i in keep if columns[i].header not in ("old", "new", "change")]
    if not any(e.change and e.change.source for e in result.events):
        keep = [i for i in keep if columns[i].header != "source"]
    blocks: list[Block] = []
    if rows:
        blocks.append(TableBlock([columns[i] for i in keep], [[r[i] for i in keep] for r in rows]))
    blocks.append(TextBlock([summary_text(result)]))
    return blocks


def summary_text(result: ChangesResult) -> str:
    counts: dict[str, int] = {}
    for event in result.events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    announced = sum(1 for e in result.events if e.announced)
    span = f"from {result.since}" + (f" to {result.until}" if result.until else "")
    if not result.events:
        return f"No price changes or lifecycle events in the catalog {span}."
    parts = []
    for kind, one, many in (
        ("price", "price change", "price changes"),
        ("new", "new model", "new models"),
        ("deprecation", "deprecation", "deprecations"),
        ("shutdown", "shutdown", "shutdowns"),
    ):
        if kind in counts:
            parts.append(f"{counts[kind]} {one if counts[kind] == 1 else many}")
    tail = f", {announced} of them announced (after {result.today})" if announced else ""
    units = " Prices in USD per 1M tokens unless named." if "price" in counts else ""
    return f"{fmt.join_words(parts)} {span}{tail}.{units}"


def _event_document(event: Event) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "date": event.on.isoformat(),
        "kind": event.kind,
        "model": event.record.partition("@")[0],
        "offer": event.record.partition("@")[2] or None,
        "announced": event.announced,
    }
    if event.change is not None:
        doc["source"] = event.change.source
        doc["prices"] = [
            {
                "kind": c.kind,
                "old": fmt.dec(c.old) if c.old is not None else None,
                "new": fmt.dec(c.new) if c.new is not None else None,
                "percent": format(c.percent, "f") if c.percent is not None else None,
                "text": change_words(c),
            }
            for c in event.change.changes
        ]
        doc["image_prices_changed"] = event.change.images_changed
    return doc


def changes_document(result: ChangesResult) -> dict[str, Any]:
    return {
        "since": result.since.isoformat(),
        "until": result.until.isoformat() if result.until else None,
        "count": len(result.events),
        "events": [_event_document(e) for e in result.events],
    }
