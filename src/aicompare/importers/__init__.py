"""Importers that turn public pricing data sets (and the user's benchmark scores) into catalog
model tables (pure, no CLI).

Adding a data set is one module that satisfies `Importer` (a `NAME` and a `convert` function)
plus one line in `REGISTRY`; the CLI's `--from` choices, `catalog build` and the tests read the
registry. Importer modules are imported only when their format is used.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
from dataclasses import dataclass, field
from typing import Any, Protocol

from aicompare.errors import UsageError

# --from name -> module under aicompare.importers: the one list of formats.
REGISTRY: dict[str, str] = {
    "litellm": "litellm",
    "models.dev": "modelsdev",
    "genai-prices": "genai_prices",
    "csv": "benchmarks_csv",
}
FORMATS = tuple(REGISTRY)
# The Skip.kind of a record naming a model the catalog does not have (scores for it are listed,
# never dropped in silence).
UNKNOWN_MODEL = "no model of that name in the catalog"

ModelTable = dict[str, Any]  # one model exactly in the catalog schema (Decimal prices, dates)


@dataclass(frozen=True, slots=True, order=True)
class Skip:
    """A source record left out of the import, and why."""

    key: str
    reason: str  # the whole reason, as shown: "snapshot folded into gpt-4o"
    kind: str = (
        ""  # the reason without its specifics, for counting: "snapshot folded into its base model"
    )

    @property
    def group(self) -> str:
        """What summaries count this skip under."""
        return self.kind or self.reason


@dataclass(frozen=True, slots=True, order=True)
class Note:
    """Data of one imported model (or of the whole source) that the catalog schema cannot hold."""

    subject: str  # a model id, or the source path for a note about the whole file
    kind: str  # what was lost: "service-tier prices (priority, flex, ...) not representable"
    details: tuple[str, ...] = ()  # the source fields or values concerned, sorted

    def __str__(self) -> str:
        if self.details:
            return f"{self.subject}: {self.kind}: {', '.join(self.details)}"
        return f"{self.subject}: {self.kind}"


@dataclass(frozen=True)
class ImportResult:
    """Converted model tables, the source records left out, and what the schema cannot hold.

    Every source record is either a model or a `Skip` (folded snapshots and per-image keys too).
    """

    models: dict[str, ModelTable] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


class Importer(Protocol):
    """What an importer module provides."""

    NAME: str  # the --from value, a key of REGISTRY

    def convert(
        self, data: object, *, source: str, provider: str | None = None, as_of: dt.date
    ) -> ImportResult:
        """Convert one parsed data file; CatalogError when it is not this format."""
        ...


def importer(fmt: str) -> Importer:
    """The importer of a format; UsageError for a name not in REGISTRY."""
    if fmt not in REGISTRY:
        raise UsageError(f"unknown import format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    # Converters import this module for ImportResult, so they load here, lazily, one at a time.
    module: Importer = importlib.import_module(f"aicompare.importers.{REGISTRY[fmt]}")
    return module


def import_file(
    fmt: str, path: str | os.PathLike[str], *, provider: str | None = None, as_of: dt.date
) -> ImportResult:
    """Read one data file of the given format and convert it; CatalogError on bad input.

    A format whose module has a `read(path)` function reads its own file (CSV); the others are
    JSON."""
    module = importer(fmt)
    reader = getattr(module, "read", None)
    if reader is None:
        from aicompare.importers._common import read_json

        reader = read_json
    return module.convert(reader(path), source=str(path), provider=provider, as_of=as_of)


__all__ = [
    "FORMATS",
    "REGISTRY",
    "UNKNOWN_MODEL",
    "ImportResult",
    "Importer",
    "ModelTable",
    "Note",
    "Skip",
    "import_file",
    "importer",
]
