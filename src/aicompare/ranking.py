"""How `best` orders the models that qualify for a task, criterion by criterion. No CLI.

Every criterion gives each candidate a value, smaller first, with unknown values after every
known one; the top pick is the first in that order, and `decide` tells which criterion separated
it from the rest (and which ones tied before it), so the verdict can say so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from aicompare.model import Model
from aicompare.pricing import Estimate
from aicompare.tasks import BENCHMARK, PRICE, Task

ID = "id"  # the last tie-break: models equal on every criterion come in id order


@dataclass(frozen=True)
class Candidate:
    model: Model
    estimate: Estimate


@dataclass(frozen=True)
class Step:
    """One criterion applied to the models still tied with the top pick."""

    criterion: str
    group: tuple[Candidate, ...]  # the models compared on it (the top pick among them)
    tied: tuple[Candidate, ...]  # those equal to the top pick on it (the top pick included)


def benchmark_of(model: Model, name: str) -> tuple[Decimal, str] | None:
    """The model's score on a benchmark and its source, if the catalog has one."""
    bench = next((b for b in model.benchmarks if b.name == name), None)
    return None if bench is None else (bench.score, bench.source)


def unit_price(model: Model, key: str) -> Decimal | None:
    """A listed standard price of the model (per 1M tokens, per minute, ...)."""
    return model.price(key)


def value(task: Task, criterion: str, c: Candidate) -> tuple[bool, Decimal | int]:
    """(unknown, value): smaller ranks first; an unknown value ranks after every known one."""
    m = c.model
    if criterion == "prefer":
        return (False, -sum(1 for cap in task.prefer if m.has(cap)))
    if criterion == "newest":
        date = m.release_date
        return (date is None, -date.toordinal() if date else 0)
    if criterion in ("context_window", "max_output_tokens"):
        size: int | None = getattr(m, criterion)
        return (size is None, -(size or 0))
    if criterion == "cost":
        total = c.estimate.total
        return (total is None, total if total is not None else Decimal(0))
    if criterion.startswith(PRICE):
        price = unit_price(m, criterion[len(PRICE) :])
        return (price is None, price if price is not None else Decimal(0))
    if criterion.startswith(BENCHMARK):
        found = benchmark_of(m, criterion[len(BENCHMARK) :])
        return (found is None, -found[0] if found else Decimal(0))
    raise ValueError(f"unknown criterion {criterion!r}")  # tasks.criterion_problem rejects these


def partitioned(task: Task) -> bool:
    """When the task weighs cost, models whose workload cannot be priced come after the rest."""
    return "cost" in task.by


def rank(task: Task, candidates: Sequence[Candidate]) -> list[Candidate]:
    """The candidates in the task's order: each criterion in turn, then the id."""

    def key(c: Candidate) -> tuple[object, ...]:
        head = (not c.estimate.servable,) if partitioned(task) else ()
        return (*head, *(value(task, criterion, c) for criterion in task.by), c.model.id)

    return sorted(candidates, key=key)


def decide(task: Task, ranked: Sequence[Candidate]) -> tuple[list[Step], str | None]:
    """The criteria applied to the top pick, in order, up to the one that left it alone; and that
    criterion (ID when they all tied, "cost" when it is the only one with a price for the
    workload, None when it is the only model that qualifies)."""
    if len(ranked) < 2:
        return [], None
    top = ranked[0]
    group = tuple(ranked)
    if partitioned(task):
        group = tuple(c for c in ranked if c.estimate.servable == top.estimate.servable)
        if len(group) == 1:
            return [], "cost"
    steps: list[Step] = []
    for criterion in task.by:
        mine = value(task, criterion, top)
        tied = tuple(c for c in group if value(task, criterion, c) == mine)
        steps.append(Step(criterion, group, tied))
        if len(tied) == 1:
            return steps, criterion
        group = tied
    return steps, ID


def measure_key(task: Task) -> str | None:
    """What "cheapest" means for the task: the workload's cost (None), or the listed unit price
    it ranks by when it ranks by one and not by cost (a per-minute price for transcription)."""
    if "cost" in task.by:
        return None
    return next((c[len(PRICE) :] for c in task.by if c.startswith(PRICE)), None)


def measure(task: Task, c: Candidate) -> Decimal | None:
    key = measure_key(task)
    return c.estimate.total if key is None else unit_price(c.model, key)
