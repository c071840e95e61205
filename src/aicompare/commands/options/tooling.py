"""The options of the maintainer commands that read the reference data sets: build, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

ReferenceOpt = Annotated[
    Path | None,
    typer.Option(
        "--reference",
        metavar="DIR",
        help="Folder with the reference data sets; default ../shared/reference next to the checkout.",
    ),
]
CurationOpt = Annotated[
    Path | None,
    typer.Option(
        "--curation", metavar="PATH", help="The curation file; default data/curation.toml."
    ),
]


def reference_inputs(
    reference: Path | None, curation: Path | None, curation_hint: str
) -> tuple[Any, Path, Path, Path]:
    """The checkout's build tooling, the reference folder and the curation file (the options, else
    the checkout's defaults, each checked), and the default catalog path."""
    import os

    from aicompare.errors import UsageError
    from aicompare.tooling import catalog_build_tooling

    tooling = catalog_build_tooling()  # tools/catalog_build of the source checkout
    default_curation, default_reference, default_catalog = tooling.default_paths()
    reference = reference or default_reference
    if reference is None:
        raise UsageError(
            "no reference data found next to the checkout", "give the folder with --reference DIR"
        )
    if not os.path.isdir(reference):  # os.path: False, not OSError, for a name too long
        raise UsageError(f"--reference: {reference} is not a folder")
    curation = curation or default_curation
    if not os.path.isfile(curation):
        raise UsageError(f"no curation file at {curation}", curation_hint)
    return tooling, reference, curation, default_catalog
