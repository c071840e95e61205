"""`aicompare catalog audit`: hold the bundled catalog against the public data sets."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from aicompare.catalog import utc_today
from aicompare.cli import emit
from aicompare.commands.options import JsonOpt, output_format
from aicompare.commands.options.tooling import CurationOpt, ReferenceOpt
from aicompare.errors import AicompareError, UsageError
from aicompare.render import View

VIEW = View(
    "catalog audit",
    document="aicompare.render.audit_views:audit_document",
    text="aicompare.render.audit_views:audit_text",
)


def command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="The catalog file to audit; default the checkout's data/models.toml.",
            metavar="[PATH]",
        ),
    ] = None,
    reference: ReferenceOpt = None,
    curation: CurationOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Audit the bundled catalog against the reference data sets (exit 1 if anything is
    unexplained).

    Prints, per field group (token prices, cache writes, batch, image and audio tokens,
    long-context tiers, limits, modalities, shutdown dates, cut-off and release date), how many
    figures agree with each data set, how many the curation explains, and every unexplained
    disagreement with each set's value. Maintainer tooling: runs from a source checkout.

    \b
    Examples:
      aicompare catalog audit
      aicompare catalog audit --json
      aicompare catalog audit /tmp/models.toml --reference ~/data/reference
    """
    from aicompare.commands.options.tooling import reference_inputs

    tooling, reference, curation, default_catalog = reference_inputs(
        reference, curation, "run from a source checkout, or give --curation PATH"
    )
    path = path or default_catalog
    if not os.path.isfile(path):
        raise UsageError(f"no catalog file at {path}", "give the catalog file to audit as PATH")
    result = tooling.audit(path, reference, curation)
    emit(output_format(json_, None), VIEW, result, as_of=utc_today())
    if result.unexplained:
        if not json_:
            from aicompare.cli import report

            count = result.unexplained
            report(
                AicompareError(
                    f"{count} unexplained disagreement{'s' if count != 1 else ''} in {path}",
                    "follow the data sets, or record a choice with its source in the curation "
                    "file (docs/catalog-sources.md)",
                )
            )
        raise typer.Exit(1)
