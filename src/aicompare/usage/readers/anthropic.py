"""Anthropic Admin API pages: `usage_report/messages` and `cost_report`.

A page is `{"data": [bucket...], "has_more": ..., "next_page": ...}`; a bucket has `starting_at`
(RFC 3339) and `results`. A file may be one page, JSON lines of pages, or a JSON array of pages.

- A usage result -> UsageRow: `uncached_input_tokens` (already without cache reads and writes),
  `cache_read_input_tokens`, `cache_creation.ephemeral_5m_input_tokens` / `_1h_`, `output_tokens`,
  `server_tool_use.web_search_requests`; `service_tier` "batch" is batch; `context_window`
  "200k-1M" sets `long_context` and `prompt_tokens` 200,001 (the smallest prompt over 200K, so
  the long-context tier applies); a bucket aggregates requests: `requests` is 0 (the report does
  not count them) and `prompt_tokens` otherwise None.
- A cost result (it has `amount`) -> RecordedCost. `amount` is in the currency's LOWEST unit
  (cents) as a decimal string: "123.45" USD is $1.2345, so it is divided by 100, exactly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Context
from typing import Any, TextIO

from aicompare.usage.readers._common import (
    NO_MODEL,
    Record,
    as_dict,
    as_list,
    count,
    fail,
    iso_time,
    iter_documents,
    money,
    shown,
    text_or_none,
    tier_of,
)
from aicompare.usage.rows import RecordedCost, UsageRow

LONG_CONTEXT = "200k-1M"
# A "200k-1M" bucket's requests had prompts over 200K tokens: the smallest such prompt stands for
# them, so the long-context tier applies (and a what-if target must take prompts that long).
LONG_PROMPT = 200_001
_EXACT = Context(prec=60)  # cents to dollars, never rounded (money() bounds the digits)


def read(stream: TextIO, name: str, skip: Callable[[str], None]) -> Iterator[Record]:
    for where, page in iter_documents(stream, name):
        page = as_dict(page, where, "the page")
        if "data" not in page:
            raise fail(where, "is not an Anthropic usage or cost report page (no data)")
        for b, bucket in enumerate(as_list(page.get("data"), where, "data"), 1):
            bat = f"{where} bucket {b}"
            bucket = as_dict(bucket, bat, "the bucket")
            time = iso_time(bucket.get("starting_at"), bat, "starting_at")
            for r, result in enumerate(as_list(bucket.get("results"), bat, "results"), 1):
                at = f"{bat} result {r}"
                yield _result(as_dict(result, at, "the result"), at, time)


def _result(result: dict[str, Any], at: str, time: Any) -> Record:
    project = text_or_none(result.get("workspace_id"), at, "workspace_id")
    model = text_or_none(result.get("model"), at, "model")
    if "amount" in result:
        currency = result.get("currency")
        if not isinstance(currency, str) or currency.upper() != "USD":
            raise fail(at, f"currency is {shown(currency)}; aicompare reconciles USD only")
        if not isinstance(result["amount"], str):
            raise fail(at, f"amount is {shown(result['amount'])}, not a decimal string of cents")
        cents = money(result["amount"], at, "amount")
        description = text_or_none(result.get("description"), at, "description")
        kinds = [
            text_or_none(result.get(field), at, field) for field in ("cost_type", "token_type")
        ]
        line_item = description or "/".join(k for k in kinds if k) or None
        return RecordedCost(
            amount=cents.scaleb(-2, _EXACT),
            model=model,
            time=time,
            project=project,
            line_item=line_item,
            source=at,
        )
    creation = result.get("cache_creation") or {}
    creation = as_dict(creation, at, "cache_creation")
    tools = as_dict(result.get("server_tool_use") or {}, at, "server_tool_use")
    tier, batch = tier_of(text_or_none(result.get("service_tier"), at, "service_tier"))
    window = text_or_none(result.get("context_window"), at, "context_window")
    return UsageRow(
        model=model or NO_MODEL,
        time=time,
        requests=0,
        input_tokens=count(result.get("uncached_input_tokens"), at, "uncached_input_tokens"),
        cached_input_tokens=count(
            result.get("cache_read_input_tokens"), at, "cache_read_input_tokens"
        ),
        cache_write_tokens=count(
            creation.get("ephemeral_5m_input_tokens"),
            at,
            "cache_creation.ephemeral_5m_input_tokens",
        ),
        cache_write_1h_tokens=count(
            creation.get("ephemeral_1h_input_tokens"),
            at,
            "cache_creation.ephemeral_1h_input_tokens",
        ),
        output_tokens=count(result.get("output_tokens"), at, "output_tokens"),
        web_searches=count(
            tools.get("web_search_requests"), at, "server_tool_use.web_search_requests"
        ),
        batch=batch,
        tier=tier,
        project=project,
        key=text_or_none(result.get("api_key_id"), at, "api_key_id"),
        long_context=None if window is None else window == LONG_CONTEXT,
        prompt_tokens=LONG_PROMPT if window == LONG_CONTEXT else None,
        source=at,
    )
