"""The records a usage log becomes: the one interface between the readers and the repricing.

A reader (one per log format) turns each record of a log into a `UsageRow` (usage to price) or a
`RecordedCost` (what the provider says it charged, for reconciliation). Counts are normalised
here, once, so the engine never knows the format:

- `input_tokens` is *uncached* input: a format whose input count includes cached tokens (OpenAI's
  `input_tokens`, LiteLLM's `prompt_tokens`, OTel's `gen_ai.usage.input_tokens` where the provider
  counts that way) has the cached part subtracted by its reader.
- `output_tokens` includes reasoning tokens where the log does not report them separately;
  `reasoning_tokens` is only set where the log gives them *in addition* to output.
- `prompt_tokens` is one request's whole prompt (uncached + cached + cache writes) where a row is
  one request, for long-context tiers; None where a row aggregates many requests (a usage-API
  bucket), and the engine then says it could not apply long-context tiers to those rows.
- `long_context` is set only where a log says which context-window tier a bucket was billed at
  (Anthropic's `context_window`); otherwise `prompt_tokens` decides.
- `time` is timezone-aware UTC; None where the log has no time (priced at today's prices, noted).
- `model` and `seller` are the log's own strings, untouched ("bedrock/anthropic.claude-...",
  "azure"); resolving them to catalog ids is the engine's job (it must be able to list the raw
  name of a row it cannot price).
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

STANDARD_TIER = "standard"


class UsageRow(NamedTuple):
    """Usage of one model in one log record (one request, or one bucket of many)."""

    model: str  # as the log names it
    seller: str | None = None  # who served it, as the log names it (provider / gateway route)
    time: dt.datetime | None = None  # UTC
    requests: int = 1
    input_tokens: int = 0  # uncached
    cached_input_tokens: int = 0  # cache reads
    cache_write_tokens: int = 0  # 5-minute cache writes (the default lifetime)
    cache_write_1h_tokens: int = 0
    output_tokens: int = 0
    reasoning_tokens: int = 0  # only where reported in addition to output_tokens
    audio_input_tokens: int = 0
    audio_output_tokens: int = 0
    images: int = 0  # generated images
    image_quality: str | None = None
    image_size: str | None = None
    web_searches: int = 0
    batch: bool = False
    tier: str = STANDARD_TIER  # service tier: standard, flex or priority
    prompt_tokens: int | None = None  # one request's whole prompt, for long-context tiers
    project: str | None = None  # project / workspace / team
    key: str | None = None  # API key id, virtual key or user
    recorded_cost: Decimal | None = None  # USD the log says this row cost (LiteLLM `spend`)
    source: str = ""  # "file.jsonl:12": where the row came from, for messages
    # The log's own word on the long-context tier, where it gives one instead of a prompt size
    # (Anthropic's usage report `context_window`: "200k-1M" is True, "0-200k" False); None where
    # the log does not say (then `prompt_tokens` decides, where known).
    long_context: bool | None = None


class RecordedCost(NamedTuple):
    """A provider's own charge for a period (OpenAI /costs, Anthropic cost_report)."""

    amount: Decimal  # USD
    model: str | None = None  # None where the cost line does not name a model
    time: dt.datetime | None = None  # the bucket's start, UTC
    project: str | None = None
    line_item: str | None = None  # the provider's description ("gpt-4o, input", "tokens")
    source: str = ""


class UsageFormatError(ValueError):
    """A file that is not the format it was detected or declared as: the message names the
    file and the record (and what was expected), for an `error:` line with a hint."""


class UsageInputError(UsageFormatError):
    """A usage file that cannot be opened as one (missing, unreadable, a FIFO or directory): the
    fix is the path, not the format."""
