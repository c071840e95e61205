"""The audit: hold a catalog file (by default the bundled data/models.toml) against the reference
data sets, field group by field group, and say what is not explained.

`audit(catalog, reference, curation)` runs the cross-check (`check.cross_check`) on the file as
it is and counts, per field group (`check.GROUPS`), the figures checked, how many agree with
each data set, how many are explained by the curation (a `[[choices]]` entry or a value set by
hand in `[models.<id>]`), and lists every unexplained disagreement with each set's value. The
command is `aicompare catalog audit` (or `python -m tools.catalog_build audit`); its JSON
document is `Audit.document()`. Pure: no output, no CLI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from aicompare.catalog import Layer
from aicompare.errors import CatalogError
from aicompare.loader import build_catalog, read_document

from .check import ABSENT, GROUPS, Figure, References, cross_check, same
from .curate import load_curation


@dataclass
class GroupCount:
    """One field group's counts: figures checked, per data set how many of the figures it has
    agree with the catalog, how many the curation explains, how many are unexplained."""

    group: str
    fields: tuple[str, ...]
    figures: int = 0
    has: dict[str, int] = field(default_factory=dict)
    agree: dict[str, int] = field(default_factory=dict)
    explained: int = 0
    unexplained: int = 0


@dataclass
class Audit:
    """What `aicompare catalog audit` reports."""

    catalog: Path
    models: int
    models_found: int
    sets: dict[str, str]  # set name -> label, in column order
    groups: list[GroupCount]
    disagreements: list[Figure]  # the unexplained figures, in catalog order
    problems: list[str]  # the rest the check refuses: stale choices, makers without an entry

    @property
    def unexplained(self) -> int:
        return len(self.disagreements) + len(self.problems)

    def totals(self) -> GroupCount:
        total = GroupCount("all groups", ())
        for count in self.groups:
            total.figures += count.figures
            total.explained += count.explained
            total.unexplained += count.unexplained
            for name in self.sets:
                total.has[name] = total.has.get(name, 0) + count.has[name]
                total.agree[name] = total.agree.get(name, 0) + count.agree[name]
        return total

    def document(self) -> dict[str, Any]:
        """The JSON body: every value a JSON type (prices as exact decimal strings)."""

        def group(count: GroupCount) -> dict[str, Any]:
            return {
                "group": count.group,
                "fields": list(count.fields),
                "figures": count.figures,
                "sets": {
                    name: {"has": count.has[name], "agree": count.agree[name]} for name in self.sets
                },
                "explained": count.explained,
                "unexplained": count.unexplained,
            }

        return {
            "catalog": str(self.catalog),
            "models": self.models,
            "models_found": self.models_found,
            "sets": [{"set": name, "label": label} for name, label in self.sets.items()],
            "groups": [group(count) for count in self.groups],
            "totals": group(self.totals()),
            "unexplained": self.unexplained,
            "disagreements": [
                {
                    "model": figure.model,
                    "field": figure.field,
                    "group": figure.group,
                    "catalog": plain(figure.actual),
                    "sets": {name: plain(value) for name, value in figure.values.items()},
                    "problem": figure.problem,
                }
                for figure in self.disagreements
            ],
            "problems": list(self.problems),
        }


def plain(value: Any) -> Any:
    """A figure as a JSON value: decimals as exact strings, dates as ISO text, absent as null."""
    if value is ABSENT or value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (Decimal, float)):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def audit(catalog: Path, reference: Path, curation_path: Path) -> Audit:
    """Audit the catalog file against the data sets the curation names (CatalogError when a file
    cannot be read, or is not a valid catalog)."""
    cur = load_curation(curation_path)
    doc, text = read_document(catalog)
    if not isinstance(doc.get("models"), dict):
        raise CatalogError([f"{catalog}: no [models] table"], "give a catalog file as PATH")
    # a file the catalog loader refuses is not audited: CatalogError lists its problems
    build_catalog([(Layer("bundled", str(catalog), True), doc, text)])
    refs = References(reference, cur["sets"], cur["meta"]["as_of"])
    report = cross_check(doc, refs, cur)
    sets = {
        name: refs.label(name)
        for name in cur["sets"]
        if cur["sets"][name].get("format") != "openai-image-prices"  # per-image grids only
    }
    counts = {
        group.name: GroupCount(
            group.name,
            group.fields,
            has=dict.fromkeys(sets, 0),
            agree=dict.fromkeys(sets, 0),
        )
        for group in GROUPS
    }
    disagreements: list[Figure] = []
    for figure in report.figures:
        count = counts[figure.group]
        count.figures += 1
        for name, value in figure.values.items():
            if name in sets:
                count.has[name] += 1
                count.agree[name] += same(figure.actual, value)
        if figure.status in ("chosen", "curated"):
            count.explained += 1
        elif figure.status == "unexplained":
            count.unexplained += 1
            disagreements.append(figure)
    tied = {figure.problem for figure in disagreements}
    return Audit(
        catalog=catalog,
        models=len(doc["models"]),
        models_found=report.models_found,
        sets=sets,
        groups=list(counts.values()),
        disagreements=disagreements,
        problems=[problem for problem in report.problems if problem not in tied],
    )


__all__ = ["Audit", "GroupCount", "audit", "plain"]
