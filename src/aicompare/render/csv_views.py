"""Every command's CSV: one table of machine values, one row per model (or line item, or task).

The one place CSV is made (docs/csv.md lists the columns). A cell holds a typed value, never text
formatted for people: render.plain.to_csv writes a Decimal as its exact digits (as in the JSON),
an int as digits, a date as ISO, a bool as true/false, None as an empty cell, a tuple as its items
joined by "; ", and a str as text neutralised against formulas (render.plain.csv_text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from aicompare import succession
from aicompare.model import PRICE_LABELS, Model

if TYPE_CHECKING:  # a command's CSV loads only what that command already has
    from aicompare.catalog import Catalog
    from aicompare.compare import DiffResult
    from aicompare.costing import CostResult
    from aicompare.tasks import Task
    from aicompare.usage.reprice import RepriceResult
    from aicompare.verdict import Verdict

CsvValue = str | Decimal | int | bool | dt.date | tuple[str, ...] | None


class CsvTable(NamedTuple):
    """A header and rows of values, one value per header column."""

    header: tuple[str, ...]
    rows: list[tuple[CsvValue, ...]]


# ---------------------------------------------------------------- models: list, show, diff, export

PRICE_COLUMNS = tuple(PRICE_LABELS)  # USD per the unit docs/csv.md names for each key
MODEL_COLUMNS = (
    "id",
    "name",
    "provider",
    "type",
    "context_window",
    "max_input_tokens",
    "max_output_tokens",
    *PRICE_COLUMNS,
    "batch_input",
    "batch_output",
    "image_from",
    "status",
    "availability",
    "free",
    "superseded_by",
    "live_successor",
    "deprecation_date",
    "shutdown_date",
    "release_date",
    "capabilities",
    "source_url",
    "as_of",
)


def model_row(model: Model, today: dt.date, lookup: succession.Lookup) -> tuple[CsvValue, ...]:
    """One model in MODEL_COLUMNS' order."""
    life = model.lifecycle
    live = succession.succession(model.id, life, lookup, today).live
    return (
        model.id,
        model.name,
        model.provider,
        model.type,
        model.context_window,
        model.max_input_tokens,
        model.max_output_tokens,
        *(model.price(key) for key in PRICE_COLUMNS),
        model.price("input", batch=True),
        model.price("output", batch=True),
        model.cheapest_image,
        model.status(today).value,
        model.availability,
        model.free,
        life.superseded_by,
        live,
        life.deprecation_date,
        life.shutdown_date,
        model.release_date,
        model.capabilities,
        model.source_url,
        model.as_of,
    )


def models_table(
    models: Sequence[Model], today: dt.date, catalog: Catalog | None = None
) -> CsvTable:
    lookup = succession.lookup_in(catalog.models if catalog is not None else {})
    return CsvTable(MODEL_COLUMNS, [model_row(m, today, lookup) for m in models])


def list_csv(models: Sequence[Model], catalog: Catalog, today: dt.date) -> CsvTable:
    return models_table(models, today, catalog)


def show_csv(model: Model, catalog: Catalog, today: dt.date) -> CsvTable:
    return models_table([model], today, catalog)


def diff_csv(result: DiffResult, catalog: Catalog | None = None, cost: object = None) -> CsvTable:
    # a workload's costs are `cost --format csv`: the diff command refuses csv with a workload
    return models_table(result.models, result.today, catalog)


def export_csv(catalog: Catalog, today: dt.date, models: Sequence[Model]) -> CsvTable:
    return models_table(models, today, catalog)


# ---------------------------------------------------------------- cost


def _each(model_ids: Sequence[str], values: Sequence[CsvValue]) -> CsvValue:
    """One model's value; a pipeline's as `model: value` per model that has one, joined by "; "
    ("o4-mini: retired; gpt-image-1: current")."""
    if len(values) == 1:
        return values[0]
    shown = [
        f"{mid}: {_plain(value)}" for mid, value in zip(model_ids, values) if value is not None
    ]
    return "; ".join(shown) or None


def _first(dates: Sequence[dt.date | None]) -> dt.date | None:
    """A pipeline's shutdown date: the earliest of its models' (it stops working then)."""
    return min((d for d in dates if d is not None), default=None)


def _plain(value: CsvValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


COST_COLUMNS = (
    "rank",
    "model",
    "total",
    "reference",
    "delta",
    "delta_percent",
    "servable",
    "cannot_serve",
    "status",
    "availability",
    "free",
    "superseded_by",
    "live_successor",
    "shutdown_date",
)


def cost_csv(result: CostResult) -> CsvTable:
    """One row per model or pipeline ranked (a pipeline's lifecycle columns: see _each; its
    shutdown_date: _first)."""
    rows: list[tuple[CsvValue, ...]] = []
    for row in result.ranked:
        est = row.estimate
        ids = est.model_ids
        models = [result.models[mid] for mid in ids]
        succ = [result.successions.get(mid, succession.NONE) for mid in ids]
        rows.append(
            (
                row.rank,
                est.key,
                est.total,
                row.reference,
                row.delta,
                row.delta_percent,
                est.servable,
                tuple(est.cannot_serve),
                _each(ids, [m.status(result.today).value for m in models]),
                _each(ids, [m.availability for m in models]),
                _each(ids, [m.free for m in models]),
                _each(ids, [m.superseded_by for m in models]),
                _each(ids, [s.live for s in succ]),
                _first([m.lifecycle.shutdown_date for m in models]),
            )
        )
    return CsvTable(COST_COLUMNS, rows)


ITEM_COLUMNS = (
    "estimate",
    "model",
    "kind",
    "quantity",
    "unit",
    "unit_price",
    "cost",
    "detail",
    "note",
)


def cost_items_csv(result: CostResult) -> CsvTable:
    """`cost --items`: one row per line item; `estimate` is the row of the cost CSV it belongs to
    (a model or pipeline), `model` the model that bills it."""
    return CsvTable(
        ITEM_COLUMNS,
        [
            (
                row.estimate.key,
                line.model_id,
                line.kind,
                line.quantity,
                line.unit,
                line.unit_price,
                line.cost,
                line.detail,
                line.note,
            )
            for row in result.ranked
            for line in row.estimate.line_items
        ],
    )


# ---------------------------------------------------------------- best

BEST_COLUMNS = (
    "rank",
    "model",
    "pick",
    "unit_price",
    "total",
    "servable",
    "cannot_serve",
    "context_window",
    "release_date",
    "preferred_capabilities",
    "status",
    "availability",
    "free",
    "superseded_by",
    "live_successor",
)


def best_csv(verdict: Verdict) -> CsvTable:
    """Every candidate (the table shows the first ten), best first; `unit_price` is the price the
    task ranks by (USD per its unit), empty when it ranks by the workload's total."""
    from aicompare.ranking import measure_key

    unit_key = measure_key(verdict.task)
    rows: list[tuple[CsvValue, ...]] = []
    for index, c in enumerate(verdict.candidates, start=1):
        pick = "top" if c is verdict.top else ("budget" if c is verdict.budget_pick else None)
        rows.append(
            (
                index,
                c.model.id,
                pick,
                c.model.price(unit_key) if unit_key is not None else None,
                c.estimate.total,
                c.estimate.servable,
                tuple(c.estimate.cannot_serve),
                c.model.context_window,
                c.model.release_date,
                tuple(cap for cap in verdict.task.prefer if c.model.has(cap)),
                c.model.status(verdict.today).value,
                c.model.availability,
                c.model.free,
                c.model.superseded_by,
                verdict.successors.get(c.model.id, succession.NONE).live,
            )
        )
    return CsvTable(BEST_COLUMNS, rows)


def tasks_csv(tasks: Mapping[str, Task]) -> CsvTable:
    """`best --list`: one row per task."""
    from aicompare.tasks import describe_requirements

    return CsvTable(
        ("task", "name", "requires", "workload"),
        [
            (
                t.id,
                t.name,
                describe_requirements(t),
                tuple(f"{k} {v}" for k, v in t.workload.items()),
            )
            for t in tasks.values()
        ],
    )


# ---------------------------------------------------------------- reprice

# the counts of a group, as reprice's JSON names them (usage.reprice.KINDS)
REPRICE_KINDS = (
    "input",
    "cached_input",
    "cache_write",
    "cache_write_1h",
    "output",
    "reasoning",
    "audio_input",
    "audio_output",
    "images",
    "web_searches",
)
GROUP_TAIL = ("rows", "requests", *REPRICE_KINDS, "cost", "unpriced_rows")


def reprice_csv(result: RepriceResult) -> CsvTable:
    """One row per group: the --by keys, rows, requests, a count per kind (every row), the cost
    of its priced rows (empty when none is priced: never 0) and the rows left unpriced (the
    reasons are in the table and the JSON)."""
    header = (*result.by, *GROUP_TAIL)
    rows: list[tuple[CsvValue, ...]] = []
    for group in result.groups:
        rows.append(
            (
                *(group.keys[name] for name in result.by),
                group.rows,
                group.requests,
                *(group.counts.get(kind, 0) for kind in REPRICE_KINDS),
                group.cost,
                group.unpriced_rows,
            )
        )
    return CsvTable(header, rows)
