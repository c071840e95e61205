"""Results as JSON-ready dicts: the versioned contract in docs/json.md. Money is an exact string."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aicompare import __version__, succession
from aicompare.catalog import Catalog
from aicompare.compare import Difference, DiffResult, status_text
from aicompare.fmt import dec
from aicompare.model import ImagePrice, Model, Offer, Prices, PriceSet

if TYPE_CHECKING:
    from aicompare.costing import CostResult

SCHEMA_VERSION = 1


def envelope(command: str, today: dt.date, **body: Any) -> dict[str, Any]:
    """The fields every JSON document starts with, then the body (cli.emit, for every command)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "aicompare_version": __version__,
        "command": command,
        "as_of": today.isoformat(),
        **body,
    }


def jsonable(value: object) -> Any:
    """Decimal -> exact string, dates -> ISO, tuples -> lists; everything else unchanged."""
    if isinstance(value, Decimal):
        return dec(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def _prices(prices: PriceSet) -> dict[str, str]:
    return {key: dec(value) for key, value in prices.values.items()}


def _succession(model: Model, today: dt.date, catalog: Catalog | None) -> dict[str, object]:
    """`successor_chain` and `live_successor` (succession.document); the successors are looked up
    in the catalog, else only the model's own successor is known (as not in the catalog)."""
    lookup = succession.lookup_in(catalog.models if catalog is not None else {})
    return succession.document(succession.succession(model.id, model.lifecycle, lookup, today))


def model_summary(model: Model, today: dt.date, catalog: Catalog | None = None) -> dict[str, Any]:
    """The fields `list` shows, for one model."""
    cheapest = model.cheapest_image
    return {
        "id": model.id,
        "name": model.name,
        "provider": model.provider,
        "type": model.type,
        "context_window": model.context_window,
        "max_output_tokens": model.max_output_tokens,
        "prices": _prices(model.prices.standard),
        "image_price_from": dec(cheapest) if cheapest is not None else None,
        "status": model.status(today).value,
        "availability": model.availability,
        "free": model.free,
        "superseded_by": model.superseded_by,
        "shutdown_date": jsonable(model.lifecycle.shutdown_date),
        **_succession(model, today, catalog),
    }


def model_full(model: Model, today: dt.date, catalog: Catalog | None = None) -> dict[str, Any]:
    """Everything the catalog knows about one model."""
    life = model.lifecycle
    return {
        "id": model.id,
        "name": model.name,
        "provider": model.provider,
        "provider_name": catalog.provider_name(model.provider) if catalog else model.provider,
        "type": model.type,
        "aliases": list(model.aliases),
        "description": model.description,
        "context_window": model.context_window,
        "max_input_tokens": model.max_input_tokens,
        "max_output_tokens": model.max_output_tokens,
        "input_modalities": list(model.input_modalities),
        "output_modalities": list(model.output_modalities),
        "capabilities": list(model.capabilities),
        "endpoints": list(model.endpoints),
        "snapshots": list(model.snapshots),
        "knowledge_cutoff": model.knowledge_cutoff,
        "release_date": jsonable(model.release_date),
        "strengths": list(model.strengths),
        "notes": model.notes,
        "source_url": model.source_url,
        "catalog_as_of": jsonable(model.as_of),
        "status": model.status(today).value,
        "availability": model.availability,
        "free": model.free,
        "lifecycle": {
            "deprecation_date": jsonable(life.deprecation_date),
            "shutdown_date": jsonable(life.shutdown_date),
            "superseded_by": life.superseded_by,
            "note": life.note,
            **_succession(model, today, catalog),
        },
        **price_document(model.prices, model.image_prices),
        "benchmarks": {
            b.name: {"score": dec(b.score), "source": b.source} for b in model.benchmarks
        },
        "offers": [offer_document(offer) for offer in model.offers],
        "origins": dict(model.origins),
    }


def price_document(prices: Prices, image_prices: tuple[ImagePrice, ...]) -> dict[str, Any]:
    grid: dict[str, dict[str, str]] = {}
    for cell in image_prices:
        grid.setdefault(cell.quality, {})[cell.size] = dec(cell.usd)
    return {
        "prices": {
            "unit": "USD per 1M tokens unless the key names another unit",
            "standard": _prices(prices.standard),
            "batch": _prices(prices.batch),
            "flex": _prices(prices.flex),
            "priority": _prices(prices.priority),
            "off_peak": _prices(prices.off_peak),
            "off_peak_hours_utc": prices.off_peak_hours,
            "tiers": [
                {"above_input_tokens": t.above_input_tokens, **_prices(t.prices)}
                for t in prices.tiers
            ],
        },
        "image_prices": grid,
    }


def offer_document(offer: Offer) -> dict[str, Any]:
    """One offer of a model: the seller, where, and its prices (the same keys as a model's)."""
    return {
        "offer_id": offer.id,
        "seller": offer.seller,
        "seller_model_id": offer.seller_model_id,
        "region": offer.region,
        "reseller": offer.reseller,
        "names": list(offer.names),
        **price_document(offer.prices, offer.image_prices),
        "source_url": offer.source_url,
        "as_of": jsonable(offer.as_of),
        "notes": offer.notes,
    }


def difference(item: Difference) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "text": item.text,
        "field": item.field,
        "models": list(item.models),
        "values": jsonable(item.values),
        "percent": format(item.percent, "f") if item.percent is not None else None,
    }


def list_document(models: Sequence[Model], catalog: Catalog, today: dt.date) -> dict[str, Any]:
    return {"count": len(models), "models": [model_summary(m, today, catalog) for m in models]}


def show_document(model: Model, catalog: Catalog, today: dt.date) -> dict[str, Any]:
    return {"model": model_full(model, today, catalog)}


def diff_document(
    result: DiffResult, catalog: Catalog, cost: CostResult | None = None
) -> dict[str, Any]:
    """The models, the rows, the differences; with a workload, `cost`: the body of the cost
    document of the same models (render.cost_views.cost_document, as `cost --json` has it)."""
    models = []
    for index, model in enumerate(result.models):
        entry = model_full(model, result.today, catalog)
        succ = result.successions[index] if result.successions else None
        entry["status_text"] = status_text(model, result.today, succ)
        models.append(entry)
    rows = [
        {
            "section": row.section,
            "field": row.field,
            "label": row.label,
            "values": jsonable(row.values),
            "better": [result.models[i].id for i in row.best],
        }
        for row in result.rows
    ]
    body: dict[str, Any] = {
        "models": models,
        "rows": rows,
        "differences": [difference(d) for d in result.differences],
    }
    if cost is not None:
        from aicompare.render.cost_views import cost_document

        body["cost"] = cost_document(cost)
    return body
