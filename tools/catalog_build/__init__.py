"""Build data/models.toml from the public data sets (../shared/reference) and data/curation.toml.

`build` generates the document, `check.cross_check` holds a catalog against the data sets in
named field groups (`check.GROUPS`), `audit` counts that check per group and set. The commands
that run them are `aicompare catalog build` and `aicompare catalog audit` (from a checkout with
an editable install), or `python -m tools.catalog_build [--check] [...]` and
`python -m tools.catalog_build audit [...]` from the checkout root, which run the same commands. docs/catalog-sources.md describes the curation file and the build.
"""

from __future__ import annotations

from .audit import Audit, audit
from .check import GROUPS, CheckReport, FieldGroup, References, cross_check
from .curate import HEADER, Build, build, default_paths, load_curation, render

__all__ = [
    "GROUPS",
    "HEADER",
    "Audit",
    "Build",
    "CheckReport",
    "FieldGroup",
    "References",
    "audit",
    "build",
    "cross_check",
    "default_paths",
    "load_curation",
    "render",
]
