"""The workload options `cost` and `best` take (quantities.WorkloadSpec in the domain)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from aicompare.commands.options import choices

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aicompare.quantities import WorkloadSpec

QTY = "5M, 1.5k, 200_000, 2B or a plain integer"

# What --per, --cache-ttl and --quality take, shown in --help as Typer shows a choice. Static, so
# help loads neither the domain nor the catalog (docs/performance.md); tests/test_help.py keeps
# them equal to quantities.Period, workloads.CACHE_TTLS and the bundled catalog's grid qualities.
# They are metavars, not click choices: the domain parses the values (aliases such as `monthly`,
# a user layer's own qualities) and words the errors.
PERIODS = ("day", "month", "year")
CACHE_TTLS = ("5m", "1h")
TIERS = ("standard", "flex", "priority")
BUNDLED_QUALITIES = ("low", "medium", "high", "standard", "hd")


TokensOpt = Annotated[
    str | None, typer.Option("--tokens", metavar="QTY", help=f"Total tokens per period ({QTY}).")
]
InputTokOpt = Annotated[
    str | None, typer.Option("--input", metavar="QTY", help="Uncached input tokens per period.")
]
OutputTokOpt = Annotated[
    str | None, typer.Option("--output", metavar="QTY", help="Output tokens per period.")
]
CachedTokOpt = Annotated[
    str | None,
    typer.Option("--cached-input", metavar="QTY", help="Cached input tokens per period."),
]
ShareOpt = Annotated[
    str | None,
    typer.Option(
        "--output-share",
        metavar="SHARE",
        help="Share of --tokens that is output, e.g. 0.25 or 25% (default 25%).",
    ),
]
ImagesOpt = Annotated[
    str | None, typer.Option("--images", metavar="QTY", help="Images generated per period.")
]
QualityOpt = Annotated[
    str | None,
    typer.Option(
        "--quality",
        metavar=choices(BUNDLED_QUALITIES),
        help="Image quality, as the catalog's price grids name it.",
    ),
]
SizeOpt = Annotated[
    str | None, typer.Option("--size", metavar="WxH", help="Image size, e.g. 1024x1024.")
]
BatchOpt = Annotated[
    bool, typer.Option("--batch", help="Use Batch API rates where the catalog has them.")
]
PerOpt = Annotated[
    str,
    typer.Option(
        "--per",
        metavar=choices(PERIODS),
        help="The period quantities and totals refer to.",
    ),
]
RequestOpt = Annotated[
    str | None,
    typer.Option(
        "--request-tokens",
        metavar="QTY",
        help="Typical prompt tokens per request; selects long-context price tiers.",
    ),
]

CacheWritesOpt = Annotated[
    str | None,
    typer.Option(
        "--cache-writes",
        metavar="QTY",
        help="Input tokens written to a prompt cache per period, on top of --input "
        "(within --tokens).",
    ),
]
CacheTtlOpt = Annotated[
    str | None,
    typer.Option(
        "--cache-ttl",
        metavar=choices(CACHE_TTLS),
        help="Lifetime of the cache writes (default 5m).",
    ),
]
CacheHitOpt = Annotated[
    str | None,
    typer.Option(
        "--cache-hit",
        metavar="SHARE",
        help="Share of the uncached input read from the cache instead, e.g. 80% "
        "(not with --cached-input).",
    ),
]
ReasoningOpt = Annotated[
    str | None,
    typer.Option(
        "--reasoning-tokens",
        metavar="QTY",
        help="Hidden reasoning tokens per period, billed as output, on top of --output.",
    ),
]
ImageInputOpt = Annotated[
    str | None,
    typer.Option(
        "--image-input", metavar="QTY", help="Image input tokens per period (images to edit)."
    ),
]
CachedImageInputOpt = Annotated[
    str | None,
    typer.Option(
        "--cached-image-input", metavar="QTY", help="Cached image input tokens per period."
    ),
]
ImageOutputOpt = Annotated[
    str | None,
    typer.Option(
        "--image-output-tokens",
        metavar="QTY",
        help="Image output tokens per period: prices image models sold by the token only.",
    ),
]
AudioInputOpt = Annotated[
    str | None,
    typer.Option("--audio-input-tokens", metavar="QTY", help="Audio input tokens per period."),
]
AudioOutputOpt = Annotated[
    str | None,
    typer.Option("--audio-output-tokens", metavar="QTY", help="Audio output tokens per period."),
]
AudioMinutesOpt = Annotated[
    str | None,
    typer.Option(
        "--audio-minutes",
        metavar="QTY",
        help="Minutes of audio per period (speech to text, by the minute).",
    ),
]
CharactersOpt = Annotated[
    str | None,
    typer.Option(
        "--characters", metavar="QTY", help="Characters of text per period (text to speech)."
    ),
]
VideoSecondsOpt = Annotated[
    str | None,
    typer.Option("--video-seconds", metavar="QTY", help="Seconds of video generated per period."),
]

RequestsOpt = Annotated[
    str | None,
    typer.Option(
        "--requests",
        metavar="QTY",
        help="Requests per period, for per-request fees (default: the prompt tokens over "
        "--request-tokens).",
    ),
]
SearchesOpt = Annotated[
    str | None,
    typer.Option("--searches", metavar="QTY", help="Web-search tool calls per period."),
]
TierOpt = Annotated[
    str | None,
    typer.Option(
        "--tier",
        metavar=choices(TIERS),
        help="Service tier whose prices apply (default standard; not with --batch).",
    ),
]
OffPeakOpt = Annotated[
    bool,
    typer.Option("--off-peak", help="Use off-peak prices where the catalog has them."),
]
ThinkingOpt = Annotated[
    bool,
    typer.Option(
        "--thinking", help="Bill output at thinking-mode output prices where the catalog has them."
    ),
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
