"""Reprice real usage at list prices: totals, groups, unpriced rows, reconciliation, what-if and
migration. Reads the aggregates of usage/aggregate.py; every cost is pricing.estimate's (or its
exact rescale to another aggregate of the same shape, pricing.rescale).

How a row is priced (docs/reprice.md):
- its model and seller, as the log names them, are resolved once per distinct pair (Resolver):
  a seller's own id (`bedrock/...`, `azure/gpt-5-mini`, the seller + the model), `MODEL@SELLER`,
  any name the catalog knows; a dated id the catalog does not list is read without its date
  only where the catalog names that model's snapshots the same way (said in a note); the row's
  seller's offer where the catalog has one, else the maker's prices (said in a note);
- at the prices in force on its UTC date (model.priced_on), today's for a row without a time;
  a row dated after today is priced at its date's prices, announced ones included, and both
  are said in a note (a log with later times than today is unusual: never silent);
- in its prompt bucket: long-context tiers apply as each row's own prompt size says; a row without
  one is priced below every tier (said, where the model has tiers).
A row the catalog cannot price (unknown or fine-tuned model, a price kind the model lacks) is
never priced at $0: it is counted in `unpriced` with its token volumes and the reason.

No typer or rich here.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, NamedTuple

from aicompare import fmt, succession
from aicompare.catalog import SELLER_ROUTES, normalize
from aicompare.errors import (
    AmbiguousModelError,
    UnknownModelError,
    UnknownOfferError,
    WorkloadError,
)
from aicompare.model import EVER, GENERAL, OFFER_SEP, Model, Status, as_sold, period_index
from aicompare.pricing import (
    BILLED,
    TIERS,
    Estimate,
    RateCard,
    Workload,
    estimate,
    quote_all,
    rate_card,
    rescale,
)
from aicompare.quantities import MAX_QUANTITY
from aicompare.usage.aggregate import AggregateKey, Aggregation, Totals

if TYPE_CHECKING:
    from aicompare.catalog import Catalog

# The price kinds of the counts, as the JSON and the tables name them.
KINDS = (
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
BY_KEYS = ("model", "day", "month", "project", "key", "seller")
# Sellers as OpenTelemetry's gen_ai.provider.name and gateways spell them -> the catalog's.
SELLER_NAMES = {
    "aws.bedrock": "bedrock",
    "aws_bedrock": "bedrock",
    "azure.ai.openai": "azure",
    "az.ai.openai": "azure",
    "azure_openai": "azure",
    "azure.ai.inference": "azure_ai",
    "az.ai.inference": "azure_ai",
    "gcp.vertex_ai": "vertex_ai",
    "vertex": "vertex_ai",
    "vertexai": "vertex_ai",
    "gcp.gemini": "google",
    "gemini": "google",
    "gcp.gen_ai": "google",
    "x_ai": "xai",
    "mistral_ai": "mistral",
    **SELLER_ROUTES,
}
_DATED = re.compile(r"^(?P<base>.+?)-(?P<date>\d{4}-\d{2}-\d{2}|\d{8})$")
_FINE_TUNED = re.compile(r"^ft:|:ft-|custom-model/|/fine[-_]?tun", re.IGNORECASE)
_CENT = Decimal("0.01")
_STRIP = ("; --cache-ttl 5m prices 5-minute writes",)
_DROP = ("hidden reasoning tokens", "prompts assumed at most")


class Resolved(NamedTuple):
    """A log's (model, seller) as the catalog prices it, or why it cannot."""

    model: Model | None  # the record priced (an offer's, as_sold, or the maker's); None: unpriced
    id: str  # the catalog id (without the seller), or the log's name
    seller: str | None  # who sells it at the prices used (the offer's seller, else the maker)
    reason: str | None = None  # why unpriced
    note: str | None = None  # what resolving it did that a reader should know


def _seller_name(seller: str | None) -> str | None:
    if seller is None or not seller.strip():
        return None
    text = seller.strip().casefold()
    return SELLER_NAMES.get(text, text)


def fine_tuned(name: str) -> bool:
    """Whether a model id names a fine-tuned or custom model (`ft:gpt-4o-mini:acme::x`)."""
    return bool(_FINE_TUNED.search(name))


class Resolver:
    """Resolves each distinct (model, seller) of a log once."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.memo: dict[tuple[str, str | None], Resolved] = {}

    def __call__(self, name: str, seller: str | None) -> Resolved:
        found = self.memo.get((name, seller))
        if found is None:
            found = self.memo[(name, seller)] = self._resolve(name, seller)
        return found

    def _resolve(self, name: str, seller_text: str | None) -> Resolved:
        text = name.strip()
        if not text:
            return Resolved(None, name, seller_text, "no model name in the log")
        if fine_tuned(text):
            return Resolved(None, name, seller_text, "fine-tuned model, no price")
        seller = _seller_name(seller_text)
        catalog = self.catalog
        note = None
        try:
            model = None
            if seller is not None and "/" not in text and OFFER_SEP not in text:
                model = catalog.seller_id(f"{seller}/{text}")
            if model is None:
                model = catalog.resolve(text, suggest=False)
        except AmbiguousModelError as error:
            return Resolved(
                None, name, seller_text, f"ambiguous: it names {', '.join(error.candidates)}"
            )
        except (UnknownModelError, UnknownOfferError):
            model, note = self._undated(text)
            if model is None:
                model, prefix = self._maker_prefixed(text)
                seller = seller or prefix
            if model is None:
                return Resolved(None, name, seller_text, "not in the catalog")
        if model.seller is None and seller is not None:
            model, seller_note = self._offer(model, seller, seller_text or seller)
            note = "; ".join(n for n in (note, seller_note) if n) or None
        base = model.id.rpartition(OFFER_SEP)[0] if model.seller is not None else model.id
        return Resolved(model, base, model.seller or model.provider, None, note)

    def _maker_prefixed(self, text: str) -> tuple[Model | None, str | None]:
        """A gateway's `maker/model` (LiteLLM's `mistral/mistral-large-4`, `gemini/...`): the
        model, where the prefix names its maker (then the maker's prices); None otherwise (a
        seller's prefix, `bedrock/...`, is the catalog's own sellers' ids, resolved before)."""
        prefix, slash, rest = text.partition("/")
        if not slash or not rest:
            return None, None
        try:
            model = self.catalog.resolve(rest, suggest=False)
        except (UnknownModelError, UnknownOfferError, AmbiguousModelError):
            return None, None
        maker = _seller_name(prefix)
        if maker is None or normalize(maker) != normalize(model.provider):
            return None, None
        return model, maker

    def _undated(self, text: str) -> tuple[Model | None, str | None]:
        """A dated id the catalog does not list, as its undated model where the catalog names
        that model's snapshots the same way (`<id>-YYYY-MM-DD` or `<id>-YYYYMMDD`)."""
        match = _DATED.match(text)
        if match is None:
            return None, None
        base = match.group("base")
        try:
            model = self.catalog.resolve(base, suggest=False)
        except (UnknownModelError, UnknownOfferError, AmbiguousModelError):
            return None, None
        shape = len(match.group("date"))
        alike = [
            s
            for s in model.snapshots
            if (m := _DATED.match(s)) is not None
            and len(m.group("date")) == shape
            and normalize(m.group("base")) == normalize(base)
        ]
        if not alike:
            return None, None
        return model, (
            f"`{text}` is not a snapshot the catalog lists: priced as {model.id} "
            f"(whose snapshots the catalog names {alike[0]} and so on)"
        )

    def _offer(self, model: Model, seller: str, shown: str) -> tuple[Model, str | None]:
        """The model as `seller` sells it, else at the maker's prices (said)."""
        if normalize(seller) == normalize(model.provider):
            return model, None
        offers = [o for o in model.offers if seller in (o.seller, o.id)]
        exact = [o for o in offers if o.id == seller]
        if len(exact) == 1 or len(offers) == 1:
            return as_sold(model, (exact or offers)[0]), None
        if offers:
            ids = ", ".join(o.id for o in offers)
            return model, (
                f"{shown} sells {model.id} as several offers ({ids}) and the log does not say "
                "which: priced at the maker's prices"
            )
        return (
            model,
            f"the catalog has no {shown} offer of {model.id}: priced at the maker's prices",
        )


# ---------------------------------------------------------------- results


class Group(NamedTuple):
    keys: dict[str, str | None]  # the --by keys and their values
    rows: int
    requests: int
    counts: dict[str, int]  # KINDS -> count, every row of the group (priced or not)
    cost: Decimal | None  # the priced rows; None when none of its rows is priced
    items: dict[str, Decimal]  # price kind -> cost
    unpriced_rows: int


class Unpriced(NamedTuple):
    model: str  # as the log names it
    seller: str | None
    rows: int
    requests: int
    counts: dict[str, int]
    reason: str


class Reconciled(NamedTuple):
    """A recorded cost beside the list price of the same usage."""

    model: str  # catalog id, the log's name, or "" for a cost line that names no model
    source: str  # "log" (rows' own recorded cost) or "report" (a provider's cost report)
    rows: int
    recorded: Decimal
    list_price: Decimal | None  # None: no priced usage in the files covers the recorded cost
    difference: Decimal | None  # recorded - list_price
    can_explain: tuple[str, ...]
    cannot_explain: tuple[str, ...]


class WhatIf(NamedTuple):
    model: str  # the target as priced (MODEL or MODEL@OFFER)
    total: Decimal  # the rows it can serve
    baseline: Decimal  # the same rows at the prices they were priced at
    difference: Decimal  # total - baseline
    rows: int  # rows priced on it
    cannot_serve: tuple[tuple[str, int], ...]  # (reason, rows)
    notes: tuple[str, ...]
    rank: int | None = None  # its place in `--on cheapest N`


class MonthDiff(NamedTuple):
    month: str | None  # YYYY-MM; None: rows without a time
    current: Decimal
    successor: Decimal
    difference: Decimal


class Migration(NamedTuple):
    model: str
    status: str  # deprecated | retired
    deprecation_date: dt.date | None
    shutdown_date: dt.date | None
    chain: str  # the succession chain, as a flag reads it
    successor: str | None  # the live successor; None: no live one
    current: Decimal | None
    on_successor: WhatIf | None
    months: tuple[MonthDiff, ...]


class RepriceResult(NamedTuple):
    rows: int
    total: Decimal
    priced_rows: int
    period: tuple[dt.date | None, dt.date | None]
    by: tuple[str, ...]
    groups: list[Group]
    items: dict[str, Decimal]  # price kind -> cost, every priced row
    counts: dict[str, int]  # every row
    requests: int
    unpriced: list[Unpriced]
    notes: list[str]
    recorded_total: Decimal | None  # every recorded cost (rows' own and cost reports)
    reconciliation: list[Reconciled]
    what_if: list[WhatIf]
    migration: list[Migration] | None
    today: dt.date


# ---------------------------------------------------------------- pricing aggregates


class Priced(NamedTuple):
    """One aggregate priced on its own model."""

    key: AggregateKey
    totals: Totals
    resolved: Resolved
    cost: Decimal | None  # None: unpriced
    items: dict[str, Decimal]
    reason: str | None


def _representative(bucket: int | None, limits: tuple[int, ...]) -> int | None:
    """A prompt size in the bucket (just above its highest threshold): the same tier on every
    model as each row of the bucket."""
    if bucket is None:
        return None
    return limits[bucket - 1] + 1 if bucket else 1


def _mode(key: AggregateKey) -> tuple[bool, str, str | None]:
    """(batch, tier, why not) of an aggregate."""
    tier = key.tier.strip().casefold() or "standard"
    batch = key.batch or tier == "batch"
    if tier in ("batch", "default", "auto"):
        tier = "standard"
    if tier not in TIERS:
        return batch, tier, f"the {tier} service tier (the catalog prices {', '.join(TIERS)})"
    if batch and tier != "standard":
        return batch, tier, f"batch requests on the {tier} tier (no such price)"
    return batch, tier, None


# The Workload field of each count of an aggregate (Totals.counts, in KINDS order), as workload()
# sets them.
_QUANTITIES = (
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


def workload(
    key: AggregateKey,
    totals: Totals,
    limits: tuple[int, ...],
    counts: Sequence[int] | None = None,
    tier: str | None = None,
) -> Workload:
    """The aggregate as a pricing.Workload (ValueError for a count past pricing's limit)."""
    c = totals.counts if counts is None else counts
    batch, own_tier, _ = _mode(key)
    return Workload(
        input_tokens=c[0],
        cached_input_tokens=c[1],
        output_tokens=c[4],
        images=c[8],
        quality=key.image_quality,
        size=key.image_size,
        batch=batch,
        request_tokens=_representative(key.bucket, limits),
        tier=own_tier if tier is None else tier,
        cache_write_tokens=c[2],
        cache_write_1h_tokens=c[3],
        reasoning_tokens=c[5],
        audio_input_tokens=c[6],
        audio_output_tokens=c[7],
        requests=totals.requests,
        web_searches=c[9],
    )


def _clean(text: str) -> str:
    for part in _STRIP:
        text = text.replace(part, "")
    return text


class Cards:
    """Rate cards of models on days, made once per (model, price period)."""

    def __init__(self) -> None:
        self.memo: dict[tuple[str, int], RateCard] = {}

    def on(self, model: Model, day: dt.date) -> RateCard:
        index = period_index(model.price_periods, day)
        found = self.memo.get((model.id, index))
        if found is None:
            dated = model if index < 0 else _priced(model, index)
            found = self.memo[(model.id, index)] = rate_card(dated)
        return found


def announced_from(model: Model, day: dt.date, today: dt.date) -> dt.date | None:
    """The start of the price period in force on `day` when it is later than `today`: prices
    announced, not yet in force on `today` (None: prices in force by then)."""
    index = period_index(model.price_periods, day)
    start = model.price_periods[index].start if index >= 0 else None
    return start if start is not None and start > today else None


def _announced(label: str, start: dt.date, today: dt.date) -> str:
    return (
        f"{label}: priced at the prices announced from {start.isoformat()}, not yet in force on "
        f"{today.isoformat()}"
    )


def _priced(model: Model, index: int) -> Model:
    period = model.price_periods[index]
    return model._replace(prices=period.prices, image_prices=period.image_prices)


def _items(result: Estimate) -> dict[str, Decimal]:
    items: dict[str, Decimal] = {}
    for line in result.line_items:
        items[line.kind] = items.get(line.kind, Decimal(0)) + line.cost
    return items


class _Notes:
    """Notes with the rows each applies to."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}

    def add(self, text: str, rows: int) -> None:
        self.rows[text] = self.rows.get(text, 0) + rows

    def lines(self) -> list[str]:
        return [f"{text} ({fmt.tokens(rows)} {_rows(rows)})" for text, rows in self.rows.items()]


def _rows(n: int) -> str:
    return "row" if n == 1 else "rows"


def _own_notes(
    result: Estimate, resolved: Resolved, card: RateCard, key: AggregateKey, notes: _Notes, n: int
) -> None:
    for note in result.notes:
        if note.startswith(_DROP) or " --" in note:
            continue
        notes.add(f"{resolved.id}: {note}", n)
    if key.bucket is None and card.tiers:
        notes.add(
            f"{resolved.id}: rows without a prompt size are priced below its long-context "
            f"tiers (over {fmt.tokens(card.tiers[0].above_input_tokens)} tokens), which could "
            "not be applied",
            n,
        )


def price_aggregates(
    aggregation: Aggregation,
    resolver: Resolver,
    limits: tuple[int, ...],
    today: dt.date,
    cards: Cards,
    notes: _Notes,
) -> list[Priced]:
    out: list[Priced] = []
    # one estimate per (rate card, options, kinds counted): the others of the same shape are
    # rescaled from it (pricing.rescale: the same rates and notes, each cost exact)
    shapes: dict[tuple[object, ...], Estimate] = {}
    for key, totals in aggregation.groups.items():
        resolved = resolver(key.model, key.seller)
        if resolved.note:
            notes.add(f"{resolved.id}: {resolved.note}", totals.rows)
        if resolved.model is None:
            out.append(Priced(key, totals, resolved, None, {}, resolved.reason))
            continue
        _, _, why = _mode(key)
        if why is not None:
            out.append(Priced(key, totals, resolved, None, {}, why))
            continue
        card = cards.on(resolved.model, key.day or today)
        counts = totals.counts
        # what decides every rate, note and reason: the card (the Cards memo holds each for the
        # run, so its id names it), the options and which counts are given (pricing.shape)
        shaped = (
            id(card),
            key.batch,
            key.tier,
            key.bucket,
            key.image_quality,
            key.image_size,
            *map(bool, counts),
            bool(totals.requests),
        )
        first = shapes.get(shaped)
        try:
            if first is None:
                # the request was served: its own model's prompt limit never refuses it
                served = card._replace(token_limit=None)
                result = shapes[shaped] = estimate([served], workload(key, totals, limits))
            elif max(counts) > MAX_QUANTITY or totals.requests > MAX_QUANTITY:
                result = rescale(first, workload(key, totals, limits))  # the limit's own error
            else:
                quantities = dict(zip(_QUANTITIES, counts, strict=True))
                quantities["requests"] = totals.requests
                result = rescale(first, quantities)
        except (ValueError, WorkloadError) as error:
            out.append(Priced(key, totals, resolved, None, {}, str(error)))
            continue
        if result.total is None:
            reason = "; ".join(_clean(r) for r in result.cannot_serve) or "no price"
            out.append(Priced(key, totals, resolved, None, {}, f"cannot be priced: {reason}"))
            continue
        _own_notes(result, resolved, card, key, notes, totals.rows)
        if key.day is not None and (start := announced_from(resolved.model, key.day, today)):
            notes.add(_announced(resolved.id, start, today), totals.rows)
        out.append(Priced(key, totals, resolved, result.total, _items(result), None))
    return out


def _month(day: dt.date | None) -> str | None:
    return None if day is None else f"{day.year:04d}-{day.month:02d}"


def _group_keys(item: Priced, by: Sequence[str]) -> tuple[str | None, ...]:
    key, resolved = item.key, item.resolved
    values: dict[str, str | None] = {
        "model": resolved.id if resolved.model is not None else key.model,
        "seller": resolved.seller if resolved.model is not None else key.seller,
        "day": None if key.day is None else key.day.isoformat(),
        "month": _month(key.day),
        "project": key.project,
        "key": key.key,
    }
    return tuple(values[name] for name in by)


def _counts(totals: Totals) -> dict[str, int]:
    return dict(zip(KINDS, totals.counts, strict=True))


def _add_counts(into: dict[str, int], totals: Totals) -> None:
    for kind, value in zip(KINDS, totals.counts, strict=True):
        into[kind] = into.get(kind, 0) + value


def _add_items(into: dict[str, Decimal], items: dict[str, Decimal]) -> None:
    for kind, value in items.items():
        into[kind] = into.get(kind, Decimal(0)) + value


def _sort_key(values: tuple[str | None, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((value is None, value or "") for value in values)


def groups_of(priced: Iterable[Priced], by: Sequence[str]) -> list[Group]:
    found: dict[tuple[str | None, ...], list[object]] = {}
    for item in priced:
        values = _group_keys(item, by)
        entry = found.get(values)
        if entry is None:
            entry = found[values] = [0, 0, {}, Decimal(0), {}, 0]
        entry[0] = int(entry[0]) + item.totals.rows  # type: ignore[call-overload]
        entry[1] = int(entry[1]) + item.totals.requests  # type: ignore[call-overload]
        _add_counts(entry[2], item.totals)  # type: ignore[arg-type]
        if item.cost is None:
            entry[5] = int(entry[5]) + item.totals.rows  # type: ignore[call-overload]
        else:
            entry[3] = entry[3] + item.cost  # type: ignore[operator]
            _add_items(entry[4], item.items)  # type: ignore[arg-type]
    out = []
    for values in sorted(found, key=_sort_key):
        rows, requests, counts, cost, items, unpriced = found[values]
        if unpriced == rows:
            cost = None
        out.append(
            Group(
                dict(zip(by, values, strict=True)),
                rows,  # type: ignore[arg-type]
                requests,  # type: ignore[arg-type]
                counts,  # type: ignore[arg-type]
                cost,  # type: ignore[arg-type]
                items,  # type: ignore[arg-type]
                unpriced,  # type: ignore[arg-type]
            )
        )
    return out


def unpriced_of(priced: Iterable[Priced]) -> list[Unpriced]:
    found: dict[tuple[str, str | None, str], tuple[int, int, dict[str, int]]] = {}
    for item in priced:
        if item.cost is not None:
            continue
        key = (item.key.model, item.key.seller, item.reason or "no price")
        rows, requests, counts = found.get(key, (0, 0, {}))
        _add_counts(counts, item.totals)
        found[key] = (rows + item.totals.rows, requests + item.totals.requests, counts)
    out = [
        Unpriced(model, seller, rows, requests, counts, reason)
        for (model, seller, reason), (rows, requests, counts) in found.items()
    ]
    return sorted(out, key=lambda u: (-u.rows, u.model))


# ---------------------------------------------------------------- what-if


_CACHE_1H = next(i for i, kind in enumerate(BILLED) if kind.key == "cache_write_1h")


def _price_on_target(
    target: Model,
    items: Iterable[Priced],
    limits: tuple[int, ...],
    today: dt.date,
    cards: Cards,
    label: str,
    rank: int | None = None,
) -> tuple[WhatIf, dict[str | None, tuple[Decimal, Decimal]]]:
    """The priced rows `items` on another model: (the what-if, by month (own, target))."""
    total = baseline = Decimal(0)
    rows = 0
    refused: dict[str, int] = {}
    notes = _Notes()
    months: dict[str | None, tuple[Decimal, Decimal]] = {}
    for item in items:
        if item.cost is None:
            continue
        key, totals = item.key, item.totals
        card = cards.on(target, key.day or today)
        counts = list(totals.counts)
        tier = None
        if counts[3] and card.standard[_CACHE_1H] is None:
            counts[2] += counts[3]
            counts[3] = 0
            notes.add(
                f"{label}: no 1-hour cache write price; 1-hour writes billed as 5-minute writes",
                totals.rows,
            )
        _, own_tier, _ = _mode(key)
        if own_tier != "standard" and not getattr(card, own_tier):
            tier = "standard"
            notes.add(
                f"{label}: no {own_tier} tier prices; {own_tier}-tier usage priced at standard",
                totals.rows,
            )
        if (
            totals.max_prompt is not None
            and card.token_limit is not None
            and totals.max_prompt > card.token_limit
        ):
            reason = (
                f"prompts of {fmt.tokens(totals.max_prompt)} tokens "
                f"({label} takes at most {fmt.tokens(card.token_limit)})"
            )
            refused[reason] = refused.get(reason, 0) + totals.rows
            continue
        try:
            # the limit is checked above on the largest prompt, not on the bucket's stand-in
            unlimited = card._replace(token_limit=None)
            result = estimate([unlimited], workload(key, totals, limits, counts, tier))
        except (ValueError, WorkloadError) as error:
            refused[str(error)] = refused.get(str(error), 0) + totals.rows
            continue
        if result.total is None:
            reason = "; ".join(_clean(r) for r in result.cannot_serve)
            refused[reason] = refused.get(reason, 0) + totals.rows
            continue
        for note in result.notes:
            if not note.startswith(_DROP) and " --" not in note:
                notes.add(f"{label}: {note}", totals.rows)
        if key.day is not None and (start := announced_from(target, key.day, today)):
            notes.add(_announced(label, start, today), totals.rows)
        assert item.cost is not None
        total += result.total
        baseline += item.cost
        rows += totals.rows
        month = _month(key.day)
        own, other = months.get(month, (Decimal(0), Decimal(0)))
        months[month] = (own + item.cost, other + result.total)
    what = WhatIf(
        label,
        total,
        baseline,
        total - baseline,
        rows,
        tuple(refused.items()),
        tuple(notes.lines()),
        rank,
    )
    return what, months


def parse_cheapest(text: str) -> int | None:
    """N of `cheapest N` (`cheapest`, `cheapest 5`, `cheapest:5`, `cheapest=5`); None when the
    text is a model name."""
    match = re.fullmatch(r"\s*cheapest(?:\s*[\s:=]\s*(\S+))?\s*", text, re.IGNORECASE)
    if match is None:
        return None
    number = match.group(1)
    if number is None:
        return 5
    if not number.isdigit() or not 1 <= int(number) <= 100:
        raise WorkloadError(
            f"--on: {number!r} is not a count of models",
            "use --on cheapest:N with N from 1 to 100",
        )
    return int(number)


def _epochs(catalog: Catalog) -> list[dt.date]:
    """Every date a price in the catalog changes on, in order."""
    starts: set[dt.date] = set()
    for model in catalog.models.values():
        starts.update(p.start for p in model.price_periods)
        for offer in model.offers:
            starts.update(p.start for p in offer.price_periods)
    starts.discard(EVER)
    return sorted(starts)


def cheapest(
    catalog: Catalog, priced: Sequence[Priced], limits: tuple[int, ...], today: dt.date, n: int
) -> list[str]:
    """The ids of the N text models that price every priced row cheapest (current, generally
    available, paid; they must serve every kind), by catalog scan (pricing.quote_all)."""
    epochs = _epochs(catalog)
    # alike workloads of one price epoch are added, then each is quoted on every card
    merged: dict[tuple[int, AggregateKey], tuple[dt.date, Workload]] = {}
    for item in priced:
        if item.cost is None:
            continue
        day = item.key.day or today
        epoch = bisect_right(epochs, day)
        alike = item.key._replace(
            model="", seller=None, day=None, project=None, key=None, recorded=False, kinds=0
        )
        w = workload(item.key, item.totals, limits)
        found = merged.get((epoch, alike))
        merged[(epoch, alike)] = (day, w) if found is None else (found[0], found[1] + w)
    if not merged:
        return []
    totals: dict[str, Decimal | None] = {}
    try:
        for day, w in merged.values():
            catalog.price_on(day)
            cards = [
                card
                for card in catalog.rate_cards()
                if card.type == "text"
                and card.takes_tokens
                and not card.free
                and card.availability == GENERAL
                and card.status(today) is Status.CURRENT
            ]
            for card, quote in zip(cards, quote_all(cards, w), strict=True):
                if quote is None:
                    totals[card.id] = None
                elif card.id not in totals:
                    totals[card.id] = quote
                else:
                    before = totals[card.id]
                    totals[card.id] = None if before is None else before + quote
    finally:
        catalog.price_on(today)
    ranked = sorted(
        ((total, model_id) for model_id, total in totals.items() if total is not None),
        key=lambda pair: (pair[0], pair[1]),
    )
    return [model_id for _, model_id in ranked[:n]]


# ---------------------------------------------------------------- reconciliation


def _rounded(amount: Decimal) -> bool:
    """Whether a recorded amount is written to whole cents (as a bill rounds it)."""
    return amount == amount.quantize(_CENT)


def _explain(
    items: Sequence[Priced], recorded: Decimal, list_price: Decimal
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the usage itself shows can explain a difference, and what it cannot."""
    difference = recorded - list_price
    if difference == 0:
        return (), ()
    can: list[str] = []
    # batch rates and missing long-context tiers make the list price lower: they can explain
    # only a recorded cost above it
    batch = sum(i.totals.rows for i in items if i.key.batch) if difference > 0 else 0
    if batch:
        can.append(
            f"{fmt.tokens(batch)} {_rows(batch)} "
            + ("is a batch request" if batch == 1 else "are batch requests")
            + ", priced here at batch rates (a cost recorded at standard rates would be higher)"
        )
    tiers: dict[str, int] = {}
    for i in items:
        if i.key.tier != "standard":
            tiers[i.key.tier] = tiers.get(i.key.tier, 0) + i.totals.rows
    for tier, rows in tiers.items():
        can.append(f"{fmt.tokens(rows)} {_rows(rows)} ran on the {tier} service tier")
    writes = sum(i.totals.counts[2] + i.totals.counts[3] for i in items)
    if writes:
        can.append(
            f"{fmt.tokens(writes)} cache-write tokens: priced at the write rate of the lifetime "
            "the log reports (5-minute unless it says 1-hour)"
        )
    unsized = sum(
        i.totals.rows
        for i in items
        if difference > 0
        and i.key.bucket is None
        and i.resolved.model is not None
        and i.resolved.model.prices.tiers
    )
    if unsized:
        can.append(
            f"{fmt.tokens(unsized)} {_rows(unsized)} without a prompt size: long-context prices "
            "could not be applied"
        )
    # rounding only where the recorded amount is itself rounded, and by less than that rounding
    rounding = _rounded(recorded) and abs(difference) < _CENT
    if rounding:
        can.append("rounding: the recorded cost is in whole cents and differs by under a cent")
    elif difference < 0:
        can.append("a negotiated discount or credits (the log does not show them)")
    cannot: list[str] = []
    if difference > 0 and not (rounding or batch or tiers or writes or unsized):
        share = f" ({fmt.percent_text(difference, list_price)})" if list_price else ""
        cannot.append(
            f"the recorded cost is {fmt.money(difference)}{share} above the list price of "
            "standard, unbatched usage without cache writes; the log does not show why (the "
            "recorded cost may come from other or older prices)"
        )
    return tuple(can), tuple(cannot)


def _days_text(days: set[dt.date | None]) -> str:
    """The days a cost report covers, as a sentence part."""
    dated = sorted(d for d in days if d is not None)
    if not dated:
        return ""
    if len(dated) == 1:
        return f" on {dated[0].isoformat()}"
    if len(dated) == 2:
        return f" on {dated[0].isoformat()} and {dated[1].isoformat()}"
    return f" from {dated[0].isoformat()} to {dated[-1].isoformat()}"


def reconcile(
    priced: Sequence[Priced], aggregation: Aggregation, resolver: Resolver
) -> list[Reconciled]:
    out: list[Reconciled] = []
    by_model: dict[str, list[Priced]] = {}
    for item in priced:
        if item.key.recorded:
            by_model.setdefault(item.resolved.id, []).append(item)
    for model_id, items in sorted(by_model.items()):
        listed = [i for i in items if i.cost is not None]
        if not listed:
            continue  # the rows are in `unpriced`
        recorded = sum((i.totals.recorded_cost for i in listed), Decimal(0))
        list_price = sum((i.cost or Decimal(0) for i in listed), Decimal(0))
        difference = recorded - list_price
        can, cannot = _explain(listed, recorded, list_price)
        rows = sum(i.totals.rows for i in listed)
        out.append(Reconciled(model_id, "log", rows, recorded, list_price, difference, can, cannot))
    # a provider's cost report, per model, against the usage of the days it covers
    reports: dict[str, tuple[Decimal, set[dt.date | None]]] = {}
    for cost in aggregation.recorded:
        if cost.model is None:
            name = ""
        else:
            found = resolver(cost.model, None)
            name = found.id if found.model is not None else cost.model
        amount, days = reports.get(name, (Decimal(0), set()))
        days.add(None if cost.time is None else cost.time.astimezone(dt.UTC).date())
        reports[name] = (amount + cost.amount, days)
    for name, (amount, days) in sorted(reports.items()):
        every_day = None in days
        items = [
            i
            for i in priced
            if i.cost is not None
            and (name == "" or i.resolved.id == name)
            and (every_day or i.key.day in days)
        ]
        if not items:
            # nothing to compare with: never a list price of $0
            unpriced = any(
                i.cost is None
                and (name == "" or i.resolved.id == name)
                and (every_day or i.key.day in days)
                for i in priced
            )
            what = f"usage of {name}" if name else "usage"
            why = (
                f"the {what}{_days_text(days)} in the files given could not be priced "
                "(see the unpriced rows)"
                if unpriced
                else f"no usage in the files given covers {name or 'the cost report'}"
                f"{_days_text(days)}: give the usage export of the same days with the cost "
                "report to compare them"
            )
            out.append(Reconciled(name, "report", 0, amount, None, None, (), (why,)))
            continue
        list_price = sum((i.cost or Decimal(0) for i in items), Decimal(0))
        difference = amount - list_price
        can, cannot = _explain(items, amount, list_price)
        rows = sum(i.totals.rows for i in items)
        out.append(Reconciled(name, "report", rows, amount, list_price, difference, can, cannot))
    return out


# ---------------------------------------------------------------- migration


def migrations(
    catalog: Catalog,
    priced: Sequence[Priced],
    limits: tuple[int, ...],
    today: dt.date,
    cards: Cards,
) -> list[Migration]:
    lookup = succession.lookup_in(catalog.models)
    by_model: dict[str, list[Priced]] = {}
    for item in priced:
        if item.cost is not None:
            by_model.setdefault(item.resolved.id, []).append(item)
    out = []
    for model_id, items in sorted(by_model.items()):
        model = catalog.models.get(model_id)
        if model is None:
            continue
        status = model.status(today)
        if status is Status.CURRENT:
            continue
        life = model.lifecycle
        succ = succession.succession(model_id, life, lookup, today)
        current = sum((i.cost or Decimal(0) for i in items), Decimal(0))
        what: WhatIf | None = None
        months: tuple[MonthDiff, ...] = ()
        if succ.live is not None:
            # each row on the successor as its own seller sells it, where that seller does
            by_offer: dict[tuple[str | None, str | None], list[Priced]] = {}
            for item in items:
                sold = item.resolved.model
                offer = (sold.seller, sold.offer_id) if sold is not None else (None, None)
                by_offer.setdefault(offer, []).append(item)
            parts = []
            month_sums: dict[str | None, tuple[Decimal, Decimal]] = {}
            for (seller, offer_id), part in by_offer.items():
                target, note = _successor_offer(catalog.models[succ.live], seller, offer_id)
                done, by_month = _price_on_target(target, part, limits, today, cards, succ.live)
                if note is not None:
                    rows = sum(i.totals.rows for i in part)
                    done = done._replace(notes=(*done.notes, f"{note} ({_rows(rows)})"))
                parts.append(done)
                for month, (own, other) in by_month.items():
                    a, b = month_sums.get(month, (Decimal(0), Decimal(0)))
                    month_sums[month] = (a + own, b + other)
            what = _merge(succ.live, parts)
            months = tuple(
                MonthDiff(month, own, other, other - own)
                for month, (own, other) in sorted(
                    month_sums.items(), key=lambda pair: (pair[0] is None, pair[0] or "")
                )
            )
        out.append(
            Migration(
                model_id,
                status.value,
                life.deprecation_date,
                life.shutdown_date,
                succession.chain_text(succ, today),
                succ.live,
                current,
                what,
                months,
            )
        )
    return out


def _successor_offer(
    model: Model, seller: str | None, offer_id: str | None
) -> tuple[Model, str | None]:
    """The successor as the seller of the rows sells it: the offer of the same id, else the
    seller's only offer; else the maker's prices (said)."""
    if seller is None:
        return model, None
    same = [o for o in model.offers if o.id == offer_id] or [
        o for o in model.offers if o.seller == seller
    ]
    if len(same) == 1:
        return as_sold(model, same[0]), None
    return model, (
        f"{seller} has {'several offers' if same else 'no offer'} of {model.id} in the catalog: "
        "its rows are priced on it at the maker's prices"
    )


def _merge(label: str, parts: Sequence[WhatIf]) -> WhatIf:
    refused: dict[str, int] = {}
    for part in parts:
        for reason, rows in part.cannot_serve:
            refused[reason] = refused.get(reason, 0) + rows
    total = sum((p.total for p in parts), Decimal(0))
    baseline = sum((p.baseline for p in parts), Decimal(0))
    return WhatIf(
        label,
        total,
        baseline,
        total - baseline,
        sum(p.rows for p in parts),
        tuple(refused.items()),
        tuple(dict.fromkeys(n for p in parts for n in p.notes)),
    )


# ---------------------------------------------------------------- the query


def reprice(
    catalog: Catalog,
    aggregation: Aggregation,
    limits: tuple[int, ...],
    today: dt.date,
    *,
    by: Sequence[str] = ("model",),
    on: Sequence[str] = (),
    migrate: bool = False,
    resolve: Callable[[str], Model] | None = None,
) -> RepriceResult:
    """Price an aggregation (see the module docstring); `on` are what-if targets
    (MODEL[@SELLER] or `cheapest N`), `today` the date of lifecycle status and of rows without
    a time."""
    by = tuple(dict.fromkeys(by)) or ("model",)
    resolver = Resolver(catalog)
    cards = Cards()
    notes = _Notes()
    priced = price_aggregates(aggregation, resolver, limits, today, cards, notes)
    total = Decimal(0)
    items: dict[str, Decimal] = {}
    counts: dict[str, int] = dict.fromkeys(KINDS, 0)
    requests = priced_rows = undated = later = 0
    for item in priced:
        _add_counts(counts, item.totals)
        requests += item.totals.requests
        if item.key.day is None:
            undated += item.totals.rows
        elif item.key.day > today:
            later += item.totals.rows
        if item.cost is not None:
            total += item.cost
            priced_rows += item.totals.rows
            _add_items(items, item.items)
    lines = []
    if undated:
        lines.append(
            f"{fmt.tokens(undated)} {_rows(undated)} without a time: priced at the prices of "
            f"{today.isoformat()}"
        )
    if later:
        lines.append(
            f"{fmt.tokens(later)} {_rows(later)} dated after {today.isoformat()} (today, or "
            "the --as-of date): check the log's times; each row is priced at the catalog's "
            "prices for its own date, announced ones included"
        )
    lines += notes.lines()
    recorded_parts = [i.totals.recorded_cost for i in priced if i.key.recorded]
    recorded_parts += [cost.amount for cost in aggregation.recorded]
    recorded_total = sum(recorded_parts, Decimal(0)) if recorded_parts else None
    if aggregation.recorded and any(i.key.recorded for i in priced):
        lines.append(
            "the recorded total adds the rows' own costs and the cost reports: where both "
            "describe the same usage, it counts that usage twice"
        )
    what_if: list[WhatIf] = []
    targets: list[tuple[Model, str, int | None]] = []
    for text in on:
        count = parse_cheapest(text)
        if count is None:
            named = (resolve or catalog.resolve)(text)
            targets.append((named, named.id, None))
        else:
            ranked = cheapest(catalog, priced, limits, today, count)
            if not ranked:
                lines.append(
                    f"{text.strip()}: no current text model in the catalog can serve every kind "
                    "of the priced usage"
                    if any(item.cost is not None for item in priced)
                    else f"{text.strip()}: no priced rows to rank the catalog on"
                )
            for rank, model_id in enumerate(ranked, 1):
                targets.append((catalog.models[model_id], model_id, rank))
    for target, label, place in targets:
        what_if.append(_price_on_target(target, priced, limits, today, cards, label, place)[0])
    return RepriceResult(
        rows=aggregation.rows,
        total=total,
        priced_rows=priced_rows,
        period=(aggregation.first, aggregation.last),
        by=by,
        groups=groups_of(priced, by),
        items=items,
        counts=counts,
        requests=requests,
        unpriced=unpriced_of(priced),
        notes=lines,
        recorded_total=recorded_total,
        reconciliation=reconcile(priced, aggregation, resolver),
        what_if=what_if,
        migration=migrations(catalog, priced, limits, today, cards) if migrate else None,
        today=today,
    )
