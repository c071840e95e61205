"""Where a model's successors lead: `superseded_by` followed to the first model current on the day.

A successor mention never sends a user to a dying model without saying so: the chain names each
step with its status on the day, and the live successor is the first step that is current
(neither deprecated nor retired). The catalog refuses succession cycles (schema.check_succession);
a chain still stops at a model it has seen, and at an id the catalog does not know. No CLI.

Annotations are evaluated at import (no `from __future__ import annotations`): see model.py.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import NamedTuple

from aicompare import fmt
from aicompare.model import Lifecycle, Status, lifecycle_status

Lookup = Callable[[str], Lifecycle | None]  # a model's lifecycle by id; None: not in the catalog


class Step(NamedTuple):
    """One successor on the way: its id, status on the day (None: not in the catalog)."""

    id: str
    status: Status | None
    shutdown_date: dt.date | None
    deprecation_date: dt.date | None = None


class Succession(NamedTuple):
    """The successors of one model, in order, up to and including the live one."""

    chain: tuple[Step, ...] = ()
    live: str | None = None  # the first current successor, or None
    loops: bool = False  # the chain came back to a model already on it (the catalog refuses it)

    @property
    def direct(self) -> bool:
        """Whether the model's own successor is the live one."""
        return bool(self.chain) and self.live == self.chain[0].id


NONE = Succession()


def follow(start: str, first: str | None, lookup: Lookup, today: dt.date) -> Succession:
    """The chain from `start`'s successor `first` to the first model current on `today`."""
    steps: list[Step] = []
    seen = {start}
    node = first
    while node is not None:
        if node in seen:
            return Succession(tuple(steps), None, loops=True)
        seen.add(node)
        life = lookup(node)
        if life is None:
            steps.append(Step(node, None, None))
            break
        status = lifecycle_status(life, today)
        steps.append(Step(node, status, life.shutdown_date, life.deprecation_date))
        if status is Status.CURRENT:
            return Succession(tuple(steps), node)
        node = life.superseded_by
    return Succession(tuple(steps), None)


def succession(model_id: str, life: Lifecycle, lookup: Lookup, today: dt.date) -> Succession:
    return follow(model_id, life.superseded_by, lookup, today)


def lookup_in(models: Mapping[str, object]) -> Lookup:
    """A Lookup over a mapping of records with a `lifecycle` (models or rate cards, by id)."""

    def find(model_id: str) -> Lifecycle | None:
        record = models.get(model_id)
        life = getattr(record, "lifecycle", None)
        return life if isinstance(life, Lifecycle) else None

    return find


NO_SUCCESSOR_SENTENCE = "no successor is named"


def no_successor_text(status: Status) -> str:
    """What a status flag says of a deprecated or retired model that names no successor: the
    catalog's lifecycle note says so explicitly, and what was checked."""
    return "no successor named" if status is Status.RETIRED else "no successor named yet"


def _step_label(step: Step, today: dt.date) -> str:
    """'o4-mini (retired)', 'gpt-5-mini (shuts down 2026-12-11, in 15 days)', 'x'."""
    if step.status is None:
        return f"{step.id} (not in the catalog)"
    if step.status is Status.RETIRED:
        return f"{step.id} (retired)"
    if step.status is Status.DEPRECATED:
        if step.shutdown_date is not None:
            when = fmt.days_text(step.shutdown_date, today)
            return f"{step.id} (shuts down {step.shutdown_date}, {when})"
        return f"{step.id} (deprecated)"
    return step.id


def chain_text(succ: Succession, today: dt.date) -> str:
    """The chain as a flag reads it: 'gpt-5-mini', 'o4-mini (retired) → gpt-5-mini (shuts down
    2026-12-11, in 15 days)'; every step that is not current says what it is."""
    text = " → ".join(_step_label(step, today) for step in succ.chain)
    if succ.loops:
        text += " (the chain loops)"
    elif succ.live is None and succ.chain and succ.chain[-1].status is not None:
        text += ", " + no_successor_text(succ.chain[-1].status)
    elif succ.live is None and succ.chain:
        text += ", no successor named yet"
    return text


def flag_text(succ: Succession, today: dt.date) -> str:
    """'superseded by gpt-5-mini', or the chain with what happened on the way; '' without one."""
    return f"superseded by {chain_text(succ, today)}" if succ.chain else ""


def _end_clause(step: Step, today: dt.date) -> str:
    """What became of the last step of a chain with no live successor, after 'which itself'."""
    if step.status is None:
        return ", which is not in the catalog"
    if step.status is Status.RETIRED:
        when = f" on {step.shutdown_date}" if step.shutdown_date is not None else ""
        return f", which itself was retired{when} with no successor named"
    if step.shutdown_date is not None:
        days = fmt.days_text(step.shutdown_date, today)
        return (
            f", which itself shuts down on {step.shutdown_date} ({days}) "
            f"with no successor named yet"
        )
    since = f" since {step.deprecation_date}" if step.deprecation_date is not None else ""
    return f", which itself is deprecated{since} with no successor named yet"


def sentence(model_id: str, succ: Succession, today: dt.date) -> str:
    """The successor sentence for `model_id` (no final stop); '' when it has none.

    'A has been superseded by B: for new builds, consider the newer model first' only when B is
    current; else each step on the way with its status, and where the chain ends.
    """
    if not succ.chain:
        return ""
    head = f"{model_id} has been superseded by "
    if succ.direct:
        return head + f"{succ.live}: for new builds, consider the newer model first"
    *way, last = succ.chain
    passed = "".join(_step_label(step, today) + " → " for step in way)
    if succ.live is not None:
        return head + f"{passed}{succ.live}: for new builds, consider {succ.live} first"
    if succ.loops:
        return head + f"{chain_text(succ, today)}, and no current successor"
    return head + passed + last.id + _end_clause(last, today)


def document(succ: Succession) -> dict[str, object]:
    """The JSON fields: `successor_chain` (each step's id, status, shutdown_date), `live_successor`."""
    return {
        "successor_chain": [
            {
                "id": step.id,
                "status": step.status.value if step.status is not None else None,
                "shutdown_date": step.shutdown_date.isoformat()
                if step.shutdown_date is not None
                else None,
            }
            for step in succ.chain
        ],
        "live_successor": succ.live,
    }
