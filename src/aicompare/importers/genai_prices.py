"""Convert genai-prices v2 data (providers[].models[], USD per 1M tokens) to catalog tables."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeGuard

from aicompare.importers import ImportResult, Note, Skip
from aicompare.importers._common import (
    CACHE_TTL,
    OTHER,
    TIME_WINDOW,
    clean_str,
    clock_minutes,
    complement,
    drop_unbilled_cache_write,
    drop_unbilled_output,
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
from aicompare.model import TOKEN_PRICE_KEYS

# genai-prices key -> catalog key, both USD per 1M tokens.
MTOK_KEYS = {
    "input_mtok": "input",
    "output_mtok": "output",
    "cache_read_mtok": "cached_input",
    "cache_write_mtok": "cache_write",
    "cache_write_1h_mtok": "cache_write_1h",
    "input_audio_mtok": "audio_input",
    "output_audio_mtok": "audio_output",
    "input_image_mtok": "image_input",
    "output_image_mtok": "image_output",
    "cache_image_read_mtok": "cached_image_input",
    "cache_audio_read_mtok": "cached_audio_input",
}
# Unit prices the catalog has a key for: key -> (catalog key, divisor to the catalog unit).
UNIT_KEYS = {
    "input_mchars": ("input_per_1m_characters", 1),
    "input_audio_hours": ("audio_input_per_minute", 60),
    "requests_kcount": ("request_per_1k", 1),
    "web_searches_kcount": ("web_search_per_1k", 1),
}
IMAGE_KEYS = ("input_image_mtok", "output_image_mtok", "cache_image_read_mtok")
AUDIO_ONLY_KEYS = ("audio_hours", "input_audio_hours", "input_mchars")
# Request variants with a price table of their own in the catalog: `when` -> table.
VARIANT_TABLES: dict[tuple[tuple[str, str], ...], str] = {
    (("processing", "batch"),): "batch",
    (("service_tier", "flex"),): "flex",
    (("service_tier", "priority"),): "priority",
}
DEFAULT_TIER = {"service_tier": "default"}  # the standard prices, under another name
# A dated name: gpt-4o-2024-08-06, claude-3-5-sonnet-20240620, gpt-4-0613.
DATED = re.compile(r"[-@](?:\d{4}-\d{2}-\d{2}|\d{8}|\d{4})$")

PER_UNIT = "per-request/per-search prices not representable"
WINDOW = f"{TIME_WINDOW}; the base prices are used"
VARIANT_TIERS = "long-context tier prices of batch, flex or priority not representable"
LATER = "price change after as_of not applied"
VARIANTS = "request-variant prices (fast service tier, speed, route, ...) not representable"
DEPRECATED = "deprecated in genai-prices (no date given)"
TYPE = "type inferred"
NAME_TAKEN = "match name already used by another model, dropped"


NAME = "genai-prices"  # its key in aicompare.importers.REGISTRY


def convert(
    data: object, *, source: str, provider: str | None = None, as_of: dt.date
) -> ImportResult:
    """Convert parsed genai-prices v2 data; CatalogError when it is not that format."""
    if not _is_price_data(data):
        raise wrong_format(source, "genai-prices v2 data (a JSON array of providers with models)")
    models: dict[str, dict[str, Any]] = {}
    skipped: list[Skip] = []
    notes: list[Note] = []
    claimed: set[str] = set()
    picked: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    # Provider and model order matter: the first model of a name wins, as in genai-prices.
    for prov in data:
        pid = str(prov["id"])
        if provider is not None and pid != provider:
            continue
        for rec in prov["models"]:
            mid = clean_str(rec.get("id")) if isinstance(rec, dict) else None
            if mid is None:
                skipped.append(skip(f"{pid}/?", "model without an id"))
                continue
            # Without a provider filter several providers price the same model id.
            model_id = mid if provider is not None else f"{pid}/{mid}"
            if model_id.casefold() in claimed:
                skipped.append(skip(model_id, "duplicate id; the first model of that id wins"))
                continue
            claimed.add(model_id.casefold())
            picked.append((model_id, prov, rec))
    for model_id, prov, rec in picked:
        table = _model(model_id, prov, rec, as_of, notes)
        prefix = "" if provider is not None else f"{prov['id']}/"
        for name in _equals(rec.get("match")):
            full = prefix + name
            if name.casefold() == str(rec["id"]).casefold():
                continue
            if full.casefold() in claimed:
                notes.append(note(model_id, NAME_TAKEN, [full]))
                continue
            claimed.add(full.casefold())
            table.setdefault("snapshots" if DATED.search(name) else "aliases", []).append(full)
        for key in ("aliases", "snapshots"):
            if key in table:
                table[key] = sorted(table[key])
        models[model_id] = table
    return result(models, skipped, notes, provider, source)


def _is_price_data(data: object) -> TypeGuard[list[dict[str, Any]]]:
    """A non-empty array of provider objects, each with an id and a models array."""
    return (
        isinstance(data, list)
        and bool(data)
        and all(
            isinstance(p, dict)
            and isinstance(p.get("id"), str)
            and isinstance(p.get("models"), list)
            for p in data
        )
    )


def _equals(clause: object) -> list[str]:
    """Names a match clause accepts exactly: `equals`, also inside `or` (not `and`/patterns)."""
    if not isinstance(clause, dict):
        return []
    if isinstance(clause.get("equals"), str):
        return [clause["equals"]]
    if isinstance(clause.get("or"), list):
        return [name for sub in clause["or"] for name in _equals(sub)]
    return []


def _model(
    model_id: str,
    prov: Mapping[str, Any],
    rec: Mapping[str, Any],
    as_of: dt.date,
    notes: list[Note],
) -> dict[str, Any]:
    """One genai-prices model -> one catalog model table."""
    chosen, off_peak = _choose(model_id, rec.get("prices"), as_of, notes)
    standard, tiers, lost = _price_set(chosen)
    mtype, why = _type(str(rec["id"]), chosen)
    table: dict[str, Any] = {"provider": str(prov["id"]), "type": mtype}
    if why:
        notes.append(note(model_id, TYPE, [f"{mtype}: {why}"]))
    for key in ("name", "description"):
        value = clean_str(rec.get(key))
        if value:
            table[key] = value
    context = positive_int(rec.get("context_window"))
    if context:
        table["context_window"] = context
    comments = clean_str(rec.get("price_comments"))
    if comments:
        table["notes"] = comments
    urls = prov.get("pricing_urls")
    if isinstance(urls, list) and urls and clean_str(urls[0]):
        table["source_url"] = clean_str(urls[0])
    table["as_of"] = as_of
    if rec.get("deprecated") is True:
        table["lifecycle"] = {"note": DEPRECATED}
        notes.append(note(model_id, DEPRECATED))
    variants = _variants(model_id, rec.get("price_variants"), as_of, notes)
    batch = variants.pop("batch", {})
    if batch:
        table["capabilities"] = ["batch"]
    if off_peak:
        variants["off_peak"] = off_peak
    drop_unbilled_output(mtype, standard, batch, *tiers.values(), *variants.values())
    drop_unbilled_cache_write(standard, batch, *tiers.values(), *variants.values())
    kinds: dict[str, list[str]] = {}
    for field in lost:
        kind = (
            PER_UNIT
            if field.endswith("_kcount")
            else CACHE_TTL
            if field.startswith("cache_write_")
            else OTHER
        )
        kinds.setdefault(kind, []).append(field)
    notes.extend(note(model_id, kind, fields) for kind, fields in kinds.items())
    prices = price_tables(standard, batch, tiers, variants)
    if prices:
        table["prices"] = prices
    return table


def price_history(
    rec: Mapping[str, Any], prov: Mapping[str, Any], as_of: dt.date
) -> list[tuple[dt.date | None, dict[str, Any]]]:
    """A model's dated prices as periods: [(start, catalog prices table)], the first starting
    None (before every date), each later one on a `constraint.start_date` of its `prices` list,
    in increasing order; [] when the record has no dated prices (one period).

    A period's prices are what `convert` gives on its last day (the day before the next one
    starts; the last period on `as_of`, or its start when that is later): its standard prices,
    long-context tiers, off-peak hours, and the batch, flex and priority variants in force then.
    genai-prices dates a variant from when it was verified rather than from a price change, so
    variant dates are no period boundaries. Consecutive periods with the same prices are one."""
    raw = rec.get("prices")
    if not isinstance(raw, list):
        return []
    starts = sorted(
        {
            day
            for entry in raw
            if isinstance(entry, dict)
            and not _is_window(entry.get("constraint"))
            and isinstance(entry.get("constraint"), dict)
            and (day := iso_date(entry["constraint"].get("start_date"))) is not None
        }
    )
    bounds: list[dt.date | None] = [None, *starts]
    periods: list[tuple[dt.date | None, dict[str, Any]]] = []
    model_id = str(rec.get("id"))
    for i, start in enumerate(bounds):
        if i + 1 < len(bounds):
            nxt = bounds[i + 1]
            assert nxt is not None
            on = nxt - dt.timedelta(days=1)
        else:
            on = as_of if start is None or start < as_of else start
        prices = _model(model_id, prov, rec, on, []).get("prices", {})
        if periods and periods[-1][1] == prices:
            continue
        periods.append((start, prices))
    return periods if len(periods) > 1 else []


def _active(constraint: object, as_of: dt.date) -> bool:
    """No constraint, or a start_date on or before as_of; anything else is not active."""
    if constraint is None:
        return True
    if not isinstance(constraint, dict) or set(constraint) != {"start_date"}:
        return False
    start = iso_date(constraint["start_date"])
    return start is not None and start <= as_of


def _is_window(constraint: object) -> bool:
    """A daily UTC time window (start_time/end_time), e.g. off-peak prices."""
    return isinstance(constraint, dict) and ("start_time" in constraint or "end_time" in constraint)


def _choose(
    model_id: str, prices: object, as_of: dt.date, notes: list[Note]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the price object in force on as_of, its off-peak table or {}): the last active entry
    wins, none active -> the first. Daily UTC windows (DeepSeek) price some hours of the day
    apart: the dearer prices are the standard ones and the cheaper an off-peak table with the
    hours they apply, whichever of the two the windows hold."""
    if isinstance(prices, dict):
        return prices, {}
    entries = (
        [e for e in prices if isinstance(e, dict) and isinstance(e.get("prices"), dict)]
        if isinstance(prices, list)
        else []
    )
    windows = [e for e in entries if _is_window(e.get("constraint"))]
    dated = [e for e in entries if not _is_window(e.get("constraint"))]
    active = [e for e in dated if _active(e.get("constraint"), as_of)]
    later = [
        str(e["constraint"].get("start_date"))
        for e in dated
        if e not in active and isinstance(e.get("constraint"), dict)
    ]
    if later and active:
        notes.append(note(model_id, LATER, [f"from {day}" for day in later]))
    chosen = active[-1] if active else (dated[0] if dated else None)
    base = dict(chosen["prices"]) if chosen else {}
    if windows:
        split = _off_peak(base, windows)
        if split is not None:
            return split
        spans = [
            f"{e['constraint'].get('start_time')}-{e['constraint'].get('end_time')} "
            + " ".join(f"{k}={v}" for k, v in sorted(e["prices"].items()))
            for e in windows
        ]
        notes.append(note(model_id, WINDOW, spans))
    return base, {}


def _off_peak(
    base: dict[str, Any], windows: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(standard prices, off-peak table with its hours) from the base prices and the windows
    that price some hours apart, all alike; None when they are not one such split."""
    inside = windows[0]["prices"]
    spans: list[tuple[int, int]] = []
    for entry in windows:
        start = clock_minutes(entry["constraint"].get("start_time"))
        end = clock_minutes(entry["constraint"].get("end_time"))
        if start is None or end is None or start == end or entry["prices"] != inside:
            return None
        spans.append((start, end))
    keys = set(base) & set(inside)
    if not keys or set(base) != set(inside) or any(isinstance(base[k], dict) for k in keys):
        return None
    if all(_num(inside[k]) <= _num(base[k]) for k in keys):
        cheap, dear, hours = inside, base, windows_text(spans)
    elif all(_num(inside[k]) >= _num(base[k]) for k in keys):
        cheap, dear, hours = base, inside, windows_text(complement(spans))
    else:
        return None
    if hours is None:
        return None
    off_peak: dict[str, Any] = {"hours": hours}
    for field, raw in cheap.items():
        key = MTOK_KEYS.get(field)
        price = money(raw) if key else None
        if key is None or price is None:
            return None
        off_peak[key] = price
    return dict(dear), off_peak


def _num(value: object) -> Decimal:
    return (
        Decimal(value)
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool)
        else Decimal(-1)
    )


def _value(raw: object, divisor: int) -> tuple[Decimal | None, list[tuple[int, Decimal]]]:
    """A price or {base, tiers: [{start, price}]} -> (base, [(start, price)]); None if unusable."""
    if not isinstance(raw, dict):
        return money(raw, 1, divisor), []
    base = money(raw.get("base"), 1, divisor)
    steps: list[tuple[int, Decimal]] = []
    for tier in found if isinstance(found := raw.get("tiers"), list) else []:
        start = whole(tier.get("start")) if isinstance(tier, dict) else None
        price = money(tier.get("price"), 1, divisor) if isinstance(tier, dict) else None
        if not start or price is None:
            return None, []
        steps.append((start, price))
    return base, steps


def _price_set(
    prices: Mapping[str, Any],
) -> tuple[dict[str, Decimal], dict[int, dict[str, Decimal]], list[str]]:
    """Standard prices, tiers by start (the cliff rule, as in the catalog), unconverted keys."""
    standard: dict[str, Decimal] = {}
    tiers: dict[int, dict[str, Decimal]] = {}
    lost: list[str] = []
    for field, raw in prices.items():
        key, divisor = (
            (MTOK_KEYS[field], 1) if field in MTOK_KEYS else UNIT_KEYS.get(field, (None, 1))
        )
        base, steps = _value(raw, divisor) if key else (None, [])
        if key is None or base is None or (steps and key not in TOKEN_PRICE_KEYS):
            lost.append(field)
            continue
        standard[key] = base
        for start, price in steps:
            tiers.setdefault(start, {})[key] = price
    return standard, tiers, lost


def _variants(
    model_id: str, variants: object, as_of: dt.date, notes: list[Note]
) -> dict[str, dict[str, Decimal]]:
    """Batch, flex and priority tables from `price_variants` (when {processing: batch},
    {service_tier: flex|priority}); per table and key the first active match wins."""
    tables: dict[str, dict[str, Decimal]] = {}
    other: list[str] = []
    tiered: list[str] = []
    for variant in variants if isinstance(variants, list) else []:
        if not isinstance(variant, dict) or not isinstance(variant.get("prices"), dict):
            continue
        when = variant.get("when")
        name = VARIANT_TABLES.get(tuple(sorted(when.items()))) if isinstance(when, dict) else None
        if name is None:
            if variant["prices"] and isinstance(when, dict) and when != DEFAULT_TIER:
                other.extend(f"{k}={v}" for k, v in when.items())
            continue
        if not _active(variant.get("constraint"), as_of):
            start = (variant.get("constraint") or {}).get("start_date")
            notes.append(note(model_id, LATER, [f"{name} prices from {start}"]))
            continue
        table = tables.setdefault(name, {})
        for field, raw in variant["prices"].items():
            key = MTOK_KEYS.get(field) or UNIT_KEYS.get(field, (None, 1))[0]
            divisor = UNIT_KEYS[field][1] if field in UNIT_KEYS else 1
            base, steps = _value(raw, divisor) if key else (None, [])
            if key is None or base is None:
                other.append(f"{name} {field}")
                continue
            if steps:
                tiered.append(f"{name} {field}")
            table.setdefault(key, base)
    if tiered:
        notes.append(note(model_id, VARIANT_TIERS, tiered))
    if other:
        notes.append(note(model_id, VARIANTS, other))
    return {name: table for name, table in tables.items() if table}


def _type(mid: str, prices: Mapping[str, Any]) -> tuple[str, str | None]:
    """genai-prices has no type: text, unless the prices or the name say otherwise (and why)."""
    keys = set(prices)
    name = mid.lower()
    if "output_image_mtok" in keys and ("output_mtok" not in keys or "image" in name):
        return "image", "image output prices"
    if "image" in name and keys & set(IMAGE_KEYS):
        return "image", "an image model name with image-token prices"
    if "embed" in name:
        return "embedding", "an embedding model name"
    if "rerank" in name:
        return "rerank", "a reranker name"
    if keys and keys & set(AUDIO_ONLY_KEYS) and not keys & {"input_mtok", "output_mtok"}:
        return "audio", "only audio-length or character prices"
    return "text", None
