"""Convert a models.dev catalog (providers.<id>.models.<id>, USD per 1M tokens) to catalog rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from aicompare.importers import ImportResult, Note, Skip
from aicompare.importers._common import (
    OTHER,
    clean_str,
    drop_unbilled_cache_write,
    drop_unbilled_output,
    iso_date,
    knowledge_cutoff,
    money,
    note,
    positive_int,
    price_tables,
    result,
    skip,
    whole,
    wrong_format,
)
from aicompare.model import INPUT_MODALITIES, OUTPUT_MODALITIES

# models.dev cost key -> catalog price key; all are USD per 1M tokens already.
COST_KEYS = {
    "input": "input",
    "output": "output",
    "cache_read": "cached_input",
    "cache_write": "cache_write",
    "input_audio": "audio_input",
    "output_audio": "audio_output",
}
# Input-only models: an output price of 0 means "not billed", not "free output".
# The legacy single long-context tier; `cost.tiers` carries the same data when present.
OVER_200K = 200_000

DEPRECATED = "deprecated on models.dev (no date given)"
REASONING = "reasoning-token price below the output price not representable"
MODES = "per-mode prices (e.g. fast) not representable"


NAME = "models.dev"  # its key in aicompare.importers.REGISTRY


def convert(
    data: object, *, source: str, provider: str | None = None, as_of: dt.date
) -> ImportResult:
    """Convert a parsed models.dev catalog.json (or api.json); CatalogError when it is not one."""
    providers = _providers(data)
    if providers is None:
        raise wrong_format(source, "a models.dev catalog (object with providers.<id>.models)")
    models: dict[str, dict[str, Any]] = {}
    skipped: list[Skip] = []
    notes: list[Note] = []
    seen: set[str] = set()
    for pid in sorted(providers):
        if provider is not None and pid != provider:
            continue
        entries = providers[pid].get("models")
        if not isinstance(entries, dict):
            skipped.append(skip(pid, "provider without a models table"))
            continue
        for mid in sorted(entries):
            # Without a provider filter several providers serve the same model id.
            model_id = mid if provider is not None else f"{pid}/{mid}"
            rec = entries[mid]
            if model_id.casefold() in seen:
                # catalog ids are case-insensitive; the first spelling in sorted order wins
                skipped.append(skip(model_id, "duplicate id (differs only in case)"))
            elif isinstance(rec, dict):
                seen.add(model_id.casefold())
                models[model_id] = _model(model_id, mid, pid, rec, as_of, notes)
            else:
                skipped.append(skip(model_id, "not a model record"))
    return result(models, skipped, notes, provider, source)


def _providers(data: object) -> dict[str, dict[str, Any]] | None:
    """The providers table of catalog.json, or api.json itself (which is just that table)."""
    if not isinstance(data, dict):
        return None
    table = data.get("providers", data)
    if not isinstance(table, dict) or not table:
        return None
    if not all(isinstance(p, dict) and "litellm_provider" not in p for p in table.values()):
        return None
    if not any(isinstance(p.get("models"), dict) for p in table.values()):
        return None
    return table


def _strings(values: object, allowed: tuple[str, ...]) -> list[str]:
    """The values the catalog knows, sorted (models.dev also lists e.g. "pdf" output)."""
    if not isinstance(values, list):
        return []
    return sorted({v for v in values if isinstance(v, str) and v in allowed})


def _type(mid: str, rec: Mapping[str, Any], outputs: list[str]) -> str:
    """models.dev has no type field: guess from the name (embeddings say "text"), then outputs."""
    words = f"{rec.get('family') or ''} {mid}".lower()
    if "embed" in words:
        return "embedding"
    if "rerank" in words:
        return "rerank"
    if "moderation" in words:
        return "moderation"
    # Chat models that can call an image tool list image output too; only image models say so
    # in their name or output nothing else.
    if "image" in outputs and ("text" not in outputs or "image" in mid.lower()):
        return "image"
    if "video" in outputs and "text" not in outputs:
        return "video"
    if outputs and set(outputs) <= {"audio"}:
        return "audio"
    return "text"


def _model(
    model_id: str, mid: str, pid: str, rec: Mapping[str, Any], as_of: dt.date, notes: list[Note]
) -> dict[str, Any]:
    """One models.dev model -> one catalog model table."""
    modalities = found if isinstance(found := rec.get("modalities"), dict) else {}
    inputs = _strings(modalities.get("input"), INPUT_MODALITIES)
    outputs = _strings(modalities.get("output"), OUTPUT_MODALITIES)
    mtype = _type(mid, rec, outputs)
    if mtype == "embedding":
        outputs = ["embedding"]  # models.dev lists an embedding vector as "text" output
    table: dict[str, Any] = {"provider": pid, "type": mtype}
    name = clean_str(rec.get("name"))
    if name:
        table["name"] = name
    limit = found if isinstance(found := rec.get("limit"), dict) else {}
    # 0 means unknown in models.dev (e.g. the gpt-image models).
    for source_key, key in (
        ("context", "context_window"),
        ("input", "max_input_tokens"),
        ("output", "max_output_tokens"),
    ):
        value = positive_int(limit.get(source_key))
        # For embeddings and rerankers limit.output is the vector size or 1, not output tokens.
        if value and not (key == "max_output_tokens" and mtype in ("embedding", "rerank")):
            table[key] = value
    if inputs:
        table["input_modalities"] = inputs
    if outputs:
        table["output_modalities"] = outputs
    capabilities = _capabilities(rec, inputs, outputs, mtype)
    if capabilities:
        table["capabilities"] = capabilities
    raw_cutoff = rec.get("knowledge")
    cutoff = knowledge_cutoff(raw_cutoff)
    if cutoff is None and isinstance(raw_cutoff, str):
        # A day that does not exist (2025-02-31) still names a real month.
        cutoff = knowledge_cutoff(raw_cutoff[:7])
        notes.append(
            note(
                model_id,
                "unreadable knowledge cutoff",
                [repr(raw_cutoff) + (f" kept as {cutoff}" if cutoff else "")],
            )
        )
    if cutoff:
        table["knowledge_cutoff"] = cutoff
    released = iso_date(rec.get("release_date"))
    if released:
        table["release_date"] = released
    table["as_of"] = as_of
    if rec.get("status") == "deprecated":
        table["lifecycle"] = {"note": DEPRECATED}
        notes.append(note(model_id, DEPRECATED))
    prices = _prices(model_id, rec, mtype, notes)
    if prices:
        table["prices"] = prices
    return table


def _capabilities(
    rec: Mapping[str, Any], inputs: list[str], outputs: list[str], mtype: str
) -> list[str]:
    """Capability flags plus what the modalities imply (image input -> vision, ...)."""
    caps = set()
    for field, cap in (
        ("reasoning", "reasoning"),
        ("tool_call", "function_calling"),
        ("structured_output", "structured_outputs"),
    ):
        if rec.get(field) is True:
            caps.add(cap)
    for modality, where, cap in (
        ("image", inputs, "vision"),
        ("pdf", inputs, "pdf_input"),
        ("audio", inputs, "audio_input"),
        ("audio", outputs, "audio_output"),
    ):
        if modality in where:
            caps.add(cap)
    if mtype == "image" and "image" in outputs:
        # an image model's image output (a chat model's is a hosted image tool)
        caps.add("image_generation")
    return sorted(caps)


def _price_set(raw: Mapping[str, Any]) -> tuple[dict[str, Decimal], list[str]]:
    """Known cost keys -> catalog keys; the names of the rest."""
    values: dict[str, Decimal] = {}
    rest: list[str] = []
    for field, value in raw.items():
        price = money(value) if field in COST_KEYS else None
        if price is not None:
            values[COST_KEYS[field]] = price
        elif field not in ("tier", "tiers", "context_over_200k", "reasoning"):
            rest.append(field)
    return values, rest


def _prices(model_id: str, rec: Mapping[str, Any], mtype: str, notes: list[Note]) -> dict[str, Any]:
    """The `prices` table: cost keys, `cost.tiers` (or the legacy over-200k tier), notes."""
    cost = rec.get("cost")
    if not isinstance(cost, dict):
        return {}
    standard, rest = _price_set(cost)
    tiers: dict[int, dict[str, Decimal]] = {}
    raw_tiers = found if isinstance(found := cost.get("tiers"), list) else []
    for raw in raw_tiers:
        tier = raw.get("tier") if isinstance(raw, dict) else None
        size = whole(tier.get("size")) if isinstance(tier, dict) else None
        if not size or tier.get("type", "context") != "context":  # type: ignore[union-attr]
            rest.append(f"tiers[{tier!r}]")
            continue
        values, extra = _price_set(raw)
        tiers.setdefault(size, {}).update(values)
        rest.extend(f"tiers.{field}" for field in extra)
    over = cost.get("context_over_200k")
    if not raw_tiers and isinstance(over, dict):
        values, extra = _price_set(over)
        tiers[OVER_200K] = values
        rest.extend(f"context_over_200k.{field}" for field in extra)
    # models.dev's `reasoning` cost: output in thinking mode (Qwen's thinking-mode output price;
    # where a maker bills thinking as plain output, the output price again). One below the
    # output price is a price of the reasoning tokens alone (Sonar Deep Research's $3 against
    # $8): billing a thinking-mode answer at it would understate, so it is only noted.
    thinking = money(cost.get("reasoning"))
    output = standard.get("output")
    if thinking is not None and (output is None or thinking >= output):
        standard["thinking_output"] = thinking
    elif thinking is not None:
        notes.append(note(model_id, REASONING, [f"reasoning {thinking}"]))
    experimental = rec.get("experimental")
    modes = experimental.get("modes") if isinstance(experimental, dict) else None
    if isinstance(modes, dict):
        priced = [mode for mode, spec in modes.items() if isinstance(spec, dict) and "cost" in spec]
        if priced:
            notes.append(note(model_id, MODES, priced))
    if rest:
        notes.append(note(model_id, OTHER, rest))
    drop_unbilled_output(mtype, standard, *tiers.values())
    drop_unbilled_cache_write(standard, *tiers.values())
    return price_tables(standard, {}, tiers)
