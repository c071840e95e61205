"""Importers that turn public pricing data sets into catalog model tables (pure, no CLI)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from aicompare.errors import UsageError

FORMATS = ("litellm", "models.dev", "genai-prices")


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
    # The converters import this module for ImportResult, so they are loaded here, lazily.
    from aicompare.importers import genai_prices, litellm, modelsdev
    from aicompare.importers._common import read_json

    converters = {
        "litellm": litellm.convert,
        "models.dev": modelsdev.convert,
        "genai-prices": genai_prices.convert,
    }
    convert = converters.get(fmt)
    if convert is None:
        raise UsageError(f"unknown import format {fmt!r}", f"use one of: {', '.join(FORMATS)}")
    data = read_json(path)
    return convert(data, source=str(path), provider=provider, as_of=as_of)


__all__ = ["FORMATS", "ImportResult", "import_file"]
