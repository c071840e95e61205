"""Side-by-side comparison of models: rows of values and the key differences as sentences.

Annotations are evaluated at import (no `from __future__ import annotations`), which makes the
NamedTuples below cheaper to create: see model.py.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import NamedTuple

from aicompare import fmt, succession
from aicompare.model import (
    ALTERNATE_TABLES,
    OTHER_PRICE_KEYS,
    PRICE_LABELS,
    PRICE_UNITS,
    TOKEN_PRICE_KEYS,
    Model,
    Status,
)
from aicompare.succession import Lookup, Succession

# Price kinds worth a sentence; the rest appear in the table only.
SENTENCE_PRICES = (
    "input",
    "cached_input",
    "output",
    "image_output",
    "audio_input_per_minute",
    "input_per_1m_characters",
)


class Row(NamedTuple):
    """One line of the side-by-side table."""

    section: str
    field: str
    label: str
    values: tuple[object, ...]
    texts: tuple[str, ...]
    best: tuple[int, ...] = ()


class Difference(NamedTuple):
    """A key difference: the sentence a human reads plus the facts behind it."""

    kind: str
    text: str
    field: str | None = None
    models: tuple[str, ...] = ()
    values: tuple[object, ...] = ()
    percent: Decimal | None = None


class DiffResult(NamedTuple):
    models: tuple[Model, ...]
    rows: tuple[Row, ...]
    differences: tuple[Difference, ...]
    today: dt.date
    successions: tuple[Succession, ...] = ()  # one per model, in their order


def status_text(model: Model, today: dt.date, succ: Succession | None = None) -> str:
    """'current', 'deprecated (shuts down 2026-12-01)', 'retired 2026-10-23', + successor: with
    `succ`, the chain to the live successor and what happened on the way (succession.flag_text)."""
    status = model.status(today)
    life = model.lifecycle
    if status is Status.RETIRED:
        text = f"retired {life.shutdown_date}"
    elif status is Status.DEPRECATED and life.shutdown_date is not None:
        text = f"deprecated, shuts down {life.shutdown_date}"
    else:
        text = status.value
    if succ is not None and succ.chain:
        text += "; " + succession.flag_text(succ, today)
    elif succ is None and life.superseded_by:
        text += f"; superseded by {life.superseded_by}"
    elif status is not Status.CURRENT and not life.superseded_by:
        # the catalog names none (its lifecycle note says what was checked)
        text += "; " + succession.no_successor_text(status)
    return text


def _best(values: Sequence[object], lower_is_better: bool) -> tuple[int, ...]:
    known = [(i, v) for i, v in enumerate(values) if isinstance(v, (int, Decimal))]
    if len(known) < 2 or len({v for _, v in known}) == 1:
        return ()
    pick = min if lower_is_better else max
    target = pick(v for _, v in known)
    return tuple(i for i, v in known if v == target)


def _row(
    section: str,
    field: str,
    label: str,
    values: Sequence[object],
    show: Callable[[object], str],
    lower_is_better: bool | None = None,
) -> Row:
    best = () if lower_is_better is None else _best(values, lower_is_better)
    return Row(section, field, label, tuple(values), tuple(show(v) for v in values), best)


def _show_price(value: object) -> str:
    return fmt.price(value) if isinstance(value, Decimal) else fmt.NA


def _show_tokens(value: object) -> str:
    return fmt.tokens(value) if isinstance(value, int) else fmt.NA


def _show_list(value: object) -> str:
    return ", ".join(value) if isinstance(value, tuple) and value else "-"


def _yes_no(value: object) -> str:
    return "yes" if value else "no"


def build_rows(
    models: Sequence[Model],
    today: dt.date,
    provider_name: Callable[[str], str],
    successions: Sequence[Succession] = (),
) -> list[Row]:
    """Every comparable field, in a stable order; price rows only where a model has a price."""
    rows = [
        _row("Overview", "provider", "provider", [provider_name(m.provider) for m in models], str),
        _row("Overview", "type", "type", [m.type for m in models], str),
        _row(
            "Overview",
            "context_window",
            "context window",
            [m.context_window for m in models],
            _show_tokens,
            lower_is_better=False,
        ),
        _row(
            "Overview",
            "max_output_tokens",
            "max output",
            [m.max_output_tokens for m in models],
            _show_tokens,
            lower_is_better=False,
        ),
        _row(
            "Overview",
            "input_modalities",
            "input",
            [m.input_modalities for m in models],
            _show_list,
        ),
        _row(
            "Overview",
            "output_modalities",
            "output",
            [m.output_modalities for m in models],
            _show_list,
        ),
        _row(
            "Overview",
            "knowledge_cutoff",
            "knowledge cutoff",
            [m.knowledge_cutoff or fmt.NA for m in models],
            str,
        ),
    ]
    # token prices of every table first, then the others (per minute, per 1,000 requests, ...)
    for keys, table in (
        (group, table)
        for group in (TOKEN_PRICE_KEYS, OTHER_PRICE_KEYS)
        for table in ("standard", *ALTERNATE_TABLES)
    ):
        for key in keys:
            values = [m.price(key, table=table) for m in models]
            if all(v is None for v in values):
                continue
            prefix = "" if table == "standard" else table.replace("_", "-") + " "
            label = prefix + PRICE_LABELS[key]
            unit = PRICE_UNITS[key].removeprefix("per ")
            section = f"Prices (USD {PRICE_UNITS[key]})" if unit == "1M tokens" else "Prices"
            field = "prices." + ("" if table == "standard" else f"{table}.") + key
            shown = label if unit == "1M tokens" else f"{label} (/{unit})"
            rows.append(_row(section, field, shown, values, _show_price, lower_is_better=True))
    cells: list[tuple[str, str]] = []
    for model in models:
        for cell in model.image_prices:
            if (cell.quality, cell.size) not in cells:
                cells.append((cell.quality, cell.size))
    if cells:
        rows.append(
            _row(
                "Per image (USD)",
                "image_prices.from",
                "from (per image)",
                [m.cheapest_image for m in models],
                _show_price,
                lower_is_better=True,
            )
        )
        for quality, size in cells:
            values = [m.image_price(quality, size) for m in models]
            rows.append(
                _row(
                    "Per image (USD)",
                    f"image_prices.{quality}.{size}",
                    f"{quality} {size}",
                    values,
                    _show_price,
                    lower_is_better=True,
                )
            )
    capabilities = sorted({c for m in models for c in m.capabilities})
    for cap in capabilities:
        rows.append(
            _row(
                "Capabilities",
                f"capabilities.{cap}",
                cap.replace("_", " "),
                [m.has(cap) for m in models],
                _yes_no,
            )
        )
    rows.append(
        _row("Capabilities", "endpoints", "endpoints", [m.endpoints for m in models], _show_list)
    )
    succs: list[Succession | None] = [*successions] or [None] * len(models)
    texts = [status_text(m, today, succ) for m, succ in zip(models, succs, strict=True)]
    rows.append(_row("Lifecycle", "status", "status", texts, str))
    return rows


def _price_sentence(models: Sequence[Model], key: str) -> Difference | None:
    priced = [(m, m.price(key)) for m in models]
    known = [(m, p) for m, p in priced if p is not None]
    label = PRICE_LABELS[key]
    unit = PRICE_UNITS[key].replace("per 1M tokens", "per 1M")
    field = f"prices.{key}"
    if not known:
        return None
    values = tuple(fmt.dec(p) if p is not None else None for _, p in priced)
    ids = tuple(m.id for m in models)
    if len(known) < len(priced):
        if len({m.type for m in models}) > 1:
            return (
                None  # different kinds of model: a missing price is expected, the table shows n/a
            )
        missing = [m.id for m, p in priced if p is None]
        have = "; ".join(f"{m.id} {fmt.price(p)} {unit}" for m, p in known)
        verb = "has" if len(missing) == 1 else "have"
        text = f"{fmt.join_words(missing)} {verb} no {label} price in the catalog (n/a); {have}."
        return Difference("price_missing", text, field, ids, values)
    low_model, low = min(known, key=lambda mp: mp[1])
    high_model, high = max(known, key=lambda mp: mp[1])
    if low == high:
        text = f"{fmt.join_words(list(ids))} cost the same on {label} ({fmt.price(low)} {unit})."
        return Difference("price_same", text, field, ids, values, Decimal(0))
    if high == 0:
        return None
    pct = fmt.percent_cheaper(low, high)
    cheaper = fmt.cheaper_text(low, high)
    if len(models) == 2:
        text = (
            f"{low_model.id} is {cheaper} on {label} "
            f"({fmt.price(low)} vs {fmt.price(high)} {unit})."
        )
    else:
        text = (
            f"{low_model.id} is the cheapest on {label}, {cheaper} than {high_model.id} "
            f"({fmt.price(low)} vs {fmt.price(high)} {unit})."
        )
    return Difference(
        "price", text, field, (low_model.id, high_model.id), (fmt.dec(low), fmt.dec(high)), pct
    )


def _limit_sentence(models: Sequence[Model], field: str, label: str) -> Difference | None:
    known = [(m, getattr(m, field)) for m in models if getattr(m, field) is not None]
    if len(known) < 2:
        return None
    big_model, big = max(known, key=lambda mv: mv[1])
    small_model, small = min(known, key=lambda mv: mv[1])
    if big == small:
        ids = [m.id for m, _ in known]
        return Difference(
            field,
            f"{fmt.join_words(ids)} have the same {label} ({fmt.tokens(big)} tokens).",
            field,
            tuple(ids),
            tuple(v for _, v in known),
        )
    times = fmt.ratio_text(big, small)
    text = (
        f"{big_model.id} has the larger {label}: {fmt.tokens(big)} vs {fmt.tokens(small)} tokens "
        f"({times} {small_model.id}'s)."
    )
    return Difference(field, text, field, (big_model.id, small_model.id), (big, small))


def _kind_sentence(models: Sequence[Model]) -> Difference | None:
    kinds = [m.type for m in models]
    if len(set(kinds)) < 2:
        return None
    parts = [f"{m.id} is {fmt.article(m.type)} {m.type} model" for m in models]
    if len(parts) == 2:
        described = (
            f"{parts[0]} and {models[1].id} {fmt.article(models[1].type)} {models[1].type} model"
        )
    else:
        described = fmt.join_words(parts)
    text = (
        f"These are different kinds of model: {described}, so they often complement each other "
        f"rather than compete."
    )
    return Difference("kind", text, "type", tuple(m.id for m in models), tuple(kinds))


def _lifecycle_sentences(
    models: Sequence[Model], today: dt.date, successions: Sequence[Succession]
) -> list[Difference]:
    out: list[Difference] = []
    for m, succ in zip(models, successions, strict=True):
        life = m.lifecycle
        status = m.status(today)
        if succ.chain:
            out.append(
                Difference(
                    "superseded",
                    succession.sentence(m.id, succ, today) + ".",
                    "lifecycle.superseded_by",
                    (m.id, *(step.id for step in succ.chain)),
                    (life.superseded_by,),
                )
            )
        if status is Status.RETIRED and life.shutdown_date is not None:
            after = (
                ""
                if life.superseded_by
                else "; the API no longer serves it and " + succession.NO_SUCCESSOR_SENTENCE
            )
            out.append(
                Difference(
                    "retired",
                    f"{m.id} was retired on {life.shutdown_date} "
                    f"({fmt.days_text(life.shutdown_date, today)}){after}.",
                    "lifecycle.shutdown_date",
                    (m.id, *filter(None, [life.superseded_by])),
                    (life.shutdown_date.isoformat(),),
                )
            )
        elif status is Status.DEPRECATED:
            if life.shutdown_date is not None:
                text = (
                    f"{m.id} is deprecated and shuts down on {life.shutdown_date} "
                    f"({fmt.days_text(life.shutdown_date, today)})"
                )
                value = life.shutdown_date.isoformat()
            else:
                text = f"{m.id} is deprecated since {life.deprecation_date}; no shutdown date is announced"
                value = life.deprecation_date.isoformat() if life.deprecation_date else ""
            if not life.superseded_by:
                text += "; " + succession.NO_SUCCESSOR_SENTENCE + " yet"
            text += "."
            out.append(Difference("deprecated", text, "lifecycle", (m.id,), (value,)))
    return out


def _capability_sentences(models: Sequence[Model]) -> list[Difference]:
    if len(models) != 2:
        return []
    a, b = models
    out = []
    for first, second in ((a, b), (b, a)):
        only = [c for c in first.capabilities if c not in second.capabilities]
        if only:
            names = [c.replace("_", " ") for c in only]
            out.append(
                Difference(
                    "capabilities",
                    f"Only {first.id} supports {fmt.join_words(names)}.",
                    "capabilities",
                    (first.id, second.id),
                    tuple(only),
                )
            )
    return out


def _image_sentence(models: Sequence[Model]) -> Difference | None:
    known = [(m, m.cheapest_image) for m in models if m.cheapest_image is not None]
    if len(known) < 2:
        return None
    low_model, low = min(known, key=lambda mp: mp[1])
    high_model, high = max(known, key=lambda mp: mp[1])
    if low == high:
        return Difference(
            "image_price_same",
            f"{fmt.join_words([m.id for m, _ in known])} start at the same "
            f"price per image ({fmt.price(low)}).",
            "image_prices.from",
            tuple(m.id for m, _ in known),
            tuple(fmt.dec(p) for _, p in known),
            Decimal(0),
        )
    pct = fmt.percent_cheaper(low, high)
    text = (
        f"{low_model.id} is {fmt.cheaper_text(low, high)} per image at its lowest price "
        f"(from {fmt.price(low)} vs from {fmt.price(high)} per image)."
    )
    return Difference(
        "image_price",
        text,
        "image_prices.from",
        (low_model.id, high_model.id),
        (fmt.dec(low), fmt.dec(high)),
        pct,
    )


def _price_change_sentences(models: Sequence[Model], today: dt.date) -> list[Difference]:
    """A model's price change of the last 90 days, or its next announced one (history)."""
    from aicompare.history import change_sentence, notable_changes

    out = []
    for model in models:
        for change in notable_changes(model.id, model.price_periods, today):
            percents = {c.percent for c in change.changes}
            out.append(
                Difference(
                    "price_change",
                    change_sentence(change, today) + ".",
                    "prices",
                    (model.id,),
                    (change.on, *((c.kind, c.old, c.new) for c in change.changes)),
                    percents.pop() if len(percents) == 1 else None,
                )
            )
    return out


def diff(
    models: Sequence[Model],
    today: dt.date,
    provider_name: Callable[[str], str] = str,
    lookup: Lookup | None = None,
) -> DiffResult:
    """Compare two or more models: table rows plus key differences computed from the data.

    `lookup` finds the successors' lifecycles (default: among the models compared only)."""
    find = lookup or succession.lookup_in({m.id: m for m in models})
    succs = tuple(succession.succession(m.id, m.lifecycle, find, today) for m in models)
    sentences: list[Difference | None] = [_kind_sentence(models)]
    sentences += [_price_sentence(models, key) for key in SENTENCE_PRICES]
    sentences.append(_image_sentence(models))
    sentences.append(_limit_sentence(models, "context_window", "context window"))
    sentences.append(_limit_sentence(models, "max_output_tokens", "output limit"))
    sentences += _capability_sentences(models)
    sentences += _lifecycle_sentences(models, today, succs)
    sentences += _price_change_sentences(models, today)
    differences = tuple(d for d in sentences if d is not None)
    rows = tuple(build_rows(models, today, provider_name, succs))
    return DiffResult(tuple(models), rows, differences, today, succs)
