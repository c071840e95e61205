"""`aicompare cost`: price a workload on models or pipelines and rank them."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from aicompare.cli import (
    AsOfOpt,
    CatalogOpt,
    FormatOpt,
    JsonOpt,
    NoColorOpt,
    app,
    complete_model,
    emit,
    load,
    output_format,
    parse_as_of,
)
from aicompare.commands.browse import CapabilityOpt, CurrentOpt, ProviderOpt, TypeOpt, filter_models
from aicompare.errors import WorkloadError

QTY = "5M, 1.5k, 200_000, 2B or a plain integer"


def _qty(value: str | None, option: str) -> int | None:
    from aicompare.quantities import parse_quantity

    return None if value is None else parse_quantity(value, option)


# Workload options, shared with `best`.
TokensOpt = Annotated[Optional[str], typer.Option("--tokens", help=f"Total tokens per period ({QTY}).")]
InputTokOpt = Annotated[Optional[str], typer.Option("--input", help="Uncached input tokens per period.")]
OutputTokOpt = Annotated[Optional[str], typer.Option("--output", help="Output tokens per period.")]
CachedTokOpt = Annotated[Optional[str], typer.Option("--cached-input", help="Cached input tokens per period.")]
ShareOpt = Annotated[Optional[str], typer.Option(
    "--output-share", help="Share of --tokens that is output, e.g. 0.25 or 25% (default 25%).")]
ImagesOpt = Annotated[Optional[str], typer.Option("--images", help="Images generated per period.")]
QualityOpt = Annotated[Optional[str], typer.Option("--quality", help="Image quality, e.g. low, medium, high.")]
SizeOpt = Annotated[Optional[str], typer.Option("--size", help="Image size, e.g. 1024x1024.")]
BatchOpt = Annotated[bool, typer.Option("--batch", help="Use Batch API rates where the catalog has them.")]
PerOpt = Annotated[str, typer.Option("--per", help="The period quantities and totals refer to: day, month or year.")]
RequestOpt = Annotated[Optional[str], typer.Option(
    "--request-tokens", help="Typical prompt tokens per request; selects long-context price tiers.")]


def build(models: Any, *, tokens: str | None, input_: str | None, output: str | None, cached: str | None,
          share: str | None, images: str | None, quality: str | None, size: str | None, batch: bool,
          per: str, request_tokens: str | None) -> Any:
    """Parse the workload options exactly (no floats) into a Workload."""
    from aicompare.pricing import build_workload
    from aicompare.quantities import parse_period, parse_share

    return build_workload(
        tokens=_qty(tokens, "--tokens"), input_tokens=_qty(input_, "--input"),
        output_tokens=_qty(output, "--output"), cached_input_tokens=_qty(cached, "--cached-input") or 0,
        output_share=None if share is None else parse_share(share, "--output-share"),
        images=_qty(images, "--images") or 0, quality=quality, size=size, batch=batch,
        request_tokens=_qty(request_tokens, "--request-tokens"), period=parse_period(per),
        catalog=models)


def _baseline(catalog: Any, name: str | None) -> Any:
    from aicompare.costing import resolve_targets

    return None if name is None else resolve_targets(catalog, [name])[0]


def _key(target: Any) -> str | None:
    return None if target is None else "+".join(m.id for m in target)


def _with(targets: list[Any], base_target: Any) -> list[Any]:
    """The targets, plus the --baseline one when it is not among them."""
    if base_target is None or _key(base_target) in {_key(t) for t in targets}:
        return targets
    return [*targets, base_target]


@app.command("cost")
def cost(
    models: Annotated[Optional[list[str]], typer.Argument(
        help="Models or text+image pipelines (o4-mini+gpt-image-1); default: the whole catalog.",
        metavar="[MODEL...]", autocompletion=complete_model)] = None,
    tokens: TokensOpt = None, input_: InputTokOpt = None, output: OutputTokOpt = None,
    cached_input: CachedTokOpt = None, output_share: ShareOpt = None, images: ImagesOpt = None,
    quality: QualityOpt = None, size: SizeOpt = None, batch: BatchOpt = False, per: PerOpt = "month",
    request_tokens: RequestOpt = None,
    provider: ProviderOpt = None, mtype: TypeOpt = None, capability: CapabilityOpt = None,
    current: CurrentOpt = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Show the N cheapest when browsing the catalog.")] = 10,
    all_: Annotated[bool, typer.Option("--all", help="Show every model, also those that cannot serve.")] = False,
    baseline: Annotated[Optional[str], typer.Option(
        "--baseline", help="Compare every total with this model (or pipeline) instead of the cheapest.")] = None,
    json_: JsonOpt = False, format_: FormatOpt = None, no_color: NoColorOpt = False,
    as_of: AsOfOpt = None, catalog_paths: CatalogOpt = None,
) -> None:
    """Price a workload on every model (or the ones named) and rank them, cheapest first.

    \b
    Examples:
      aicompare cost --tokens 5M
      aicompare cost o4-mini gpt-5-mini --input 4M --output 1M
      aicompare cost gpt-image-1 gpt-image-1-mini --images 1k --quality medium --size 1024x1536
      aicompare cost o4-mini+gpt-image-1 gpt-5-mini+gpt-image-1-mini --tokens 5M --images 2k
      aicompare cost --tokens 200M --type text --current --batch --per year --json
    """
    fmt_ = output_format(json_, format_)
    today = parse_as_of(as_of)
    catalog = load(catalog_paths)
    # Browsing reads the models' rate cards (light, cached), naming models reads the models.
    cards = None if models else catalog.rate_cards()
    workload = build(cards if cards is not None else catalog.models.values(), tokens=tokens, input_=input_,
                     output=output, cached=cached_input, share=output_share, images=images, quality=quality,
                     size=size, batch=batch, per=per, request_tokens=request_tokens)
    from aicompare.costing import browse_costs, compare_costs, resolve_targets

    if cards is None:
        if provider or mtype or capability or current:
            raise WorkloadError("filters (--provider, --type, --capability, --current) apply only "
                                "when no models are named", "drop the filters or the model names")
        targets = resolve_targets(catalog, models or [])
        base_target = _baseline(catalog, baseline)
        result = compare_costs(_with(targets, base_target), workload, today, explicit=True, top=None,
                               baseline=_key(base_target))
    else:
        chosen = filter_models(cards, today, provider, mtype.value if mtype else None,
                               [c.value for c in capability or []], current)
        if workload.tokens and workload.images:
            raise WorkloadError(
                "a workload with both tokens and images needs pipelines: no single model does both",
                "name them, e.g.: aicompare cost o4-mini+gpt-image-1 gpt-5-mini+gpt-image-1-mini ...")
        base_target = _baseline(catalog, baseline)
        if all_:
            every = dict(catalog.models.items())  # one bulk load, not one per model
            targets = [(every[c.id],) for c in chosen]
            result = compare_costs(_with(targets, base_target), workload, today, explicit=True, top=None,
                                   baseline=_key(base_target))
        else:
            result = browse_costs(chosen, workload, today, top=top, fetch=catalog.models.__getitem__,
                                  baseline=base_target)

    def document() -> dict[str, object]:
        from aicompare.render.cost_views import cost_document

        return cost_document(result)

    def blocks() -> list:  # type: ignore[type-arg]
        from aicompare.render.cost_views import cost_view

        return cost_view(result)

    emit(fmt_, document=document, blocks=blocks, no_color=no_color)
