"""Convert the LiteLLM model cost map (USD per token, one flat record per key) to catalog tables."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeGuard

from aicompare.importers import ImportResult, Note, Skip
from aicompare.importers import _litellm_images as images
from aicompare.importers._common import (
    BATCH_TIER,
    CACHE_TTL,
    OTHER,
    PER_MILLION,
    TIME_WINDOW,
    clean_str,
    clock_minutes,
    drop_unbilled_cache_write,
    drop_unbilled_output,
    is_nonzero,
    iso_date,
    money,
    note,
    positive_int,
    price_tables,
    result,
    skip,
    whole,
    windows_text,
    wrong_format,
)
from aicompare.model import ANY, INPUT_MODALITIES, OUTPUT_MODALITIES, TOKEN_PRICE_KEYS

TYPE_BY_MODE = {
    "chat": "text",
    "completion": "text",
    "responses": "text",
    "image_generation": "image",
    "image_edit": "image",
    "embedding": "embedding",
    "audio_transcription": "audio",
    "audio_speech": "audio",
    "realtime": "audio",
    "moderation": "moderation",
    "video_generation": "video",
    "rerank": "rerank",
}
# LiteLLM per-token field -> catalog per-1M-token key.
TOKEN_FIELDS = {
    "input_cost_per_token": "input",
    "cache_read_input_token_cost": "cached_input",
    "cache_creation_input_token_cost": "cache_write",
    "output_cost_per_token": "output",
    "input_cost_per_image_token": "image_input",
    "cache_read_input_image_token_cost": "cached_image_input",
    "output_cost_per_image_token": "image_output",
    "input_cost_per_audio_token": "audio_input",
    "cache_read_input_audio_token_cost": "cached_audio_input",
    "output_cost_per_audio_token": "audio_output",
}
# Fields that repeat another price under a second name; kept only when they add information.
REPEATS = {
    "input_cost_per_token_cache_hit": "cached_input",
    "output_cost_per_reasoning_token": "output",
}
CAPABILITY_FIELDS = {
    "supports_function_calling": "function_calling",
    "supports_vision": "vision",
    "supports_response_schema": "structured_outputs",
    "supports_prompt_caching": "prompt_caching",
    "supports_reasoning": "reasoning",
    "supports_web_search": "web_search",
    "supports_pdf_input": "pdf_input",
    "supports_audio_input": "audio_input",
    "supports_audio_output": "audio_output",
    "supports_parallel_function_calling": "parallel_tool_calls",
    "supports_system_messages": "system_messages",
    "supports_computer_use": "computer_use",
    "supports_native_streaming": "streaming",
}
# Capabilities that a listed modality implies: (modality, side, capability). Image output on a
# chat model is a hosted image tool, so it is not one of them (image modes set image_generation).
IMPLIED_CAPABILITIES = (
    ("image", "input", "vision"),
    ("audio", "input", "audio_input"),
    ("pdf", "input", "pdf_input"),
    ("audio", "output", "audio_output"),
)
IMAGE_MODES = ("image_generation", "image_edit")
# Input-only models: LiteLLM writes output 0 meaning "not billed", which is not "free output".
# Handled by the per-image logic, not as token prices.
IMAGE_FIELDS = (
    "output_cost_per_image",
    "input_cost_per_image",
    "input_cost_per_pixel",
    "output_cost_per_pixel",
)
# <field>[_above_<N>hr][_above_<N>k_tokens][_<variant>]: cache lifetime, long-context tier, tier.
_FIELD = re.compile(
    r"^(?P<field>[A-Za-z0-9_.]+?)(?P<hours>_above_\d+hr)?(?:_above_(?P<k>\d+)k_tokens)?"
    r"(?:_(?P<variant>batches|priority|flex|ultrafast|decisions|balanced))?$"
)
# Dated snapshot ids: <base>-YYYY-MM-DD, <base>-YYYYMMDD, <base>-MMDD, <base>@YYYYMMDD.
SNAPSHOT = re.compile(r"^(?P<base>.+?)(?:-(?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})|@\d{8})$")
# A snapshot folds only when these agree; a different price keeps its own row.
SAME_FOR_SNAPSHOT = ("provider", "type", "prices", "image_prices")
_VERSION = re.compile(r"^v\d+(?:alpha|beta)?\d*$")

SERVICE_TIER = "service-tier prices other than flex and priority not representable"
TIER_LONG = "long-context flex and priority tier prices not representable"
SEARCH_SIZES = "per-request fees by search context size (the high one kept)"
OFF_PEAK_DAYS = "off-peak days (weekends) not representable; the weekday off-peak hours kept"
# Service tiers with a table of their own in the catalog (field suffix -> table).
TIER_TABLES = {"flex": "flex", "priority": "priority"}
PER_QUERY = "per-query/per-request prices not representable"
PER_PIXEL = "per-pixel image prices not converted"
ONE_HOUR = "_above_1hr"  # cache_creation_input_token_cost_above_1hr: the 1-hour cache write
CONTRADICTED = "capability flag contradicted by the record's modality list, not kept"


NAME = "litellm"  # its key in aicompare.importers.REGISTRY


def convert(
    data: object, *, source: str, provider: str | None = None, as_of: dt.date
) -> ImportResult:
    """Convert a parsed LiteLLM cost map; CatalogError when the data is not one."""
    if not _is_cost_map(data):
        raise wrong_format(
            source,
            "a LiteLLM model cost map (object of model key -> {litellm_provider, mode, ...})",
        )
    models: dict[str, dict[str, Any]] = {}
    skipped: list[Skip] = []
    notes: list[Note] = []
    keyed: list[tuple[str, dict[str, Any]]] = []
    seen: set[str] = set()
    for key in sorted(data):
        rec = data[key]
        prov = rec.get("litellm_provider") if isinstance(rec, dict) else None
        if provider is not None and prov != provider:
            continue
        if key == "sample_spec":
            skipped.append(skip(key, "documentation entry, not a model"))
        elif not isinstance(rec, dict):
            skipped.append(skip(key, "not a model record"))
        elif not isinstance(prov, str) or not prov:
            skipped.append(skip(key, "no litellm_provider"))
        elif images.is_keyed(key):
            keyed.append((key, rec))
        elif key.casefold() in seen:
            # catalog ids are case-insensitive; the first spelling in sorted order wins
            skipped.append(skip(key, "duplicate id (differs only in case)"))
        elif (mtype := TYPE_BY_MODE.get(str(rec.get("mode")))) is None:
            mode = rec.get("mode")
            skipped.append(skip(key, f"mode {mode!r} has no catalog type" if mode else "no mode"))
        else:
            seen.add(key.casefold())
            models[key] = _model(key, rec, mtype, as_of, notes)
    images.fold(keyed, models, skipped)
    folded = _fold_snapshots(models, skipped, notes)
    notes = _drop_repeated_notes(notes, folded)
    _successors(data, models, folded, notes)
    for table in models.values():
        if "snapshots" in table:
            table["snapshots"] = sorted(table["snapshots"])
    return result(models, skipped, notes, provider, source)


def _is_cost_map(data: object) -> TypeGuard[dict[str, Any]]:
    """An object whose records carry litellm_provider: tells it apart from the other formats."""
    if not isinstance(data, dict) or not data:
        return False
    return any(isinstance(rec, dict) and "litellm_provider" in rec for rec in data.values())


def _model(
    key: str, rec: Mapping[str, Any], mtype: str, as_of: dt.date, notes: list[Note]
) -> dict[str, Any]:
    """One LiteLLM record -> one catalog model table; what does not fit goes to notes."""
    mode = str(rec.get("mode"))
    table: dict[str, Any] = {"provider": rec["litellm_provider"], "type": mtype}
    # LiteLLM has no separate context field; max_input_tokens is its request window.
    context = positive_int(rec.get("max_input_tokens"))
    if context:
        table["context_window"] = context
    max_output = positive_int(rec.get("max_output_tokens"))
    if max_output:
        table["max_output_tokens"] = max_output
    inputs = _allowed(rec.get("supported_modalities"), INPUT_MODALITIES)
    outputs = _allowed(rec.get("supported_output_modalities"), OUTPUT_MODALITIES)
    if inputs and rec.get("supports_pdf_input") is True and "pdf" not in inputs:
        # LiteLLM's modality lists have no "pdf"; its supports_pdf_input says it
        inputs = sorted([*inputs, "pdf"])
    if not outputs and mode in IMAGE_MODES:
        outputs = ["image"]  # an image generation or edit endpoint answers with images
    endpoints = _endpoints(rec.get("supported_endpoints"))
    prices, lost = _prices(rec, mtype, mode)
    grid = _flat_image(rec, mtype, lost)
    capabilities = _capabilities(rec, mode, endpoints, prices, inputs, outputs)
    for modality, where, cap in IMPLIED_CAPABILITIES:
        listed = inputs if where == "input" else outputs
        if cap in capabilities and listed and modality not in listed:
            # the record's own modality list is the more specific fact
            capabilities.remove(cap)
            notes.append(note(key, CONTRADICTED, [f"{cap} ({where}: {', '.join(listed)})"]))
    for name, values in (
        ("input_modalities", inputs),
        ("output_modalities", outputs),
        ("capabilities", capabilities),
        ("endpoints", endpoints),
    ):
        if values:
            table[name] = values
    url = clean_str(rec.get("source"))
    if url:
        table["source_url"] = url
    table["as_of"] = as_of
    if "deprecation_date" in rec:
        shutdown = iso_date(rec["deprecation_date"])
        if shutdown is not None:
            # LiteLLM's deprecation_date is the day the model stops working.
            table["lifecycle"] = {"shutdown_date": shutdown}
        else:
            notes.append(note(key, "unreadable deprecation_date", [repr(rec["deprecation_date"])]))
    if prices:
        table["prices"] = prices
    if grid:
        table["image_prices"] = grid
    notes.extend(note(key, kind, fields) for kind, fields in lost.items() if fields)
    return table


def _allowed(values: object, allowed: tuple[str, ...]) -> list[str]:
    """The values the catalog knows, sorted (LiteLLM also lists e.g. "code" output)."""
    if not isinstance(values, list):
        return []
    return sorted({v for v in values if isinstance(v, str) and v in allowed})


def _endpoints(values: object) -> list[str]:
    """'/v1/chat/completions' -> 'chat_completions': version segment dropped, '/' -> '_'."""
    out: set[str] = set()
    for path in values if isinstance(values, list) else []:
        if not isinstance(path, str):
            continue
        parts = [part for part in path.split("/") if part]
        if parts and _VERSION.match(parts[0]):
            parts = parts[1:]
        if parts:
            out.add("_".join(parts))
    return sorted(out)


def _capabilities(
    rec: Mapping[str, Any],
    mode: str,
    endpoints: list[str],
    prices: Mapping[str, Any],
    inputs: list[str],
    outputs: list[str],
) -> list[str]:
    """supports_* flags plus what the mode, endpoints, batch prices and modalities imply."""
    caps = {cap for field, cap in CAPABILITY_FIELDS.items() if rec.get(field) is True}
    # the capability a listed modality states (as the models.dev importer reads them)
    for modality, where, cap in IMPLIED_CAPABILITIES:
        if modality in (inputs if where == "input" else outputs):
            caps.add(cap)
    if "batch" in prices or "batch" in endpoints:
        caps.add("batch")
    if mode == "image_generation" or "images_generations" in endpoints:
        caps.add("image_generation")
    if mode == "image_edit" or "images_edits" in endpoints:
        caps.add("image_editing")
    if mode == "realtime" or "realtime" in endpoints:
        caps.add("realtime")
    return sorted(caps)


def _unit_field(field: str, mtype: str, mode: str) -> tuple[str, Decimal] | None:
    """Non-token prices the catalog has a key for: (key, factor to its unit)."""
    if field == "input_cost_per_character":
        return "input_per_1m_characters", PER_MILLION
    if field == "input_cost_per_second" and mode == "audio_transcription":
        return "audio_input_per_minute", Decimal(60)
    if field in ("output_cost_per_second", "output_cost_per_video_per_second") and mtype == "video":
        return "video_output_per_second", Decimal(1)
    return None


def _lost_kind(field: str) -> str:
    """The notes kind of a price field the catalog cannot hold."""
    if field == "off_peak_pricing":
        return TIME_WINDOW
    if any(part in field for part in ("per_query", "per_request", "per_1k_calls", "per_session")):
        return PER_QUERY
    return OTHER


def _prices(
    rec: Mapping[str, Any], mtype: str, mode: str
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The `prices` table of one record, and the price fields it could not hold, by kind."""
    standard: dict[str, Decimal] = {}
    batch: dict[str, Decimal] = {}
    tables: dict[str, dict[str, Any]] = {"flex": {}, "priority": {}, "off_peak": {}}
    tiers: dict[int, dict[str, Decimal]] = defaultdict(dict)
    lost: dict[str, list[str]] = defaultdict(list)
    repeats: dict[str, Decimal | None] = {}
    for field, raw in rec.items():
        if ("cost" not in field and not field.endswith("_pricing")) or field in IMAGE_FIELDS:
            continue
        if field == "tiered_pricing":
            _tiered(raw, standard, tiers, lost)
            continue
        if field in PER_REQUEST_FIELDS:
            if not _per_request(rec, field, raw, standard, lost):
                lost[_lost_kind(field)].append(field)
            continue
        if field == "off_peak_pricing" and _off_peak(raw, tables["off_peak"], lost):
            continue
        if field in REPEATS:
            repeats[field] = money(raw, PER_MILLION)
            continue
        match = _FIELD.match(field)
        base = match.group("field") if match else field
        unit = (
            (TOKEN_FIELDS[base], PER_MILLION)
            if base in TOKEN_FIELDS
            else _unit_field(base, mtype, mode)
        )
        value = money(raw, unit[1]) if unit else None
        if match is None or unit is None or value is None:
            if is_nonzero(raw):
                lost[_lost_kind(field)].append(field)
            continue
        key, (hours, k, variant) = unit[0], match.group("hours", "k", "variant")
        if hours == ONE_HOUR and key == "cache_write":
            key = "cache_write_1h"  # the 1-hour cache write; the plain field is the 5-minute one
        elif hours:
            lost[CACHE_TTL].append(field)
            continue
        if variant == "batches":
            if k:
                lost[BATCH_TIER].append(field)
            else:
                batch[key] = value
        elif variant in TIER_TABLES:
            if k:
                lost[TIER_LONG].append(field)
            else:
                tables[TIER_TABLES[variant]][key] = value
        elif variant:
            lost[SERVICE_TIER].append(field)
        elif k:
            if key in TOKEN_PRICE_KEYS:
                tiers[int(k) * 1000][key] = value
            else:
                lost[OTHER].append(field)
        else:
            standard[key] = value
    for field, value in sorted(repeats.items()):
        target = REPEATS[field]
        if value is not None and target not in standard and field.endswith("_cache_hit"):
            standard[target] = value
        elif (value is None or standard.get(target) != value) and is_nonzero(rec[field]):
            lost[OTHER].append(field)
    if standard.get("input") == 0 and lost.get(PER_QUERY):
        # Billed per query (rerankers): the 0 per-token input is a placeholder, not "free".
        del standard["input"]
    drop_unbilled_output(mtype, standard, batch, *tiers.values(), *tables.values())
    drop_unbilled_cache_write(standard, batch, *tiers.values(), *tables.values())
    return price_tables(standard, batch, tiers, tables), lost


# Fields of fees that are not per token: a search context's price per query (Perplexity's Sonar
# bills it on every request; elsewhere it is the web-search tool's price per call), and a
# plain fee per request.
PER_REQUEST_FIELDS = ("search_context_cost_per_query", "input_cost_per_request")
_THOUSAND = Decimal(1000)


def _per_request(
    rec: Mapping[str, Any],
    field: str,
    raw: object,
    standard: dict[str, Decimal],
    lost: dict[str, list[str]],
) -> bool:
    """A fee per query or request as `request_per_1k` or `web_search_per_1k` (USD per 1,000);
    False when it is not one the catalog can hold."""
    if field == "input_cost_per_request":
        value = money(raw, _THOUSAND)
        if value:
            standard["request_per_1k"] = value
        return value is not None
    if not isinstance(raw, dict):
        return False
    sizes = [money(raw.get(f"search_context_size_{name}"), _THOUSAND) for name in SIZES]
    if any(value is None for value in sizes):
        return False
    distinct = sorted({value for value in sizes if value is not None})
    if distinct == [0]:
        return True  # no fee
    if len(distinct) == 1:
        # one price per query whatever the context: the web-search tool's (or Sonar Deep
        # Research's search queries)
        standard["web_search_per_1k"] = distinct[0]
        return True
    if rec.get("litellm_provider") != "perplexity":
        return False  # a search price by context size: not one price per call
    # Perplexity's Sonar bills every request by its search context: the high one, the most a
    # request pays (genai-prices' request fee is the same figure)
    standard["request_per_1k"] = distinct[-1]
    lost[SEARCH_SIZES].append(", ".join(f"{name} {value}" for name, value in zip(SIZES, sizes)))
    return True


SIZES = ("low", "medium", "high")


def _off_peak(raw: object, table: dict[str, Any], lost: dict[str, list[str]]) -> bool:
    """`off_peak_pricing` {<token prices>, windows: [{hours_utc, weekdays}]} -> the off-peak
    table with its UTC hours (the weekday windows; a whole-day window is a weekend rule)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("windows"), list):
        return False
    spans: list[tuple[int, int]] = []
    whole_days = False
    for window in raw["windows"]:
        hours = window.get("hours_utc") if isinstance(window, dict) else None
        for text in [hours] if isinstance(hours, str) else hours if isinstance(hours, list) else []:
            start, _, end = str(text).partition("-")
            first, last = clock_minutes(start), clock_minutes(end)
            if first is None or last is None:
                return False
            if first == last:
                whole_days = True
            else:
                spans.append((first, last))
    hours_text = windows_text(spans)
    prices = {
        TOKEN_FIELDS[name]: money(value, PER_MILLION)
        for name, value in raw.items()
        if name in TOKEN_FIELDS
    }
    if hours_text is None or not prices or any(v is None for v in prices.values()):
        return False
    table.update({key: value for key, value in prices.items() if value is not None})
    table["hours"] = hours_text
    if whole_days:
        lost[OFF_PEAK_DAYS].append("off_peak_pricing.windows")
    return True


def _tiered(
    raw: object,
    standard: dict[str, Decimal],
    tiers: dict[int, dict[str, Decimal]],
    lost: dict[str, list[str]],
) -> None:
    """`tiered_pricing` [{range: [lo, hi], <per-token fields>}]: lo 0 is the base price."""
    items = raw if isinstance(raw, list) else []
    if not items or not all(isinstance(item, dict) for item in items):
        lost[OTHER].append("tiered_pricing")
        return
    for item in items:
        bounds = item.get("range")
        low = whole(bounds[0]) if isinstance(bounds, list) and bounds else None
        if low is None:
            # search tools tier by result count (max_results_range), not by prompt size
            lost[PER_QUERY if "max_results_range" in item else OTHER].append("tiered_pricing")
            continue
        for field, price in item.items():
            if field == "range":
                continue
            value = money(price, PER_MILLION) if field in TOKEN_FIELDS else None
            if value is None:
                if is_nonzero(price):
                    lost[OTHER].append(f"tiered_pricing.{field}")
                continue
            key = TOKEN_FIELDS[field]
            if low > 0:
                tiers[low][key] = value
            elif standard.setdefault(key, value) != value:
                lost[OTHER].append(f"tiered_pricing.{field}")


def _flat_image(
    rec: Mapping[str, Any], mtype: str, lost: dict[str, list[str]]
) -> dict[str, dict[str, Decimal]]:
    """A flat per-image price as the `any`/`any` cell; per-pixel and per-input-image go to notes."""
    grid: dict[str, dict[str, Decimal]] = {}
    output = money(rec.get("output_cost_per_image"))
    given = money(rec.get("input_cost_per_image"))
    if output is not None:
        grid = {ANY: {ANY: output}}
    elif mtype == "image" and given:
        # LiteLLM stores some generation prices (gpt-image, grok-imagine) in input_cost_per_image.
        grid = {ANY: {ANY: given}}
        given = None
    if given:
        lost[OTHER].append("input_cost_per_image")
    for field in ("input_cost_per_pixel", "output_cost_per_pixel"):
        if is_nonzero(rec.get(field)):
            lost[PER_PIXEL].append(field)
    return grid


def _fold_snapshots(
    models: dict[str, dict[str, Any]], skipped: list[Skip], notes: list[Note]
) -> dict[str, str]:
    """Fold dated ids into their base when provider, type and every price agree; snapshot->base."""
    folded: dict[str, str] = {}
    for key in sorted(models):
        match = SNAPSHOT.match(key)
        base = match.group("base") if match else None
        if base is None or base not in models or key not in models:
            continue
        snap, target = models[key], models[base]
        if any(snap.get(f) != target.get(f) for f in SAME_FOR_SNAPSHOT):
            continue
        target.setdefault("snapshots", []).append(key)
        if snap.get("lifecycle") != target.get("lifecycle"):
            shutdown = (snap.get("lifecycle") or {}).get("shutdown_date")
            notes.append(
                note(
                    key,
                    "snapshot folded; its own lifecycle is not kept",
                    [
                        f"into {base}",
                        f"shutdown_date {shutdown}" if shutdown else "no shutdown_date",
                    ],
                )
            )
        for name in snap.get("snapshots", []):
            target["snapshots"].append(name)
            folded[name] = base
        del models[key]
        folded[key] = base
        skipped.append(
            skip(key, f"snapshot folded into {base}", "snapshot folded into its base model")
        )
    return folded


def _drop_repeated_notes(notes: list[Note], folded: Mapping[str, str]) -> list[Note]:
    """A folded snapshot's note that its base carries word for word says nothing new."""
    held = set(notes)
    return [
        n
        for n in notes
        if (base := folded.get(n.subject)) is None or Note(base, n.kind, n.details) not in held
    ]


def _successors(
    data: Mapping[str, Any],
    models: dict[str, dict[str, Any]],
    folded: Mapping[str, str],
    notes: list[Note],
) -> None:
    """metadata.successor -> lifecycle.superseded_by, only when the successor was imported."""
    for key, rec in data.items():
        meta = rec.get("metadata") if isinstance(rec, dict) else None
        successor = meta.get("successor") if isinstance(meta, dict) else None
        holder = key if key in models else folded.get(key)
        if not isinstance(successor, str) or holder is None:
            continue
        target = successor if successor in models else folded.get(successor)
        if target is None:
            notes.append(note(holder, "successor not in this import", [successor]))
        elif target != holder:
            models[holder].setdefault("lifecycle", {})["superseded_by"] = target
