"""The workload options `cost` and `best` take (costing.WorkloadSpec in the domain)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from aicompare.costing import WorkloadSpec

QTY = "5M, 1.5k, 200_000, 2B or a plain integer"

TokensOpt = Annotated[
    str | None, typer.Option("--tokens", help=f"Total tokens per period ({QTY}).")
]
InputTokOpt = Annotated[
    str | None, typer.Option("--input", help="Uncached input tokens per period.")
]
OutputTokOpt = Annotated[str | None, typer.Option("--output", help="Output tokens per period.")]
CachedTokOpt = Annotated[
    str | None, typer.Option("--cached-input", help="Cached input tokens per period.")
]
ShareOpt = Annotated[
    str | None,
    typer.Option(
        "--output-share", help="Share of --tokens that is output, e.g. 0.25 or 25% (default 25%)."
    ),
]
ImagesOpt = Annotated[str | None, typer.Option("--images", help="Images generated per period.")]
QualityOpt = Annotated[
    str | None, typer.Option("--quality", help="Image quality, e.g. low, medium, high.")
]
SizeOpt = Annotated[str | None, typer.Option("--size", help="Image size, e.g. 1024x1024.")]
BatchOpt = Annotated[
    bool, typer.Option("--batch", help="Use Batch API rates where the catalog has them.")
]
PerOpt = Annotated[
    str,
    typer.Option("--per", help="The period quantities and totals refer to: day, month or year."),
]
RequestOpt = Annotated[
    str | None,
    typer.Option(
        "--request-tokens",
        help="Typical prompt tokens per request; selects long-context price tiers.",
    ),
]

CacheWritesOpt = Annotated[
    str | None,
    typer.Option(
        "--cache-writes",
        help="Input tokens written to a prompt cache per period, on top of --input "
        "(within --tokens).",
    ),
]
CacheTtlOpt = Annotated[
    str | None,
    typer.Option("--cache-ttl", help="Lifetime of the cache writes: 5m (default) or 1h."),
]
CacheHitOpt = Annotated[
    str | None,
    typer.Option(
        "--cache-hit",
        help="Share of the uncached input read from the cache instead, e.g. 80% "
        "(not with --cached-input).",
    ),
]
ReasoningOpt = Annotated[
    str | None,
    typer.Option(
        "--reasoning-tokens",
        help="Hidden reasoning tokens per period, billed as output, on top of --output.",
    ),
]
ImageInputOpt = Annotated[
    str | None,
    typer.Option("--image-input", help="Image input tokens per period (images to edit)."),
]
CachedImageInputOpt = Annotated[
    str | None,
    typer.Option("--cached-image-input", help="Cached image input tokens per period."),
]
ImageOutputOpt = Annotated[
    str | None,
    typer.Option(
        "--image-output-tokens",
        help="Image output tokens per period: prices image models sold by the token only.",
    ),
]
AudioInputOpt = Annotated[
    str | None,
    typer.Option("--audio-input-tokens", help="Audio input tokens per period."),
]
AudioOutputOpt = Annotated[
    str | None,
    typer.Option("--audio-output-tokens", help="Audio output tokens per period."),
]
AudioMinutesOpt = Annotated[
    str | None,
    typer.Option(
        "--audio-minutes", help="Minutes of audio per period (speech to text, by the minute)."
    ),
]
CharactersOpt = Annotated[
    str | None,
    typer.Option("--characters", help="Characters of text per period (text to speech)."),
]
VideoSecondsOpt = Annotated[
    str | None,
    typer.Option("--video-seconds", help="Seconds of video generated per period."),
]


def workload_spec(
    *,
    tokens: str | None,
    input_: str | None,
    output: str | None,
    cached_input: str | None,
    output_share: str | None,
    images: str | None,
    quality: str | None,
    size: str | None,
    batch: bool,
    per: str,
    request_tokens: str | None,
    cache_writes: str | None = None,
    cache_ttl: str | None = None,
    cache_hit: str | None = None,
    reasoning_tokens: str | None = None,
    image_input: str | None = None,
    cached_image_input: str | None = None,
    image_output_tokens: str | None = None,
    audio_input_tokens: str | None = None,
    audio_output_tokens: str | None = None,
    audio_minutes: str | None = None,
    characters: str | None = None,
    video_seconds: str | None = None,
) -> WorkloadSpec:
    """The workload options as typed, for costing.parse_workload."""
    from aicompare.costing import WorkloadSpec

    return WorkloadSpec(
        tokens=tokens,
        input=input_,
        output=output,
        cached_input=cached_input,
        output_share=output_share,
        images=images,
        quality=quality,
        size=size,
        request_tokens=request_tokens,
        batch=batch,
        per=per,
        cache_writes=cache_writes,
        cache_ttl=cache_ttl,
        cache_hit=cache_hit,
        reasoning_tokens=reasoning_tokens,
        image_input=image_input,
        cached_image_input=cached_image_input,
        image_output_tokens=image_output_tokens,
        audio_input_tokens=audio_input_tokens,
        audio_output_tokens=audio_output_tokens,
        audio_minutes=audio_minutes,
        characters=characters,
        video_seconds=video_seconds,
    )
