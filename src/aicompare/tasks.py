"""Jobs a model can be chosen for (`[tasks.<id>]` in the catalog): requirements, criteria, workload.

The loader builds the tasks once (`build_tasks`) and the catalog keeps them as typed records; the
cache stores them by their field types (cache/format.py), like the other records. So, like
model.py, this module does not use `from __future__ import annotations`.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from aicompare import fmt
from aicompare.model import (
    CAPABILITIES,
    INPUT_MODALITIES,
    MODEL_TYPES,
    OUTPUT_MODALITIES,
    PRICE_KEYS,
    Model,
)
from aicompare.quantities import MODES, WorkloadSpec

if TYPE_CHECKING:
    from aicompare.schema import Problems

TASK_KEYS = ("name", "description", "requires", "rank", "workload", "popular")
REQUIRE_KEYS = (
    "types",
    "input_modalities",
    "output_modalities",
    "capabilities",
    "min_context_window",
    "min_max_output_tokens",
    "endpoints",
)
RANK_KEYS = ("by", "prefer")
CRITERIA = ("prefer", "newest", "context_window", "max_output_tokens", "cost")
# Criteria with an argument: a score from the catalog's benchmarks, or one listed unit price.
BENCHMARK, PRICE = "benchmark:", "price:"
DEFAULT_BY = ("prefer", "newest", "cost")
# a task's [tasks.<id>.workload] keys: the workload options, by their WorkloadSpec field names
WORKLOAD_KEYS = tuple(f for f in WorkloadSpec._fields if f not in MODES)


class Requirements(NamedTuple):
    types: tuple[str, ...] = ()  # any of
    input_modalities: tuple[str, ...] = ()  # all of
    output_modalities: tuple[str, ...] = ()  # all of
    capabilities: tuple[str, ...] = ()  # all of
    min_context_window: int | None = None
    min_max_output_tokens: int | None = None
    endpoints: tuple[str, ...] = ()  # any of


class Task(NamedTuple):
    id: str
    name: str
    description: str | None
    requires: Requirements
    by: tuple[str, ...]  # criteria in order of importance
    prefer: tuple[str, ...]  # capabilities that count in a model's favour
    workload: dict[str, str]  # typical workload, as option text; never mutated
    popular: tuple[str, ...] = ()  # models users often weigh for this job


def _modalities(items: tuple[str, ...]) -> str:
    return fmt.join_words(list(items)) + " only" if len(items) == 1 else fmt.join_words(list(items))


def why_not(task: Task, model: Model) -> str | None:
    """None if the model qualifies, else one sentence of why not, from the catalog's facts."""
    req = task.requires
    missing_out = [m for m in req.output_modalities if m not in model.output_modalities]
    if missing_out:
        what = {
            "image": "generate images",
            "audio": "produce audio",
            "embedding": "produce embeddings",
            "text": "produce text",
            "video": "generate video",
        }.get(missing_out[0], f"output {missing_out[0]}")
        has = (
            _modalities(model.output_modalities)
            if model.output_modalities
            else "not listed in the catalog"
        )
        return f"{model.id} cannot {what}: its output is {has}"
    if req.types and model.type not in req.types:
        kinds = " or ".join(req.types)
        return f"{model.id} is {fmt.article(model.type)} {model.type} model, not {fmt.article(kinds)} {kinds} model"
    missing_in = [m for m in req.input_modalities if m not in model.input_modalities]
    if missing_in:
        has = (
            _modalities(model.input_modalities)
            if model.input_modalities
            else "not listed in the catalog"
        )
        return f"{model.id} does not accept {fmt.join_words(missing_in)} input: its input is {has}"
    missing_caps = [c for c in req.capabilities if c not in model.capabilities]
    if missing_caps:
        names = fmt.join_words([c.replace("_", " ") for c in missing_caps])
        return f"{model.id} does not support {names} (per the catalog)"
    if req.min_context_window and (model.context_window or 0) < req.min_context_window:
        have = fmt.tokens(model.context_window) if model.context_window else "unknown"
        return (
            f"{model.id}'s context window ({have} tokens) is below the "
            f"{fmt.tokens(req.min_context_window)} this job needs"
        )
    if req.min_max_output_tokens and (model.max_output_tokens or 0) < req.min_max_output_tokens:
        have = fmt.tokens(model.max_output_tokens) if model.max_output_tokens else "unknown"
        return (
            f"{model.id}'s output limit ({have} tokens) is below the "
            f"{fmt.tokens(req.min_max_output_tokens)} this job needs"
        )
    if req.endpoints and not any(e in model.endpoints for e in req.endpoints):
        return (
            f"{model.id} is not served at {fmt.article(req.endpoints[0])} "
            f"{' or '.join(req.endpoints)} endpoint (per the catalog)"
        )
    return None


def criterion_problem(item: str) -> str | None:
    """None for a criterion `rank.by` accepts, else why not."""
    if item in CRITERIA:
        return None
    if item.startswith(BENCHMARK):
        return None if item[len(BENCHMARK) :].strip() else "benchmark: needs a name"
    if item.startswith(PRICE):
        key = item[len(PRICE) :]
        if key in PRICE_KEYS:
            return None
        return f"unknown price key {key!r} (allowed: {', '.join(PRICE_KEYS)})"
    return (
        f"unknown criterion {item!r} (allowed: {', '.join(CRITERIA)}, "
        "benchmark:<name>, price:<price key>)"
    )


def build_tasks(raw: object, problems: "Problems", model_ids: set[str]) -> dict[str, Task]:
    """Validate `[tasks.*]` tables; every problem is recorded, good tasks are returned.

    Tasks that are built already (a catalog being re-checked) are returned as they are.
    """
    from aicompare.schema import _Reader

    tasks: dict[str, Task] = {}
    if not isinstance(raw, Mapping):
        problems.add("tasks", "expected a table")
        return tasks
    for task_id, table in raw.items():
        if type(table) is Task:
            tasks[task_id] = table
            continue
        path = f"tasks.{task_id}"
        if not isinstance(table, Mapping):
            problems.add(path, "expected a table")
            continue
        before = len(problems)
        r = _Reader(table, path, problems)
        r.unknown(TASK_KEYS)
        req_table = r.table_("requires") or {}
        rq = _Reader(req_table, f"{path}.requires", problems)
        rq.unknown(REQUIRE_KEYS)
        requires = Requirements(
            rq.strings("types", MODEL_TYPES),
            rq.strings("input_modalities", INPUT_MODALITIES),
            rq.strings("output_modalities", OUTPUT_MODALITIES),
            rq.strings("capabilities", CAPABILITIES),
            rq.positive_int("min_context_window"),
            rq.positive_int("min_max_output_tokens"),
            rq.strings("endpoints"),
        )
        rank_table = r.table_("rank") or {}
        rr = _Reader(rank_table, f"{path}.rank", problems)
        rr.unknown(RANK_KEYS)
        by = rr.strings("by") or DEFAULT_BY
        for item in by:
            problem = criterion_problem(item)
            if problem is not None:
                problems.add(f"{path}.rank.by", problem)
        workload: dict[str, str] = {}
        for key, value in (r.table_("workload") or {}).items():
            if key not in WORKLOAD_KEYS:
                problems.add(f"{path}.workload.{key}", "unknown key")
            elif isinstance(value, bool) or not isinstance(value, (str, int)):
                problems.add(f"{path}.workload.{key}", 'expected a string like "5M" or an integer')
            else:
                workload[key] = str(value)
        popular = r.strings("popular")
        for name in popular:
            if name not in model_ids:
                problems.add(f"{path}.popular", f"names no model in the catalog: {name!r}")
        if len(problems) == before:
            tasks[task_id] = Task(
                task_id,
                r.string("name") or task_id,
                r.string("description"),
                requires,
                by,
                rr.strings("prefer", CAPABILITIES),
                workload,
                popular,
            )
    return tasks


def task_table(task: Task) -> dict[str, Any]:
    """A task back into a catalog table that builds the same Task (for `catalog export`); what
    is the default (the name, the criteria) is left out, as a hand-written table would."""
    table: dict[str, Any] = {} if task.name == task.id else {"name": task.name}
    if task.description is not None:
        table["description"] = task.description
    requires = {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in zip(Requirements._fields, task.requires)
        if value not in ((), None)
    }
    if requires:
        table["requires"] = requires
    rank = {
        key: list(value)
        for key, value in (("by", task.by), ("prefer", task.prefer))
        if value and value != (DEFAULT_BY if key == "by" else ())
    }
    if rank:
        table["rank"] = rank
    if task.workload:
        table["workload"] = dict(task.workload)
    if task.popular:
        table["popular"] = list(task.popular)
    return table


def describe_requirements(task: Task) -> str:
    """'image output; image generation' for listings."""
    req = task.requires
    parts: list[str] = []
    if req.types:
        parts.append(" or ".join(req.types) + " model")
    if req.output_modalities:
        parts.append(", ".join(req.output_modalities) + " output")
    if req.input_modalities:
        parts.append(", ".join(req.input_modalities) + " input")
    if req.capabilities:
        parts.append(", ".join(c.replace("_", " ") for c in req.capabilities))
    if req.min_context_window:
        parts.append(f"context >= {fmt.tokens_short(req.min_context_window)}")
    if req.min_max_output_tokens:
        parts.append(f"output >= {fmt.tokens_short(req.min_max_output_tokens)}")
    if req.endpoints:
        parts.append(" or ".join(req.endpoints) + " endpoint")
    return "; ".join(parts) or "any model"


def as_table(task: Task) -> dict[str, Any]:
    """JSON-ready description of a task."""
    req = task.requires
    return {
        "id": task.id,
        "name": task.name,
        "description": task.description,
        "requires": {
            "types": list(req.types),
            "input_modalities": list(req.input_modalities),
            "output_modalities": list(req.output_modalities),
            "capabilities": list(req.capabilities),
            "min_context_window": req.min_context_window,
            "min_max_output_tokens": req.min_max_output_tokens,
            "endpoints": list(req.endpoints),
        },
        "rank_by": list(task.by),
        "prefer": list(task.prefer),
        "workload": dict(task.workload),
        "popular": list(task.popular),
    }
