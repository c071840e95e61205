"""A cost comparison as one result: the workload, ranked estimates and what was left out. No CLI."""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from aicompare.catalog import Catalog
from aicompare.errors import WorkloadError
from aicompare.model import Model
from aicompare.pricing import (
    Estimate,
    Ranked,
    RateCard,
    Workload,
    estimate,
    quote_all,
    rank,
    rate_card,
)
from aicompare.quantities import split_pipeline

if TYPE_CHECKING:
    from decimal import Decimal

DEFAULT_TOP = 10


@dataclass(frozen=True)
class CostResult:
    workload: Workload
    ranked: tuple[Ranked, ...]  # the rows shown
    models: dict[str, Model]  # every model in a shown row, by id
    today: dt.date
    explicit: bool  # models were named on the command line
    hidden_servable: int = 0  # cheaper-than-shown rows cut by --top
    hidden_unservable: int = 0
    baseline: str | None = None


def resolve_targets(catalog: Catalog, names: Sequence[str]) -> list[tuple[Model, ...]]:
    """Each argument as a model or a text+image pipeline (`o4-mini+gpt-image-1`)."""
    targets: list[tuple[Model, ...]] = []
    for name in names:
        parts = split_pipeline(name)
        targets.append(tuple(catalog.resolve(part) for part in parts))
    keys = ["+".join(m.id for m in t) for t in targets]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise WorkloadError(f"the same model or pipeline was given twice: {', '.join(dupes)}")
    return targets


def compare_costs(targets: Sequence[tuple[Model, ...]], workload: Workload, today: dt.date, *,
                  explicit: bool, top: int | None, baseline: str | None = None) -> CostResult:
    """Price every target, rank them, and cut to the top N (servable first) unless named."""
    estimates = [estimate(list(t), workload) for t in targets]
    ranked = rank(estimates, baseline)
    servable = [r for r in ranked if r.rank is not None]
    unservable = [r for r in ranked if r.rank is None]
    hidden_s = hidden_u = 0
    if not explicit and top is not None:
        hidden_s = max(0, len(servable) - top)
        servable = servable[:top]
        # the ones that cannot serve are only counted when the catalog is browsed: naming them shows them
        hidden_u = len(unservable) if servable else max(0, len(unservable) - top)
        unservable = [] if servable else unservable[:top]
    if baseline is not None and not any(r.estimate.key == baseline for r in servable + unservable):
        servable.append(next(r for r in ranked if r.estimate.key == baseline))
    shown = tuple(servable + unservable)
    models = {m.id: m for t in targets for m in t}
    keep = {mid for r in shown for mid in r.estimate.model_ids}
    return CostResult(workload, shown, {k: v for k, v in models.items() if k in keep}, today, explicit,
                      hidden_s, hidden_u, baseline)


def browse_costs(cards: Sequence[RateCard], workload: Workload, today: dt.date, *, top: int,
                 fetch: Callable[[str], Model], baseline: tuple[Model, ...] | None = None) -> CostResult:
    """compare_costs over a whole (filtered) catalog, cut to the `top` cheapest.

    Every card is quoted (a total, or None when it cannot serve); only the rows shown are
    estimated in full and only their models are fetched, so thousands of models cost little more
    than hundreds. The rows, ranks, deltas and counts are those compare_costs would give.
    """
    cards = list(cards)
    totals = quote_all(cards, workload)
    base_key = None if baseline is None else "+".join(m.id for m in baseline)
    extra = None  # a baseline pipeline, priced on its own after the cards
    if baseline is not None and base_key not in {c.id for c in cards}:
        if len(baseline) == 1:
            cards.append(rate_card(baseline[0]))
            totals += quote_all(cards[-1:], workload)
        else:
            extra = estimate(list(baseline), workload)
            totals.append(extra.total)
    servable = [i for i, t in enumerate(totals) if t is not None]
    unservable = [i for i, t in enumerate(totals) if t is None]
    known = cast("list[Decimal]", totals)  # read only at the indexes in `servable`
    # the `top` cheapest, ties in catalog order: sorted(...)[:top] without sorting them all
    shown = heapq.nsmallest(top, servable, key=known.__getitem__) if servable else unservable[:top]
    hidden_s = max(0, len(servable) - top)
    hidden_u = len(unservable) if servable else max(0, len(unservable) - top)
    places: dict[str, int] = {}
    if base_key is not None:
        keys = [c.id for c in cards] + ([base_key] if extra is not None else [])
        index = keys.index(base_key)
        if index not in shown:
            shown.append(index)
            base_total = totals[index]
            if base_total is not None:
                places[base_key] = 1 + sum(1 for i in servable if known[i] < base_total)

    def full(index: int) -> Estimate:
        return extra if extra is not None and index == len(cards) else estimate([cards[index]], workload)

    ranked = rank([full(i) for i in shown], base_key, places=places)
    models = {m.id: m for m in baseline or ()}
    for row in ranked:
        for mid in row.estimate.model_ids:
            if mid not in models:
                models[mid] = fetch(mid)
    return CostResult(workload, tuple(ranked), models, today, False, hidden_s, hidden_u, base_key)
