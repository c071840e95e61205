"""The cost comparison as blocks (table, CSV, Markdown) and as a JSON document."""

from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from typing import TYPE_CHECKING, Any

from aicompare import fmt, succession
from aicompare.compare import status_text
from aicompare.costing import CostResult, SellerVerdict
from aicompare.model import GENERAL, Model, Status
from aicompare.pricing import BILLED, LineItem, Ranked, Workload
from aicompare.quantities import format_quantity
from aicompare.render.documents import jsonable
from aicompare.workloads import workload_phrase

if TYPE_CHECKING:
    from aicompare.render.blocks import Block

BAR_WIDTH = 16
FREE_TIER = "free tier, rate-limited — see the maker's limits"
# filters.LEFT_OUT reasons: as the notes count them, and as the JSON names them
LEFT_OUT_TEXT = {  # (one, more)
    "status": ("deprecated or retired", "deprecated or retired"),
    "availability": ("preview or experiment", "previews or experiments"),
    "free": ("free tier", "free tier"),
}
LEFT_OUT_KEYS = {
    "status": "deprecated_or_retired",
    "availability": "preview_or_experimental",
    "free": "free_tier",
}

UNSERVED_NOTES = 10  # rows that cannot serve, up to which each gets a note with its reasons


def _bar(total: Decimal, largest: Decimal) -> str:
    if largest <= 0:
        return ""
    cells = int((total * BAR_WIDTH / largest).to_integral_value())
    return "█" * max(cells, 1 if total > 0 else 0)


def _flags(result: CostResult, row: Ranked) -> tuple[str, str | None]:
    """Status of the models in a row: 'current', or e.g. 'retired 2026-10-23; superseded by X'
    (the chain to the live successor), 'preview', the free tier."""
    texts: list[str] = []
    tone: str | None = None
    for model_id in row.estimate.model_ids:
        model = result.models[model_id]
        status = model.status(result.today)
        succ = result.successions.get(model_id, succession.NONE)
        parts = []
        if status is not Status.CURRENT or succ.chain:
            parts.append(status_text(model, result.today, succ))
            tone = "bad" if status is Status.RETIRED else (tone or "warn")
        if model.availability != GENERAL:
            parts.append(model.availability)
            tone = tone or "warn"
        if model.free:
            parts.append(FREE_TIER)
            tone = tone or "warn"
        if parts:
            prefix = f"{model_id}: " if len(row.estimate.model_ids) > 1 else ""
            texts.append(prefix + "; ".join(parts))
    return ("; ".join(texts) or "current"), tone


def needs_text(workload: Workload) -> str:
    """What a workload needs a model to bill: 'text tokens', 'images' or both."""
    parts = (["text tokens"] if workload.tokens else []) + (["images"] if workload.images else [])
    return " and ".join(parts)


def left_out_note(result: CostResult) -> str | None:
    """'left out: 41 deprecated or retired, 12 previews or experiments, 9 free tier (...)'."""
    counted = [f"{n} {LEFT_OUT_TEXT[reason][n != 1]}" for reason, n in result.left_out if n]
    if not counted:
        return None
    flags = {
        "status": "--any-status",
        "availability": "--include-preview",
        "free": "--include-free",
    }
    asks = list(dict.fromkeys(flags[reason] for reason, n in result.left_out if n))
    return (
        f"left out: {', '.join(counted)}, which could serve this workload "
        f"({fmt.join_words(asks, 'or')} to rank them, --all for every model)."
    )


def _delta(row: Ranked, amount: str) -> str:
    """The row's difference from the reference; `amount` is |delta| as shown (fmt.money_apart)."""
    if row.rank is None:
        return "-"
    if row.delta == 0 and row.estimate.key == row.reference:
        return "baseline" if row.reference and row.rank != 1 else "cheapest"
    if row.delta is None:
        return fmt.NA
    if row.delta == 0:
        return "the same"
    sign = "+" if row.delta > 0 else "-"
    text = f"{sign}{amount}"
    if row.delta_percent is not None and row.estimate.total is not None:
        # the reference's total, exactly: the percentage is worded from exact figures
        wide = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
        reference = wide.subtract(row.estimate.total, row.delta)
        text += f" ({sign}{fmt.percent_text(row.delta, reference)})"
    return text


def line_text(line: LineItem) -> str:
    """'4M input tokens × $1.10 per 1M tokens = $4.40': the unit price exact, the cost rounded
    for reading ('3.5M input tokens × $0.075 per 1M tokens = $0.263')."""
    unit = "per image" if line.unit == "per image" else line.unit
    return (
        f"{format_quantity(line.quantity)} {line.label} × {fmt.price(line.unit_price)} {unit}"
        f" = {fmt.money(line.cost)}"
    )


def cost_view(result: CostResult) -> list[Block]:
    # the block types are for tables and Markdown only: a --json run does not import them
    from aicompare.render.blocks import Cell, Column, TableBlock, TextBlock

    period = result.workload.period.value
    ref_label = "vs baseline" if result.baseline else "vs cheapest"
    unservable = any(r.estimate.total is None for r in result.ranked)
    columns = [  # drop order: the bar, the difference, status (docs/output.md)
        Column("#", "right"),
        Column("model", truncate=True, min_width=20),
        Column(f"per {period}", "right"),
        Column(ref_label, "right", drop=2),
        Column("", drop=1),
        Column("status", truncate=True, min_width=12, drop=3),
        *([Column("cannot serve", truncate=True, min_width=16)] if unservable else []),
    ]
    largest = max(
        (r.estimate.total for r in result.ranked if r.estimate.total is not None),
        default=Decimal(0),
    )
    rows: list[list[Cell]] = []
    # rounded for reading, with the digits that keep two different amounts apart
    totals = fmt.money_apart([r.estimate.total for r in result.ranked])
    # a difference never reads as the whole of its reference's total unless it is one: -$2.50
    # against $2.50 would say "free" of a model that costs $0.0001 (-$2.4999 is shown)
    wide = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
    references: list[Decimal | None] = [
        wide.subtract(r.estimate.total, r.delta)
        for r in result.ranked
        if r.delta is not None and r.estimate.total is not None
    ]
    deltas = fmt.money_apart(
        [None if r.delta is None else r.delta.copy_abs() for r in result.ranked] + references
    )[: len(result.ranked)]
    for row, total_text, delta_text in zip(result.ranked, totals, deltas, strict=True):
        flags, tone = _flags(result, row)
        est = row.estimate
        if est.total is None:  # the reason in a column of its own, never in the money column
            rows.append(
                [
                    Cell("-"),
                    Cell(est.key, tone="head"),
                    Cell("-"),
                    Cell("-"),
                    Cell(""),
                    Cell(flags, tone=tone),
                    Cell("; ".join(est.cannot_serve), tone="bad"),
                ]
            )
            continue
        rows.append(
            [
                Cell(str(row.rank)),
                Cell(est.key, tone="head"),
                Cell(total_text, best=row.rank == 1 and len(result.ranked) > 1),
                Cell(_delta(row, delta_text)),
                Cell(_bar(est.total, largest), tone="good"),
                Cell(flags, tone=tone),
                *([Cell("")] if unservable else []),
            ]
        )
    blocks: list[Block] = [
        TextBlock(
            list(result.workload.assumptions),
            title=f"Workload: {workload_phrase(result.workload)}"
            + (f"; prices as of {result.priced_on} (UTC)" if result.priced_on else ""),
        ),
        TableBlock(columns, rows, title=f"Cost per {period} (USD)"),
    ]
    if result.sellers:
        blocks.append(TextBlock([seller_sentence(v, period) for v in result.sellers]))
    items = [
        [Cell(r.estimate.key), Cell(line_text(line) + (f" ({line.detail})" if line.detail else ""))]
        for r in result.ranked
        for line in r.estimate.line_items
    ]
    if items:
        blocks.append(
            TableBlock(
                [Column("model", truncate=True, min_width=16), Column("line items", truncate=True)],
                items,
                title="Line items",
            )
        )
    # A note many rows share is said once, naming them: "a, b: one price per second ...".
    shared: dict[str, list[str]] = {}
    for row in result.ranked:
        for n in row.estimate.notes:
            key = "" if n.startswith(row.estimate.model_ids) else row.estimate.key
            shared.setdefault(n, []).append(key)
    notes = [f"{', '.join(keys)}: {n}" if all(keys) else n for n, keys in shared.items()]
    # The cannot-serve column is cut on a narrow terminal; a reason names what to give (an
    # option, a price), so a few named rows also say it whole here.
    unserved = [row.estimate for row in result.ranked if row.rank is None]
    if len(unserved) <= UNSERVED_NOTES:
        notes += [
            f"{e.key} cannot serve this workload: {'; '.join(e.cannot_serve)}" for e in unserved
        ]
    # The status column is cut too ("retired 2026-10-23;…"), and a successor is what a user acts
    # on: a few flagged rows say their status whole.
    flagged: list[tuple[Ranked, str]] = []
    for row in result.ranked:
        flags, tone = _flags(result, row)
        if tone is not None:
            flagged.append((row, flags))
    if len(flagged) <= UNSERVED_NOTES:
        notes += [
            flags if len(row.estimate.model_ids) > 1 else f"{row.estimate.key}: {flags}"
            for row, flags in flagged
        ]
    # where a seller's prices come from: a few offer rows say their source
    sold = [
        result.models[mid]
        for row in result.ranked
        for mid in row.estimate.model_ids
        if result.models[mid].seller is not None
    ]
    if len(sold) <= UNSERVED_NOTES:
        notes += [source_note(m) for m in sold]
    left = left_out_note(result)
    if left is not None:
        notes.append(left)
    if result.hidden_servable:
        notes.append(
            f"{result.hidden_servable} more model(s) can serve this workload at a higher cost "
            f"(--top N or --all to see them)."
        )
    if result.hidden_unservable:
        notes.append(
            f"{result.hidden_unservable} model(s) cannot serve this workload "
            f"({needs_text(result.workload)}; --all to list them)."
        )
    if notes:
        blocks.append(TextBlock(list(dict.fromkeys(notes)), title="Notes", bullets=True))
    return blocks


def source_note(model: Model) -> str:
    """`MODEL@SELLER`: whose prices, and where they were read."""
    if model.offer_id:
        whose = f"sold by {model.seller}"
        if model.offer_id != model.seller:
            whose += f" (offer {model.offer_id})"
        source = f", prices from {model.source_url}" if model.source_url else ""
    else:
        whose = "the maker's prices"
        source = f" from {model.source_url}" if model.source_url else ""
    when = f" (as of {model.as_of.isoformat()})" if model.as_of else ""
    return f"{model.id}: {whose}{source}{when}"


def seller_sentence(verdict: SellerVerdict, period: str) -> str:
    """`cost --sellers`: where the model is cheapest for the workload, against its maker."""
    head = f"The cheapest place to run {verdict.model_id} for this workload is"
    maker = f"{verdict.maker_name}'s API"
    if verdict.cheapest is None or verdict.total is None:
        return f"No seller of {verdict.model_id} in the catalog can serve this workload."
    total = f"{fmt.money(verdict.total)} a {period}"
    if verdict.tied:
        # a tie is said as one: no offer is "the" cheapest place
        head = f"The cheapest places to run {verdict.model_id} for this workload tie at {total}:"
        places = [maker if verdict.offer_id is None else verdict.cheapest, *verdict.tied]
        shown = ", ".join(str(p) for p in places[:6])
        more = f" and {len(places) - 6} more" if len(places) > 6 else ""
        return f"{head} {shown}{more}."
    if verdict.offer_id is None:
        return f"{head} {maker} ({total})."
    where = f"{verdict.seller} ({verdict.cheapest})"
    if verdict.maker_total is None:
        return f"{head} {where}: {total}; {maker} cannot serve it."
    below = fmt.percent_text(verdict.maker_total - verdict.total, verdict.maker_total)
    return f"{head} {where}: {total}, {below} below {maker} ({fmt.money(verdict.maker_total)})."


def _seller_document(verdict: SellerVerdict) -> dict[str, Any]:
    return {
        "model": verdict.model_id,
        "maker": verdict.maker,
        "cheapest": verdict.cheapest,
        "seller": verdict.seller,
        "offer_id": verdict.offer_id,
        "total": fmt.dec(verdict.total) if verdict.total is not None else None,
        "maker_total": fmt.dec(verdict.maker_total) if verdict.maker_total is not None else None,
        "below_maker_percent": format(verdict.below_maker_percent, "f")
        if verdict.below_maker_percent is not None
        else None,
        "tied": list(verdict.tied),
    }


def _line(line: LineItem) -> dict[str, Any]:
    return {
        "kind": line.kind,
        "model": line.model_id,
        "quantity": line.quantity,
        "unit": line.unit,
        "unit_price": fmt.dec(line.unit_price),
        "cost": fmt.dec(line.cost),
        "detail": line.detail,
        "note": line.note,
        "text": line_text(line),
    }


def cost_document_workload(w: Workload) -> dict[str, Any]:
    """The normalised workload with its assumptions, as JSON: a count per billed kind."""
    return {
        "period": w.period.value,
        "input_tokens": w.input_tokens,
        "cached_input_tokens": w.cached_input_tokens,
        "output_tokens": w.output_tokens,
        "images": w.images,
        "quality": w.quality,
        "size": w.size,
        "batch": w.batch,
        "tier": w.tier,
        "off_peak": w.off_peak,
        "thinking": w.thinking,
        "request_tokens": w.request_tokens,
        **{kind.quantity: getattr(w, kind.quantity) for kind in BILLED},
        "assumptions": list(w.assumptions),
    }


def cost_document(result: CostResult) -> dict[str, Any]:
    workload = cost_document_workload(result.workload)
    results = []
    for row in result.ranked:
        est = row.estimate
        lifecycle = [
            {
                "model": mid,
                "status": result.models[mid].status(result.today).value,
                "superseded_by": result.models[mid].superseded_by,
                "shutdown_date": jsonable(result.models[mid].lifecycle.shutdown_date),
                "availability": result.models[mid].availability,
                "free": result.models[mid].free,
                "seller": result.models[mid].seller or result.models[mid].provider,
                "offer_id": result.models[mid].offer_id,
                **succession.document(result.successions.get(mid, succession.NONE)),
            }
            for mid in est.model_ids
        ]
        results.append(
            {
                "rank": row.rank,
                "model": est.key,
                "models": list(est.model_ids),
                # who sells it at these prices (the maker unless an offer was named), and the
                # offer; a pipeline's are its models' joined by "+" like its key
                "seller": "+".join(item["seller"] for item in lifecycle),
                "offer_id": None
                if all(item["offer_id"] is None for item in lifecycle)
                else "+".join(item["offer_id"] or item["seller"] for item in lifecycle),
                "servable": est.servable,
                "cannot_serve": list(est.cannot_serve),
                "total": fmt.dec(est.total) if est.total is not None else None,
                "line_items": [_line(line) for line in est.line_items],
                "reference": row.reference,
                "delta": fmt.dec(row.delta) if row.delta is not None else None,
                "delta_percent": format(row.delta_percent, "f")
                if row.delta_percent is not None
                else None,
                "notes": list(est.notes),
                "lifecycle": lifecycle,
            }
        )
    return {
        "currency": "USD",
        "workload": workload,
        "results": results,
        "omitted": {
            "servable": result.hidden_servable,
            "cannot_serve": result.hidden_unservable,
            "left_out": {
                key: dict(result.left_out).get(reason, 0) for reason, key in LEFT_OUT_KEYS.items()
            },
        },
        "baseline": result.baseline,
        "sellers": [_seller_document(v) for v in result.sellers],
    }
