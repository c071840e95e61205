"""Usage rows summed into aggregates that price exactly: the record the repricing reads.

Pricing is linear within one price period and one long-context tier, so the rows of one model,
seller, UTC day, batch flag, service tier and prompt bucket can be summed first and priced once:
the aggregate costs exactly what its rows cost one by one. Memory is bounded by the number of
aggregates, never by the number of rows.

The aggregate record (any engine that sums a usage file must produce the same, field for field):

    key   = AggregateKey(model, seller, day, batch, tier, bucket, image_quality, image_size,
                         project, key, recorded, kinds)
    value = Totals(rows, requests, <every count of COUNTS>, recorded_cost, max_prompt)

- `model`, `seller`: the row's own strings, untouched (UsageRow.model, UsageRow.seller).
- `day`: the row's UTC date (`time.date()` of the UTC time), None for a row without a time.
- `batch`, `tier`: as the row says.
- `bucket`: how many of the catalog's distinct long-context thresholds (`thresholds(catalog)`,
  every `above_input_tokens` of every model, offer and price period) the row's `prompt_tokens`
  exceeds (strictly: `bisect_left(thresholds, prompt_tokens)`); None when the row has no prompt
  size. The same for every model, so one bucket prices exactly on any model.
- `image_quality`, `image_size`: as the row says (per-image prices depend on them).
- `project`, `key`: the row's, only when the grouping asks for them (`--by project`, `--by key`),
  else None: an aggregate per API key is only made when it is asked for.
- `recorded`: whether the row carries `recorded_cost` (kept apart, so reconciliation compares the
  recorded cost with the list price of exactly the rows that recorded one).
- `kinds`: which counts the row has, as bits (bit i set when COUNTS[i] is not 0): a row with a
  kind a model has no price for (audio, 1-hour cache writes) cannot be priced, and must not take
  the rows without it down with it.
- Totals: `rows` (records summed), `requests` and each count of COUNTS summed; `recorded_cost`
  the sum of the rows' recorded costs (0 where none); `max_prompt` the largest `prompt_tokens`
  (None where the bucket is None).

`RecordedCost` records (a provider's cost report) are kept as they come (few: one per day and
line item); `Aggregation` also holds the first and last day seen. No typer or rich here.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from aicompare.usage.rows import RecordedCost, UsageRow

if TYPE_CHECKING:
    from aicompare.catalog import Catalog
    from aicompare.model import Model

# Every count of a UsageRow that is summed, in this order in Totals.counts (and in the JSON).
COUNTS = (
    "input_tokens",
    "cached_input_tokens",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "audio_input_tokens",
    "audio_output_tokens",
    "images",
    "web_searches",
)


class AggregateKey(NamedTuple):
    """What the rows of one aggregate share (see the module docstring)."""

    model: str
    seller: str | None
    day: dt.date | None
    batch: bool
    tier: str
    bucket: int | None
    image_quality: str | None
    image_size: str | None
    project: str | None
    key: str | None
    recorded: bool
    kinds: int  # which COUNTS the rows have (bit i: COUNTS[i] is not 0)


class Totals:
    """The sums of one aggregate: mutable while rows are added, then read."""

    __slots__ = ("counts", "max_prompt", "recorded_cost", "requests", "rows")

    def __init__(self) -> None:
        self.rows = 0
        self.requests = 0
        self.counts = [0] * len(COUNTS)
        self.recorded_cost = Decimal(0)
        self.max_prompt: int | None = None

    def add(self, other: Totals) -> None:
        """Another aggregate's sums into these (to merge two engines' or two files' results)."""
        self.rows += other.rows
        self.requests += other.requests
        self.counts = [a + b for a, b in zip(self.counts, other.counts, strict=True)]
        self.recorded_cost += other.recorded_cost
        if other.max_prompt is not None:
            self.max_prompt = max(self.max_prompt or 0, other.max_prompt)

    def count(self, name: str) -> int:
        return self.counts[COUNTS.index(name)]


class Aggregation:
    """Aggregates by key, the cost reports, and the days seen."""

    def __init__(self) -> None:
        self.groups: dict[AggregateKey, Totals] = {}
        self.recorded: list[RecordedCost] = []
        self.first: dt.date | None = None
        self.last: dt.date | None = None
        self.rows = 0

    def merge(self, other: Aggregation) -> None:
        """Another file's aggregation into this one (the same as aggregating it `into` this)."""
        for key, totals in other.groups.items():
            mine = self.groups.get(key)
            if mine is None:
                mine = self.groups[key] = Totals()
                mine.max_prompt = totals.max_prompt
            mine.add(totals)
        self.recorded += other.recorded
        days = [d for d in (self.first, self.last, other.first, other.last) if d is not None]
        self.first = min(days, default=None)
        self.last = max(days, default=None)
        self.rows += other.rows


def _tier_thresholds(model: Model) -> Iterable[int]:
    sets = [model.prices, *(p.prices for p in model.price_periods)]
    for offer in model.offers:
        sets += [offer.prices, *(p.prices for p in offer.price_periods)]
    for prices in sets:
        for tier in prices.tiers:
            yield tier.above_input_tokens


def thresholds(catalog: Catalog) -> tuple[int, ...]:
    """Every distinct long-context threshold in the catalog, lowest first."""
    found: set[int] = set()
    for model in catalog.models.values():
        found.update(_tier_thresholds(model))
    return tuple(sorted(found))


def bucket(prompt_tokens: int | None, limits: tuple[int, ...]) -> int | None:
    """How many thresholds `prompt_tokens` exceeds; None without a prompt size."""
    return None if prompt_tokens is None else bisect_left(limits, prompt_tokens)


def aggregate(
    records: Iterable[UsageRow | RecordedCost],
    limits: tuple[int, ...],
    *,
    by_project: bool = False,
    by_key: bool = False,
    into: Aggregation | None = None,
) -> Aggregation:
    """Stream `records` into aggregates (a new Aggregation, or `into` for several files)."""
    result = Aggregation() if into is None else into
    groups = result.groups
    recorded = result.recorded
    first, last = result.first, result.last
    rows = 0
    for record in records:
        if isinstance(record, RecordedCost):
            recorded.append(record)
            continue
        rows += 1
        time = record.time
        day = None
        if time is not None:
            day = time.astimezone(dt.UTC).date() if time.utcoffset() else time.date()
            if first is None or day < first:
                first = day
            if last is None or day > last:
                last = day
        prompt = record.prompt_tokens
        cost = record.recorded_cost
        values = (
            record.input_tokens,
            record.cached_input_tokens,
            record.cache_write_tokens,
            record.cache_write_1h_tokens,
            record.output_tokens,
            record.reasoning_tokens,
            record.audio_input_tokens,
            record.audio_output_tokens,
            record.images,
            record.web_searches,
        )
        kinds = 0
        for bit, value in enumerate(values):
            if value:
                kinds |= 1 << bit
        key = AggregateKey(
            record.model,
            record.seller,
            day,
            record.batch,
            record.tier,
            None if prompt is None else bisect_left(limits, prompt),
            record.image_quality,
            record.image_size,
            record.project if by_project else None,
            record.key if by_key else None,
            cost is not None,
            kinds,
        )
        totals = groups.get(key)
        if totals is None:
            totals = groups[key] = Totals()
        totals.rows += 1
        totals.requests += record.requests
        counts = totals.counts
        for index, value in enumerate(values):
            counts[index] += value
        if cost is not None:
            totals.recorded_cost += cost
        if prompt is not None and (totals.max_prompt is None or prompt > totals.max_prompt):
            totals.max_prompt = prompt
    result.first, result.last = first, last
    result.rows += rows
    return result
