"""`aicompare diff MODEL MODEL...`: models side by side, and their key differences.

Annotations are evaluated at import (no `from __future__ import annotations`), as in the cost
command: Typer reads each parameter's annotation twice, and a string one is compiled and
evaluated each time, which the workload options would make about a millisecond of every run.
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
    fail_usage,
    load,
    output_format,
    parse_as_of,
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
from aicompare.render import OutputFormat, View

VIEW = View(
    "diff",
    document="aicompare.render.documents:diff_document",
    blocks="aicompare.render.views:diff_view",
    csv="aicompare.render.csv_views:diff_csv",
)


def command(
    models: Annotated[
        list[str],
        typer.Argument(
            help="Two or more models.",
            metavar="MODEL MODEL [MODEL...]",
            autocompletion=complete_model,
        ),
    ],
    json_: JsonOpt = False,
    format_: PageFormatOpt = None,
    out: OutOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
    via: Annotated[
        str | None,
        typer.Option(
            "--via",
            metavar="SELLER",
            help="Compare the models as this seller sells them (bedrock, azure, vertex_ai, ...).",
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
) -> None:
    """Compare models side by side, with the key differences in plain sentences.

    With a workload (--tokens, --images, ... as `cost` takes them) the models are also priced
    for it and ranked, cheapest first: the same figures as `aicompare cost MODEL... --tokens ...`.

    \b
    Examples:
      aicompare diff gpt-image-1 o4-mini
      aicompare diff gpt-4.1-mini gpt-5-mini gpt-4o-mini
      aicompare diff o4-mini gpt-5-mini --json | jq -r '.differences[].text'
      aicompare diff claude-sonnet-4-5@anthropic claude-sonnet-4-5@bedrock-eu
      aicompare diff gpt-5-mini gpt-4.1-mini --via azure
      aicompare diff gpt-image-1 o4-mini --format html -o page.html
      aicompare diff gpt-5-mini gpt-4.1-mini --tokens 5M --format html -o page.html
    """
    spec = workload_spec(locals())
    fmt_ = output_format(json_, format_)
    if spec.given() and fmt_ is OutputFormat.csv:
        fail_usage(
            "the CSV of diff is the models' table: for a workload's costs use "
            "`aicompare cost MODEL... --format csv`",
            "--format",
        )
    today = parse_as_of(as_of)
    if len(models) < 2:
        fail_usage("give at least two models to compare", "MODEL")
    catalog = load(catalog_paths, today if as_of else None)
    resolved = [catalog.resolve(name) for name in models]
    if via is not None:
        from aicompare.costing import sold_via
        from aicompare.errors import AicompareError

        sold = [(model, sold_via(model, via)) for model in resolved]
        missing = [model.id for model, offers in sold if not offers]
        if missing:
            raise AicompareError(
                f"{via} does not sell {', '.join(missing)} in the catalog",
                "drop --via, or see the sellers of a model with `aicompare show MODEL`",
            )
        resolved = [offer for _, offers in sold for offer in offers]
    ids = [m.id for m in resolved]
    if len(set(ids)) < len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        fail_usage(f"the same model was given twice: {', '.join(dupes)}", "MODEL")
    from aicompare.compare import diff
    from aicompare.succession import lookup_in

    result = diff(resolved, today, catalog.provider_name, lookup_in(catalog.models))
    cost = None
    if spec.given():
        from aicompare.costing import cost_query

        cost = cost_query(catalog, models, spec, today, via=via)
    layers = [layer.path for layer in catalog.layers if layer.exists]
    emit_to(
        fmt_, VIEW, result, catalog, cost, as_of=today, out=out, layers=layers, no_color=no_color
    )
