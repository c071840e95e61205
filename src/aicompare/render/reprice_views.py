"""`reprice` as blocks (table, Markdown), as CSV and as a JSON document (docs/json.md).

Everything a log names (models, sellers, projects, keys) is the log's text: the table and
Markdown renderers show its control characters as escapes, CSV (csv_views.reprice_csv)
neutralises formulas (render.plain.csv_text), and JSON is exact data.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aicompare import fmt
from aicompare.fmt import dec
from aicompare.usage.reprice import KINDS, Migration, RepriceResult, WhatIf

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aicompare.render.blocks import Block

KIND_WORDS = {
    "input": "input",
    "cached_input": "cached input",
    "cache_write": "cache writes",
    "cache_write_1h": "1-hour cache writes",
    "output": "output",
    "reasoning": "reasoning",
    "audio_input": "audio input",
    "audio_output": "audio output",
    "images": "images",
    "web_searches": "web searches",
    "web_search": "web searches",
    "request": "request fees",
}


_VOLUME_WORDS = (
    ("input", "input"),
    ("cached_input", "cached input"),
    ("cache_write", "cache-write"),
    ("cache_write_1h", "1-hour cache-write"),
    ("output", "output"),
    ("audio_input", "audio input"),
    ("audio_output", "audio output"),
)


def _volumes(counts: Mapping[str, int]) -> str:
    """An unpriced row's volumes: input and output tokens always, other kinds where there are
    any ('150 input, 2K cached input, 40 output tokens; 3 images')."""
    tokens = [
        f"{fmt.tokens_short(counts.get(kind, 0))} {word}"
        for kind, word in _VOLUME_WORDS
        if kind in ("input", "output") or counts.get(kind, 0)
    ]
    text = ", ".join(tokens) + " tokens"
    for kind, one, many in (
        ("images", "image", "images"),
        ("web_searches", "web search", "web searches"),
    ):
        n = counts.get(kind, 0)
        if n:
            text += f"; {fmt.tokens(n)} {one if n == 1 else many}"
    return text


def _signed(amount: Decimal) -> str:
    """A difference with its sign: '+$8.59', '-$3.08', '$0.00'."""
    return ("+" if amount > 0 else "") + fmt.money(amount)


def _rows(n: int) -> str:
    return f"{fmt.tokens(n)} {'row' if n == 1 else 'rows'}"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else dec(value)


def _tokens(counts: dict[str, int]) -> dict[str, int]:
    return {kind: counts.get(kind, 0) for kind in KINDS}


def _what_if(item: WhatIf) -> dict[str, Any]:
    return {
        "model": item.model,
        "rank": item.rank,
        "total": dec(item.total),
        "baseline": dec(item.baseline),
        "difference": dec(item.difference),
        "rows": item.rows,
        "cannot_serve": [{"reason": r, "rows": n} for r, n in item.cannot_serve],
        "notes": list(item.notes),
    }


def _migration(item: Migration) -> dict[str, Any]:
    what = item.on_successor
    return {
        "model": item.model,
        "status": item.status,
        "deprecation_date": None if item.deprecation_date is None else str(item.deprecation_date),
        "shutdown_date": None if item.shutdown_date is None else str(item.shutdown_date),
        "successor_chain": item.chain,
        "successor": item.successor,
        "current": _money(item.current),
        "on_successor": None if what is None else _what_if(what),
        "months": [
            {
                "month": m.month,
                "current": dec(m.current),
                "successor": dec(m.successor),
                "difference": dec(m.difference),
            }
            for m in item.months
        ],
    }


def reprice_document(result: RepriceResult) -> dict[str, Any]:
    first, last = result.period
    doc: dict[str, Any] = {
        "rows": result.rows,
        "priced_rows": result.priced_rows,
        "total": dec(result.total),
        "total_excludes_rows": result.rows - result.priced_rows,
        "period": {
            "from": None if first is None else first.isoformat(),
            "to": None if last is None else last.isoformat(),
        },
        "by": list(result.by),
        "requests": result.requests,
        "tokens": _tokens(result.counts),
        "items": {kind: dec(cost) for kind, cost in result.items.items()},
        "groups": [
            {
                **group.keys,
                "rows": group.rows,
                "requests": group.requests,
                "tokens": _tokens(group.counts),
                "items": {kind: dec(cost) for kind, cost in group.items.items()},
                "cost": _money(group.cost),
                "unpriced_rows": group.unpriced_rows,
            }
            for group in result.groups
        ],
        "unpriced": [
            {
                "model": u.model,
                "seller": u.seller,
                "rows": u.rows,
                "requests": u.requests,
                "tokens": _tokens(u.counts),
                "reason": u.reason,
            }
            for u in result.unpriced
        ],
        "notes": list(result.notes),
        "what_if": [_what_if(item) for item in result.what_if],
    }
    if result.recorded_total is not None:
        doc["recorded_total"] = dec(result.recorded_total)
        doc["reconciliation"] = [
            {
                "model": r.model or None,
                "source": r.source,
                "rows": r.rows,
                "recorded": dec(r.recorded),
                "list_price": None if r.list_price is None else dec(r.list_price),
                "difference": None if r.difference is None else dec(r.difference),
                "can_explain": list(r.can_explain),
                "cannot_explain": list(r.cannot_explain),
            }
            for r in result.reconciliation
        ]
    if result.migration is not None:
        doc["migration"] = [_migration(item) for item in result.migration]
    return doc


# ---------------------------------------------------------------- blocks


def _period(result: RepriceResult) -> str:
    first, last = result.period
    if first is None or last is None:
        return "no dated rows"
    return str(first) if first == last else f"{first} to {last}"


def reprice_view(result: RepriceResult) -> list[Block]:
    from aicompare.render.blocks import Cell, Column, TableBlock, TextBlock

    blocks: list[Block] = []
    excluded = result.rows - result.priced_rows
    if result.rows == 0:
        # nothing was priced: no "$0.00 at list prices"
        head = "0 rows: no usage in the files given, nothing to price"
    else:
        head = f"{_rows(result.rows)}, {_period(result)}: {fmt.money(result.total)} at list prices"
    if excluded:
        head += f", excluding {_rows(excluded)} that could not be priced (below)"
    blocks.append(TextBlock([head]))
    columns = [
        *(Column(name, truncate=True, min_width=10) for name in result.by),
        Column("rows", "right", drop=4),
        Column("requests", "right", drop=1),
        Column("input", "right", drop=3),
        Column("cached", "right", drop=2),
        Column("output", "right", drop=3),
        Column("cost", "right"),
        # never dropped: a cost that leaves rows out must say so
        Column("unpriced", "right"),
    ]
    costs = fmt.money_apart([group.cost for group in result.groups])
    costs = [
        "unpriced" if group.cost is None else cost
        for group, cost in zip(result.groups, costs, strict=True)
    ]
    table_rows = []
    for group, cost in zip(result.groups, costs, strict=True):
        table_rows.append(
            [
                *(Cell(group.keys[name] or "-") for name in result.by),
                Cell(fmt.tokens(group.rows)),
                Cell(fmt.tokens(group.requests)),
                Cell(fmt.tokens_short(group.counts.get("input", 0))),
                Cell(fmt.tokens_short(group.counts.get("cached_input", 0))),
                Cell(fmt.tokens_short(group.counts.get("output", 0))),
                Cell(cost),
                Cell(
                    fmt.tokens(group.unpriced_rows) if group.unpriced_rows else "",
                    tone="warn" if group.unpriced_rows else None,
                ),
            ]
        )
    if table_rows:
        blocks.append(TableBlock(columns, table_rows, title="By " + ", ".join(result.by)))
    if result.items:
        kinds = list(result.items)
        shown = fmt.money_apart([result.items[k] for k in kinds])
        blocks.append(
            TableBlock(
                [Column("price kind"), Column("cost", "right")],
                [[Cell(KIND_WORDS.get(k, k)), Cell(s)] for k, s in zip(kinds, shown, strict=True)],
                title="Line items",
            )
        )
    if result.unpriced:
        blocks.append(
            TextBlock(
                [
                    f"{_rows(u.rows)} of `{u.model}`"
                    + (f" via {u.seller}" if u.seller else "")
                    + f" — {u.reason} ({_volumes(u.counts)})"
                    for u in result.unpriced
                ],
                title="Unpriced (not in the total)",
                bullets=True,
            )
        )
    if result.recorded_total is not None:
        lines = [f"recorded in total: {fmt.money(result.recorded_total)}"]
        for r in result.reconciliation:
            name = r.model or "all models"
            source = "the log's own costs" if r.source == "log" else "the cost report"
            if r.list_price is None or r.difference is None:
                lines.append(f"{name} ({source}): recorded {fmt.money(r.recorded)}, no list price")
                lines += [f"  {text}" for text in r.cannot_explain]
                continue
            lines.append(
                f"{name} ({source}, {_rows(r.rows)}): recorded "
                f"{fmt.money(r.recorded)}, list price {fmt.money(r.list_price)}, "
                + ("they agree" if r.difference == 0 else f"difference {_signed(r.difference)}")
            )
            lines += [f"  may explain it: {text}" for text in r.can_explain]
            lines += [f"  not explained: {text}" for text in r.cannot_explain]
        blocks.append(TextBlock(lines, title="Recorded vs list price"))
    if result.what_if:
        totals = fmt.money_apart([w.total for w in result.what_if])
        diffs = fmt.money_apart([w.difference for w in result.what_if])
        rows = [
            [
                Cell(str(w.rank) if w.rank is not None else ""),
                Cell(w.model),
                Cell(total),
                Cell(("+" if w.difference > 0 else "") + diff),
                Cell(
                    _rows(sum(n for _, n in w.cannot_serve)) if w.cannot_serve else "",
                    tone="warn" if w.cannot_serve else None,
                ),
            ]
            for w, total, diff in zip(result.what_if, totals, diffs, strict=True)
        ]
        blocks.append(
            TableBlock(
                [
                    Column("#", "right", drop=2),
                    Column("on model", truncate=True, min_width=12),
                    Column("total", "right"),
                    Column("difference", "right"),
                    Column("cannot serve", "right", drop=1),
                ],
                rows,
                title="What if",
            )
        )
        lines = [
            f"{w.model}: cannot serve {_rows(n)}: {reason}"
            for w in result.what_if
            for reason, n in w.cannot_serve
        ]
        lines += [note for w in result.what_if for note in w.notes]
        if lines:
            blocks.append(TextBlock(lines, title="What-if notes", bullets=True))
    if result.migration is not None:
        lines = []
        if not result.migration:
            lines.append("no model in the usage is deprecated or retired")
        for m in result.migration:
            when = ""
            if m.shutdown_date is not None:
                shuts = "shut down" if m.shutdown_date <= result.today else "shuts down"
                when = f", {shuts} {m.shutdown_date}"
            lines.append(f"{m.model} ({m.status}{when}): {m.chain or 'no successor named'}")
            what = m.on_successor
            if what is not None and what.rows == 0:
                lines += [
                    f"  none of its rows can be priced on {what.model}: {reason}"
                    for reason, _ in what.cannot_serve
                ]
            elif what is not None:
                lines.append(
                    f"  on {what.model}: {fmt.money(what.total)} instead of "
                    f"{fmt.money(what.baseline)} ({_signed(what.difference)})"
                )
                lines += [
                    f"  {month.month or 'rows without a time'}: {_signed(month.difference)} a month"
                    for month in m.months
                ]
                lines += [f"  cannot serve {_rows(n)}: {reason}" for reason, n in what.cannot_serve]
        blocks.append(TextBlock(lines, title="Migration"))
    if result.notes:
        blocks.append(TextBlock(list(result.notes), title="Notes", bullets=True))
    return blocks
