"""`aicompare changes --since DATE`: the catalog's price changes and lifecycle events since a date."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from aicompare.cli import emit
from aicompare.commands.options import (
    AsOfOpt,
    CatalogOpt,
    FormatOpt,
    JsonOpt,
    NoColorOpt,
    load,
    output_format,
)
from aicompare.render import OutputFormat, View

VIEW = View(
    "changes",
    document="aicompare.render.history_views:changes_document",
    blocks="aicompare.render.history_views:changes_view",
)


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date; use YYYY-MM-DD (a UTC date, e.g. 2026-09-01)",
            param_hint=f"'{option}'",
        ) from None


def command(
    since: Annotated[
        str,
        typer.Option(
            "--since",
            metavar="DATE",
            help="The first day (YYYY-MM-DD, UTC) of the changes to list.",
        ),
    ],
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            metavar="DATE",
            help="The last day to list (YYYY-MM-DD); default: no end, announced changes included.",
        ),
    ] = None,
    json_: JsonOpt = False,
    format_: FormatOpt = None,
    no_color: NoColorOpt = False,
    as_of: AsOfOpt = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """List the catalog's price changes, new models, deprecations and shutdowns since a date.

    Each price change names the kinds that changed, old and new price and the percentage;
    changes dated after today (UTC, or --as-of) are announced ones, and marked.

    \b
    Examples:
      aicompare changes --since 2026-09-01
      aicompare changes --since 2026-10-01 --until 2026-10-31 --json
    """
    fmt_ = output_format(json_, format_)
    if fmt_ is OutputFormat.csv:
        raise typer.BadParameter(
            "changes is shown as a table, Markdown or JSON, not CSV", param_hint="'--format'"
        )
    first = _date(since, "--since")
    last = _date(until, "--until") if until is not None else None
    if last is not None and last < first:
        raise typer.BadParameter(
            f"--until {last} is before --since {first}", param_hint="'--until'"
        )
    from aicompare.catalog import utc_today
    from aicompare.history import ChangesResult, events

    today = _date(as_of, "--as-of") if as_of is not None else utc_today()
    catalog = load(catalog_paths)
    result = ChangesResult(first, last, today, events(catalog.models, first, last, today))
    emit(fmt_, VIEW, result, as_of=today, no_color=no_color)
