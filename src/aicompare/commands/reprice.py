"""`aicompare reprice FILE...`: price real usage at the list prices in force on each row's date.

Annotations are evaluated at import (no `from __future__ import annotations`): see cost.py.
"""

import datetime as dt
import sys
from typing import Annotated

import typer

from aicompare.cli import emit_to
from aicompare.commands.options import CatalogOpt, JsonOpt, NoColorOpt, OutOpt, fail_usage, load
from aicompare.errors import AicompareError
from aicompare.render import OutputFormat, View

VIEW = View(
    "reprice",
    document="aicompare.render.reprice_views:reprice_document",
    blocks="aicompare.render.reprice_views:reprice_view",
    csv="aicompare.render.csv_views:reprice_csv",
)
BY_KEYS = ("model", "day", "month", "project", "key", "seller")


def parse_by(values: list[str] | None) -> tuple[str, ...]:
    """--by, repeatable and comma-separated, in the order given; model by default."""
    found: list[str] = []
    for value in values or []:
        for word in value.split(","):
            name = word.strip().casefold()
            if name not in BY_KEYS:
                fail_usage(f"{word.strip()!r} is not one of {', '.join(BY_KEYS)}", "--by")
            if name not in found:
                found.append(name)
    return tuple(found) or ("model",)


def command(
    files: Annotated[
        list[str],
        typer.Argument(help="Usage logs (gzipped too); - reads stdin.", metavar="FILE..."),
    ],
    formats: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="The logs' format, when detecting it from the content is not wanted; "
            "html writes the report as a page (both: --format litellm --format html).",
        ),
    ] = None,
    column_map: Annotated[
        str | None,
        typer.Option(
            "--map",
            metavar="MAP",
            help="Columns of a CSV or JSON-lines log: model=llm_model,input=prompt_tokens,...",
        ),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            "--by",
            metavar="KEY",
            help="Group by model, day, month, project, key or seller (repeatable, or a,b).",
        ),
    ] = None,
    on: Annotated[
        list[str] | None,
        typer.Option(
            "--on",
            metavar="MODEL",
            help="Price the same usage on this model (or MODEL@SELLER) too, repeatable; "
            "cheapest:N ranks the catalog's N cheapest for this usage.",
        ),
    ] = None,
    migrate: Annotated[
        bool,
        typer.Option(
            "--migrate",
            help="Price the rows of deprecated or retired models on their live successor.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any row cannot be priced.")
    ] = False,
    json_: JsonOpt = False,
    csv_: Annotated[bool, typer.Option("--csv", help="Print the groups as CSV.")] = False,
    out: OutOpt = None,
    no_color: NoColorOpt = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Judge lifecycle status, and price rows without a time, as of this date "
            "(YYYY-MM-DD); default today (UTC). Rows with a time take the prices of their date.",
        ),
    ] = None,
    catalog_paths: CatalogOpt = None,
) -> None:
    """Price usage logs at the list prices in force on each row's date, and say what it would
    cost elsewhere.

    Rows the catalog cannot price are listed, never counted as $0.

    \b
    Examples:
      aicompare reprice usage.jsonl.gz --by month,model
      aicompare reprice spend_logs.csv --on gpt-5-mini --on cheapest:3
      aicompare reprice usage.json --migrate --json
      aicompare reprice export.csv --map model=llm_model,input=prompt_tokens,output=completion_tokens
      aicompare reprice usage.json --on gpt-5-mini --migrate --format html -o spend.html
    """
    input_format, html = _formats(formats or [])
    chosen = [name for name, given in (("--json", json_), ("--csv", csv_), ("html", html)) if given]
    if len(chosen) > 1:
        fail_usage(f"{' and '.join(chosen)} cannot be combined", chosen[0])
    fmt_ = (
        OutputFormat.json
        if json_
        else OutputFormat.csv
        if csv_
        else OutputFormat.html
        if html
        else OutputFormat.table
    )
    keys = parse_by(by)
    today = _today(as_of)
    _check_cheapest(on or [], files)
    from aicompare.usage.aggregate import Aggregation, aggregate, thresholds
    from aicompare.usage.readers import FORMATS, ColumnMapError, parse_column_map, read_usage
    from aicompare.usage.reprice import reprice
    from aicompare.usage.rows import UsageFormatError

    if input_format is not None and input_format not in FORMATS:
        fail_usage(
            f"{input_format!r} is not a usage format; use one of {', '.join(FORMATS)} "
            "(or html for the page)",
            "--format",
        )
    try:
        columns = parse_column_map(column_map) if column_map else None
    except ColumnMapError as error:
        fail_usage(str(error), "--map")
    catalog = load(catalog_paths)
    limits = thresholds(catalog)
    aggregation = Aggregation()
    skipped: list[str] = []
    for path in files:
        try:
            records = read_usage(path, format=input_format, column_map=columns)
            aggregate(
                records,
                limits,
                by_project="project" in keys,
                by_key="key" in keys,
                into=aggregation,
            )
        except UsageFormatError as error:
            raise AicompareError(
                str(error), "name the format with --format, or map the columns with --map"
            ) from None
        except OSError as error:
            raise AicompareError(
                f"cannot read {path}: {error.strerror or error}",
                "check the path and that the file can be read",
            ) from None
        skipped += [
            f"{number} {'record' if number == 1 else 'records'} of {records.name} left out: {why}"
            for why, number in records.skipped.items()
        ]
    if html:
        keys = page_keys(keys, aggregation.first, aggregation.last)
    result = reprice(catalog, aggregation, limits, today, by=keys, on=on or (), migrate=migrate)
    if skipped:
        result = result._replace(notes=[*skipped, *result.notes])
    # a file written from the logs is no more readable than the least readable of them
    inputs = ["/dev/stdin" if path == "-" else path for path in files]
    layers = [*inputs, *(layer.path for layer in catalog.layers if layer.exists)]
    emit_to(fmt_, VIEW, result, as_of=today, out=out, layers=layers, no_color=no_color)
    if strict and result.unpriced:
        rows = sum(u.rows for u in result.unpriced)
        sys.stdout.flush()
        sys.stderr.write(
            f"error: {rows} {'row' if rows == 1 else 'rows'} could not be priced (--strict)\n"
            "see the unpriced rows in the output; add the models with `aicompare catalog add`\n"
        )
        raise typer.Exit(1)


def _formats(values: list[str]) -> tuple[str | None, bool]:
    """--format, repeatable: the logs' format (one of the readers') and html (the page)."""
    usage = [v for v in values if v.strip().casefold() != "html"]
    if len(set(usage)) > 1:
        fail_usage(f"one usage format at a time, not {' and '.join(usage)}", "--format")
    return (usage[0] if usage else None), len(usage) < len(values)


def page_keys(
    keys: tuple[str, ...], first: dt.date | None, last: dt.date | None
) -> tuple[str, ...]:
    """The groups of the page: the keys asked for, with a time key and the model in front
    where they are missing, so that the page can chart spend over time by model; by day, or
    by month for a period longer than LONG_PERIOD days, as render.html.spend charts it."""
    from aicompare.render.html.spend import LONG_PERIOD

    long = first is not None and last is not None and (last - first).days > LONG_PERIOD
    found = list(keys)
    if not {"day", "month"} & set(found):
        found.insert(0, "month" if long else "day")
    if "model" not in found:
        at = next(i for i, key in enumerate(found) if key in ("day", "month"))
        found.insert(at + 1, "model")
    return tuple(found)


def _check_cheapest(on: list[str], files: list[str]) -> None:
    """`--on cheapest 3` as two words makes 3 a FILE: say how to write it, not 'cannot read 3'."""
    import os

    if not any(value.strip().casefold() == "cheapest" for value in on):
        return
    for path in files:
        if path.strip().isdigit() and not os.path.lexists(path):
            fail_usage(
                f"{path!r} was read as a usage file: write the count with a colon, "
                f"--on cheapest:{path.strip()} (--on cheapest alone ranks 5)",
                "--on",
            )


def _today(as_of: str | None) -> dt.date:
    """--as-of, else today (UTC)."""
    from aicompare.catalog import utc_today

    if as_of is None:
        return utc_today()
    try:
        return dt.date.fromisoformat(as_of)
    except ValueError:
        fail_usage(f"{as_of!r} is not a date; use YYYY-MM-DD", "--as-of")
