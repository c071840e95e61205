"""`best --for TASK`: which models qualify, how they rank on the task's criteria, and why. No CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from aicompare import fmt, succession
from aicompare.catalog import Catalog
from aicompare.costing import WorkloadSpec, parse_workload
from aicompare.errors import AicompareError, UsageError
from aicompare.model import Model, Status
from aicompare.pricing import Estimate, Workload, estimate
from aicompare.quantities import format_quantity
from aicompare.tasks import Task, why_not


@dataclass(frozen=True)
class Candidate:
    model: Model
    estimate: Estimate


@dataclass(frozen=True)
class Verdict:
    task: Task
    workload: Workload
    candidates: tuple[Candidate, ...]  # qualifying, in the task's order
    top: Candidate | None
    budget_pick: Candidate | None
    top_reason: str | None
    budget_reason: str | None
    not_qualifying: tuple[tuple[str, str], ...]  # (model id, why) for the task's popular models
    left_out_status: int  # qualifying but deprecated or retired, not shown
    over_budget: int
    basis: str
    today: dt.date
    # each candidate's successors, to the first current one (succession.follow), by model id
    successors: Mapping[str, succession.Succession] = field(default_factory=dict)


def workload_phrase(w: Workload) -> str:
    """'1,000 medium 1024x1024 images and 5M tokens a month'."""
    parts: list[str] = []
    if w.images:
        quality = f"{w.quality} " if w.quality else ""
        size = f"{w.size} " if w.size else ""
        parts.append(f"{w.images:,} {quality}{size}images")
    if w.tokens:
        parts.append(f"{format_quantity(w.tokens)} tokens")
    return f"{' and '.join(parts)} a {w.period.value}"


def _key(task: Task, c: Candidate) -> tuple[object, ...]:
    """Sort key: each criterion in order, better first, unknown values last."""
    m = c.model
    key: list[object] = []
    for criterion in task.by:
        if criterion == "prefer":
            key.append(-sum(1 for cap in task.prefer if m.has(cap)))
        elif criterion == "newest":
            key.append(-(m.release_date.toordinal()) if m.release_date else 0)
        elif criterion in ("context_window", "max_output_tokens"):
            key.append(-(getattr(m, criterion) or 0))
        elif criterion == "cost":
            total = c.estimate.total
            key.append((total is None, total if total is not None else Decimal(0)))
        elif criterion.startswith("benchmark:"):
            name = criterion.split(":", 1)[1]
            score = next((b.score for b in m.benchmarks if b.name == name), None)
            key.append((score is None, -(score or 0)))
    return (*key, m.id)


def _strengths(task: Task, top: Candidate, others: Sequence[Candidate]) -> list[str]:
    """Facts where the top pick leads the field, in the task's order of criteria."""
    m, facts = top.model, []
    for criterion in task.by:
        if criterion == "prefer":
            have = [cap.replace("_", " ") for cap in task.prefer if m.has(cap)]
            if have:
                facts.append(f"it supports {fmt.join_words(have)}")
        elif criterion == "newest" and m.release_date:
            if all(
                o.model.release_date is None or o.model.release_date <= m.release_date
                for o in others
            ):
                facts.append(
                    f"it is the newest of the {len(others) + 1} that qualify (released {m.release_date})"
                )
        elif criterion in ("context_window", "max_output_tokens") and getattr(m, criterion):
            value = getattr(m, criterion)
            if all((getattr(o.model, criterion) or 0) <= value for o in others):
                label = "context window" if criterion == "context_window" else "output limit"
                facts.append(f"it has the largest {label} ({fmt.tokens(value)} tokens)")
        elif criterion.startswith("benchmark:"):
            name = criterion.split(":", 1)[1]
            bench = next((b for b in m.benchmarks if b.name == name), None)
            if bench:
                facts.append(f"it scores {fmt.dec(bench.score)} on {name} ({bench.source})")
    return facts


def _cost_text(c: Candidate, w: Workload) -> str:
    if c.estimate.total is None:
        return f"its price for {workload_phrase(w)} is not in the catalog"
    return f"{fmt.money(c.estimate.total)} for {workload_phrase(w)}"


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
    budget: Decimal | None = None,
    explain: Sequence[Model] = (),
) -> Verdict:
    """Qualify, rank and pick; every sentence is built from catalog facts."""
    pool = list(models)
    qualifying: list[Candidate] = []
    left_out = over = 0
    for model in pool:
        if why_not(task, model) is not None:
            continue
        if not any_status and (model.status(today) is not Status.CURRENT):
            left_out += 1
            continue
        candidate = Candidate(model, estimate([model], workload))
        if budget is not None and (
            candidate.estimate.total is None or candidate.estimate.total > budget
        ):
            over += 1
            continue
        qualifying.append(candidate)
    # a model whose price for the workload is unknown cannot be weighed on cost: it ranks after
    # the ones that can serve the workload, whatever its other merits
    qualifying.sort(key=lambda c: (not c.estimate.servable, _key(task, c)))
    top = qualifying[0] if qualifying else None
    priced = [c for c in qualifying if c.estimate.total is not None]
    budget_pick = min(priced, key=lambda c: (c.estimate.total, c.model.id)) if priced else None
    top_reason = budget_reason = None
    if top is not None:
        facts = _strengths(task, top, [c for c in qualifying if c is not top])
        if top.estimate.total is not None:
            facts.append(f"it would cost {_cost_text(top, workload)}")
            top_reason = (
                f"{top.model.id} is the top pick for {task.name.lower()}: {fmt.join_words(facts)}."
            )
        else:
            lead = f": {fmt.join_words(facts)}" if facts else ""
            top_reason = (
                f"{top.model.id} is the top pick for {task.name.lower()}{lead}; but "
                f"{_cost_text(top, workload)}, and no model that qualifies has one."
            )
    if budget_pick is not None and top is not None:
        if budget_pick is top:
            budget_reason = f"{top.model.id} is also the cheapest model that qualifies."
        elif top.estimate.total is None:
            budget_reason = (
                f"{budget_pick.model.id} is the budget pick: the cheapest that qualifies, at "
                f"{_cost_text(budget_pick, workload)}."
            )
        else:
            a, b = budget_pick.estimate.total, top.estimate.total
            assert a is not None and b is not None
            if a == 0:
                # a listed price of 0 is a free tier; say so rather than "100% cheaper"
                budget_reason = (
                    f"{budget_pick.model.id} is the budget pick: the catalog lists it as free "
                    f"($0) for {workload_phrase(workload)}, against {fmt.money(b)} for "
                    f"{top.model.id}; check the maker's rate limits for free use."
                )
            else:
                budget_reason = (
                    f"{budget_pick.model.id} is the budget pick: "
                    f"{fmt.cheaper_text(a, b)} than {top.model.id} for "
                    f"{workload_phrase(workload)} ({fmt.money(a)} vs {fmt.money(b)})."
                )
    seen = {c.model.id for c in qualifying}
    named = list(dict.fromkeys([*[m.id for m in explain], *task.popular]))
    lookup = {m.id: m for m in pool} | {m.id: m for m in explain}
    not_q: list[tuple[str, str]] = []
    for model_id in named:
        found = lookup.get(model_id)
        if found is None or model_id in seen:
            continue
        reason = why_not(task, found)
        if reason is not None:
            not_q.append((model_id, reason))
        elif found.status(today) is not Status.CURRENT and not any_status:
            not_q.append(
                (
                    model_id,
                    f"{model_id} qualifies but is {found.status(today).value}"
                    + _successor_hint(found, lookup, today),
                )
            )
    benches = [c for c in task.by if c.startswith("benchmark:")]
    basis = (
        "Ranked on the catalog's facts: "
        + ", ".join(_criterion_text(c, task) for c in task.by)
        + ". "
        + (
            "Benchmark scores come from the sources named in the catalog."
            if benches
            else "No benchmark scores are used: the catalog carries none with a source for this job."
        )
    )
    return Verdict(
        task,
        workload,
        tuple(qualifying),
        top,
        budget_pick,
        top_reason,
        budget_reason,
        tuple(not_q),
        left_out,
        over,
        basis,
        today,
    )


def _criterion_text(criterion: str, task: Task) -> str:
    if criterion == "prefer":
        return (
            "preferred capabilities (" + ", ".join(c.replace("_", " ") for c in task.prefer) + ")"
        )
    return {
        "newest": "release date (newest first)",
        "context_window": "context window",
        "max_output_tokens": "output limit",
        "cost": "cost of the workload",
    }.get(criterion, criterion)


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
    budget: str | None = None,
    explain: Sequence[str] = (),
) -> Verdict:
    """`aicompare best --for TASK`: the task's verdict on the catalog for the workload given (or
    the task's typical one), with the models named in `explain` accounted for."""
    task = find_task(catalog_tasks(catalog), task_id)
    workload = parse_workload(typical_workload(task, spec), catalog.models.values())
    named = [catalog.resolve(name) for name in explain]
    verdict = choose(
        task,
        catalog.models.values(),
        workload,
        today,
        any_status=any_status,
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
