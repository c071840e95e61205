"""The workload options `cost` and `best` take (quantities.WorkloadSpec in the domain)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aicompare.quantities import WorkloadSpec

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


# A command's parameter for a WorkloadSpec field, where the two names differ (`input` is a builtin).
_PARAMETERS = {"input": "input_"}


def workload_spec(parameters: Mapping[str, object]) -> WorkloadSpec:
    """The workload options as typed, for costing.parse_workload, from a command's parameters by
    name (`workload_spec(locals())` as its first statement): a command declares one parameter
    per WorkloadSpec field, with the options above, and a new field needs nothing here."""
    from aicompare.quantities import WorkloadSpec

    values = {f: parameters[_PARAMETERS.get(f, f)] for f in WorkloadSpec._fields}
    return WorkloadSpec(**values)  # type: ignore[arg-type]  # the option types are the fields'
