"""`aicompare best --for TASK`: a verdict for a job, with reasons and costs."""

from __future__ import annotations

from typing import Annotated

import typer

from aicompare.cli import emit
from aicompare.commands.options import (
    AsOfOpt,
    CatalogOpt,
    FormatOpt,
    JsonOpt,
    NoColorOpt,
    load,
    output_format,
    parse_as_of,
)
from aicompare.commands.options.filters import AnyStatusOpt, IncludeFreeOpt, IncludePreviewOpt
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
from aicompare.errors import UsageError
from aicompare.render import View

VIEW = View(
    "best",
    document="aicompare.render.best_views:best_document",
    blocks="aicompare.render.best_views:best_view",
    csv="aicompare.render.csv_views:best_csv",
)
TASKS_VIEW = View(
    "best",
    document="aicompare.render.best_views:tasks_document",
    blocks="aicompare.render.best_views:tasks_view",
    csv="aicompare.render.csv_views:tasks_csv",
)


def complete_task(incomplete: str) -> list[str]:
    try:
        from aicompare.verdict import catalog_tasks

        return [t for t in catalog_tasks(load(None)) if t.startswith(incomplete)]
    except Exception:
        return []


def command(
    task_id: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="TASK",
            help="The job, e.g. image-generation (see --list).",
            autocompletion=complete_task,
        ),
    ] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the jobs the catalog knows.")] = False,
    budget: Annotated[
        str | None,
        typer.Option("--budget", metavar="USD", help="Most you would pay for the period, in USD."),
    ] = None,
    any_status: AnyStatusOpt = False,
    include_free: IncludeFreeOpt = False,
    include_preview: IncludePreviewOpt = False,
    rank_by: Annotated[
        list[str] | None,
        typer.Option(
            "--rank-by",
            metavar="CRITERION",
            help="Rank by these criteria instead of the task's, e.g. benchmark:swe-bench,cost "
            "(repeatable).",
        ),
    ] = None,
    explain: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            metavar="MODEL",
            help="Also say whether this model qualifies (repeatable).",
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
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Say which model fits a job, why, and what it costs, from the catalog's facts.

    \b
    Examples:
      aicompare best --list
      aicompare best --for image-generation
      aicompare best --for image-generation --images 1k --quality medium --size 1024x1024 --budget 20
      aicompare best --for coding --tokens 50M --json
      aicompare best --for chat -m gpt-image-1
      aicompare best --for coding --rank-by benchmark:swe-bench,cost
    """
    spec = workload_spec(locals())  # first: its parameters, and nothing else yet
    from aicompare import verdict

    fmt_ = output_format(json_, format_)
    today = parse_as_of(as_of)
    catalog = load(catalog_paths, today if as_of else None)
    if list_:
        emit(fmt_, TASKS_VIEW, verdict.catalog_tasks(catalog), as_of=today, no_color=no_color)
        return
    if task_id is None:
        raise UsageError("say which job: --for TASK", "see the jobs with: aicompare best --list")
    result = verdict.best_for(
        catalog,
        task_id,
        spec,
        today,
        any_status=any_status,
        include_free=include_free,
        include_preview=include_preview,
        budget=budget,
        explain=explain or (),
        rank_by=rank_by or (),
    )
    from aicompare.catalog import utc_today
    from aicompare.history import verdict_projections

    result = verdict_projections(result, utc_today())
    emit(fmt_, VIEW, result, as_of=today, no_color=no_color)
