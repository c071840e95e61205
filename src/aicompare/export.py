"""Models back into catalog tables (the inverse of schema.build_model), for export and builds."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aicompare.catalog import Catalog
from aicompare.model import ALTERNATE_TABLES, GENERAL, Model, PriceSet
from aicompare.schema import LIFECYCLE_KEYS, MODEL_KEYS

# The model keys written as they are (lists for tuples); the first three and the tables are
# written on their own below.
_PLAIN_KEYS = tuple(
    key
    for key in MODEL_KEYS
    if key not in ("name", "provider", "type", "lifecycle", "prices", "image_prices", "benchmarks")
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
    prices: dict[str, Any] = _prices(model.prices.standard)
    for name in ALTERNATE_TABLES:
        alternate = getattr(model.prices, name)
        if alternate or (name == "off_peak" and model.prices.off_peak_hours):
            prices[name] = _prices(alternate)
    if model.prices.off_peak_hours:
        prices["off_peak"]["hours"] = model.prices.off_peak_hours
    if model.prices.tiers:
        prices["tiers"] = [
            {"above_input_tokens": t.above_input_tokens, **_prices(t.prices)}
            for t in model.prices.tiers
        ]
    if prices:
        table["prices"] = prices
    if model.image_prices:
        grid: dict[str, dict[str, Any]] = {}
        for cell in model.image_prices:
            grid.setdefault(cell.quality, {})[cell.size] = cell.usd
        table["image_prices"] = grid
    if model.benchmarks:
        table["benchmarks"] = {
            b.name: {"score": b.score, "source": b.source} for b in model.benchmarks
        }
    return table


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
