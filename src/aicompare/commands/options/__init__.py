"""The options and option helpers that more than one command takes, defined once: here the
ones of every command (output, --as-of, --catalog), and by concern in the submodules:
`filters` (list, cost), `workload` (cost, best), `edits` (the catalog commands that write).

One package rather than one file because every alias costs a run that imports it some 25 µs
(typer.Option and typing.Annotated): a run imports the options of its own command only, as it
imports only its own command. Choices are Typer's choices of the domain's own names
(model.MODEL_TYPES, model.CAPABILITIES, the formats a command offers), not Enums built at import
time, which cost about a millisecond.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from typer._types import TyperChoice  # what Typer makes of an Enum (typer pinned to 0.28)

from aicompare.render import OutputFormat

if TYPE_CHECKING:
    from aicompare.catalog import Catalog


def choice(values: Sequence[str]) -> TyperChoice[str]:
    """One of `values`, in any case: what Typer makes of an Enum of them."""
    return TyperChoice(values, case_sensitive=False)


def choices(values: Sequence[str]) -> str:
    """A metavar that lists the values an option takes as Typer lists a choice's, <a|b|c>, for
    an option whose values the domain parses (and words the errors of)."""
    return f"<{'|'.join(values)}>"


# ---------------------------------------------------------------- output and catalog

# What the result commands (list, show, diff, cost, best) can print.
TABLE_FORMATS = (OutputFormat.table, OutputFormat.json, OutputFormat.csv, OutputFormat.markdown)

JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print one JSON document (see docs/json.md).")
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, json, csv or markdown.",
        click_type=choice([f.value for f in TABLE_FORMATS]),
    ),
]
# diff, show and cost: the same, and a self-contained HTML page (render/html)
PAGE_FORMATS = (*TABLE_FORMATS, OutputFormat.html)
PageFormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table, json, csv, markdown or html (a page; see docs/output.md).",
        click_type=choice([f.value for f in PAGE_FORMATS]),
    ),
]
OutOpt = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        metavar="FILE",
        help="Write the output (json, csv, markdown or html) to this file instead of stdout.",
    ),
]
NoColorOpt = Annotated[
    bool, typer.Option("--no-color", help="Never use colour (NO_COLOR works too).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge lifecycle status and prices as of this date (YYYY-MM-DD); default today.",
    ),
]
CatalogOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--catalog", metavar="PATH", help="Extra catalog layer over the bundled one (repeatable)."
    ),
]


def output_format(
    json_flag: bool, fmt_opt: OutputFormat | None, default: OutputFormat = OutputFormat.table
) -> OutputFormat:
    """--json and --format as one format; both given must agree."""
    if json_flag and fmt_opt not in (None, OutputFormat.json):
        raise typer.BadParameter(
            "--json and --format other than json cannot be combined", param_hint="'--json'"
        )
    return OutputFormat.json if json_flag else (fmt_opt or default)


def parse_as_of(value: str | None) -> dt.date:
    if value is None:
        from aicompare.catalog import utc_today

        return utc_today()  # the day whose prices are in force: period boundaries are UTC
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD", param_hint="'--as-of'"
        ) from None


def load(catalog_paths: Sequence[str] | None, prices_on: dt.date | None = None) -> Catalog:
    """The catalog in effect; with `prices_on` (an `--as-of` date), at the prices of that day."""
    from aicompare.loader import load_catalog

    catalog = load_catalog(catalog_paths or ())
    if prices_on is not None:
        catalog.price_on(prices_on)
    return catalog


def fail_usage(message: str, param: str) -> NoReturn:
    raise typer.BadParameter(message, param_hint=f"'{param}'")


def complete_model(incomplete: str) -> list[str]:
    """Shell completion of model ids; never fails."""
    try:
        catalog = load(None)
    except Exception:
        return []
    word = incomplete.casefold()
    return [m for m in catalog.models if m.casefold().startswith(word)]
