"""The catalog filtered and sorted (`list`); the filters `cost` shares, on rate cards. No CLI.

Annotations are evaluated at import (no `from __future__ import annotations`): see model.py.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from aicompare.catalog import normalize
from aicompare.errors import AicompareError
from aicompare.model import GENERAL, Lifecycle, Model, Status, lifecycle_status


class Filterable(Protocol):
    """What the filters read of a record: a model.Model and a pricing.RateCard both have it."""

    @property
    def provider(self) -> str: ...

    @property
    def type(self) -> str: ...

    @property
    def availability(self) -> str: ...

    @property
    def lifecycle(self) -> Lifecycle: ...

    @property
    def free(self) -> bool: ...

    def has(self, capability: str) -> bool: ...

    def status(self, today: dt.date) -> Status: ...


Record = TypeVar("Record", bound=Filterable)


class Filters(NamedTuple):
    """Which records to keep; the default keeps every one."""

    provider: str | None = None  # a maker, matched like a model name (case, spaces, punctuation)
    type: str | None = None
    capabilities: tuple[str, ...] = ()  # all must hold
    current: bool = False  # neither deprecated nor retired on the day
    general: bool = False  # generally available: no preview or experimental model
    paid: bool = False  # no free model (every known price $0: a rate-limited free tier)

    def any(self) -> bool:
        return bool(
            self.provider
            or self.type
            or self.capabilities
            or self.current
            or self.general
            or self.paid
        )


NO_FILTERS = Filters()

# Why a record fails the `current`, `general` and `paid` filters, in the order they are checked:
# a record is counted once, under the first that applies.
LEFT_OUT = ("status", "availability", "free")


def buyable(
    any_status: bool = False, include_free: bool = False, include_preview: bool = False
) -> Filters:
    """What `cost` (browsing) and `best` offer by default: models a team could buy today
    (current, generally available, paid). `any_status` lets in deprecated and retired models,
    `include_preview` previews and experiments, `include_free` the free tiers: the flags of the
    same names on both commands."""
    return Filters(current=not any_status, general=not include_preview, paid=not include_free)


def left_out_reasons(
    records: Iterable[Filterable], today: dt.date, filters: Filters
) -> list[str | None]:
    """For each record, the first of LEFT_OUT that `filters` leaves it out for, or None when it
    passes them. One loop with no call for a model without lifecycle dates: browsing screens
    every rate card of the catalog this way (docs/performance.md)."""
    current, general, paid = filters.current, filters.general, filters.paid
    out: list[str | None] = []
    for record in records:
        life = record.lifecycle
        if (
            current
            and (life.shutdown_date is not None or life.deprecation_date is not None)
            and lifecycle_status(life, today) is not Status.CURRENT
        ):
            out.append("status")
        elif general and record.availability != GENERAL:
            out.append("availability")
        elif paid and record.free:
            out.append("free")
        else:
            out.append(None)
    return out


def filter_models(records: Iterable[Record], today: dt.date, filters: Filters) -> list[Record]:
    """The records that pass every filter, in their order. An unknown provider is an error with
    suggestions, not an empty result."""
    kept = list(records)
    if filters.provider is not None:
        wanted = normalize(filters.provider)
        known = sorted({r.provider for r in kept})
        if not any(normalize(p) == wanted for p in known):
            import difflib

            close = difflib.get_close_matches(filters.provider.casefold(), known, n=3, cutoff=0.5)
            raise AicompareError(
                f"unknown provider {filters.provider!r}",
                f"did you mean: {', '.join(close)}?"
                if close
                else f"providers in the catalog: {', '.join(known[:20])}",
            )
        kept = [r for r in kept if normalize(r.provider) == wanted]
    if filters.type is not None:
        kept = [r for r in kept if r.type == filters.type]
    for capability in filters.capabilities:
        kept = [r for r in kept if r.has(capability)]
    if filters.current or filters.general or filters.paid:
        reasons = left_out_reasons(kept, today, filters)
        kept = [r for r, reason in zip(kept, reasons, strict=True) if reason is None]
    return kept


# ---------------------------------------------------------------- `aicompare list`

SORT_KEYS = ("id", "provider", "type", "context", "input", "output", "image", "release", "status")
_STATUS_ORDER = {Status.CURRENT: 0, Status.DEPRECATED: 1, Status.RETIRED: 2}


def _sort_value(model: Model, key: str, today: dt.date) -> tuple[bool, object]:
    """(missing?, value): models without the value sort last."""
    value: object
    if key == "context":
        value = model.context_window
        return (value is None, -(model.context_window or 0))  # larger first
    if key in ("input", "output"):
        value = model.price(key)
    elif key == "image":
        value = model.cheapest_image
    elif key == "release":
        released = model.release_date
        return (released is None, -(released.toordinal()) if released else 0)  # newest first
    elif key == "status":
        value = _STATUS_ORDER[model.status(today)]
    else:
        value = getattr(model, key)
    return (value is None, value if value is not None else Decimal(0))


def list_models(
    models: Iterable[Model],
    today: dt.date,
    filters: Filters = NO_FILTERS,
    *,
    sort: str = "provider",
    reverse: bool = False,
) -> list[Model]:
    """`aicompare list`: the models that pass the filters, by `sort` (one of SORT_KEYS), then
    provider and id; `reverse` turns that order around. Models without the value (no input
    price, no release date) come last either way, by provider and id."""
    kept = filter_models(models, today, filters)
    keyed = [(_sort_value(m, sort, today), m) for m in kept]
    having = [(value, m) for (missing, value), m in keyed if not missing]
    having.sort(key=lambda pair: (pair[0], pair[1].provider, pair[1].id), reverse=reverse)
    lacking = sorted((m for (missing, _), m in keyed if missing), key=lambda m: (m.provider, m.id))
    return [m for _, m in having] + lacking
