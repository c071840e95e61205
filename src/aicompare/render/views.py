"""Results as blocks of cells for the table, CSV and Markdown renderers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from aicompare import fmt, succession
from aicompare.catalog import Catalog
from aicompare.compare import DiffResult, status_text
from aicompare.model import (
    ALTERNATE_TABLES,
    PRICE_KEYS,
    PRICE_LABELS,
    PRICE_UNITS,
    Model,
    Offer,
    Status,
)
from aicompare.render import LEGEND
from aicompare.render.blocks import Block, Cell, Column, TableBlock, TextBlock

if TYPE_CHECKING:
    from aicompare.costing import CostResult


def successions_in(catalog: Catalog) -> succession.Lookup:
    return succession.lookup_in(catalog.models)


def status_cell(model: Model, today: dt.date, lookup: succession.Lookup | None = None) -> Cell:
    """The status with the successor chain when `lookup` finds the successors' lifecycles."""
    status = model.status(today)
    tone = {Status.RETIRED: "bad", Status.DEPRECATED: "warn"}.get(status)
    if model.superseded_by and tone is None:
        tone = "warn"
    succ = (
        None if lookup is None else succession.succession(model.id, model.lifecycle, lookup, today)
    )
    return Cell(status_text(model, today, succ), tone=tone)


def _image_from(model: Model) -> str:
    cheapest = model.cheapest_image
    return f"from {fmt.price(cheapest)}/image" if cheapest is not None else "-"


def list_view(models: Sequence[Model], catalog: Catalog, today: dt.date) -> list[Block]:
    columns = [  # drop order: image, type, provider, context (docs/output.md)
        Column("id", truncate=True, min_width=24),
        Column("provider", truncate=True, min_width=10, drop=3),
        Column("type", drop=2),
        Column("context", "right", drop=4),
        Column("input", "right"),
        Column("output", "right"),
        Column("image", drop=1),
        Column("status", truncate=True, min_width=18),
    ]
    lookup = successions_in(catalog)
    rows = [
        [
            Cell(m.id, tone="head"),
            Cell(catalog.provider_name(m.provider)),
            Cell(m.type),
            Cell(fmt.tokens_short(m.context_window)),
            Cell(fmt.price(m.price("input"))),
            Cell(fmt.price(m.price("output"))),
            Cell(_image_from(m)),
            status_cell(m, today, lookup),
        ]
        for m in models
    ]
    summary = (
        f"{len(models)} model{'s' if len(models) != 1 else ''}; input and output in USD per 1M "
        f"tokens; status as of {today}."
    )
    return [TableBlock(columns, rows), TextBlock([summary])]


def show_view(model: Model, catalog: Catalog, today: dt.date) -> list[Block]:
    rows: list[list[Cell]] = []
    sections: dict[int, str] = {}

    def section(name: str) -> None:
        sections[len(rows)] = name

    def add(
        label: str,
        value: str,
        tone: str | None = None,
        path: str | None = None,
    ) -> None:
        """One field/value row; `path`: the value's catalog key, for the layer it comes from."""
        origin = model.origin(path) if path else None
        if origin:
            value = f"{value}  (from {origin})"
        rows.append([Cell(label), Cell(value, tone=tone)])

    # Free text reads whole as prose under the table, whose rows stay one line each.
    prose: list[TextBlock] = []

    def write(title: str, lines: Sequence[tuple[str, str]], bullets: bool = False) -> None:
        """(text, path) lines, each with the layer it comes from when not the bundled one."""
        shown = []
        for text, path in lines:
            origin = model.origin(path) if path else None
            shown.append(f"{text}  (from {origin})" if origin else text)
        if shown:
            prose.append(TextBlock(shown, title=title, bullets=bullets))

    section("Model")
    add("id", model.id)
    add("name", model.name, path="name")
    add("provider", catalog.provider_name(model.provider), path="provider")
    add("type", model.type, path="type")
    if model.description:
        write("Description", [(model.description, "description")])
    if model.aliases:
        add("aliases", ", ".join(model.aliases), path="aliases")
    if model.snapshots:
        add("snapshots", ", ".join(model.snapshots), path="snapshots")
    section("Limits")
    add("context window", fmt.tokens(model.context_window), path="context_window")
    if model.max_input_tokens is not None:
        add("max input", fmt.tokens(model.max_input_tokens), path="max_input_tokens")
    add("max output", fmt.tokens(model.max_output_tokens), path="max_output_tokens")
    add("input", ", ".join(model.input_modalities) or fmt.NA, path="input_modalities")
    add("output", ", ".join(model.output_modalities) or fmt.NA, path="output_modalities")
    add("knowledge cutoff", model.knowledge_cutoff or fmt.NA, path="knowledge_cutoff")
    add(
        "released",
        str(model.release_date) if model.release_date else fmt.NA,
        path="release_date",
    )
    section("Prices (USD)")
    priced = False
    for label, prices, base in (
        ("", model.prices.standard, "prices"),
        ("batch ", model.prices.batch, "prices.batch"),
        ("flex ", model.prices.flex, "prices.flex"),
        ("priority ", model.prices.priority, "prices.priority"),
        (
            f"off-peak ({model.prices.off_peak_hours} UTC) ",
            model.prices.off_peak,
            "prices.off_peak",
        ),
    ):
        for key, value in prices.values.items():
            priced = True
            add(
                f"{label}{PRICE_LABELS[key]}",
                f"{fmt.price(value)} {PRICE_UNITS[key]}",
                path=f"{base}.{key}",
            )
    for tier in model.prices.tiers:
        for key, value in tier.prices.values.items():
            add(
                f"{PRICE_LABELS[key]} above {fmt.tokens(tier.above_input_tokens)}",
                f"{fmt.price(value)} {PRICE_UNITS[key]}",
                path="prices.tiers",
            )
    if not priced and not model.image_prices:
        add("prices", "n/a: the catalog has no prices for this model", tone="warn")
    write(
        "Capabilities",
        [
            (
                ", ".join(c.replace("_", " ") for c in model.capabilities) or "none listed",
                "capabilities",
            ),
            (f"endpoints: {', '.join(model.endpoints) or 'none listed'}", "endpoints"),
        ],
    )
    write("Ideal for", [(line, "strengths") for line in model.strengths], bullets=True)
    section("Lifecycle")
    lookup = successions_in(catalog)
    succ = succession.succession(model.id, model.lifecycle, lookup, today)
    add("status", status_text(model, today, succession.NONE), tone=status_cell(model, today).tone)
    life = model.lifecycle
    if succ.chain:
        add("superseded by", succession.chain_text(succ, today), path="lifecycle.superseded_by")
        add("live successor", succ.live or "none named")
    if life.deprecation_date:
        add(
            "deprecated",
            str(life.deprecation_date),
            path="lifecycle.deprecation_date",
        )
    if life.shutdown_date:
        add(
            "shutdown",
            f"{life.shutdown_date} ({fmt.days_text(life.shutdown_date, today)})",
            path="lifecycle.shutdown_date",
        )
    section("Catalog")
    add("as of", str(model.as_of) if model.as_of else fmt.NA, path="as_of")
    write(
        "Sources and notes",
        [(model.source_url or "n/a: the catalog names no source", "source_url")]
        + ([(f"lifecycle: {life.note}", "lifecycle.note")] if life.note else [])
        + ([(model.notes, "notes")] if model.notes else []),
    )
    for bench in model.benchmarks:
        add(
            f"benchmark {bench.name}", f"{fmt.dec(bench.score)} ({bench.source})"
        )  # the source is text
    blocks: list[Block] = [
        TableBlock(
            [Column("field", truncate=True, min_width=16), Column("value", truncate=True)],
            rows,
            title=f"{model.name} ({model.id})",
            section_rows=sections,
        )
    ]
    if model.image_prices:
        sizes = list(model.image_sizes)
        grid_rows = [
            [Cell(q), *[Cell(fmt.price(model.image_price(q, s))) for s in sizes]]
            for q in model.image_qualities
        ]
        blocks.append(
            TableBlock(
                [Column("quality"), *[Column(s, "right") for s in sizes]],
                grid_rows,
                title="Per image (USD)",
            )
        )
    if model.offers:
        blocks.append(offers_table(model))
    return [*blocks, *prose]


def offer_prices_text(offer: Offer) -> str:
    """Every price of an offer in one line: the standard kinds, the alternate tables, the
    long-context tiers and the per-image range."""
    standard = offer.prices.standard.values
    parts = [
        f"{PRICE_LABELS[key]} {fmt.price(standard[key])} {PRICE_UNITS[key]}"
        for key in PRICE_KEYS
        if key in standard
    ]
    for name in ALTERNATE_TABLES:
        table = getattr(offer.prices, name).values
        parts += [
            f"{name.replace('_', '-')} {PRICE_LABELS[key]} {fmt.price(table[key])}"
            for key in PRICE_KEYS
            if key in table
        ]
    for tier in offer.prices.tiers:
        parts += [
            f"{PRICE_LABELS[key]} above {fmt.tokens(tier.above_input_tokens)} {fmt.price(value)}"
            for key, value in tier.prices.values.items()
        ]
    if offer.image_prices:
        low = min(cell.usd for cell in offer.image_prices)
        high = max(cell.usd for cell in offer.image_prices)
        span = fmt.price(low) if low == high else f"{fmt.price(low)}-{fmt.price(high)}"
        parts.append(f"{span} per image ({len(offer.image_prices)} quality and size cells)")
    return "; ".join(parts)


def offers_table(model: Model) -> TableBlock:
    """`show`: the model as other sellers sell it, one row per offer."""
    rows = [
        [
            Cell(f"{model.id}@{offer.id}", tone="head"),
            Cell(offer.seller + (" (reseller)" if offer.reseller else "")),
            Cell(offer.region or "-", tone="dim" if offer.region is None else None),
            Cell(offer_prices_text(offer)),
            Cell(offer.source_url or fmt.NA),
        ]
        for offer in model.offers
    ]
    return TableBlock(
        [
            Column("offer", truncate=True, min_width=16),
            Column("seller", truncate=True, min_width=8),
            Column("region", truncate=True, min_width=6),
            Column("prices (USD)", truncate=True, min_width=20),
            Column("source", truncate=True, min_width=10, drop=1),
        ],
        rows,
        title=f"Other sellers ({len(model.offers)} offer{'' if len(model.offers) == 1 else 's'}; "
        f"the prices above are {model.provider}'s own)",
    )


def diff_view(
    result: DiffResult, catalog: Catalog | None = None, cost: CostResult | None = None
) -> list[Block]:
    """The comparison table and the key differences (`catalog`: as diff_document takes it; the
    result already names the providers), then with a workload (`cost`) the cost view of it."""
    columns = [
        Column("", truncate=True, min_width=16),
        *[Column(m.id, truncate=True, min_width=10) for m in result.models],
    ]
    rows: list[list[Cell]] = []
    sections: dict[int, str] = {}
    current = ""
    for row in result.rows:
        if row.section != current:
            sections[len(rows)] = row.section
            current = row.section
        cells = [Cell(row.label)]
        for index, text in enumerate(row.texts):
            tone = "dim" if text in (fmt.NA, "no", "-") else None
            if row.field == "status":
                tone = "bad" if "retired" in text else ("warn" if text != "current" else None)
            cells.append(Cell(text, best=index in row.best, tone=tone))
        rows.append(cells)
    marked = any(row.best for row in result.rows)
    blocks: list[Block] = [TableBlock(columns, rows, section_rows=sections)]
    if marked:
        blocks.append(TextBlock([LEGEND]))
    blocks.append(
        TextBlock(
            [d.text for d in result.differences] or ["No differences worth a sentence."],
            title="Key differences",
            bullets=True,
        )
    )
    if cost is not None:
        from aicompare.render.cost_views import cost_view

        blocks.extend(cost_view(cost))
    return blocks
