"""The sentences of a `best` verdict, each built from the data it names. No CLI.

Every count in a sentence is of the models it names ("the newest of the 80 with a release date;
75 have none"), and a pick that a tie-break decided says which criterion decided it and which
ones tied before it.
"""

from __future__ import annotations

from collections.abc import Sequence

from aicompare import fmt
from aicompare.model import PRICE_LABELS, PRICE_UNITS
from aicompare.pricing import Workload
from aicompare.ranking import ID, Candidate, Step, benchmark_of, measure, measure_key, unit_price
from aicompare.tasks import BENCHMARK, PRICE, Task
from aicompare.workloads import workload_phrase


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


def criterion_label(criterion: str) -> str:
    """The criterion as a noun phrase: 'the release date', 'the swe-bench score'."""
    if criterion.startswith(BENCHMARK):
        return f"the {criterion[len(BENCHMARK) :]} score"
    if criterion.startswith(PRICE):
        key = criterion[len(PRICE) :]
        return f"the {PRICE_LABELS.get(key, key)} price {PRICE_UNITS.get(key, '')}".rstrip()
    return {
        "prefer": "the preferred capabilities",
        "newest": "the release date",
        "context_window": "the context window",
        "max_output_tokens": "the output limit",
        "cost": "the cost of the workload",
        ID: "the model id",
    }[criterion]


def criterion_text(criterion: str, task: Task) -> str:
    """How the basis line names a criterion."""
    if criterion == "prefer":
        return "preferred capabilities (" + ", ".join(_cap(c) for c in task.prefer) + ")"
    if criterion.startswith(BENCHMARK):
        return f"{criterion[len(BENCHMARK) :]} score (highest first)"
    if criterion.startswith(PRICE):
        return criterion_label(criterion)[4:] + " (lowest first)"
    return {
        "newest": "release date (newest first)",
        "context_window": "context window",
        "max_output_tokens": "output limit",
        "cost": "cost of the workload",
    }[criterion]


def _cap(name: str) -> str:
    return name.replace("_", " ")


def _step_text(task: Task, step: Step, top: Candidate, w: Workload) -> str:
    """What the top pick is on one criterion, among the models compared on it."""
    m, crit, group, tied = top.model, step.criterion, step.group, step.tied
    others = len(tied) - 1
    if crit == "prefer":
        mine = [_cap(c) for c in task.prefer if m.has(c)]
        total = len(task.prefer)
        if not mine:
            have = f"none of the preferred capabilities ({', '.join(map(_cap, task.prefer))})"
        elif len(mine) == total:
            have = (
                f"the preferred capability ({mine[0]})"
                if total == 1
                else f"{'both' if total == 2 else f'all {total}'} preferred capabilities "
                f"({fmt.join_words(mine)})"
            )
        else:
            have = f"{len(mine)} of the {total} preferred capabilities ({fmt.join_words(mine)})"
        if others == 0:
            return f"it alone has {have}"
        if len(tied) == len(group):
            return f"all of them have {have}"
        return f"{len(tied)} have {have}, it among them"
    if crit == "newest":
        dated = [c for c in group if c.model.release_date is not None]
        if m.release_date is None:
            return "none has a release date in the catalog"
        none = len(group) - len(dated)
        lead = (
            f"it is the newest of the {len(dated)} with a release date (released {m.release_date})"
            if others == 0
            else f"it is one of the {len(tied)} newest of the {len(dated)} with a release date "
            f"(all released {m.release_date})"
        )
        return lead + (f"; {none} {_have(none)} none" if none else "")
    if crit in ("context_window", "max_output_tokens"):
        label = "context window" if crit == "context_window" else "output limit"
        size = getattr(m, crit)
        known = [c for c in group if getattr(c.model, crit) is not None]
        if size is None:
            return f"none has a known {label}"
        lead = (
            f"it has the largest {label} ({fmt.tokens(size)} tokens) of the {len(known)} "
            "with one known"
            if others == 0
            else f"it shares the largest {label} ({fmt.tokens(size)} tokens) with "
            f"{_count(others, 'other')} of the {len(known)} with one known"
        )
        none = len(group) - len(known)
        return lead + (f"; {none} {_have(none)} none" if none else "")
    if crit == "cost":
        total_ = top.estimate.total
        priced = [c for c in group if c.estimate.total is not None]
        if total_ is None:
            return f"none has a price for {workload_phrase(w)} in the catalog"
        # rounded for reading, with the digits that set it apart from the others' totals
        shown = fmt.money_apart([total_, *(c.estimate.total for c in priced)])[0]
        lead = (
            f"it is the cheapest of the {len(priced)} with a price for {workload_phrase(w)} "
            f"({shown})"
            if others == 0
            else f"it shares the lowest price for {workload_phrase(w)} ({shown}) "
            f"with {_count(others, 'other')}"
        )
        none = len(group) - len(priced)
        return lead + (f"; {none} {_have(none)} no price for it" if none else "")
    if crit.startswith(PRICE):
        key = crit[len(PRICE) :]
        label = f"{PRICE_LABELS.get(key, key)} price"
        price = unit_price(m, key)
        known = [c for c in group if unit_price(c.model, key) is not None]
        if price is None:
            return f"none has {fmt.article(label)} {label} in the catalog"
        shown = f"{fmt.price(price)} {PRICE_UNITS.get(key, '')}".rstrip()
        lead = (
            f"it has the lowest {label} of the {len(known)} with one ({shown})"
            if others == 0
            else f"it shares the lowest {label} ({shown}) with {_count(others, 'other')} "
            f"of the {len(known)} with one"
        )
        none = len(group) - len(known)
        return lead + (f"; {none} {_have(none)} none" if none else "")
    name = crit[len(BENCHMARK) :]
    found = benchmark_of(m, name)
    scored = [c for c in group if benchmark_of(c.model, name) is not None]
    if found is None:
        return f"none has a {name} score in the catalog"
    score = f"{fmt.dec(found[0])}, source: {found[1]}"
    lead = (
        f"it has the highest {name} score of the {len(scored)} with one ({score})"
        if others == 0
        else f"it shares the highest {name} score ({score}) with {_count(others, 'other')} "
        f"of the {len(scored)} with one"
    )
    none = len(group) - len(scored)
    return lead + (f"; {none} {_have(none)} none" if none else "")


def top_reason(
    task: Task,
    ranked: Sequence[Candidate],
    steps: Sequence[Step],
    decided_by: str | None,
    w: Workload,
    pool: str = "that qualify",
) -> str:
    """The top pick's sentences: where it stands on each criterion up to the one that decided,
    what decided, and what the workload would cost on it."""
    top = ranked[0]
    m = top.model
    lines = [f"{m.id} is the top pick for {task.name.lower()}."]
    priced_all = [c for c in ranked if c.estimate.total is not None]
    if decided_by is None:
        lines.append(
            "It is the only model that qualifies."
            if pool == "that qualify"
            else f"It is the only one of the {pool}."
        )
    elif not steps:  # the only one with a price for the workload
        lines.append(
            f"Of the {len(ranked)} {pool}, it is the only one with a price for "
            f"{workload_phrase(w)}, which decided the pick."
        )
    else:
        parts: list[str] = []
        for index, step in enumerate(steps):
            if index == 0:
                scope = f"of the {len(step.group)} {pool}"
                if len(step.group) < len(ranked):
                    scope += f" with a price for {workload_phrase(w)}"
            else:
                scope = f"of those {len(step.group)}"
            parts.append(f"{scope}, {_step_text(task, step, top, w)}")
        text = "; ".join(parts)
        lines.append(text[0].upper() + text[1:] + ".")
        earlier = [criterion_label(s.criterion) for s in steps]
        if decided_by == ID:
            lines.append(
                f"They tie on every criterion ({fmt.join_words(earlier)}): {m.id} comes first "
                "by id."
            )
        else:
            decided = criterion_label(decided_by)
            tied_before = earlier[:-1]
            lines.append(
                decided[0].upper()
                + decided[1:]
                + " decided the pick"
                + (
                    f", after {fmt.join_words(tied_before)} tied"
                    if len(tied_before) > 1
                    else (f", after {tied_before[0]} tied" if tied_before else "")
                )
                + "."
            )
    unit = measure_key(task)
    if top.estimate.total is not None:
        lines.append(f"It would cost {fmt.money(top.estimate.total)} for {workload_phrase(w)}.")
    elif unit is not None and unit_price(m, unit) is not None:
        lines.append(
            f"Its price for {workload_phrase(w)} is not in the catalog: it is priced "
            f"{PRICE_UNITS.get(unit, '')} of {PRICE_LABELS.get(unit, unit)}."
        )
    elif priced_all:
        lines.append(f"Its price for {workload_phrase(w)} is not in the catalog.")
    else:
        lines.append(
            f"Its price for {workload_phrase(w)} is not in the catalog, nor that of any model "
            "that qualifies."
        )
    return " ".join(lines)


def budget_reason(
    task: Task,
    ranked: Sequence[Candidate],
    pick: Candidate,
    w: Workload,
    pool: str = "that qualify",
) -> str:
    """The budget pick's sentence: the cheapest on the task's measure, against the top pick."""
    top = ranked[0]
    key = measure_key(task)
    priced = [c for c in ranked if measure(task, c) is not None]
    low = measure(task, pick)
    assert low is not None
    same = sum(1 for c in priced if measure(task, c) == low) - 1
    tie = (
        f" ({_count(same, 'other')} {'costs' if same == 1 else 'cost'} the same; it comes first "
        "by id)"
        if same
        else ""
    )
    high = measure(task, top)
    if key is None:
        what = f"with a price for {workload_phrase(w)}"
        # amounts rounded for reading, never so far that the two read the same
        low_text, high_text = fmt.money_apart([low, high])
        shown = f"{low_text} for {workload_phrase(w)}"
    else:
        label = f"{PRICE_LABELS.get(key, key)} price"
        what = f"with {fmt.article(label)} {label}"
        low_text, high_text = fmt.price(low), fmt.price(high)
        shown = f"{low_text} {PRICE_UNITS.get(key, '')}".rstrip()
    cheapest = f"the cheapest of the {len(priced)} {pool} {what}"
    if pick is top:
        return f"{pick.model.id} is also {cheapest}{tie}."
    if high is None:
        return f"{pick.model.id} is the budget pick: {cheapest}, at {shown}{tie}."
    if low == 0:
        return (
            f"{pick.model.id} is the budget pick: {cheapest}, listed as free ($0) against "
            f"{high_text} for {top.model.id}; check the maker's rate limits for free "
            f"use{tie}."
        )
    versus = f"({low_text} vs {high_text})" if key is None else f"({shown} vs {high_text})"
    return (
        f"{pick.model.id} is the budget pick: {cheapest}, {fmt.cheaper_text(low, high)} than "
        f"{top.model.id} {versus}{tie}."
    )


# Why a model that qualifies is not offered, in the order they are checked, and what brings it
# back: (key in Verdict.left_out, words, option).
LEFT_OUT = (
    ("not_current", "deprecated or retired", "--any-status"),
    ("preview", "preview or experimental", "--include-preview"),
    ("free", "free-tier (every listed price $0)", "--include-free"),
)


def left_out_note(counts: dict[str, int]) -> str | None:
    """'Left out though they qualify: 43 deprecated or retired (--any-status to include them),
    ...'; None when nothing was."""
    parts = [
        f"{counts[key]} {words} ({flag} to include them)"
        for key, words, flag in LEFT_OUT
        if counts.get(key)
    ]
    if not parts:
        return None
    return "Left out though they qualify: " + "; ".join(parts) + "."


def pool_words(counts: dict[str, int], over_budget: int) -> str:
    """What the models compared are: 'that qualify', or, when some that qualify were left out,
    'current, generally available and paid models that qualify within the budget' (naming only
    the filters that left something out)."""
    kinds = [
        words
        for key, words in (
            ("not_current", "current"),
            ("preview", "generally available"),
            ("free", "paid"),
        )
        if counts.get(key)
    ]
    if not kinds and not over_budget:
        return "that qualify"
    lead = f"{fmt.join_words(kinds)} " if kinds else ""
    return f"{lead}models that qualify" + (" within the budget" if over_budget else "")


def quality_note(task: Task, ranked: Sequence[Candidate], pool: str = "that qualify") -> str:
    """What the ranking can and cannot say about output quality."""
    names = [c[len(BENCHMARK) :] for c in task.by if c.startswith(BENCHMARK)]
    if not names:
        return (
            "No benchmark score ranks this job, so the pick says nothing about output quality; "
            "to rank by quality, bring scores (catalog import --from csv) and use "
            "--rank-by benchmark:NAME."
        )
    parts = []
    for name in names:
        scored = sum(1 for c in ranked if benchmark_of(c.model, name) is not None)
        if scored:
            parts.append(
                f"{scored} of the {len(ranked)} {pool} have a {name} score, from the "
                "sources named in the catalog"
            )
        else:
            parts.append(
                f"none of the {len(ranked)} {pool} has a {name} score in the catalog, so "
                f"{name} ranked nothing and the pick says nothing about output quality"
            )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def basis(task: Task) -> str:
    return (
        "Ranked on the catalog's facts: "
        + ", ".join(criterion_text(c, task) for c in task.by)
        + "; then by model id."
    )
