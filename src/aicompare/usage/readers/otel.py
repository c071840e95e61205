"""OpenTelemetry GenAI spans as OTLP JSON (ExportTraceServiceRequest), or JSON lines of them.

`resourceSpans[].scopeSpans[].spans[]`, each span's `attributes` a list of
`{"key": ..., "value": {"stringValue"|"intValue"|"doubleValue"|"boolValue": ...}}` (`intValue` is
a string in OTLP JSON, as int64 is in proto3 JSON mapping), and `startTimeUnixNano`.

- model: `gen_ai.response.model`, else `gen_ai.request.model`;
- seller: `gen_ai.provider.name`, else the older `gen_ai.system`;
- `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`,
  `gen_ai.usage.cache_read.input_tokens`, `gen_ai.usage.cache_creation.input_tokens` (and the
  older `gen_ai.usage.cache_read_input_tokens` / `cache_creation_input_tokens` spellings).

Cached tokens: the semantic conventions say `gen_ai.usage.input_tokens` SHOULD include all input
tokens, cached ones included (cache reads and cache writes), so both are subtracted. Where the
counts show the span cannot include them (input < reads + writes: an instrumentation that copied
Anthropic's own `input_tokens`), the input is taken as already uncached.

A span is one request: `prompt_tokens` is its whole prompt. Spans without any gen_ai usage
attribute (HTTP, database, agent spans) are skipped and counted. A single OTLP document is read
whole (the stdlib has no streaming JSON parser); JSON lines are read one document at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from aicompare.usage.readers._common import (
    NO_MODEL,
    Record,
    TextSource,
    as_dict,
    as_list,
    count,
    epoch_time,
    fail,
    iter_documents,
    shown,
    tier_of,
)
from aicompare.usage.rows import UsageRow

NOT_GENAI = "spans without gen_ai usage attributes"
_USAGE_KEYS = ("gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens")
_READS = ("gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens")
_WRITES = ("gen_ai.usage.cache_creation.input_tokens", "gen_ai.usage.cache_creation_input_tokens")
_VALUE_KINDS = ("stringValue", "intValue", "doubleValue", "boolValue")


def read(stream: TextSource, name: str, skip: Callable[[str], None]) -> Iterator[Record]:
    for where, document in iter_documents(stream, name):
        document = as_dict(document, where, "the document")
        if "resourceSpans" not in document:
            raise fail(where, "is not an OTLP trace document (no resourceSpans)")
        for i, resource in enumerate(as_list(document["resourceSpans"], where, "resourceSpans"), 1):
            rat = f"{where} resourceSpans[{i}]"
            resource = as_dict(resource, rat, "the resource spans")
            scopes = resource.get("scopeSpans", resource.get("instrumentationLibrarySpans", []))
            for j, scope in enumerate(as_list(scopes, rat, "scopeSpans"), 1):
                sat = f"{rat} scopeSpans[{j}]"
                scope = as_dict(scope, sat, "the scope spans")
                for k, span in enumerate(as_list(scope.get("spans", []), sat, "spans"), 1):
                    at = f"{sat} span {k}"
                    row = _span(as_dict(span, at, "the span"), at)
                    if row is None:
                        skip(NOT_GENAI)
                    else:
                        yield row


def _attributes(span: dict[str, Any], at: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for attribute in as_list(span.get("attributes", []), at, "attributes"):
        attribute = as_dict(attribute, at, "an attribute")
        key = attribute.get("key")
        if not isinstance(key, str):
            raise fail(at, f"an attribute key is {shown(key)}, not a string")
        value = attribute.get("value")
        if not isinstance(value, dict):
            continue
        for kind in _VALUE_KINDS:
            if kind in value:
                found[key] = value[kind]
                break
    return found


def _int(value: Any, at: str, field: str) -> int:
    return count(value, at, field)  # intValue is a string of digits; doubleValue a Decimal


def _start_time(value: Any, at: str) -> dt.datetime | None:
    """startTimeUnixNano (a string of digits in OTLP JSON, or a number) as UTC; 0/absent is None."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 20:
        nanos = int(value)
    elif isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**20:
        nanos = value
    elif value is None or value == "":
        return None
    else:
        raise fail(at, f"startTimeUnixNano is {shown(value)}, not nanoseconds since the epoch")
    if nanos == 0:
        return None
    return epoch_time(Decimal(nanos).scaleb(-9), at, "startTimeUnixNano")


def _first(attributes: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((attributes[key] for key in keys if key in attributes), None)


def _span(span: dict[str, Any], at: str) -> UsageRow | None:
    attributes = _attributes(span, at)
    if not any(key in attributes for key in _USAGE_KEYS):
        return None
    model = _first(attributes, ("gen_ai.response.model", "gen_ai.request.model"))
    seller = _first(attributes, ("gen_ai.provider.name", "gen_ai.system"))
    if model is not None and not isinstance(model, str):
        raise fail(at, f"gen_ai.response.model is {shown(model)}, not a string")
    if seller is not None and not isinstance(seller, str):
        raise fail(at, f"gen_ai.provider.name is {shown(seller)}, not a string")
    total = _int(attributes.get("gen_ai.usage.input_tokens"), at, "gen_ai.usage.input_tokens")
    reads = _int(_first(attributes, _READS), at, "gen_ai.usage.cache_read.input_tokens")
    writes = _int(_first(attributes, _WRITES), at, "gen_ai.usage.cache_creation.input_tokens")
    uncached = total - reads - writes if total >= reads + writes else total
    time = _start_time(span.get("startTimeUnixNano"), at)
    tier_text = _first(
        attributes, ("gen_ai.openai.response.service_tier", "openai.response.service_tier")
    )
    tier, batch = tier_of(tier_text if isinstance(tier_text, str) else None)
    return UsageRow(
        model=model or NO_MODEL,
        seller=seller or None,
        time=time,
        requests=1,
        input_tokens=uncached,
        cached_input_tokens=reads,
        cache_write_tokens=writes,
        output_tokens=_int(
            attributes.get("gen_ai.usage.output_tokens"), at, "gen_ai.usage.output_tokens"
        ),
        tier=tier,
        batch=batch,
        prompt_tokens=uncached + reads + writes,
        source=at,
    )
