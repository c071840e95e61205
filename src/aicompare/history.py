"""Prices over time, read from a model's dated price periods (model.PricePeriod): the periods as a
history, each price change with its percentage, the sentence `diff` says about a recent or
announced change, and the catalog's digest of changes and lifecycle events (`changes`).

Pure domain: no typer, no rich. Money stays Decimal; a percentage is computed exactly and
rounded once (fmt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from aicompare import fmt
from aicompare.model import (
    ALTERNATE_TABLES,
    EVER,
    PRICE_KEYS,
    Model,
    Offer,
    PricePeriod,
    Prices,
    period_index,
    priced_on,
)

if TYPE_CHECKING:
    from aicompare.costing import CostResult
    from aicompare.pricing import Workload
    from aicompare.verdict import Verdict

RECENT_DAYS = 90  # `diff` tells of a price change this many days back at most
PROJECTION_DAYS = 30  # a monthly estimate notes an announced change starting this many days ahead


def kind_name(table: str, key: str) -> str:
    """A price kind in words: 'input', 'cached input', 'batch output', 'flex input'."""
    words = key.replace("_", " ")
    return words if table == "standard" else f"{table.replace('_', '-')} {words}"


def kind_key(table: str, key: str) -> str:
    """A price kind as a key: 'input', 'batch.input' (JSON, the history's columns)."""
    return key if table == "standard" else f"{table}.{key}"


def price_kinds(prices: Prices) -> dict[str, Decimal]:
    """Every per-unit price of a period by kind key, in catalog order: the standard table's,
    then each alternate table's (batch, flex, priority, off-peak)."""
    out: dict[str, Decimal] = {}
    for table in ("standard", *ALTERNATE_TABLES):
        values = getattr(prices, table).values
        for key in PRICE_KEYS:
            if key in values:
                out[kind_key(table, key)] = values[key]
    return out


_ALL_KINDS = [
    kind_key(table, key) for table in ("standard", *ALTERNATE_TABLES) for key in PRICE_KEYS
]


def kind_words(kind: str) -> str:
    """A kind key in words: 'batch.input' -> 'batch input'."""
    table, _, key = kind.rpartition(".")
    return kind_name(table or "standard", key)


def record_periods(record: Model | Offer) -> tuple[PricePeriod, ...]:
    """A model's or an offer's periods; one without dated prices has one, its prices since ever."""
    if record.price_periods:
        return record.price_periods
    source = record.source_url
    return (PricePeriod(EVER, record.prices, record.image_prices, source),)


class Period(NamedTuple):
    """One period of a record's history: from `start` (None: since ever) until `end` (None:
    open-ended), its prices by kind, its source, and whether it is in force on the day asked."""

    start: dt.date | None
    end: dt.date | None
    prices: dict[str, Decimal]
    source: str | None
    current: bool
    image_prices: int  # how many per-image cells the period prices


def history(periods: tuple[PricePeriod, ...], on: dt.date) -> list[Period]:
    """The periods with their ends and the one in force on `on` marked; [] without periods."""
    if not periods:
        return []
    now = period_index(periods, on)
    out = []
    for index, period in enumerate(periods):
        end = periods[index + 1].start if index + 1 < len(periods) else None
        out.append(
            Period(
                None if period.start == EVER else period.start,
                end,
                price_kinds(period.prices),
                period.source,
                index == now,
                len(period.image_prices),
            )
        )
    return out


def kinds_of(periods: Iterable[Period]) -> list[str]:
    """The price kinds any of the periods has, in catalog order."""
    seen = {kind for period in periods for kind in period.prices}
    return [kind for kind in _ALL_KINDS if kind in seen]


class KindChange(NamedTuple):
    """One price kind's change at a period boundary; `old`/`new` None: the kind was not priced."""

    kind: str  # a kind key: 'input', 'batch.input'
    old: Decimal | None
    new: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        """(new - old) / old x 100 to 2 places (exact, half up); None without both or from 0."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return fmt.percent(self.new - self.old, self.old)

    @property
    def words(self) -> str:
        return kind_words(self.kind)


def percent_words(old: Decimal, new: Decimal) -> str:
    """A change in percent for a sentence: whole where it is exactly whole ('-25%'), else to one
    decimal, rounded half up ('+33.3%'); '+<0.1%'/'-<0.1%' for a change that would round to 0."""
    part = new - old
    sign = "+" if part > 0 else "-"
    whole = fmt._share(part, old, 0)  # fmt's one exact rounding
    if whole * old.copy_abs() == part.copy_abs() * 100:
        return f"{sign}{whole:f}%"
    tenth = fmt._share(part, old, 1)
    if tenth == 0:
        return f"{sign}<0.1%"
    return f"{sign}{tenth:f}%"


def change_words(change: KindChange) -> str:
    """'-25%', '+12.5%'; 'newly priced' / 'no price from then' / 'from $0' without a
    percentage. A kind without a price in a later period is one the catalog's data set has no
    figure for from that date, which does not say the seller stopped selling it."""
    if change.old is None:
        return "newly priced"
    if change.new is None:
        return "no price from then"
    if change.old == 0:
        return f"from $0 to {fmt.price(change.new)}"
    return percent_words(change.old, change.new)


def kind_changes(before: PricePeriod, after: PricePeriod) -> list[KindChange]:
    """The kinds whose price differs between two consecutive periods, in catalog order."""
    old, new = price_kinds(before.prices), price_kinds(after.prices)
    kinds = list(dict.fromkeys([*old, *new]))
    return [
        KindChange(kind, old.get(kind), new.get(kind))
        for kind in kinds
        if old.get(kind) != new.get(kind)
    ]


class PriceChange(NamedTuple):
    """A record's prices changing on a date: every kind that changed, and the period's source."""

    record: str  # a model id, or MODEL@OFFER for an offer
    on: dt.date
    changes: tuple[KindChange, ...]
    images_changed: bool  # the per-image grid differs
    source: str | None
    all_kinds: bool  # every kind priced in both periods changed (a lone percentage says it all)


def price_changes(record: str, periods: tuple[PricePeriod, ...]) -> list[PriceChange]:
    """Every boundary of a record's periods where a price changed, in date order."""
    out = []
    for before, after in pairwise(periods):
        changes = kind_changes(before, after)
        images = before.image_prices != after.image_prices
        if not changes and not images:
            continue
        shared = set(price_kinds(before.prices)) & set(price_kinds(after.prices))
        moved = {c.kind for c in changes if c.old is not None and c.new is not None}
        out.append(
            PriceChange(record, after.start, tuple(changes), images, after.source, moved == shared)
        )
    return out


def _subject(change: PriceChange) -> tuple[str, bool]:
    """What changed, in words, and whether it is plural: 'input price', 'input and output
    prices', 'prices' (more than one kind), 'per-image prices'."""
    names = [c.words for c in change.changes]
    if change.images_changed:
        names.append("per-image")
    if change.all_kinds and len(names) > 1:
        return "prices", True
    if names == ["per-image"]:
        return "per-image prices", True
    if len(names) == 1:
        return f"{names[0]} price", False
    if len(names) == 2:
        return f"{fmt.join_words(names)} prices", True
    return "prices", True


def _kinds_named(changes: list[KindChange], last: str = "and") -> str:
    """'flex and priority' where every kind named is one of those tables' (named by the table),
    else the kinds one by one: 'cached input and batch output'."""
    tables = {c.kind.split(".", 1)[0] for c in changes if "." in c.kind}
    if tables and all("." in c.kind for c in changes) and len(changes) > len(tables):
        return fmt.join_words([_TABLE_NAMES.get(t, t) for t in sorted(tables)], last)
    return fmt.join_words([c.words for c in changes], last)


_TABLE_NAMES = {"off_peak": "off-peak"}


def _figures(change: PriceChange) -> str:
    """'-25%' when every kind moved by the same percentage; else the kinds grouped by how they
    moved: 'input and batch input -48.5%, output -49.8%'; then kinds newly priced and those the
    catalog has no price for from that date."""
    moved = [c for c in change.changes if c.old is not None and c.new is not None]
    added = [c for c in change.changes if c.old is None]
    dropped = [c for c in change.changes if c.old is not None and c.new is None]
    groups: dict[str, list[str]] = {}
    for c in moved:
        groups.setdefault(change_words(c), []).append(c.words)
    parts = []
    if len(groups) == 1 and change.all_kinds:
        parts.append(next(iter(groups)))
    else:
        parts += [f"{fmt.join_words(names)} {words}" for words, names in groups.items()]
    if added:
        parts.append(f"{_kinds_named(added)} newly priced")
    if dropped:
        parts.append(f"no {_kinds_named(dropped, 'or')} price in the catalog from then")
    named = 1 if len(groups) == 1 and change.all_kinds else len(groups)
    return "; ".join([p for p in (", ".join(parts[:named]), *parts[named:]) if p])


def change_sentence(change: PriceChange, today: dt.date) -> str:
    """ "alpha's input price changed on 2026-10-29 (-25%)"; "alpha's prices change on 2026-12-01
    (in 5 days: +20%)" for an announced one."""
    subject, plural = _subject(change)
    figures = _figures(change)
    if change.on > today:
        verb = "change" if plural else "changes"
        when = fmt.days_text(change.on, today)
        detail = f"{when}: {figures}" if figures else when
    else:
        verb = "changed"
        detail = figures
    tail = f" ({detail})" if detail else ""
    return f"{change.record}'s {subject} {verb} on {change.on.isoformat()}{tail}"


def notable_changes(
    record: str, periods: tuple[PricePeriod, ...], today: dt.date
) -> list[PriceChange]:
    """The changes `diff` tells of: those of the last RECENT_DAYS days up to `today`, and the
    next announced one (after `today`)."""
    changes = price_changes(record, periods)
    recent = [c for c in changes if 0 <= (today - c.on).days <= RECENT_DAYS]
    announced = [c for c in changes if c.on > today][:1]
    return [*recent, *announced]


def next_change(periods: tuple[PricePeriod, ...], on: dt.date, days: int) -> PricePeriod | None:
    """The first period starting after `on` and at most `days` days later, else None."""
    for period in periods:
        if on < period.start <= on + dt.timedelta(days=days):
            return period
    return None


# --- the catalog's digest ---------------------------------------------------------------------


class ChangesResult(NamedTuple):
    """`aicompare changes`: the events from `since` to `until` (None: no end) and the day they
    are told relative to (later ones are announced)."""

    since: dt.date
    until: dt.date | None
    today: dt.date
    events: list[Event]


class Event(NamedTuple):
    """One dated event of the catalog: a price change, a new model, a deprecation, a shutdown."""

    on: dt.date
    kind: str  # price | new | deprecation | shutdown
    record: str  # model id, or MODEL@OFFER for an offer's price change
    announced: bool  # dated after today
    change: PriceChange | None = None  # kind == "price"


EVENT_ORDER = {"new": 0, "price": 1, "deprecation": 2, "shutdown": 3}


def events(
    models: Mapping[str, Model],
    since: dt.date,
    until: dt.date | None,
    today: dt.date,
) -> list[Event]:
    """Every price change, new model (its release date), deprecation and shutdown dated from
    `since` to `until` (both included; None: no end, announced ones too), by date, then kind,
    then record."""

    def within(date: dt.date | None) -> bool:
        return date is not None and since <= date and (until is None or date <= until)

    out: list[Event] = []
    for model_id, model in models.items():
        records = [(model_id, model.price_periods)]
        records += [(f"{model_id}@{o.id}", o.price_periods) for o in model.offers]
        for record, periods in records:
            for change in price_changes(record, periods):
                if within(change.on):
                    out.append(Event(change.on, "price", record, change.on > today, change))
        life = model.lifecycle
        for kind, date in (
            ("new", model.release_date),
            ("deprecation", life.deprecation_date),
            ("shutdown", life.shutdown_date),
        ):
            if date is not None and within(date):
                out.append(Event(date, kind, model_id, date > today))
    out.sort(key=lambda e: (e.on, EVENT_ORDER[e.kind], e.record))
    return out


def event_text(event: Event, today: dt.date) -> str:
    """What happened, in words, for the digest's table."""
    if event.change is not None:
        parts = []
        for c in event.change.changes:
            old = fmt.price(c.old) if c.old is not None else "-"
            new = fmt.price(c.new) if c.new is not None else "-"
            parts.append(f"{c.words} {old} -> {new} ({change_words(c)})")
        if event.change.images_changed:
            parts.append("per-image prices changed")
        return "; ".join(parts)
    return {
        "new": "released",
        "deprecation": "deprecated",
        "shutdown": "shut down" if not event.announced else "shuts down",
    }[event.kind]


# --- projections ------------------------------------------------------------------------------


def projection_notes(
    models: Sequence[Model], workload: Workload, on: dt.date, now: dt.date
) -> list[str]:
    """What a cost estimate priced on `on` should say about prices over time, for one row (a
    model, or a pipeline's models):

    - a model priced at an announced period (one starting after `now`, today in UTC) says so;
    - a change starting within PROJECTION_DAYS after `on` says what the workload costs from
      then: the estimate itself stays at the prices in force on `on`.
    """
    from aicompare.pricing import estimate

    notes = []
    for model in models:
        index = period_index(model.price_periods, on)
        if index > 0 and model.price_periods[index].start > now:
            start = model.price_periods[index].start
            notes.append(
                f"{model.id} is priced at its prices announced from {start.isoformat()}, "
                f"not yet in force today ({now.isoformat()}, UTC)."
            )
    horizon = on + dt.timedelta(days=PROJECTION_DAYS)
    starts = sorted(
        {p.start for m in models for p in m.price_periods[1:] if on < p.start <= horizon}
    )
    if not starts:
        return notes
    before = estimate(list(models), workload).total
    per = workload.period.value
    for start in starts:
        changing = [m.id for m in models if any(p.start == start for p in m.price_periods[1:])]
        after = estimate([priced_on(m, start) for m in models], workload).total
        subject = f"{fmt.join_words(changing)}'s prices change"
        if len(changing) > 1:
            subject = f"the prices of {fmt.join_words(changing)} change"
        head = f"{subject} on {start.isoformat()} ({fmt.days_text(start, on)})"
        if after is None:
            notes.append(f"{head}; from then this workload cannot be priced on it.")
        elif before is None or after == before:
            notes.append(f"{head}; from then this workload costs {fmt.price(after)} a {per}.")
        else:
            new, old = fmt.price(after), fmt.price(before)  # exact: at least cents, every digit
            change = percent_words(before, after) if before else ""
            notes.append(
                f"{head}; from then this workload costs {new} a {per} instead of {old}"
                + (f" ({change})." if change else ".")
            )
    return notes


def with_projections(result: CostResult, now: dt.date) -> CostResult:
    """A cost result with each shown row's projection_notes among its estimate's notes."""
    from aicompare.frozen import replace

    if not any(m.price_periods for m in result.models.values()):
        return result
    ranked = []
    for row in result.ranked:
        models = [result.models[mid] for mid in row.estimate.model_ids]
        notes = projection_notes(models, result.workload, result.today, now)
        if notes:
            row = replace(row, estimate=replace(row.estimate, notes=(*row.estimate.notes, *notes)))
        ranked.append(row)
    return replace(result, ranked=tuple(ranked))


def verdict_projections(verdict: Verdict, now: dt.date) -> Verdict:
    """`best`: the top pick's and the budget pick's projection_notes among the verdict's notes."""
    import dataclasses

    notes: list[str] = []
    for pick in (verdict.top, verdict.budget_pick):
        if pick is not None:
            notes += projection_notes([pick.model], verdict.workload, verdict.today, now)
    if not notes:
        return verdict
    return dataclasses.replace(verdict, notes=(*verdict.notes, *dict.fromkeys(notes)))
