"""OpenAI organization Usage API pages (`/v1/organization/usage/completions`, `/usage/images`)
and Costs API pages (`/v1/organization/costs`).

A page is `{"object": "page", "data": [bucket...]}`; a bucket has `start_time` (epoch seconds) and
`results`. A file may be one page, JSON lines of pages, or a JSON array of pages.

- `organization.usage.completions.result` -> UsageRow. `input_tokens` includes the cached tokens
  (`input_cached_tokens`), which are subtracted. The current reference says it also includes the
  audio input tokens (`input_audio_tokens`), which are then subtracted too; where the counts show
  it cannot include them (input - cached < audio, as in pages written under the older text-only
  definition) the audio tokens are taken as separate. `batch: true` is batch; `service_tier`
  sets the tier. A bucket aggregates many requests, so `prompt_tokens` is None.
- `organization.usage.images.result` -> UsageRow with `images`, `size`, `quality` (where given).
- `organization.usage.embeddings.result` -> UsageRow with input tokens only.
- `organization.costs.result` -> RecordedCost (`amount.value` exact, USD only).
- Other usage results (moderations, audio, vector stores, code interpreter) are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TextIO

from aicompare.usage.readers._common import (
    NO_MODEL,
    Record,
    as_dict,
    as_list,
    count,
    epoch_time,
    fail,
    iter_documents,
    money,
    shown,
    text_or_none,
    tier_of,
)
from aicompare.usage.rows import RecordedCost, UsageRow

COMPLETIONS = "organization.usage.completions.result"
IMAGES = "organization.usage.images.result"
EMBEDDINGS = "organization.usage.embeddings.result"
COSTS = "organization.costs.result"


def read(stream: TextIO, name: str, skip: Callable[[str], None]) -> Iterator[Record]:
    for where, page in iter_documents(stream, name):
        page = as_dict(page, where, "the page")
        if page.get("object") != "page":
            raise fail(
                where,
                f'is not an OpenAI usage or costs page (object is {shown(page.get("object"))}, not "page")',
            )
        for b, bucket in enumerate(as_list(page.get("data"), where, "data"), 1):
            bucket = as_dict(bucket, f"{where} bucket {b}", "the bucket")
            start = bucket.get("start_time")
            if isinstance(start, bool) or not isinstance(start, int):
                raise fail(
                    f"{where} bucket {b}", f"start_time is {shown(start)}, not epoch seconds"
                )
            time = epoch_time(start, f"{where} bucket {b}", "start_time")
            results = as_list(
                bucket.get("results", bucket.get("result")), f"{where} bucket {b}", "results"
            )
            for r, result in enumerate(results, 1):
                at = f"{where} bucket {b} result {r}"
                record = _result(as_dict(result, at, "the result"), at, time)
                if record is None:
                    skip(f"OpenAI {result.get('object')} results (not priced by aicompare)")
                else:
                    yield record


def _result(result: dict[str, Any], at: str, time: Any) -> Record | None:
    kind = result.get("object")
    model = text_or_none(result.get("model"), at, "model") or NO_MODEL
    project = text_or_none(result.get("project_id"), at, "project_id")
    key = text_or_none(result.get("api_key_id"), at, "api_key_id")
    if kind == COSTS:
        amount = as_dict(result.get("amount"), at, "amount")
        currency = amount.get("currency")
        if not isinstance(currency, str) or currency.lower() != "usd":
            raise fail(at, f"amount.currency is {shown(currency)}; aicompare reconciles USD only")
        return RecordedCost(
            amount=money(amount.get("value"), at, "amount.value"),
            model=None,
            time=time,
            project=project,
            line_item=text_or_none(result.get("line_item"), at, "line_item"),
            source=at,
        )
    requests = count(result.get("num_model_requests"), at, "num_model_requests")
    batch = result.get("batch")
    if batch is not None and not isinstance(batch, bool):
        raise fail(at, f"batch is {shown(batch)}, not true or false")
    tier, _ = tier_of(text_or_none(result.get("service_tier"), at, "service_tier"))
    common: dict[str, Any] = dict(
        model=model,
        time=time,
        requests=requests,
        batch=bool(batch),
        tier=tier,
        project=project,
        key=key,
        source=at,
    )
    if kind == COMPLETIONS:
        total = count(result.get("input_tokens"), at, "input_tokens")
        cached = count(result.get("input_cached_tokens"), at, "input_cached_tokens")
        audio_in = count(result.get("input_audio_tokens"), at, "input_audio_tokens")
        if cached > total:
            raise fail(at, f"input_cached_tokens ({cached}) is more than input_tokens ({total})")
        uncached = total - cached
        if uncached >= audio_in:
            uncached -= audio_in  # input_tokens includes audio (the current definition)
        return UsageRow(
            **common,
            input_tokens=uncached,
            cached_input_tokens=cached,
            output_tokens=count(result.get("output_tokens"), at, "output_tokens"),
            audio_input_tokens=audio_in,
            audio_output_tokens=count(result.get("output_audio_tokens"), at, "output_audio_tokens"),
        )
    if kind == IMAGES:
        return UsageRow(
            **common,
            images=count(result.get("images"), at, "images"),
            image_size=text_or_none(result.get("size"), at, "size"),
            image_quality=text_or_none(result.get("quality"), at, "quality"),
        )
    if kind == EMBEDDINGS:
        return UsageRow(
            **common, input_tokens=count(result.get("input_tokens"), at, "input_tokens")
        )
    if isinstance(kind, str) and kind.startswith("organization.usage."):
        return None
    raise fail(at, f"object is {shown(kind)}, not an OpenAI usage or costs result")
