"""`aicompare cost`: price a workload on models or pipelines and rank them.

Annotations are evaluated at import (no `from __future__ import annotations`): Typer reads each
parameter's annotation twice (inspect.signature and get_type_hints), and a string one is
compiled and evaluated each time, about 1.4 ms for this command's 48 parameters.
"""

from typing import Annotated

import typer

from aicompare.cli import emit_to
from aicompare.commands.options import (
    AsOfOpt,
    CatalogOpt,
    JsonOpt,
    NoColorOpt,
    OutOpt,
    PageFormatOpt,
    complete_model,
    load,
    output_format,
    parse_as_of,
)
from aicompare.commands.options.filters import (
    AnyStatusOpt,
    CapabilityOpt,
    CurrentOpt,
    IncludeFreeOpt,
    IncludePreviewOpt,
    ProviderOpt,
    TypeOpt,
    filters,
)
from aicompare.commands.options.workload import (
    AudioInputOpt,
    AudioMinutesOpt,
    AudioOutputOpt,
    BatchOpt,
    CachedImageInputOpt,
    CachedTokOpt,
    CacheHitOpt,
    CacheTtlOpt,
    CacheWritesOpt,
    CharactersOpt,
    ImageInputOpt,
    ImageOutputOpt,
    ImagesOpt,
    InputTokOpt,
    OffPeakOpt,
    OutputTokOpt,
    PerOpt,
    QualityOpt,
    ReasoningOpt,
    RequestOpt,
    RequestsOpt,
    SearchesOpt,
    ShareOpt,
    SizeOpt,
    ThinkingOpt,
    TierOpt,
    TokensOpt,
    VideoSecondsOpt,
    workload_spec,
)
from aicompare.costing import DEFAULT_TOP, cost_query
from aicompare.render import OutputFormat, View

VIEW = View(
    "cost",
    document="aicompare.render.cost_views:cost_document",
    blocks="aicompare.render.cost_views:cost_view",
    csv="aicompare.render.csv_views:cost_csv",
)
ITEMS_VIEW = View(
    "cost",
    document="aicompare.render.cost_views:cost_document",
    csv="aicompare.render.csv_views:cost_items_csv",
)


def command(
    models: Annotated[
        list[str] | None,
        typer.Argument(
            help="Models or text+image pipelines (o4-mini+gpt-image-1); default: the whole catalog.",
            metavar="[MODEL...]",
            autocompletion=complete_model,
        ),
    ] = None,
    tokens: TokensOpt = None,
    input_: InputTokOpt = None,
    output: OutputTokOpt = None,
    cached_input: CachedTokOpt = None,
    output_share: ShareOpt = None,
    images: ImagesOpt = None,
    quality: QualityOpt = None,
    size: SizeOpt = None,
    batch: BatchOpt = False,
    per: PerOpt = "month",
    request_tokens: RequestOpt = None,
    cache_writes: CacheWritesOpt = None,
    cache_ttl: CacheTtlOpt = None,
    cache_hit: CacheHitOpt = None,
    reasoning_tokens: ReasoningOpt = None,
    image_input: ImageInputOpt = None,
    cached_image_input: CachedImageInputOpt = None,
    image_output_tokens: ImageOutputOpt = None,
    audio_input_tokens: AudioInputOpt = None,
    audio_output_tokens: AudioOutputOpt = None,
    audio_minutes: AudioMinutesOpt = None,
    characters: CharactersOpt = None,
    video_seconds: VideoSecondsOpt = None,
    requests: RequestsOpt = None,
    searches: SearchesOpt = None,
    tier: TierOpt = None,
    off_peak: OffPeakOpt = False,
    thinking: ThinkingOpt = False,
    provider: ProviderOpt = None,
    mtype: TypeOpt = None,
    capability: CapabilityOpt = None,
    current: CurrentOpt = False,
    top: Annotated[
        int,
        typer.Option(
            "--top", min=1, metavar="N", help="Show the N cheapest when browsing the catalog."
        ),
    ] = DEFAULT_TOP,
    any_status: AnyStatusOpt = False,
    include_preview: IncludePreviewOpt = False,
    include_free: IncludeFreeOpt = False,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Show every model, whatever its status, also those that cannot serve.",
        ),
    ] = False,
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            metavar="MODEL",
            help="Compare every total with this model (or pipeline) instead of the cheapest.",
        ),
    ] = None,
    via: Annotated[
        str | None,
        typer.Option(
            "--via",
            metavar="SELLER",
            help="Price every model as this seller sells it (bedrock, azure, vertex_ai, ...); "
            "a model it does not sell cannot serve.",
        ),
    ] = None,
    sellers: Annotated[
        bool,
        typer.Option(
            "--sellers",
            help="Rank every seller's offer of the models named, and say where each is cheapest.",
        ),
    ] = False,
    items: Annotated[
        bool,
        typer.Option(
            "--items",
            help="With --format csv: one row per line item instead of one per model.",
        ),
    ] = False,
    json_: JsonOpt = False,
    format_: PageFormatOpt = None,
    out: OutOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Price a workload on every model (or the ones named) and rank them, cheapest first.

    Browsing ranks the models a team could buy today: current, generally available and paid;
    the notes count the rest. Named models are always priced, whatever their status.

    \b
    Examples:
      aicompare cost --tokens 5M
      aicompare cost o4-mini gpt-5-mini --input 4M --output 1M
      aicompare cost gpt-image-1 gpt-image-1-mini --images 1k --quality medium --size 1024x1536
      aicompare cost o4-mini+gpt-image-1 gpt-5-mini+gpt-image-1-mini --tokens 5M --images 2k
      aicompare cost gpt-image-1 gpt-image-1-mini --images 10k --input 500k
      aicompare cost claude-sonnet-4-5 --input 1M --cache-writes 1M --cached-input 1M --output 1M
      aicompare cost --audio-minutes 10k
      aicompare cost --tokens 200M --type text --current --batch --per year --json
      aicompare cost o4-mini gpt-5-mini --tokens 5M --format csv --items
      aicompare cost claude-sonnet-4-5@anthropic claude-sonnet-4-5@bedrock --tokens 50M
      aicompare cost claude-sonnet-4-5 --sellers --tokens 50M
      aicompare cost gpt-5-mini o4-mini --via azure --tokens 5M
      aicompare cost o4-mini gpt-5-mini gpt-4.1-mini --tokens 5M --format html -o cost.html
    """
    spec = workload_spec(locals())  # first: its parameters, and nothing else yet
    fmt_ = output_format(json_, format_)
    if items and fmt_ is not OutputFormat.csv:
        raise typer.BadParameter(
            "--items writes the line items as CSV: add --format csv "
            "(the JSON has them under results[].line_items)",
            param_hint="'--items'",
        )
    today = parse_as_of(as_of)
    catalog = load(catalog_paths, today if as_of else None)
    result = cost_query(
        catalog,
        models or [],
        spec,
        today,
        filters=filters(provider, mtype, capability, current),
        top=top,
        every=all_,
        baseline=baseline,
        any_status=any_status,
        include_free=include_free,
        include_preview=include_preview,
        via=via,
        sellers=sellers,
    )
    if as_of:
        result = result.priced_as_of(today)  # the header says the date the prices are of
    from aicompare.catalog import utc_today
    from aicompare.history import with_projections

    result = with_projections(result, utc_today())
    emit_to(
        fmt_,
        ITEMS_VIEW if items else VIEW,
        result,
        as_of=today,
        out=out,
        layers=[layer.path for layer in catalog.layers if layer.exists],
        no_color=no_color,
    )
