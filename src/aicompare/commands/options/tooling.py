"""The options of the maintainer commands that read the reference data sets: build, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
