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
    )
