"""`best --for TASK`: which models qualify, how they rank on the task's criteria, and why. No CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from aicompare import fmt, ranking, succession
from aicompare import verdict_text as text
from aicompare.catalog import Catalog
from aicompare.costing import parse_workload
from aicompare.errors import AicompareError, UsageError
from aicompare.filters import buyable, left_out_reasons
from aicompare.model import Model
from aicompare.pricing import Workload, estimate
from aicompare.quantities import WorkloadSpec
from aicompare.ranking import Candidate, Step
from aicompare.tasks import Task, criterion_problem, why_not
from aicompare.workloads import workload_phrase

__all__ = ["Candidate", "Verdict", "best_for", "choose", "workload_phrase"]


@dataclass(frozen=True)
class Verdict:
    task: Task  # with the criteria in use (the task's, or --rank-by's)
    workload: Workload
    candidates: tuple[Candidate, ...]  # qualifying and offered, in the task's order
    top: Candidate | None
    budget_pick: Candidate | None
    top_reason: str | None
    budget_reason: str | None
    not_qualifying: tuple[tuple[str, str], ...]  # (model id, why) for the task's popular models
    left_out_status: int  # qualifying but deprecated or retired, not shown
    over_budget: int
    basis: str
    today: dt.date
    left_out_preview: int = 0  # qualifying but preview or experimental, not shown
    left_out_free: int = 0  # qualifying but free-tier, not shown
    steps: tuple[Step, ...] = ()  # the criteria applied to the top pick, up to the deciding one
    decided_by: str | None = None  # that criterion; ranking.ID when all tied
    notes: tuple[str, ...] = ()  # what was left out and why; what the ranking cannot say
    pool: str = "that qualify"  # what the candidates are, after "the 12 ..." (verdict_text)

    @property
    def left_out(self) -> dict[str, int]:
        return {
            "not_current": self.left_out_status,
            "over_budget": self.over_budget,
            "preview": self.left_out_preview,
            "free": self.left_out_free,
        }

    # each candidate's successors, to the first current one (succession.follow), by model id
    successors: Mapping[str, succession.Succession] = field(default_factory=dict)


# filters.LEFT_OUT's reasons under the names of Verdict.left_out
_LEFT_OUT_KEYS = {"status": "not_current", "availability": "preview", "free": "free"}


def left_out_reason(
    model: Model,
    today: dt.date,
    *,
    any_status: bool = False,
    include_free: bool = False,
    include_preview: bool = False,
) -> str | None:
    """Why a model that qualifies is not offered by default (a key of Verdict.left_out), or None.

    The rule is `cost`'s (filters.buyable): deprecated and retired models come back with
    --any-status, previews and experiments with --include-preview, free-tier models with
    --include-free; a model is counted under the first reason that still holds."""
    screen = buyable(any_status, include_free, include_preview)
    reason = left_out_reasons([model], today, screen)[0]
    return None if reason is None else _LEFT_OUT_KEYS[reason]


def _left_out_why(model: Model, reason: str, models: Mapping[str, Model], today: dt.date) -> str:
    if reason == "not_current":
        hint = _successor_hint(model, models, today)
        return f"{model.id} qualifies but is {model.status(today).value}{hint}"
    if reason == "preview":
        return (
            f"{model.id} qualifies but is {fmt.article(model.availability)} "
            f"{model.availability} model (--include-preview to consider it)"
        )
    return f"{model.id} qualifies but is free-tier, every listed price $0 (--include-free to consider it)"


def _successor_hint(model: Model, models: Mapping[str, Model], today: dt.date) -> str:
    """'; use X' when its successors lead to a current model X, else the chain as it stands."""
    succ = succession.succession(model.id, model.lifecycle, succession.lookup_in(models), today)
    if succ.live is not None:
        return f"; use {succ.live}"
    return "; " + succession.flag_text(succ, today) if succ.chain else ""


def choose(
    task: Task,
    models: Iterable[Model],
    workload: Workload,
    today: dt.date,
    *,
    any_status: bool = False,
    include_free: bool = False,
    include_preview: bool = False,
    budget: Decimal | None = None,
    explain: Sequence[Model] = (),
) -> Verdict:
    """Qualify, rank and pick; every sentence is built from catalog facts."""
    pool = list(models)
    qualifying: list[Candidate] = []
    counts = {"not_current": 0, "preview": 0, "free": 0}
    over = 0
    flags = {
        "any_status": any_status,
        "include_free": include_free,
        "include_preview": include_preview,
    }
    for model in pool:
        if why_not(task, model) is not None:
            continue
        reason = left_out_reason(model, today, **flags)
        if reason is not None:
            counts[reason] += 1
            continue
        candidate = Candidate(model, estimate([model], workload))
        if budget is not None and (
            candidate.estimate.total is None or candidate.estimate.total > budget
        ):
            over += 1
            continue
        qualifying.append(candidate)
    ranked = ranking.rank(task, qualifying)
    top = ranked[0] if ranked else None
    steps, decided_by = ranking.decide(task, ranked)
    priced = [c for c in ranked if ranking.measure(task, c) is not None]
    budget_pick = (
        min(priced, key=lambda c: (ranking.measure(task, c), c.model.id)) if priced else None
    )
    words = text.pool_words(counts, over)
    top_reason = budget_reason = None
    if top is not None:
        top_reason = text.top_reason(task, ranked, steps, decided_by, workload, words)
        if budget_pick is not None:
            budget_reason = text.budget_reason(task, ranked, budget_pick, workload, words)
    seen = {c.model.id for c in ranked}
    named = list(dict.fromkeys([*[m.id for m in explain], *task.popular]))
    lookup = {m.id: m for m in pool} | {m.id: m for m in explain}
    not_q: list[tuple[str, str]] = []
    for model_id in named:
        found = lookup.get(model_id)
        if found is None or model_id in seen:
            continue
        why = why_not(task, found)
        left = left_out_reason(found, today, **flags)
        if why is not None:
            not_q.append((model_id, why))
        elif left is not None:
            not_q.append((model_id, _left_out_why(found, left, lookup, today)))
    notes = [text.left_out_note(counts), text.quality_note(task, ranked, words)]
    return Verdict(
        task,
        workload,
        tuple(ranked),
        top,
        budget_pick,
        top_reason,
        budget_reason,
        tuple(not_q),
        counts["not_current"],
        over,
        text.basis(task),
        today,
        counts["preview"],
        counts["free"],
        tuple(steps),
        decided_by,
        tuple(n for n in notes if n),
        words,
    )


# ---------------------------------------------------------------- `aicompare best`


def catalog_tasks(catalog: Catalog) -> dict[str, Task]:
    """The catalog's tasks, typed: the loader built and validated them once (or the cache did)."""
    return dict(catalog.tasks)


def find_task(tasks: Mapping[str, Task], task_id: str) -> Task:
    """The task of that id (any case), or an error with the closest ids."""
    task = tasks.get(task_id.strip().lower())
    if task is None:
        import difflib

        close = difflib.get_close_matches(task_id.lower(), list(tasks), n=3, cutoff=0.5)
        raise AicompareError(
            f"unknown task {task_id!r}",
            f"did you mean: {', '.join(close)}?"
            if close
            else "see the jobs with: aicompare best --list",
        )
    return task


def typical_workload(task: Task, spec: WorkloadSpec) -> WorkloadSpec:
    """The workload given, else the task's typical one; a task without one gets a small default
    (1k images for a job that makes images, else 1M tokens), which the output states."""
    if spec.given():
        return spec
    makes_images = "image" in task.requires.output_modalities or "image" in task.requires.types
    fallback = {"images": "1k"} if makes_images else {"tokens": "1M"}
    typical: dict[str, Any] = dict(task.workload or fallback)  # keys: tasks.WORKLOAD_KEYS
    return spec._replace(**typical)


def parse_rank_by(items: Sequence[str]) -> tuple[str, ...]:
    """--rank-by values (repeatable, or comma-separated) as criteria; UsageError for one that
    `rank.by` would not accept."""
    criteria = [part.strip() for item in items for part in item.split(",") if part.strip()]
    if not criteria:
        raise UsageError("--rank-by needs a criterion", "e.g. --rank-by benchmark:swe-bench")
    for criterion in criteria:
        problem = criterion_problem(criterion)
        if problem is not None:
            raise UsageError(
                f"invalid value for --rank-by: {problem}",
                "criteria: prefer, newest, context_window, max_output_tokens, cost, "
                "benchmark:NAME, price:KEY (docs/tasks.md)",
            )
    return tuple(dict.fromkeys(criteria))


def parse_budget(text: str) -> Decimal:
    from aicompare.fields import parse_price

    try:
        return parse_price(text, "--budget")
    except UsageError:
        raise UsageError(
            f"invalid value for --budget: {text!r}",
            "give dollars for the period, e.g. --budget 50 or --budget $12.50",
        ) from None


def best_for(
    catalog: Catalog,
    task_id: str,
    spec: WorkloadSpec,
    today: dt.date,
    *,
    any_status: bool = False,
    include_free: bool = False,
    include_preview: bool = False,
    budget: str | None = None,
    explain: Sequence[str] = (),
    rank_by: Sequence[str] = (),
) -> Verdict:
    """`aicompare best --for TASK`: the task's verdict on the catalog for the workload given (or
    the task's typical one), with the models named in `explain` accounted for; `rank_by`, when
    given, replaces the task's criteria."""
    task = find_task(catalog_tasks(catalog), task_id)
    if rank_by:
        task = task._replace(by=parse_rank_by(rank_by))
    workload = parse_workload(typical_workload(task, spec), catalog.models.values())
    named = [catalog.resolve(name) for name in explain]
    verdict = choose(
        task,
        catalog.models.values(),
        workload,
        today,
        any_status=any_status,
        include_free=include_free,
        include_preview=include_preview,
        budget=None if budget is None else parse_budget(budget),
        explain=named,
    )
    lookup = succession.lookup_in(catalog.models)
    chains = {
        c.model.id: succession.succession(c.model.id, c.model.lifecycle, lookup, today)
        for c in verdict.candidates
        if c.model.superseded_by
    }
    return replace(verdict, successors=chains)
