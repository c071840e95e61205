"""Build data/models.toml from the public data sets (../shared/reference) and data/curation.toml.

`build` generates the document, `check.cross_check` holds a catalog against the data sets. The
command that runs it is `aicompare catalog build` (from a checkout with an editable install), or
`python -m tools.catalog_build [--check] [...]` from the checkout root, which runs the same
command. docs/catalog-sources.md describes the curation file and the build.
"""

from __future__ import annotations

from .check import CheckReport, References, cross_check
from .curate import HEADER, Build, build, default_paths, load_curation, render

__all__ = [
    "HEADER",
    "Build",
    "CheckReport",
    "References",
    "build",
    "cross_check",
    "default_paths",
    "load_curation",
    "render",
]
