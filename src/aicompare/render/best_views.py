"""A verdict as blocks and as a JSON document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aicompare import fmt, succession
from aicompare.compare import status_text
from aicompare.render.blocks import Block, Cell, Column, TableBlock, TextBlock
from aicompare.render.cost_views import cost_document_workload
from aicompare.tasks import Task, as_table, describe_requirements
from aicompare.verdict import Candidate, Verdict

SHOWN = 10


def _capabilities(verdict: Verdict, c: Candidate) -> Cell:
    have = [cap.replace("_", " ") for cap in verdict.task.prefer if c.model.has(cap)]
    return Cell(", ".join(have)) if have else Cell("-", numeric=True)  # "-": the tool's placeholder


def best_view(verdict: Verdict) -> list[Block]:
    task = verdict.task
    blocks: list[Block] = [
        TextBlock(list(verdict.workload.assumptions), title=f"{task.name}: workload")
    ]
    if not verdict.candidates:
        reasons = [
            f"No {'current ' if verdict.left_out_status else ''}model in the catalog qualifies for "
            f"{task.name.lower()}"
            + (
                f" within the budget ({verdict.over_budget} qualify above it)"
                if verdict.over_budget
                else ""
            )
            + "."
        ]
        if verdict.left_out_status:
            reasons.append(
                f"{verdict.left_out_status} deprecated or retired model(s) qualify: --any-status shows them."
            )
        blocks.append(TextBlock(reasons, title="Verdict"))
    else:
        period = verdict.workload.period.value
        rows = []
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
                    _capabilities(verdict, c),
                    Cell(str(c.model.release_date or fmt.NA)),
                    Cell(fmt.tokens_short(c.model.context_window)),
                    Cell(
                        fmt.money(total)
                        if total is not None
                        else "n/a: " + "; ".join(c.estimate.cannot_serve),
                        tone=None if total is not None else "warn",
                    ),
                    Cell(
                        status_text(
                            c.model,
                            verdict.today,
                            verdict.successors.get(c.model.id, succession.NONE),
                        )
                    ),
                ]
            )
        id_width = min(28, max(len(c.model.id) for c in verdict.candidates[:SHOWN]))
        columns = [
            Column("#", "right", numeric=True),
            Column("model", min_width=id_width),
            Column("pick"),
            Column("prefers"),
            Column("released", numeric=True),
            Column("context", "right", numeric=True),
            Column(f"per {period}", "right", numeric=True),
            Column("status"),
        ]
        more = len(verdict.candidates) - SHOWN
        blocks.append(
            TableBlock(
                columns,
                rows,
                title=f"{len(verdict.candidates)} model(s) qualify"
                + (f" ({more} more not shown; --json lists all)" if more > 0 else ""),
            )
        )
        lines = [line for line in (verdict.top_reason, verdict.budget_reason) if line]
        blocks.append(TextBlock(lines, title="Verdict", bullets=True))
    if verdict.not_qualifying:
        blocks.append(
            TextBlock(
                [f"{why}." for _, why in verdict.not_qualifying],
                title="Does not qualify",
                bullets=True,
            )
        )
    notes = [verdict.basis]
    if verdict.left_out_status and verdict.candidates:
        notes.append(
            f"{verdict.left_out_status} deprecated or retired model(s) that qualify are left out "
            "(--any-status to include them)."
        )
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
    }


def best_document(verdict: Verdict) -> dict[str, Any]:
    def pick(c: Candidate | None, reason: str | None) -> dict[str, Any] | None:
        return None if c is None else {"model": c.model.id, "reason": reason}

    return {
        "task": as_table(verdict.task),
        "workload": cost_document_workload(verdict.workload),
        "candidates": [_candidate(c, verdict) for c in verdict.candidates],
        "top_pick": pick(verdict.top, verdict.top_reason),
        "budget_pick": pick(verdict.budget_pick, verdict.budget_reason),
        "not_qualifying": [{"model": m, "reason": r} for m, r in verdict.not_qualifying],
        "left_out": {"not_current": verdict.left_out_status, "over_budget": verdict.over_budget},
        "basis": verdict.basis,
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
                Column("task", min_width=12),
                Column("name"),
                Column("requires"),
                Column("typical workload"),
            ],
            rows,
        )
    ]
    if not tasks:
        blocks.append(
            TextBlock(["The catalog defines no tasks; add [tasks.<id>] tables to a layer."])
        )
    return blocks
