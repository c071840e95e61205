"""LiteLLM proxy spend logs: the JSON `/spend/logs` returns and a CSV of the same columns.

One row of `LiteLLM_SpendLogs` is one request: `model` (kept raw, `bedrock/...` and `azure/...`
included), `custom_llm_provider` (the seller), `prompt_tokens`, `completion_tokens`, `spend`
(USD LiteLLM computed: `recorded_cost`), `startTime`, `api_key` (hashed), `team_id`, `user`,
`cache_hit` and `metadata` (a JSON object, or its text in a CSV).

Cached tokens: LiteLLM's `prompt_tokens` is cache-inclusive - its Anthropic transformation adds
`cache_read_input_tokens` and `cache_creation_input_tokens` to it - so both are subtracted. They
come from `metadata.usage_object` or `metadata.additional_usage_values`
(`cache_read_input_tokens`, else `prompt_tokens_details.cached_tokens`; `cache_creation_input_tokens`,
with `cache_creation.ephemeral_1h_input_tokens` split out). Where prompt_tokens is smaller than
reads + writes (older LiteLLM added only the reads) the writes are taken as separate.

A row LiteLLM answered from its own response cache (`cache_hit` true) cost the provider nothing:
it is skipped and counted. Accepted files: a JSON array (streamed), JSON lines, a `/spend/logs/v2`
page (`{"data": [...]}`), or CSV with a header row.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any

from aicompare.usage.readers._common import (
    PutBack,
    Record,
    TextSource,
    as_dict,
    count,
    fail,
    iso_time,
    iter_documents,
    loads,
    money,
    skip_blank,
    text_or_none,
)
from aicompare.usage.rows import UsageRow

OWN_CACHE = "LiteLLM rows served from its own cache (no provider charge)"


def read(stream: TextSource, name: str, skip: Callable[[str], None]) -> Iterator[Record]:
    first = skip_blank(stream)
    if first not in ("[", "{"):
        yield from read_csv(PutBack(first, stream), name, skip)
        return
    for where, document in iter_documents(PutBack(first, stream), name):
        if isinstance(document, dict) and isinstance(document.get("data"), list):
            rows = [(f"{where} record {i}", row) for i, row in enumerate(document["data"], 1)]
        else:
            rows = [(where, document)]
        for at, row in rows:
            record = _row(as_dict(row, at, "the spend log row"), at)
            if record is None:
                skip(OWN_CACHE)
            else:
                yield record


def read_csv(stream: TextSource, name: str, skip: Callable[[str], None]) -> Iterator[Record]:
    reader = csv.DictReader(stream)
    try:
        header = reader.fieldnames
        if not header or "model" not in header:
            raise fail(f"{name}:1", "is not a LiteLLM spend log header (no model column)")
        for row in reader:
            at = f"{name}:{reader.line_num}"
            if None in row:
                raise fail(at, "has more cells than the header")
            if None in row.values():
                raise fail(at, "has fewer cells than the header")
            record = _row(row, at)
            if record is None:
                skip(OWN_CACHE)
            else:
                yield record
    except csv.Error as exc:
        raise fail(f"{name}:{reader.line_num}", f"is not valid CSV ({exc})") from None


def _usage_details(metadata: dict[str, Any], at: str) -> tuple[int, int, int]:
    """(cache reads, 5-minute writes, 1-hour writes) from the row's metadata."""
    for key in ("usage_object", "additional_usage_values"):
        usage = metadata.get(key)
        if not isinstance(usage, dict):
            continue
        reads = usage.get("cache_read_input_tokens")
        if reads is None:
            details = usage.get("prompt_tokens_details")
            reads = details.get("cached_tokens") if isinstance(details, dict) else None
        writes = count(
            usage.get("cache_creation_input_tokens"),
            at,
            f"metadata.{key}.cache_creation_input_tokens",
        )
        split = usage.get("cache_creation_token_details") or usage.get("cache_creation")
        hour = 0
        if isinstance(split, dict):
            hour = count(
                split.get("ephemeral_1h_input_tokens"), at, f"metadata.{key} 1h cache writes"
            )
            if hour > writes:
                raise fail(
                    at, f"1h cache writes ({hour}) exceed cache_creation_input_tokens ({writes})"
                )
        read_count = count(reads, at, f"metadata.{key}.cache_read_input_tokens")
        if read_count or writes:
            return read_count, writes - hour, hour
    return 0, 0, 0


def _row(row: dict[str, Any], at: str) -> UsageRow | None:
    model = text_or_none(row.get("model"), at, "model")
    if model is None:
        raise fail(at, "has no model")
    hit = row.get("cache_hit")
    if hit is True or (isinstance(hit, str) and hit.strip().lower() == "true"):
        return None
    metadata: Any = row.get("metadata")
    if isinstance(metadata, str):
        metadata = loads(metadata, f"{at} metadata") if metadata.strip() else {}
    if metadata is None:
        metadata = {}
    metadata = as_dict(metadata, at, "metadata")
    reads, writes, writes_1h = _usage_details(metadata, at)
    prompt = count(row.get("prompt_tokens"), at, "prompt_tokens")
    if prompt >= reads + writes + writes_1h:
        uncached = prompt - reads - writes - writes_1h
    elif prompt >= reads:
        uncached = prompt - reads  # older LiteLLM: cache writes not in prompt_tokens
    else:
        raise fail(
            at, f"prompt_tokens ({prompt}) is less than the cached tokens in its metadata ({reads})"
        )
    spend = row.get("spend")
    start = row.get("startTime")
    return UsageRow(
        model=model,
        seller=text_or_none(row.get("custom_llm_provider"), at, "custom_llm_provider"),
        time=None if start in (None, "") else iso_time(start, at, "startTime"),
        requests=1,
        input_tokens=uncached,
        cached_input_tokens=reads,
        cache_write_tokens=writes,
        cache_write_1h_tokens=writes_1h,
        output_tokens=count(row.get("completion_tokens"), at, "completion_tokens"),
        prompt_tokens=uncached + reads + writes + writes_1h,
        project=text_or_none(row.get("team_id"), at, "team_id"),
        key=text_or_none(row.get("api_key"), at, "api_key")
        or text_or_none(row.get("user"), at, "user"),
        recorded_cost=None if spend in (None, "") else money(spend, at, "spend"),
        source=at,
    )
