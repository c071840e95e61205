"""Models back into catalog tables (the inverse of schema.build_model), for export and builds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aicompare.catalog import Catalog
from aicompare.model import (
    ALTERNATE_TABLES,
    GENERAL,
    ImagePrice,
    Model,
    Offer,
    PricePeriod,
    Prices,
    PriceSet,
)
from aicompare.schema import LIFECYCLE_KEYS, MODEL_KEYS

# The model keys written as they are (lists for tuples); the first three and the tables are
# written on their own below.
_PLAIN_KEYS = tuple(
    key
    for key in MODEL_KEYS
    if key
    not in (
        "name",
        "provider",
        "type",
        "lifecycle",
        "prices",
        "image_prices",
        "benchmarks",
        "offers",
        "price_periods",
    )
)


def _prices(prices: PriceSet) -> dict[str, Any]:
    return dict(prices.values)


def model_table(model: Model) -> dict[str, Any]:
    """One model as a catalog table; only the fields it has, so the file stays readable."""
    table: dict[str, Any] = {"name": model.name, "provider": model.provider, "type": model.type}
    for key in _PLAIN_KEYS:
        value = getattr(model, key)
        if value not in (None, ()) and not (key == "availability" and value == GENERAL):
            table[key] = list(value) if isinstance(value, tuple) else value
    life = model.lifecycle
    lifecycle = {k: getattr(life, k) for k in LIFECYCLE_KEYS if getattr(life, k) is not None}
    if lifecycle:
        table["lifecycle"] = lifecycle
    _priced(table, model.prices, model.image_prices, model.price_periods)
    if model.benchmarks:
        table["benchmarks"] = {
            b.name: {"score": b.score, "source": b.source} for b in model.benchmarks
        }
    if model.offers:
        table["offers"] = {offer.id: offer_table(offer) for offer in model.offers}
    return table


def offer_table(offer: Offer) -> dict[str, Any]:
    """One offer as a catalog table (schema._offers reads it back)."""
    table: dict[str, Any] = {"seller": offer.seller}
    for key in ("seller_model_id", "region"):
        if getattr(offer, key) is not None:
            table[key] = getattr(offer, key)
    if offer.reseller:
        table["reseller"] = True
    if offer.names:
        table["names"] = list(offer.names)
    for key in ("source_url", "as_of", "notes"):
        if getattr(offer, key) is not None:
            table[key] = getattr(offer, key)
    _priced(table, offer.prices, offer.image_prices, offer.price_periods)
    return table


def _priced(
    table: dict[str, Any],
    prices: Prices,
    image_prices: tuple[ImagePrice, ...],
    periods: tuple[PricePeriod, ...],
) -> None:
    """A record's prices: its first period's as `prices`, the dated ones as `price_periods`."""
    if not periods:
        _price_tables(table, prices, image_prices)
        return
    _price_tables(table, periods[0].prices, periods[0].image_prices)
    rows: list[dict[str, Any]] = []
    for period in periods[1:]:
        row: dict[str, Any] = {"from": period.start}
        if period.source is not None:
            row["source"] = period.source
        _price_tables(row, period.prices, period.image_prices)
        rows.append(row)
    table["price_periods"] = rows


def price_tables(prices: Prices, image_prices: tuple[ImagePrice, ...]) -> dict[str, Any]:
    """A period's `prices` and `image_prices` tables, as a catalog file writes them."""
    table: dict[str, Any] = {}
    _price_tables(table, prices, image_prices)
    return table


def _price_tables(
    table: dict[str, Any], all_prices: Prices, image_prices: tuple[ImagePrice, ...]
) -> None:
    """`prices` (with its alternate tables and tiers) and `image_prices`, where there are any."""
    prices: dict[str, Any] = _prices(all_prices.standard)
    for name in ALTERNATE_TABLES:
        alternate = getattr(all_prices, name)
        if alternate or (name == "off_peak" and all_prices.off_peak_hours):
            prices[name] = _prices(alternate)
    if all_prices.off_peak_hours:
        prices["off_peak"]["hours"] = all_prices.off_peak_hours
    if all_prices.tiers:
        prices["tiers"] = [
            {"above_input_tokens": t.above_input_tokens, **_prices(t.prices)}
            for t in all_prices.tiers
        ]
    if prices:
        table["prices"] = prices
    if image_prices:
        grid: dict[str, dict[str, Any]] = {}
        for cell in image_prices:
            grid.setdefault(cell.quality, {})[cell.size] = cell.usd
        table["image_prices"] = grid


def catalog_document(catalog: Catalog, models: Iterable[Model] | None = None) -> dict[str, Any]:
    """The whole merged catalog as one catalog document (tasks included); `models`: only these."""
    doc: dict[str, Any] = {"schema_version": 1}
    if catalog.providers:
        doc["providers"] = {
            pid: {k: v for k, v in (("name", p.name), ("url", p.url)) if v is not None}
            for pid, p in sorted(catalog.providers.items())
        }
    kept = catalog.models.values() if models is None else models
    doc["models"] = {model.id: model_table(model) for model in kept}
    if catalog.tasks:
        from aicompare.tasks import task_table

        doc["tasks"] = {task_id: task_table(task) for task_id, task in catalog.tasks.items()}
    return doc
