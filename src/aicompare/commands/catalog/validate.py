"""`aicompare catalog validate`: check catalog files and report every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from aicompare.catalog import utc_today
from aicompare.cli import emit
from aicompare.commands.options import CatalogOpt, JsonOpt, output_format
from aicompare.errors import CatalogError
from aicompare.render import View

VIEW = View(
    "catalog validate",
    document="aicompare.render.catalog_views:validate_document",
    text="aicompare.render.catalog_views:validate_text",
)


def command(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Catalog files to check as layers over the bundled catalog; "
            "default: every layer in effect.",
            metavar="[PATH...]",
        ),
    ] = None,
    json_: JsonOpt = False,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Check catalog files and report every problem at once (exit 1 if any).

    \b
    Examples:
      aicompare catalog validate
      aicompare catalog validate ~/.config/aicompare/models.toml
      aicompare catalog validate data/models.toml --json
    """
    from aicompare.loader import validate

    result = validate(paths or (), catalog_paths or ())
    if result.problems and not json_:
        raise CatalogError(result.problems, "fix these entries; the format is in docs/catalog.md")
    emit(output_format(json_, None), VIEW, result, as_of=utc_today())
    if result.problems:
        raise typer.Exit(1)
