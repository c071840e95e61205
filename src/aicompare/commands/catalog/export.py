"""`aicompare catalog export`: the merged catalog out, as TOML, JSON or CSV."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from aicompare.catalog import utc_today
from aicompare.cli import emit, rendered
from aicompare.commands.options import CatalogOpt, choice, load
from aicompare.commands.options.filters import (
    CapabilityOpt,
    CurrentOpt,
    ProviderOpt,
    TypeOpt,
    filters,
)
from aicompare.render import OutputFormat, View

VIEW = View(
    "catalog export",
    document="aicompare.render.catalog_views:export_document",
    csv="aicompare.render.csv_views:export_csv",
    toml="aicompare.render.catalog_views:export_toml",
    data=True,
)
FORMATS = (OutputFormat.toml, OutputFormat.json, OutputFormat.csv)


def command(
    format_: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="toml, json or csv.",
            click_type=choice([f.value for f in FORMATS]),
        ),
    ] = OutputFormat.toml,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="PATH", help="Write to this file instead of stdout."
        ),
    ] = None,
    provider: ProviderOpt = None,
    mtype: TypeOpt = None,
    capability: CapabilityOpt = None,
    current: CurrentOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Write the merged catalog (every layer applied) as TOML, JSON or CSV.

    The filters are those of `list`: only the models they keep are written (a TOML export keeps
    every provider and task).

    \b
    Examples:
      aicompare catalog export > everything.toml
      aicompare catalog export --format csv -o models.csv
      aicompare catalog export --format csv --provider openai --current
      aicompare catalog export --format json | jq '.models | length'
    """
    if output is not None:
        from aicompare.store import writable_target

        writable_target(output)  # a FIFO, a device...: refused before any work, nothing created
    catalog = load(catalog_paths)
    today = utc_today()
    from aicompare.filters import filter_models

    models = filter_models(
        catalog.models.values(), today, filters(provider, mtype, capability, current)
    )
    if output is None:
        emit(format_, VIEW, catalog, today, models, as_of=today)
        return
    from aicompare.store import atomic_write_text, unreadable_bits

    text = rendered(format_, VIEW, catalog, today, models, as_of=today, encoding="utf-8")
    # no more readable than the least readable layer it holds (docs/catalog.md)
    deny = unreadable_bits(layer.path for layer in catalog.layers if layer.exists)
    atomic_write_text(output, text, backup=False, deny=deny)
    from aicompare.safe_text import visible

    sys.stderr.write(f"wrote {len(models)} models to {visible(str(output))}\n")
