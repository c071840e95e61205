"""Prices over time in the bundled catalog: the dated price periods genai-prices carries.

genai-prices gives some models a list of prices, each from a `constraint.start_date`; LiteLLM and
models.dev have no history, so their figures (the ones the build settles, `prices` as of the
curation's `as_of`, the reference snapshot date) are the period in force on that date. The other
periods, earlier ones and announced later ones, are genai-prices', each with its source.

In the catalog a model's own `prices` are its first period and `[[price_periods]]` the later ones
(docs/catalog.md). `in_force` turns such a table back into the prices of one date, which the
cross-check holds against the data sets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from aicompare.importers.genai_prices import price_history

from .check import MakerIndex, References, in_force, order_prices

SET = "genai-prices"  # the data set whose dated prices become periods


def history(
    index: MakerIndex,
    refs: References,
    maker: Mapping[str, Any],
    model_id: str,
    table: Mapping[str, Any],
) -> tuple[list[tuple[dt.date | None, dict[str, Any]]], str | None]:
    """(the genai-prices periods of this catalog model, the record's pricing page), or ([],
    None) when its maker is not fed from genai-prices or the record has no dated prices."""
    record = index.match(SET, model_id, table)
    if record is None:
        return [], None
    key = next((k for k, rec in index.sets.get(SET, {}).items() if rec is record), None)
    source_id = index.sources.get((SET, key)) if key is not None else None
    if source_id is None:
        return [], None
    for feed in maker.get("feeds", []):
        if feed.get("set") != SET:
            continue
        for prov in refs.raw(SET):
            if prov.get("id") != feed["provider"]:
                continue
            for rec in prov.get("models", []):
                if isinstance(rec, dict) and rec.get("id") == source_id:
                    return price_history(rec, prov, refs.as_of), record.get("source_url")
    return [], None


def add_periods(
    table: dict[str, Any],
    periods: list[tuple[dt.date | None, dict[str, Any]]],
    as_of: dt.date,
    source: str,
    curated: object = (),
) -> list[str]:
    """Make `table` (prices settled as of `as_of`) a model with dated prices; the problems with
    the curated periods (`curated`: the `price_periods` of its [models.<id>] table).

    The period in force on `as_of` takes the settled prices and the model's `source_url`, the
    data set's other periods (`periods`) its `source`; a curated period, which names its own
    source, is added on its date (replacing the data set's period of that date) and may not be
    the one in force on `as_of` (the current prices are settled through [[choices]]). Then
    `prices` is the first period and `price_periods` the rest. A period without a per-image
    grid of its own keeps the model's (genai-prices has none)."""
    table.pop("price_periods", None)
    grid = table.get("image_prices")
    settled = dict(table.get("prices", {}))
    own_source = table.get("source_url")
    # (start, prices, image grid, source, settled?)
    rows: list[tuple[dt.date | None, dict[str, Any], Any, str | None, bool]] = []
    if periods:
        current = max(i for i, (start, _) in enumerate(periods) if start is None or start <= as_of)
        for i, (start, prices) in enumerate(periods):
            if i == current:
                rows.append((start, settled, grid, own_source, True))
            else:
                rows.append((start, prices, grid, source, False))
    else:
        rows.append((None, settled, grid, own_source, True))
    problems: list[str] = []
    entries = curated if isinstance(curated, list) else [curated] if curated else []
    for i, entry in enumerate(entries):
        where = f"price_periods[{i}]"
        start = entry.get("from") if isinstance(entry, Mapping) else None
        if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
            problems.append(f"{where}.from: required, the UTC date the prices apply from")
            continue
        if not isinstance(entry.get("source"), str) or not entry["source"].strip():
            problems.append(f"{where}.source: required, where the figures come from")
            continue
        if not entry.get("prices") and not entry.get("image_prices"):
            problems.append(f"{where}: a price period needs prices or image_prices")
            continue
        rows = [row for row in rows if row[0] != start or row[4]]
        if any(row[0] == start for row in rows):
            problems.append(
                f"{where}.from: {start} starts the period of the reference date's prices; "
                "set current prices through [[choices]]"
            )
            continue
        rows.append(
            (
                start,
                dict(entry.get("prices", {})),
                entry.get("image_prices", grid),
                str(entry["source"]),
                False,
            )
        )
    rows.sort(key=lambda row: dt.date.min if row[0] is None else row[0])
    force = max(i for i, row in enumerate(rows) if row[0] is None or row[0] <= as_of)
    if not rows[force][4]:
        problems.append(
            f"price_periods: a curated period is in force on the reference date {as_of}, "
            "whose prices are the data sets'; set current prices through [[choices]]"
        )
    merged: list[tuple[dt.date | None, dict[str, Any], Any, str | None, bool]] = []
    for row in rows:
        if merged and merged[-1][1:3] == row[1:3]:
            continue  # the same prices as the period before: one period
        merged.append(row)
    if problems or len(merged) < 2:
        return problems
    first = merged[0]
    if first[1]:
        table["prices"] = order_prices(first[1])
    else:
        table.pop("prices", None)
    if first[2]:
        table["image_prices"] = first[2]
    else:
        table.pop("image_prices", None)
    later: list[dict[str, Any]] = []
    for start, prices, image_prices, src, _ in merged[1:]:
        period: dict[str, Any] = {"from": start}
        if src:
            period["source"] = src
        if prices:
            period["prices"] = order_prices(prices)
        if image_prices:
            period["image_prices"] = image_prices
        later.append(period)
    table["price_periods"] = later
    return problems


__all__ = ["SET", "add_periods", "history", "in_force"]
