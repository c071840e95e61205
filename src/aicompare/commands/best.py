"""`aicompare best --for TASK`: a verdict for a job, with reasons and costs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Optional

import typer

from aicompare.cli import AsOfOpt, CatalogOpt, FormatOpt, JsonOpt, NoColorOpt, app, emit, load, output_format, parse_as_of
from aicompare.commands.cost import (
    BatchOpt,
    CachedTokOpt,
    ImagesOpt,
    InputTokOpt,
    OutputTokOpt,
    PerOpt,
    QualityOpt,
    RequestOpt,
    ShareOpt,
    SizeOpt,
    TokensOpt,
    build,
)
from aicompare.errors import AicompareError, UsageError


def _tasks(catalog: Any) -> dict[str, Any]:
    from aicompare.schema import Problems
    from aicompare.tasks import build_tasks

    problems = Problems(lambda path: ("catalog", None))
    return build_tasks(catalog.tasks, problems, set(catalog.models)) if catalog.tasks else {}


def complete_task(incomplete: str) -> list[str]:
    try:
        return [t for t in _tasks(load(None)) if t.startswith(incomplete)]
    except Exception:  # noqa: BLE001 - completion must never fail loudly
        return []


def _budget(text: str | None) -> Any:
    if text is None:
        return None
    from aicompare.fields import parse_price

    try:
        return parse_price(text, "--budget")
    except UsageError:
        raise UsageError(f"invalid value for --budget: {text!r}",
                         "give dollars for the period, e.g. --budget 50 or --budget $12.50") from None


@app.command("best")
def best(
    task_id: Annotated[Optional[str], typer.Option("--for", metavar="TASK", help="The job, e.g. image-generation (see --list).",
                                                   autocompletion=complete_task)] = None,
    list_: Annotated[bool, typer.Option("--list", help="List the jobs the catalog knows.")] = False,
    budget: Annotated[Optional[str], typer.Option("--budget", help="Most you would pay for the period, in USD.")] = None,
    any_status: Annotated[bool, typer.Option("--any-status", help="Consider deprecated and retired models too.")] = False,
    explain: Annotated[Optional[list[str]], typer.Option("--model", "-m", help="Also say whether this model qualifies (repeatable).")] = None,
    tokens: TokensOpt = None, input_: InputTokOpt = None, output: OutputTokOpt = None,
    cached_input: CachedTokOpt = None, output_share: ShareOpt = None, images: ImagesOpt = None,
    quality: QualityOpt = None, size: SizeOpt = None, batch: BatchOpt = False, per: PerOpt = "month",
    request_tokens: RequestOpt = None,
    json_: JsonOpt = False, format_: FormatOpt = None, no_color: NoColorOpt = False,
    as_of: AsOfOpt = None, catalog_paths: CatalogOpt = None,
) -> None:
    """Say which model fits a job, why, and what it costs, from the catalog's facts.

    \b
    Examples:
      aicompare best --list
      aicompare best --for image-generation
      aicompare best --for image-generation --images 1k --quality medium --size 1024x1024 --budget 20
      aicompare best --for coding --tokens 50M --json
      aicompare best --for chat -m gpt-image-1
    """
    fmt_ = output_format(json_, format_)
    today = parse_as_of(as_of)
    catalog = load(catalog_paths)
    tasks = _tasks(catalog)
    if list_:
        _emit_list(fmt_, tasks, today, no_color)
        return
    if task_id is None:
        raise UsageError("say which job: --for TASK", "see the jobs with: aicompare best --list")
    task = tasks.get(task_id.strip().lower())
    if task is None:
        import difflib

        close = difflib.get_close_matches(task_id.lower(), list(tasks), n=3, cutoff=0.5)
        raise AicompareError(f"unknown task {task_id!r}", f"did you mean: {', '.join(close)}?" if close
                             else "see the jobs with: aicompare best --list")
    given = {"tokens": tokens, "input": input_, "output": output, "cached_input": cached_input,
             "output_share": output_share, "images": images, "quality": quality, "size": size,
             "request_tokens": request_tokens}
    if all(v is None for v in given.values()):
        # the task's typical workload; a task without one gets a small default, stated in the output
        makes_images = "image" in task.requires.output_modalities or "image" in task.requires.types
        fallback = {"images": "1k"} if makes_images else {"tokens": "1M"}
        given = {**given, **(task.workload or fallback)}
    workload = build(catalog.models.values(), tokens=given["tokens"], input_=given["input"], output=given["output"],
                     cached=given["cached_input"], share=given["output_share"], images=given["images"],
                     quality=given["quality"], size=given["size"], batch=batch, per=per,
                     request_tokens=given["request_tokens"])
    named = [catalog.resolve(name) for name in explain or []]
    from aicompare.verdict import choose

    verdict = choose(task, catalog.models.values(), workload, today, any_status=any_status,
                     budget=_budget(budget), explain=named)

    def document() -> dict[str, object]:
        from aicompare.render.best_views import best_document

        return best_document(verdict)

    def blocks() -> list:  # type: ignore[type-arg]
        from aicompare.render.best_views import best_view

        return best_view(verdict)

    emit(fmt_, document=document, blocks=blocks, no_color=no_color)


def _emit_list(fmt_: Any, tasks: dict[str, Any], today: dt.date, no_color: bool) -> None:
    from aicompare.render.blocks import Cell, Column, TableBlock, TextBlock
    from aicompare.render.documents import envelope
    from aicompare.tasks import as_table, describe_requirements

    def document() -> dict[str, object]:
        return envelope("best", today, tasks=[as_table(t) for t in tasks.values()])

    def blocks() -> list:  # type: ignore[type-arg]
        rows = [[Cell(t.id, tone="head"), Cell(t.name), Cell(describe_requirements(t)),
                 Cell(", ".join(f"{k} {v}" for k, v in t.workload.items()))] for t in tasks.values()]
        out: list[Any] = [TableBlock([Column("task", min_width=12), Column("name"), Column("requires"),
                                      Column("typical workload")], rows)]
        if not tasks:
            out.append(TextBlock(["The catalog defines no tasks; add [tasks.<id>] tables to a layer."]))
        return out

    emit(fmt_, document=document, blocks=blocks, no_color=no_color)
