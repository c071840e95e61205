"""`aicompare catalog build`: regenerate the bundled catalog from the public data sets."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from aicompare.catalog import utc_today
from aicompare.cli import emit
from aicompare.commands.options import JsonOpt
from aicompare.commands.options.tooling import CurationOpt, ReferenceOpt
from aicompare.errors import CatalogError
from aicompare.render import OutputFormat, View
from aicompare.render.plain import write_text

VIEW = View("catalog build", document="aicompare.render.catalog_views:build_document")


def command(
    reference: ReferenceOpt = None,
    curation: CurationOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="PATH", help="Where to write the catalog; default data/models.toml."
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if the file differs from a fresh build."
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Regenerate the bundled catalog from the data sets and the curation file.

    The build reads the data sets through aicompare's importers, applies data/curation.toml,
    cross-checks prices and limits against every data set, and writes the file only when
    nothing is left unresolved. Running it twice gives the same bytes.

    \b
    Examples:
      aicompare catalog build
      aicompare catalog build --check
      aicompare catalog build --reference ~/data/reference --out /tmp/models.toml
    """
    from aicompare.commands.options.tooling import reference_inputs
    from aicompare.store import atomic_write_text

    tooling, reference, curation, default_out = reference_inputs(
        reference, curation, "run from a source checkout, or give --curation PATH and --out PATH"
    )
    build = tooling.build
    out = out or default_out
    result = build(reference, curation)
    report = result.check
    if report.problems:
        raise CatalogError(
            report.problems,
            "record a choice in the curation file (docs/catalog-sources.md); nothing was written",
        )
    counts = result.counts()
    summary = (
        f"{counts['models']} models from {counts['makers']} makers "
        f"({counts['image_models_with_grids']} image models with per-image prices); "
        f"cross-check: {report.checked} figures checked, {report.agreeing} agree, "
        f"{report.curated} curated"
    )
    fresh = os.path.isfile(out) and out.read_bytes() == result.text.encode("utf-8")
    if check:
        outcome = "up to date" if fresh else "stale"
    elif fresh:
        outcome = "unchanged"
    else:
        atomic_write_text(out, result.text, backup=False)
        outcome = "written"
    if json_:
        emit(
            OutputFormat.json,
            VIEW,
            out,
            outcome,
            counts,
            report.checked,
            report.agreeing,
            report.curated,
            as_of=utc_today(),
        )
    elif outcome == "stale":
        from aicompare.safe_text import visible

        sys.stderr.write(
            f"error: {visible(str(out))} is not what the build generates; "
            "run 'aicompare catalog build'\n"
        )
    else:
        label = {
            "up to date": f"ok: {out} is up to date",
            "unchanged": f"unchanged: {out}",
            "written": f"wrote {out}",
        }[outcome]
        write_text(f"{label}: {summary}\n")
    if outcome == "stale":
        raise typer.Exit(1)
