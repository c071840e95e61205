"""Price edits on records with dated prices (`catalog set`, docs/catalog.md "Prices over time").

A record's `prices` are its first period and `price_periods` the later ones. `catalog set ...
--from DATE` writes the prices it is given into the period that starts on that date (a new
one, made from the prices in force that day, when none does); without `--from` they go to the
period in force today (UTC), which is the record's own `prices` only while its first period
lasts. A layer that sets `price_periods` replaces the list below it, so the edit writes the
whole list: every period of the record as the catalog in effect has it, with the change.
Pure: no typer, no rich.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from aicompare.errors import UsageError
from aicompare.model import EVER, ImagePrice, PricePeriod, Prices, period_index

# the heads of the dotted fields that are a period's (every other field is the record's)
PERIOD_HEADS = ("prices", "image_prices")
PERIODS = "price_periods"


def period_field(path: str) -> bool:
    return path.split(".")[0] in PERIOD_HEADS


def dated_fields(
    prices: Prices,
    image_prices: tuple[ImagePrice, ...],
    periods: tuple[PricePeriod, ...],
    fields: Mapping[str, object],
    start: dt.date | None,
    today: dt.date,
) -> tuple[dict[str, object], dt.date | None]:
    """(the dotted fields to write, the date of the period they went to, or None when they are
    the record's own prices): `fields` with their price fields moved into the record's whole
    `price_periods` list when they belong to a later period, from `start` (`--from`) or, without
    it, the period in force on `today`. UsageError when `start` comes without a price."""
    priced = {path: value for path, value in fields.items() if period_field(path)}
    rest = {path: value for path, value in fields.items() if not period_field(path)}
    if start is not None and not priced:
        raise UsageError(
            "--from sets prices from a date, and no price is given",
            "give prices with it, e.g. --input 0.20 --from 2026-12-01",
        )
    every = periods or (PricePeriod(EVER, prices, image_prices),)
    if start is None:
        index = period_index(every, today)
        if index <= 0 or not priced:
            return dict(fields), None
        start = every[index].start
    rows = [_row(period, keep_source=True) for period in every[1:]]
    row = next((r for r in rows if r["from"] == start), None)
    if row is None:
        row = _row(every[period_index(every, start)], keep_source=False)
        row["from"] = start
        rows.append(row)
        rows.sort(key=lambda r: r["from"])
    _apply(row, priced)
    if not row.get("prices") and not row.get("image_prices"):
        raise UsageError(
            f"the period from {start.isoformat()} would have no price left",
            "a period needs at least one price",
        )
    return {**rest, PERIODS: rows}, start


def _row(period: PricePeriod, *, keep_source: bool) -> dict[str, Any]:
    """A period as a catalog file writes it (`from`, `source`, `prices`, `image_prices`); a
    new period made from another one's prices does not take its source."""
    from aicompare.export import price_tables

    row: dict[str, Any] = {"from": period.start}
    if keep_source and period.source is not None:
        row["source"] = period.source
    row.update(price_tables(period.prices, period.image_prices))
    return row


def _apply(row: dict[str, Any], fields: Mapping[str, object]) -> None:
    """Set (or, for None, remove) dotted price fields in one period's row."""
    from aicompare.store import set_fields

    doc: dict[str, Any] = {"models": {"period": row}}
    set_fields(doc, "period", fields)


__all__ = ["PERIODS", "dated_fields", "period_field"]
