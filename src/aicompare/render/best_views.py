"""A verdict as blocks and as a JSON document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aicompare import fmt, succession
from aicompare.compare import status_text
from aicompare.model import PRICE_UNITS
from aicompare.ranking import measure_key
from aicompare.render.blocks import Block, Cell, Column, TableBlock, TextBlock
from aicompare.render.cost_views import cost_document_workload
from aicompare.tasks import Task, as_table, describe_requirements
from aicompare.verdict import Candidate, Verdict
from aicompare.workloads import workload_phrase

SHOWN = 10


def _capabilities(verdict: Verdict, c: Candidate) -> Cell:
    have = [cap.replace("_", " ") for cap in verdict.task.prefer if c.model.has(cap)]
    return Cell(", ".join(have)) if have else Cell("-")  # "-": the tool's placeholder


def best_view(verdict: Verdict) -> list[Block]:
    task = verdict.task
    blocks: list[Block] = [
        TextBlock(
            list(verdict.workload.assumptions),
            title=f"{task.name}: {workload_phrase(verdict.workload)}",
        )
    ]
    if not verdict.candidates:
        left = sum(verdict.left_out[key] for key in ("not_current", "preview", "free"))
        name = task.name.lower()
        if verdict.over_budget:
            reasons = [
                f"No model in the catalog qualifies for {name} within the budget "
                f"({verdict.over_budget} qualify above it)."
            ]
            if left:
                reasons.append(f"{left} more that qualify are left out (see the notes below).")
        elif left:
            reasons = [
                f"No model is offered for {name}: the {left} that qualify are all left out "
                "(see the notes below)."
            ]
        else:
            reasons = [f"No model in the catalog qualifies for {name}."]
        blocks.append(TextBlock(reasons, title="Verdict"))
    else:
        period = verdict.workload.period.value
        unit_key = measure_key(task)
        # ranked by a unit price the workload cannot use (per minute, ...): a column of "n/a"
        # would only repeat that; the verdict says how the models are priced instead
        show_total = unit_key is None or any(
            c.estimate.total is not None for c in verdict.candidates
        )
        unservable = unit_key is None and any(
            c.estimate.total is None for c in verdict.candidates[:SHOWN]
        )
        rows = []
        totals = fmt.money_apart([c.estimate.total for c in verdict.candidates[:SHOWN]])
        for index, c in enumerate(verdict.candidates[:SHOWN], start=1):
            pick = (
                "top pick"
                if c is verdict.top
                else ("budget pick" if c is verdict.budget_pick else "")
            )
            total = c.estimate.total
            rows.append(
                [
                    Cell(str(index)),
                    Cell(c.model.id, tone="head"),
                    Cell(pick, tone="good" if pick else None),
                    *([_capabilities(verdict, c)] if task.prefer else []),
                    Cell(str(c.model.release_date or fmt.NA)),
                    Cell(fmt.tokens_short(c.model.context_window)),
                    *([Cell(fmt.price(c.model.price(unit_key)))] if unit_key is not None else []),
                    *(
                        [
                            Cell(
                                totals[index - 1] if total is not None else fmt.NA,
                                tone=None if total is not None else "warn",
                            )
                        ]
                        if show_total
                        else []
                    ),
                    Cell(
                        status_text(
                            c.model,
                            verdict.today,
                            verdict.successors.get(c.model.id, succession.NONE),
                        )
                    ),
                    # why there is no total, in a column of its own (the verdict says how models
                    # ranked by a unit price the workload cannot use are priced)
                    *(
                        [Cell("; ".join(c.estimate.cannot_serve), tone="warn")]
                        if unservable
                        else []
                    ),
                ]
            )
        columns = [  # drop order: prefers, released, context, status (docs/output.md)
            Column("#", "right"),
            Column("model", truncate=True, min_width=20),
            Column("pick"),
            *([Column("prefers", truncate=True, min_width=12, drop=1)] if task.prefer else []),
            Column("released", drop=2),
            Column("context", "right", drop=3),
            *([Column(f"price {PRICE_UNITS[unit_key]}", "right")] if unit_key is not None else []),
            *([Column(f"per {period}", "right")] if show_total else []),
            Column("status", truncate=True, min_width=12, drop=4),
            *([Column("cannot serve", truncate=True, min_width=16)] if unservable else []),
        ]
        more = len(verdict.candidates) - SHOWN
        blocks.append(
            TableBlock(
                columns,
                rows,
                # short enough for 80 columns: which models are counted, the verdict says
                title=(
                    f"Ranking: the first {SHOWN} of {len(verdict.candidates)} (--json lists all)"
                    if more > 0
                    else f"Ranking: {len(verdict.candidates)} model(s)"
                ),
            )
        )
        lines = [line for line in (verdict.top_reason, verdict.budget_reason) if line]
        blocks.append(TextBlock(lines, title="Verdict", bullets=True))
    if verdict.not_qualifying:
        blocks.append(
            TextBlock(
                [f"{why}." for _, why in verdict.not_qualifying],
                title="Not picked",
                bullets=True,
            )
        )
    notes = [verdict.basis, *verdict.notes]
    if verdict.over_budget and verdict.candidates:
        notes.append(
            f"{verdict.over_budget} model(s) that qualify cost more than the budget or have no price."
        )
    blocks.append(TextBlock(notes, title="Basis", bullets=True))
    return blocks


def _candidate(c: Candidate, verdict: Verdict) -> dict[str, Any]:
    total = c.estimate.total
    return {
        "model": c.model.id,
        "total": fmt.dec(total) if total is not None else None,
        "servable": c.estimate.servable,
        "cannot_serve": list(c.estimate.cannot_serve),
        "status": c.model.status(verdict.today).value,
        "superseded_by": c.model.superseded_by,
        **succession.document(verdict.successors.get(c.model.id, succession.NONE)),
        "release_date": c.model.release_date.isoformat() if c.model.release_date else None,
        "context_window": c.model.context_window,
        "preferred_capabilities": [cap for cap in verdict.task.prefer if c.model.has(cap)],
        "availability": c.model.availability,
        "free": c.model.free,
        "benchmarks": {
            b.name: {"score": fmt.dec(b.score), "source": b.source} for b in c.model.benchmarks
        },
        "prices": {key: fmt.dec(value) for key, value in c.model.prices.standard.values.items()},
    }


def best_document(verdict: Verdict) -> dict[str, Any]:
    def pick(c: Candidate | None, reason: str | None) -> dict[str, Any] | None:
        return None if c is None else {"model": c.model.id, "reason": reason}

    top = pick(verdict.top, verdict.top_reason)
    if top is not None:
        top["decided_by"] = verdict.decided_by
        top["steps"] = [
            {"criterion": s.criterion, "compared": len(s.group), "tied": len(s.tied)}
            for s in verdict.steps
        ]
    return {
        "task": as_table(verdict.task),
        "workload": cost_document_workload(verdict.workload),
        "candidates": [_candidate(c, verdict) for c in verdict.candidates],
        "top_pick": top,
        "budget_pick": pick(verdict.budget_pick, verdict.budget_reason),
        "not_qualifying": [{"model": m, "reason": r} for m, r in verdict.not_qualifying],
        "left_out": verdict.left_out,
        "basis": verdict.basis,
        "notes": list(verdict.notes),
    }


# ---------------------------------------------------------------- `best --list`


def tasks_document(tasks: Mapping[str, Task]) -> dict[str, Any]:
    return {"tasks": [as_table(t) for t in tasks.values()]}


def tasks_view(tasks: Mapping[str, Task]) -> list[Block]:
    rows = [
        [
            Cell(t.id, tone="head"),
            Cell(t.name),
            Cell(describe_requirements(t)),
            Cell(", ".join(f"{k} {v}" for k, v in t.workload.items())),
        ]
        for t in tasks.values()
    ]
    blocks: list[Block] = [
        TableBlock(
            [
                Column("task", truncate=True, min_width=12),
                Column("name", truncate=True, min_width=12, drop=2),
                Column("requires", truncate=True, min_width=16),
                Column("typical workload", truncate=True, min_width=16, drop=1),
            ],
            rows,
        )
    ]
    if not tasks:
        blocks.append(
            TextBlock(["The catalog defines no tasks; add [tasks.<id>] tables to a layer."])
        )
    return blocks
