"""Importers that turn public pricing data sets into catalog model tables (pure, no CLI)."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from dataclasses import dataclass, field

from aicompare.errors import UsageError

FORMATS = ("litellm", "models.dev", "genai-prices")
_MODULES = {"litellm": "litellm", "models.dev": "modelsdev", "genai-prices": "genai_prices"}


@dataclass(frozen=True)
class ImportResult:
    """Converted model tables, the source records left out, and what the schema cannot hold."""

    # model id -> one model table exactly in the catalog schema (Decimal prices, date values)
    models: dict[str, dict] = field(default_factory=dict)
    # (source key, reason); folded snapshots and per-image keys are listed here too, so every
    # source record is either a model or a line of `skipped`
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # "<model id>: <kind>: <detail>" lines for data the catalog schema cannot represent
    notes: list[str] = field(default_factory=list)


def import_file(fmt: str, path: str | os.PathLike[str], *, provider: str | None = None,
                as_of: dt.date) -> ImportResult:
    """Read one data file of the given format and convert it; CatalogError on bad input."""
    if fmt not in _MODULES:
        raise UsageError(f"unknown import format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    # Converters import this module for ImportResult, so they load here, lazily, one at a time.
    from aicompare.importers._common import read_json

    convert = importlib.import_module(f"aicompare.importers.{_MODULES[fmt]}").convert
    data = read_json(path)
    return convert(data, source=str(path), provider=provider, as_of=as_of)


__all__ = ["FORMATS", "ImportResult", "import_file"]
