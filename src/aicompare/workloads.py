"""Options -> an exact pricing.Workload, every assumption on the way recorded. No money here.

Default output share: 25% of `--tokens` is output, 75% input (3:1). Chat, RAG and agent traffic is
input-heavy, because every request resends the system prompt, history and retrieved context while
answers stay short; 3:1 is also the common convention for a "blended" per-token price. RAG alone
often runs 10:1 or more, so 25% leans towards the output rate, which is the expensive one: the
default errs on the side of a higher estimate. `--output-share` or `--input`/`--output` override it.

What `--tokens` counts: uncached input, cached input (`--cached-input`), cache writes
(`--cache-writes`) and output. Hidden reasoning tokens (`--reasoning-tokens`) are not in it, nor in
`--output`: a model's output count leaves them out, so they come on top, billed at the output rate.
`--cache-hit RATE` splits the uncached input into cache reads and uncached input (rounded down to a
whole token, the rest uncached: the higher estimate). Image, audio and video quantities are their
own counts, never part of `--tokens`.

Fees that are not per token come on top: `--searches` (web-search tool calls) and `--requests`
(per-request fees), which, when not given, are the prompt tokens (input, cached input, cache
writes) over `--request-tokens`, rounded up, stated in the assumptions. Which prices apply:
standard, `--batch`, `--tier flex|priority` or `--off-peak`, one of them (two is a usage error);
`--thinking` bills output at a thinking-mode output price where a model has one.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from aicompare.errors import WorkloadError
from aicompare.model import Model
from aicompare.pricing import (
    DEFAULT_QUALITY,
    DEFAULT_SIZE,
    STANDARD,
    TIERS,
    RateCard,
    Workload,
    counted_units,
    image_options,
)
from aicompare.quantities import MAX_QUANTITY, Period, format_quantity, format_share, parse_choice

DEFAULT_OUTPUT_SHARE = Decimal("0.25")
CACHE_TTLS = ("5m", "1h")  # a cache write's lifetime: the catalog's cache_write, cache_write_1h
DEFAULT_CACHE_TTL = "5m"


def build_workload(
    *,
    tokens: int | None = None,
    input_tokens: int | None = None,
    output_tokens: int | None = None,
    cached_input_tokens: int | None = None,
    output_share: Decimal | None = None,
    images: int = 0,
    quality: str | None = None,
    size: str | None = None,
    batch: bool = False,
    request_tokens: int | None = None,
    period: Period = Period.MONTH,
    catalog: Iterable[Model | RateCard] | None = None,
    cache_writes: int = 0,
    cache_ttl: str | None = None,
    cache_hit: Decimal | None = None,
    reasoning_tokens: int = 0,
    image_input_tokens: int = 0,
    cached_image_input_tokens: int = 0,
    image_output_tokens: int = 0,
    audio_input_tokens: int = 0,
    audio_output_tokens: int = 0,
    audio_minutes: int = 0,
    characters: int = 0,
    video_seconds: int = 0,
    requests: int | None = None,
    web_searches: int = 0,
    tier: str | None = None,
    off_peak: bool = False,
    thinking: bool = False,
) -> Workload:
    """Resolve the options into exact counts, recording every assumption made on the way."""
    media = {
        "--image-input": image_input_tokens,
        "--cached-image-input": cached_image_input_tokens,
        "--image-output-tokens": image_output_tokens,
        "--audio-input-tokens": audio_input_tokens,
        "--audio-output-tokens": audio_output_tokens,
        "--audio-minutes": audio_minutes,
        "--characters": characters,
        "--video-seconds": video_seconds,
    }
    given = {
        "--tokens": tokens,
        "--input": input_tokens,
        "--output": output_tokens,
        "--cached-input": cached_input_tokens,
        "--images": images,
        "--request-tokens": request_tokens,
        "--cache-writes": cache_writes,
        "--reasoning-tokens": reasoning_tokens,
        "--requests": requests,
        "--searches": web_searches,
        **media,
    }
    for option, value in given.items():
        # Callers normally pass parse_quantity results; this guards direct use of the API.
        if value is not None and not 0 <= value <= MAX_QUANTITY:
            raise WorkloadError(f"{option}: {value} is outside 0..{format_quantity(MAX_QUANTITY)}")
    if cache_hit is not None and cached_input_tokens is not None:
        raise WorkloadError(
            "--cache-hit and --cached-input both set the cached input",
            "give one: --cache-hit splits the input by a rate, --cached-input gives the count",
        )
    inp, out, cached = input_tokens, output_tokens, cached_input_tokens or 0
    notes: list[str] = [f"quantities are per {period.value}"]
    if output_share is not None:
        if tokens is None:
            raise WorkloadError(
                "--output-share splits --tokens, which is missing",
                "give --tokens, or set the parts with --input and --output",
            )
        if inp is not None or out is not None:
            raise WorkloadError(
                "--output-share cannot be combined with --input or --output",
                "the parts already fix the split; drop one of them",
            )
        if not output_share.is_finite() or not 0 <= output_share <= 1:
            raise WorkloadError(f"--output-share: {output_share} is not between 0 and 1")
    ttl = _cache_ttl(cache_ttl)
    service = _tier(tier)
    if batch and service != STANDARD:
        raise WorkloadError(
            f"--batch and --tier {service} are two different prices",
            "the Batch API has its own rates: give --batch or --tier, not both",
        )
    if off_peak and (batch or service != STANDARD):
        raise WorkloadError(
            f"--off-peak cannot be combined with {'--batch' if batch else f'--tier {service}'}",
            "off-peak prices are a table of their own: give one of them",
        )
    if tokens is not None:
        inp, out = _split(tokens, inp, out, cached, cache_writes, output_share, notes)
    inp, out = inp or 0, out or 0
    # requests and searches are charges on top of what requests are billed for, not a workload
    if inp + cached + cache_writes + out + reasoning_tokens + images + sum(media.values()) == 0:
        raise WorkloadError(
            "nothing to price",
            "give --tokens, --input, --output, --cached-input or --images (or --audio-minutes, "
            "--characters, --video-seconds and the other media options: aicompare cost --help)",
        )
    if request_tokens is not None and request_tokens < 1:
        raise WorkloadError("--request-tokens: a request has at least 1 token")
    if cache_hit is not None:
        inp, cached = _cache_hit(cache_hit, inp, notes)
    if cache_writes:
        where = "within --tokens" if tokens is not None else "in addition to --input"
        notes.append(
            f"--cache-writes {format_quantity(cache_writes)}: {_TTL_WORDS[ttl]} cache writes "
            f"({where}), billed at the {'1-hour ' if ttl == '1h' else ''}cache-write rate"
        )
    elif cache_ttl is not None:
        notes.append("--cache-ttl ignored: no --cache-writes")
    if reasoning_tokens:
        notes.append(
            f"--reasoning-tokens {format_quantity(reasoning_tokens)}: hidden reasoning tokens, "
            "billed at the output rate, on top of the output count"
        )
    qualities, sizes = image_options(catalog or ())
    quality = None if quality is None else parse_choice(quality, "--quality", qualities)
    size = None if size is None else parse_choice(size, "--size", sizes)
    if images == 0 and (quality or size):
        notes.append("--quality and --size ignored: no --images")
        quality = size = None
    elif images and (quality is None or size is None):
        missing = " and ".join(o for o, v in (("--quality", quality), ("--size", size)) if not v)
        notes.append(
            f"no {missing}: {quality or DEFAULT_QUALITY} {size or DEFAULT_SIZE} images "
            "where a model sells them, else its cheapest option"
        )
    if images and (inp or cached or out or cache_writes or reasoning_tokens):
        notes.append(
            "with --images, an image model priced alone bills the text tokens as its prompt; "
            "in a text+image pipeline the text model bills them"
        )
    if images and image_output_tokens:
        notes.append(
            "--image-output-tokens bill the images of a model without a per-image price; "
            "a model with one bills them per image"
        )
    if batch:
        notes.append("batch rates where the catalog has them; the standard rate elsewhere (noted)")
    requests = _requests(requests, request_tokens, inp + cached + cache_writes, notes)
    if web_searches:
        notes.append(
            f"--searches {format_quantity(web_searches)}: web-search tool calls, billed per "
            "1,000; a model without a web-search price in the catalog cannot serve them"
        )
    if service != STANDARD:
        notes.append(
            f"--tier {service}: {service} prices; a model without any cannot serve, and one "
            f"without a {service} price for a kind bills it at the standard rate (noted)"
        )
    if off_peak:
        notes.append(
            "--off-peak: all requests within each model's off-peak hours (UTC, shown on its "
            "lines), at its off-peak prices; a model without them bills its standard rates"
        )
    if thinking:
        notes.append(
            "--thinking: output and reasoning tokens at each model's thinking-mode output "
            "price where the catalog has one, else at its output rate (noted)"
        )
    return Workload(
        inp,
        cached,
        out,
        images,
        quality,
        size,
        batch,
        request_tokens,
        period,
        tuple(notes),
        cache_write_tokens=cache_writes if ttl == "5m" else 0,
        cache_write_1h_tokens=cache_writes if ttl == "1h" else 0,
        reasoning_tokens=reasoning_tokens,
        image_input_tokens=image_input_tokens,
        cached_image_input_tokens=cached_image_input_tokens,
        image_output_tokens=image_output_tokens,
        audio_input_tokens=audio_input_tokens,
        audio_output_tokens=audio_output_tokens,
        audio_minutes=audio_minutes,
        characters=characters,
        video_seconds=video_seconds,
        requests=requests,
        web_searches=web_searches,
        tier=service,
        off_peak=off_peak,
        thinking=thinking,
    )


def _tier(text: str | None) -> str:
    """`standard`, `flex` or `priority` (any case and spacing); the default is standard."""
    if text is None:
        return STANDARD
    value = "".join(text.split()).lower()
    if value not in TIERS:
        shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
        raise WorkloadError(
            f"--tier: {shown} is not a service tier the catalog prices",
            f"use one of: {', '.join(TIERS)}",
        )
    return value


def _requests(
    requests: int | None, request_tokens: int | None, prompt: int, notes: list[str]
) -> int:
    """The requests billed where a model charges per request: as given, else the prompt tokens
    over --request-tokens (rounded up: a last, shorter request is a request too), else 0."""
    if requests is not None:
        if requests:
            notes.append(
                f"--requests {format_quantity(requests)}: billed where a model charges per "
                "request; the others are assumed to charge no request fee"
            )
        return requests
    if request_tokens is None or not prompt:
        return 0
    derived = -(-prompt // request_tokens)
    notes.append(
        f"{format_quantity(derived)} requests: {format_quantity(prompt)} prompt tokens over "
        f"--request-tokens {format_quantity(request_tokens)}, rounded up (give --requests to set "
        "them); billed where a model charges per request"
    )
    return derived


_TTL_WORDS = {"5m": "5-minute", "1h": "1-hour"}


def _cache_ttl(text: str | None) -> str:
    """`5m` or `1h` (any case and spacing); the default is 5m, the catalog's cache_write."""
    if text is None:
        return DEFAULT_CACHE_TTL
    value = "".join(text.split()).lower()
    if value not in CACHE_TTLS:
        shown = repr(text) if len(text) <= 40 else repr(text[:37] + "...")
        raise WorkloadError(
            f"--cache-ttl: {shown} is not a cache lifetime the catalog prices",
            "use 5m (the cache_write price) or 1h (the cache_write_1h price)",
        )
    return value


def _cache_hit(rate: Decimal, inp: int, notes: list[str]) -> tuple[int, int]:
    """(uncached, cached) input: `rate` of the input read from the cache, rounded down."""
    if not rate.is_finite() or not 0 <= rate <= 1:
        raise WorkloadError(f"--cache-hit: {rate} is not between 0 and 1")
    if inp == 0:
        raise WorkloadError(
            "--cache-hit splits the uncached input, and there is none",
            "give --input or --tokens as well",
        )
    num, den = rate.as_integer_ratio()
    hit, rest = divmod(inp * num, den)
    rounded = " (rounded down to a whole token)" if rest else ""
    notes.append(
        f"--cache-hit {format_share(rate)}: {format_quantity(hit)} of the "
        f"{format_quantity(inp)} input tokens read from the cache{rounded}, "
        f"{format_quantity(inp - hit)} uncached"
    )
    return inp - hit, hit


def _split(
    tokens: int,
    inp: int | None,
    out: int | None,
    cached: int,
    writes: int,
    share: Decimal | None,
    notes: list[str],
) -> tuple[int, int]:
    """Exact (uncached input, output) from --tokens; cached input and cache writes count within
    the total."""
    shown = format_quantity(tokens)
    within = cached + writes  # input tokens that are not uncached input
    if cached:
        notes.append(f"--cached-input {format_quantity(cached)} is part of --tokens {shown}")
    if writes:
        notes.append(f"--cache-writes {format_quantity(writes)} is part of --tokens {shown}")
    plus = " + --cache-writes" if writes else ""
    if inp is not None and out is not None:
        if inp + within + out != tokens:
            raise WorkloadError(
                f"--tokens {shown} is not --input + --cached-input{plus} + --output "
                f"({format_quantity(inp + within + out)})",
                "drop --tokens or one of the parts",
            )
        return inp, out
    if inp is not None or out is not None:
        given = inp if inp is not None else out or 0
        rest = tokens - within - given
        if rest < 0:
            raise WorkloadError(
                f"--tokens {shown} is less than the parts given",
                "--tokens is the total of input, cached input"
                f"{', cache writes' if writes else ''} and output",
            )
        notes.append(
            f"{'output' if out is None else 'input'} = --tokens minus the other parts: "
            f"{format_quantity(rest)}"
        )
        return (given, rest) if out is None else (rest, given)
    used = DEFAULT_OUTPUT_SHARE if share is None else share
    num, den = used.as_integer_ratio()
    output = tokens * num // den  # floor, so the remainder of the split goes to input
    uncached = tokens - output - within
    if uncached < 0:
        parts = " and ".join(
            o for o, n in (("--cached-input", cached), ("--cache-writes", writes)) if n
        )
        raise WorkloadError(
            f"{parts} {format_quantity(within)} {'is' if ' and ' not in parts else 'are'} more "
            f"than the input part of --tokens {shown} ({format_quantity(tokens - output)})",
            f"lower {parts.replace(' and ', ' or ')} or --output-share",
        )
    why = " (default: input-heavy chat/RAG traffic)" if share is None else ""
    notes.append(
        f"--tokens {shown} split {format_share(1 - used)} input "
        f"({format_quantity(tokens - output)}) / {format_share(used)} output "
        f"({format_quantity(output)}){why}"
    )
    return uncached, output


def workload_phrase(w: Workload) -> str:
    """'1,000 medium 1024x1024 images and 5M tokens a month'."""
    parts: list[str] = []
    if w.images:
        quality = f"{w.quality} " if w.quality else ""
        size = f"{w.size} " if w.size else ""
        parts.append(f"{w.images:,} {quality}{size}images")
    if w.tokens:
        parts.append(f"{format_quantity(w.tokens)} tokens")
    parts += counted_units(w)  # minutes, characters, seconds
    return f"{' and '.join(parts) or 'the workload'} a {w.period.value}"
